"""`--client-nav`: the runbook shape's links and post-form redirects move the way a single-page app's
router does (no new document), and `dashboard_busy` keeps a loaded dashboard's main thread busy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fixtures.sandbox_process import SandboxProcess
from tests.sandbox.room_harness import sign_in_context
from tests.sandbox.test_faults_http import HOST
from tests.sandbox.test_forms_browser import by_testid

pytestmark = pytest.mark.browser

ORIGIN_JS = "() => performance.timeOrigin"


@pytest.fixture(scope="module")
def client_nav():
    proc = SandboxProcess(args=("--otp-cooldown", "0", "--client-nav")).start()
    yield proc
    proc.stop()


def test_a_link_moves_client_side_and_the_next_page_runs(client_nav, page):
    sign_in_context(page.context, client_nav, HOST)
    page.goto(client_nav.url + "/dashboard")
    document = page.evaluate(ORIGIN_JS)
    by_testid(page, "nav-sessions").click()
    expect(page).to_have_url(client_nav.url + "/sessions")
    expect(by_testid(page, "sessions-list")).to_be_visible()
    assert page.evaluate(ORIGIN_JS) == document, "a new document was loaded"
    # The next page's own script ran on the swapped content: its join buttons are wired.
    by_testid(page, "nav-dashboard").click()
    expect(page.locator('[data-testid="my-sessions"][data-loaded="true"]')).to_be_visible()
    assert page.evaluate(ORIGIN_JS) == document


def test_without_the_option_a_link_loads_a_new_document(sandbox, page):
    page.goto(sandbox.url + "/")
    document = page.evaluate(ORIGIN_JS)
    by_testid(page, "nav-sessions").click()
    expect(by_testid(page, "sessions-list")).to_be_visible()
    assert page.evaluate(ORIGIN_JS) != document


def test_dashboard_busy_keeps_the_loaded_dashboard_busy(sandbox, page):
    sign_in_context(page.context, sandbox, HOST)
    sandbox.set_fault("dashboard_busy", "800")
    try:
        page.goto(sandbox.url + "/dashboard")  # returns at the load event, when the long task starts
        free_at = page.evaluate("() => performance.now()")  # runs once the main thread is free again
    finally:
        sandbox.clear_faults()
    expect(by_testid(page, "dashboard-welcome")).to_be_visible()
    assert free_at >= 800, f"the page answered {free_at:.0f} ms after its navigation started"


def test_a_page_moved_to_is_shown_only_once_its_script_runs(client_nav, page):
    # The login page's script held back: its form must not be shown, and so clicked, without its handler
    # (shown first, a click submitted it natively, the page reloaded and no code form came: a T3 row's failure).
    held = []
    page.route("**/static/auth.js", lambda route: held.append(route))
    page.goto(client_nav.url + "/")
    document = page.evaluate(ORIGIN_JS)
    with page.expect_request("**/static/auth.js"):  # forms.js ran: the page is in place, auth.js still held
        by_testid(page, "nav-login").click()
    expect(by_testid(page, "phone-form")).to_be_attached()
    expect(by_testid(page, "phone-form")).not_to_be_visible()
    held[0].continue_()
    by_testid(page, "phone-input").fill(HOST)
    by_testid(page, "request-otp-button").click()
    expect(by_testid(page, "code-form")).to_be_visible()
    assert page.evaluate(ORIGIN_JS) == document, "the form was submitted natively: a new document"

"""Page faults of the flows T1-T6 that act in the browser: what an input holds, what a button
shows, what a click opens. Each breaks its one thing while the page around it still works.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fixtures.shown_time import instant, shown_time_problem
from tests.sandbox.kulti_client import create_session, sign_in
from tests.sandbox.room_harness import sign_in_context
from tests.sandbox.test_auth import fresh_number
from tests.sandbox.test_faults_http import GUEST, HOST
from tests.sandbox.test_forms_browser import by_testid

pytestmark = pytest.mark.browser

# Clicks the button in the page and reports whether its dialog is open once the click's own
# handlers have run: a healthy dialog opens synchronously, so no wait is needed to see it did not.
OPENED_BY_CLICK_JS = """() => { document.querySelector('[data-testid="create-session-button"]').click();
                               return document.querySelector('[data-testid="create-session-dialog"]').open; }"""
# Milliseconds from the click to the dialog being open.
DIALOG_DELAY_JS = """async () => {
    const dialog = document.querySelector('[data-testid="create-session-dialog"]');
    const started = performance.now();
    document.querySelector('[data-testid="create-session-button"]').click();
    while (!dialog.open) await new Promise((r) => setTimeout(r, 10));
    return performance.now() - started; }"""


@pytest.fixture
def dashboard(sandbox, page):
    """The host's dashboard, opened after the test has set its faults."""
    sign_in_context(page.context, sandbox, HOST)
    return lambda: page.goto(sandbox.url + "/dashboard")


def test_hide_element_hides_that_testid_only(sandbox, page):
    sandbox.set_fault("hide_element", "landing-signup")
    page.goto(sandbox.url + "/")
    expect(by_testid(page, "landing-signup")).to_be_hidden()
    expect(by_testid(page, "landing-login")).to_be_visible()
    expect(by_testid(page, "landing-hero")).to_be_visible()


def test_hide_element_also_takes_a_css_selector(start_sandbox, page):
    # The launched app's shape has no data-testid: its elements are hidden by selector.
    kulti = start_sandbox("--shape", "kulti-2025-11", "--fault", "hide_element=css:h1")
    page.goto(kulti.url + "/login")
    expect(page.locator("h1")).to_be_hidden()
    expect(page.locator('input[type="tel"]')).to_be_visible()


def test_phone_input_mangled_drops_the_plus(sandbox, page):
    sandbox.set_fault("phone_input_mangled")
    page.goto(sandbox.url + "/signup")
    by_testid(page, "phone-input").fill("+15555550199")
    expect(by_testid(page, "phone-input")).to_have_value("15555550199")


def test_code_input_truncated_keeps_five_digits(sandbox, page):
    sandbox.set_fault("code_input_truncated")
    page.goto(sandbox.url + "/signup")
    by_testid(page, "phone-input").fill(fresh_number())
    by_testid(page, "request-otp-button").click()
    by_testid(page, "otp-input").fill("123456")
    expect(by_testid(page, "otp-input")).to_have_value("12345")


def test_busy_text_missing_disables_the_button_but_keeps_its_label(sandbox, page):
    sandbox.set_fault("busy_text_missing")
    sandbox.set_fault("slow_otp_request", "1500")  # long enough to look at the busy button
    page.goto(sandbox.url + "/login")
    by_testid(page, "phone-input").fill(HOST)
    by_testid(page, "request-otp-button").click()
    expect(by_testid(page, "request-otp-button")).to_be_disabled()
    expect(by_testid(page, "request-otp-button")).to_have_text("Request OTP")


def test_busy_text_missing_also_on_join(sandbox, page):
    session = create_session(sign_in(sandbox, HOST), "Busy text check")
    sign_in_context(page.context, sandbox, GUEST)
    sandbox.set_fault("busy_text_missing")
    sandbox.set_fault("slow_join", "1500")
    page.goto(sandbox.url + "/sessions")
    join = page.locator(f'[data-session-id="{session["id"]}"] [data-testid="join-session-button"]')
    join.click()
    expect(join).to_be_disabled()
    expect(join).to_have_text("Join Session")
    expect(page).to_have_url(sandbox.url + session["url"])  # the join itself still works


def test_create_dialog_broken_opens_nothing(sandbox, page, dashboard):
    sandbox.set_fault("create_dialog_broken")
    dashboard()
    assert page.evaluate(OPENED_BY_CLICK_JS) is False


def test_slow_create_form_opens_the_dialog_late(sandbox, page, dashboard):
    dashboard()
    assert page.evaluate(OPENED_BY_CLICK_JS) is True  # without the fault: at once
    sandbox.set_fault("slow_create_form", "600")
    dashboard()
    assert page.evaluate(DIALOG_DELAY_JS) >= 600


def test_session_title_truncated_keeps_twenty_characters(sandbox, page, dashboard):
    sandbox.set_fault("session_title_truncated")
    dashboard()
    by_testid(page, "create-session-button").click()
    by_testid(page, "session-title-input").fill("A title well over twenty characters")
    expect(by_testid(page, "session-title-input")).to_have_value("A title well over tw")


def test_shown_time_wrong_shifts_the_text_by_hours_but_not_the_datetime(sandbox, page, dashboard):
    client = sign_in(sandbox, HOST)
    created = create_session(client, "Shown time check")["created_at"]
    sandbox.set_fault("shown_time_wrong", "3")
    dashboard()
    item = page.locator('[data-testid="dashboard-session-item"] time').first  # newest first: this one
    expect(item).to_have_attribute("datetime", created)
    zone = page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone")
    assert shown_time_problem(item.text_content(), instant(created), zone).endswith(": -180 min")


LAYOUT_JS = """() => ({hero: document.querySelector('[data-testid="landing-hero"]').getBoundingClientRect().top,
                       height: innerHeight,
                       wider: document.documentElement.scrollWidth - document.documentElement.clientWidth})"""


def test_landing_layout_broken_pushes_the_hero_below_the_fold_or_widens_the_page(sandbox, page):
    page.goto(sandbox.url + "/")
    healthy = page.evaluate(LAYOUT_JS)
    assert healthy["hero"] < healthy["height"] and healthy["wider"] == 0
    sandbox.set_fault("landing_layout_broken", "below_fold")
    page.goto(sandbox.url + "/")
    below = page.evaluate(LAYOUT_JS)
    assert below["hero"] >= below["height"] and below["wider"] == 0
    sandbox.set_fault("landing_layout_broken", "overflow")
    page.goto(sandbox.url + "/")
    wide = page.evaluate(LAYOUT_JS)
    assert wide["hero"] < wide["height"] and wide["wider"] > 0
    page.goto(sandbox.url + "/login")  # the home page only
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0

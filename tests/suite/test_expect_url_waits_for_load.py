"""A step that lands on a page returns once that page's scripts have run: a server-rendered page is
shown while they still load, and a click in that gap did nothing (a T6 row's "Join Session" on CI)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Route

from fixtures.expect import expect_url
from tests.sandbox.room_harness import sign_in_context
from tests.sandbox.test_faults_http import HOST
from tests.sandbox.test_forms_browser import by_testid

pytestmark = pytest.mark.browser

MARK = "window.sessionsScriptRan"


def test_landing_on_a_page_waits_for_its_script(sandbox, page):
    sign_in_context(page.context, sandbox, HOST)
    page.goto(sandbox.url + "/dashboard")

    def late(route: Route) -> None:
        time.sleep(1.0)  # the script on a slow line: the page is in place, its button shown, no handler yet
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + f"\n{MARK} = true;\n")

    page.route("**/static/sessions.js", late)
    by_testid(page, "nav-sessions").click()
    expect_url(page, "/sessions", "Sessions list loads")
    assert page.evaluate(f"{MARK} === true"), "expect_url returned before the page's script had run"

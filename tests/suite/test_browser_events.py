"""What the pages report reaches the test it happened in: a console error logged after a test's last step is
still that test's (drained at its end, not by a sleep), and what the allow-list suppresses is kept to be listed."""

from __future__ import annotations

import pytest

from fixtures import evidence
from fixtures.browser_events import BrowserEvents, drain
from fixtures.browsers import chromium_executable
from fixtures.budgets import Metrics

pytestmark = pytest.mark.browser

LATE = "() => { setTimeout(() => console.error('late: after the last step'), 0); " \
       "setTimeout(() => console.error('known noise: ResizeObserver loop'), 0); }"


def _record(rid: str) -> evidence.TestRecord:
    return evidence.TestRecord(runbook_id=rid, title=rid, metrics=Metrics({}))


def test_errors_logged_after_the_last_step_belong_to_that_test_and_suppressed_ones_are_kept(browser_type):
    # pytest-playwright's browser_type: the worker's one Playwright. A second sync_playwright() in a
    # worker whose earlier test started Playwright's loop is refused ("Sync API inside the asyncio loop").
    browser = browser_type.launch(executable_path=chromium_executable(browser_type.executable_path),
                                  args=["--no-sandbox"])
    try:
        context = browser.new_context()
        BrowserEvents(["ResizeObserver loop"], "http://127.0.0.1:1").watch(context, "visitor")
        page = context.new_page()
        first, second = _record("T1"), _record("T2")
        evidence.begin(first)
        page.evaluate(LATE)  # the test's last step: the page logs once it has returned
        drain()  # the test's end
        evidence.begin(second)
        page.evaluate("() => 1")  # the next test's first call to the browser
    finally:
        evidence.begin(None)
        browser.close()
    assert first.console_errors == ["[visitor] console.error: late: after the last step ()"]
    assert first.console_suppressed == ["[visitor] console.error: known noise: ResizeObserver loop ()"]
    assert second.console_errors == [] and second.console_suppressed == []

"""Client-side form validation and the page faults that act in the browser (T1 console, T12 forms)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def by_testid(page, testid):
    return page.locator(f'[data-testid="{testid}"]')


def test_a_malformed_phone_is_refused_inline_without_a_request(sandbox, page):
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/api/auth/otp" in r.url else None)
    page.goto(sandbox.url + "/signup")
    by_testid(page, "phone-input").fill("12345")
    by_testid(page, "request-otp-button").click()
    expect(by_testid(page, "field-error-phone")).to_contain_text("international format")
    assert requests == []


def test_form_validation_off_submits_bad_input_and_shows_no_error(sandbox, page):
    sandbox.set_fault("form_validation_off")
    requests = []
    page.on("requestfinished", lambda r: requests.append(r.url) if "/api/auth/otp" in r.url else None)
    page.goto(sandbox.url + "/signup")
    by_testid(page, "phone-input").fill("12345")
    with page.expect_response("**/api/auth/otp") as answer:
        by_testid(page, "request-otp-button").click()
    assert answer.value.status == 422  # the server still refuses; the page just never says so
    expect(by_testid(page, "field-error-phone")).to_be_hidden()
    expect(by_testid(page, "form-error")).to_be_hidden()


def test_console_error_fault_logs_on_matching_pages_only(sandbox, page):
    sandbox.set_fault("console_error", "/login")
    errors = []
    page.on("console", lambda m: errors.append((page.url, m.text)) if m.type == "error" else None)
    page.goto(sandbox.url + "/signup")
    page.goto(sandbox.url + "/login")
    assert [url.rsplit("/", 1)[1] for url, _ in errors] == ["login"]

"""Test 3: User Login Flow - an existing user logs in and stays logged in across a reload."""

from __future__ import annotations

import pytest

from fixtures.evidence import attach_session_cookies, measure, present, step
from fixtures.expect import expect_text, expect_url, expect_visible
from fixtures.otp_flow import request_otp
from fixtures.probes.page_clock import PageClock
from fixtures.severity import PART_BROKEN

pytestmark = [
    pytest.mark.critical,
    pytest.mark.rollback,
    pytest.mark.synthetic,
    pytest.mark.runbook("T3"),
    pytest.mark.xdist_group("front-door"),
]


@pytest.mark.logs_in("host")  # the run's other tests use this sign-in: one OTP per number per run
def test_user_login(cast, runbook_record, kulti_data, otp_inbox, app):
    host = cast.people["host"]
    profile = kulti_data.profile_for_phone(host.phone)
    context = cast.new_context("host")
    page = runbook_record.show("host", context.new_page())
    clock = PageClock(page)
    login = app.pages.login(page)
    dashboard = app.pages.dashboard(page)

    with step('1. Click "Log In" button'):
        landing = app.pages.landing(page)
        landing.open()
        landing.ready()
        clock.watch_click("log in", landing.find("log_in"))
        clock.watch_through_navigation("login form", login.find("shown"))
        landing.log_in.click()
        expect_url(page, r"/login", "Redirected to /login")
        shown = clock.seen_at("login form", "Login form shows")
        measure("t3.page_load", clock.seconds(clock.clicked_at("log in"), shown, "the login form shown"),
                "Login page load (click to form shown)")

    with step("2. Enter phone number"):
        login.enter_phone(host.phone)

    with step('3. Click "Request OTP"'):
        otp = request_otp(login, clock, otp_inbox, host.phone, "t3")

    with step("4. Enter OTP received via SMS"):
        login.enter_code(otp.code)

    with step('5. Click "Verify"'):
        clock.watch_click("verify", login.find("verify_button"))
        clock.watch_through_navigation("dashboard", dashboard.find("shown"))
        login.verify()
        expect_url(page, r"/dashboard", "Logged in successfully and redirected to /dashboard")
        shown = clock.seen_at("dashboard", "Dashboard shows after the login")
        measure("t3.dashboard_load", clock.seconds(clock.clicked_at("verify"), shown, "the dashboard shown"),
                "Dashboard load (Verify to dashboard shown)")
        has_welcome = present(app, "welcome_message")
        if has_welcome:
            greeting = dashboard.greeting_for(profile)
            expect_text(dashboard.welcome, greeting, f"User info displayed correctly ({greeting})", impact=PART_BROKEN)
        otp_inbox.delete(otp.sid)

    with step("Session persists across page reload"):
        attach_session_cookies(context, "Session cookies after the login (names and expiry)")
        page.reload()
        expect_url(page, r"/dashboard", "Still on /dashboard after a reload")
        expect_visible(dashboard.shown, "Dashboard displays user data after a reload")
        if has_welcome:
            greeting = dashboard.greeting_for(profile)
            expect_text(dashboard.welcome, greeting, f"Session persists across page reload: still {greeting}",
                        impact=PART_BROKEN)
        expect_visible(dashboard.my_sessions, "Dashboard displays user data after a reload: the session list loads",
                       impact=PART_BROKEN)
        attach_session_cookies(context, "Session cookies after the reload (names and expiry)")

    cast.remember_login("host", context)


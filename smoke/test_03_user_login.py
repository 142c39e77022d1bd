"""Test 3: User Login Flow - an existing user logs in and stays logged in across a reload."""

from __future__ import annotations

import pytest

from fixtures.evidence import measure, step
from fixtures.expect import expect_text, expect_url, expect_visible
from fixtures.otp_flow import request_otp
from fixtures.pages.auth import LoginPage
from fixtures.pages.dashboard import DashboardPage
from fixtures.pages.landing import LandingPage
from fixtures.probes.page_clock import PageClock
from fixtures.services.kulti_data import profile_for_phone

pytestmark = [pytest.mark.critical, pytest.mark.runbook("T3"), pytest.mark.xdist_group("front-door")]


@pytest.mark.logs_in("host")  # the run's other tests use this sign-in: one OTP per number per run
def test_user_login(cast, runbook_record, supabase, otp_inbox):
    host = cast.people["host"]
    username = profile_for_phone(supabase, host.phone)["username"]
    context = cast.new_context("host")
    page = runbook_record.show("host", context.new_page())
    clock = PageClock(page)
    login = LoginPage(page)
    dashboard = DashboardPage(page)

    with step('1. Click "Log In" button'):
        page.goto("/")
        LandingPage(page).log_in.click()
        expect_url(page, r"/login", "Redirected to /login")
        measure("t3.page_load", clock.load_seconds(), "Login page load")

    with step("2. Enter phone number"):
        login.enter_phone(host.phone)

    with step('3. Click "Request OTP"'):
        otp = request_otp(login, clock, otp_inbox, host.phone, "t3")

    with step("4. Enter OTP received via SMS"):
        login.enter_code(otp.code)

    with step('5. Click "Verify"'):
        login.verify()
        expect_url(page, r"/dashboard", "Logged in successfully and redirected to /dashboard")
        measure("t3.dashboard_load", clock.load_seconds(), "Dashboard load")
        expect_text(dashboard.welcome, f"@{username}", f"User info displayed correctly (@{username})")
        otp_inbox.delete(otp.sid)

    with step("Session persists across page reload"):
        page.reload()
        expect_url(page, r"/dashboard", "Still on /dashboard after a reload")
        expect_visible(dashboard.welcome, "Dashboard displays user data after a reload")

    cast.remember_login("host", context)


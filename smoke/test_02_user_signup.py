"""Test 2: User Signup Flow - a new user registers end-to-end with a phone OTP."""

from __future__ import annotations

import re

import pytest

from fixtures.evidence import measure, present, step
from fixtures.expect import expect_that, expect_url, expect_visible
from fixtures.otp_flow import request_otp
from fixtures.probes.page_clock import PageClock
from fixtures.severity import DATA_WRONG, PART_BROKEN

pytestmark = [pytest.mark.critical, pytest.mark.runbook("T2"), pytest.mark.xdist_group("front-door")]

MALFORMED_PHONE = "12345"
DISPLAY_NAME = "Smoke Signup"


def test_user_signup(cast, runbook_record, supabase, otp_inbox, target, app, kulti_data):
    phone = cast.people["signup"].phone
    leftover = supabase.user_by_phone(phone)
    if leftover:  # Prerequisite "Clean user credentials ready": only ever the reserved number
        supabase.delete_user(leftover["id"])
    page = runbook_record.show("new user", cast.new_context("signup").new_page())
    try:
        _sign_up(page, app, phone, supabase, otp_inbox, target, kulti_data)
    finally:
        # The new user's pages keep polling (presence, credits) after the test: park the tab, so
        # nothing it logs later is taken for an error of the test running then.
        page.goto("about:blank")
        created = supabase.user_by_phone(phone)
        if created:
            supabase.delete_user(created["id"])  # leave the reserved number unregistered for the next run


def _sign_up(page, app, phone, supabase, otp_inbox, target, kulti_data):
    clock = PageClock(page)
    signup = app.pages.signup(page)
    with step('1. Click "Sign Up" button'):
        landing = app.pages.landing(page)
        landing.open()
        landing.ready()
        # Timed to what the user sees: the app may move there client-side, with no new document.
        clock.watch_click("sign up", landing.find("sign_up"))
        clock.watch_through_navigation("signup form", signup.find("shown"))
        landing.sign_up.click()
        expect_url(page, r"/signup", "Redirected to /signup")
        shown = clock.seen_at("signup form", "Signup form shows")
        measure("t2.page_load", clock.seconds(clock.clicked_at("sign up"), shown, "the signup form shown"),
                "Signup form load (click to form shown)")

    with step("2. Enter phone number (test number)"):
        invite = target.settings.smoke_invite_code
        signup.pass_invite_step(invite.get_secret_value() if invite else None)
        refused, how = signup.refuses_malformed_phone(MALFORMED_PHONE)
        expect_that(refused, "Phone validation works: a malformed number is refused inline", how, impact=PART_BROKEN)
        signup.enter_phone(phone)
        expect_that(signup.entered_phone() == phone, "Input accepted", signup.entered_phone())

    with step('3. Click "Request OTP"'):
        otp = request_otp(signup, clock, otp_inbox, phone, "t2")

    with step("4. Copy OTP from SMS"):
        expect_that(re.fullmatch(r"\d{6}", otp.code) is not None, "Code format is 6 digits", f"{len(otp.code)} digits",
                    impact=PART_BROKEN)

    with step("5. Enter OTP"):
        signup.enter_code(otp.code)
        expect_that(signup.entered_code() == otp.code, "Code input accepted", signup.entered_code())

    with step('6. Click "Verify"'):
        clock.watch_click("verify", signup.find("verify_button"))
        clock.watch_through_navigation("verified", signup.find("verified"))
        signup.verify()
        verified = clock.seen_at("verified", "Code verified successfully")
        if present(app, "onboarding_redirect"):
            expect_url(page, signup.verified_path, "Redirected to /onboarding or /dashboard")
        measure("t2.otp_verification", clock.seconds(clock.clicked_at("verify"), verified, "the code verified"),
                "OTP verification")
        user = supabase.user_by_phone(phone)
        expect_that(user is not None and user.get("phone_confirmed_at"),
                    "New user created in database (Supabase auth, phone confirmed)",
                    "no user" if user is None else f"phone_confirmed_at={user.get('phone_confirmed_at')}")
        otp_inbox.delete(otp.sid)

    with step("7. Complete profile setup (if needed)"):
        username = "smoke_" + target.run_id.replace("-", "")[-10:]
        entered = {"username": username, "display_name": DISPLAY_NAME}  # what this app's profile step asks
        signup.complete_profile(username, DISPLAY_NAME)
        expect_url(page, r"/dashboard", "Redirected to dashboard")

    with step("Profile page loads"):
        profile = app.pages.profile(page).open_for(username)
        expect_visible(profile.name, "Profile page loads", impact=PART_BROKEN)
        shown = {"username": profile.username.first.inner_text().strip().removeprefix("@"),
                 "display_name": profile.name.first.inner_text().strip()}
        expect_that(shown == entered, f"Profile page loads: it shows what onboarding entered (@{username}, "
                    f"{DISPLAY_NAME})", shown, impact=PART_BROKEN)
        row = kulti_data.profile_by_id(user["id"])
        stored = {field: row.get(field) for field in entered}
        expect_that(stored == entered, "The profiles row holds what onboarding entered", stored, impact=DATA_WRONG)

"""The front door's critical checks (T1-T5) proven on the launched app's shape (kulti-2025-11) with
its profile: each row's fault breaks exactly one check, and the verdict turns NO-GO on that check.

Checks the launched app has no counterpart for are not rowed here; the profile lists them
(fixtures/apps/kulti_2025_11/__init__.py ABSENT) and every run's verdict shows them under
"not in this app". The OTP rows (slow_otp_request, sms_delay, sms_never_sent, otp_five_digits,
otp_rejected, signup_user_not_saved, slow_otp_verify) are in test_verdict_on_faults_kulti.py; the
runbook shape's rows in test_verdict_on_faults.py.
"""

from __future__ import annotations

import pytest

from tests.suite.critical_rows import RUNBOOK_ROWS
from tests.suite.fault_rows import FaultRow, assert_fault_fails_check, on_one_shape

pytestmark = pytest.mark.browser

KULTI = "kulti-2025-11"
T4 = "dashboard and not logout"
LOGOUT = "dashboard_logout"

ROWS = [
    # T1: the home page
    FaultRow("home_page_status", "503", "site_accessibility", "T1", "functional", "HTTP 200 OK"),
    FaultRow("hide_element", "css:h1", "site_accessibility", "T1", "functional", "Layout renders correctly"),
    FaultRow("intro_cover_stuck", None, "site_accessibility", "T1", "functional",
             "Layout renders correctly: nothing covers the page"),
    FaultRow("hide_element", 'css:a[href="/signup"]', "site_accessibility", "T1", "functional", "Sign Up button visible"),
    FaultRow("hide_element", 'css:a[href="/login"]', "site_accessibility", "T1", "functional", "Log In button visible"),
    FaultRow("console_error", "/", "site_accessibility", "T1", "functional", "No console errors"),
    FaultRow("slow_page", "3100", "site_accessibility", "T1", "budget", "Home page load"),
    FaultRow("broken_image", None, "site_accessibility", "T1", "functional", "All images load"),
    FaultRow("broken_link", None, "site_accessibility", "T1", "functional", "No broken links"),
    # T2: sign-up (invite code, phone, six code boxes, profile step)
    FaultRow("landing_links_swapped", None, "user_signup", "T2", "functional", "Redirected to /signup"),
    # Get Started is a client-side move: timed from the click to the invite step shown.
    FaultRow("slow_page", "2100@/signup", "user_signup", "T2", "budget", "Signup form load"),
    FaultRow("hide_element", "css:#inviteCode", "user_signup", "T2", "functional", "Signup form shows"),
    FaultRow("phone_validation_off", None, "user_signup", "T2", "functional", "Phone validation works"),
    FaultRow("phone_input_mangled", None, "user_signup", "T2", "functional", "Input accepted"),
    FaultRow("busy_text_missing", None, "user_signup", "T2", "functional", 'Button changes to "Sending..."'),
    FaultRow("code_input_truncated", None, "user_signup", "T2", "functional", "Code input accepted"),
    FaultRow("onboarding_stuck", None, "user_signup", "T2", "functional", "Redirected to dashboard"),
    FaultRow("profile_page_error", None, "user_signup", "T2", "functional", "Profile page loads"),
    # The display name entered is not stored: the page shows the username in its place (P2), the row lacks it (P1).
    FaultRow("profile_field_dropped", None, "user_signup", "T2", "functional",
             "The profiles row holds what onboarding entered", severity="P1", measured="'display_name': 'smoke_"),
    # T3: log-in
    FaultRow("slow_page", "2100@/login", "user_login", "T3", "budget", "Login page load"),
    FaultRow("hide_element", 'css:input[type="tel"]', "user_login", "T3", "functional", "Login form shows"),
    FaultRow("hide_element", "css:.dashboard h1", "user_login", "T3", "functional", "Dashboard shows after the login"),
    FaultRow("hide_element", "css:main h2", "user_login", "T3", "functional",
             "Dashboard displays user data after a reload: the session list loads"),
    FaultRow("landing_links_swapped", None, "user_login", "T3", "functional", "Redirected to /login"),
    FaultRow("busy_text_missing", None, "user_login", "T3", "functional", 'Button changes to "Sending..."'),
    FaultRow("otp_no_session", None, "user_login", "T3", "functional", "Logged in successfully"),
    FaultRow("slow_page", "2100@/dashboard", "user_login", "T3", "budget", "Dashboard load"),
    FaultRow("session_not_persistent", None, "user_login", "T3", "functional", "after a reload"),
    # T4: the dashboard ("Live Now", fetched by the browser from PostgREST)
    FaultRow("slow_page", "2100@/dashboard", T4, "T4", "budget", "Dashboard load"),
    FaultRow("dashboard_busy", "1500", T4, "T4", "budget", "Dashboard interactive"),
    FaultRow("hide_element", "css:.dashboard h1", T4, "T4", "functional", "Dashboard shows"),
    FaultRow("hide_element", "css:.dashboard h2", T4, "T4", "functional", "Session list visible"),
    FaultRow("slow_dashboard_data", "1600", T4, "T4", "budget", "Dashboard data fetch"),
    FaultRow("hide_element", 'css:button[aria-label="Create a new session"]', T4, "T4", "functional",
             "Create session button visible"),
    FaultRow("profile_link_wrong", None, T4, "T4", "functional", "Profile link works"),
    FaultRow("settings_link_broken", None, T4, "T4", "functional", "Settings link works"),
    # Another user's account on your settings page: another user's data shown to you (SECURITY, P1).
    FaultRow("settings_other_user", None, T4, "T4", "functional", "Settings link works: the settings page belongs "
             "to the signed-in user (@smoke_host, Smoke Host)", severity="P1", measured="maya_builds"),
    FaultRow("dashboard_duplicate_sessions", None, T4, "T4", "functional", "No duplicate sessions"),
    # One session stored twice: two keys, both stored, so only the content check sees it.
    FaultRow("dashboard_duplicate_card", None, T4, "T4", "functional",
             "No duplicate sessions: no session listed twice under two keys", measured="Maya Chen"),
    FaultRow("dashboard_missing_sessions", None, T4, "T4", "functional", "Session list matches database"),
    FaultRow("dashboard_wrong_timestamps", None, T4, "T4", "functional", "Timestamps correct"),
    FaultRow("shown_time_wrong", "3", T4, "T4", "functional", "Timestamps correct", measured="-180 min"),
    FaultRow("hide_element", 'css:a[href="/login"]', LOGOUT, "T4", "functional", "Logged out: the Log In link is back"),
    FaultRow("logout_broken", None, LOGOUT, "T4", "functional", "After logout the dashboard asks to log in again"),
    # T5: Create Session, the room it leads to, the row it stores
    FaultRow("create_dialog_broken", None, "session_creation", "T5", "functional", "Modal/form opens"),
    FaultRow("slow_create_form", "1600", "session_creation", "T5", "budget", "Create-session form load"),
    FaultRow("session_form_validation_off", None, "session_creation", "T5", "functional", "Input validation works"),
    FaultRow("session_title_truncated", None, "session_creation", "T5", "functional", "Form fields accept input"),
    FaultRow("busy_text_missing", None, "session_creation", "T5", "functional", "Loading indicator shows"),
    # Nothing stored: the room of an unknown code sends the page back to /dashboard, so here this
    # fault breaks the redirect, and "Session appears in dashboard" is dashboard_missing_sessions'.
    FaultRow("session_not_stored", None, "session_creation", "T5", "functional", "redirects to session page"),
    FaultRow("slow_session_create", "2100", "session_creation", "T5", "budget", "Create-session form submission"),
    FaultRow("dashboard_missing_sessions", None, "session_creation", "T5", "functional", "Session appears in dashboard"),
    FaultRow("slow_dashboard_data", "1600", "session_creation", "T5", "budget", "Session fetch"),
    FaultRow("session_title_cut", None, "session_creation", "T5", "functional", "Database: 1 row returned"),
    # Two rows: the count says so (no LIMIT 1 hiding it); the page's own row still has its room code.
    FaultRow("session_stored_twice", None, "session_creation", "T5", "functional", "Database: 1 row returned",
             measured="2 rows"),
    FaultRow("session_field_dropped", "description", "session_creation", "T5", "functional",
             "Session data persists: description as entered", measured="database None"),
    FaultRow("session_wrong_host", None, "session_creation", "T5", "functional", "Creator is test user"),
    # 'Status is "active" or "waiting"' (here: live) has no row: "Live Now" lists status=eq.live
    # only, so a session stored with any other status is missing from the dashboard and
    # "Session appears in dashboard" fails first.
    FaultRow("session_stale_timestamp", None, "session_creation", "T5", "functional", "Timestamp is current"),
]


@pytest.mark.parametrize("row", on_one_shape(ROWS, KULTI, RUNBOOK_ROWS))
def test_each_front_door_check_fails_on_the_launched_apps_shape(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row, shape=KULTI, profile=KULTI)

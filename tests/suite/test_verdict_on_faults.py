"""Proof of the critical run: GO on a healthy sandbox, and for every critical assertion a sandbox
fault that breaks exactly it turns the verdict NO-GO, failing the right test with the right message.
"""

from __future__ import annotations

import re

import pytest

from tests.suite.suite_run import run_against

pytestmark = pytest.mark.browser

SECRET_SETTINGS = ("TWILIO_AUTH_TOKEN", "SUPABASE_SERVICE_ROLE_KEY", "HMS_MANAGEMENT_TOKEN", "SENTRY_AUTH_TOKEN")


def test_a_healthy_sandbox_gets_go_with_every_measurement_within_budget(start_sandbox):
    sandbox = start_sandbox()
    run = run_against(sandbox, "-m", "critical")
    verdict = run.verdict
    assert run.exit_code == 0, run.output[-3000:]
    assert verdict["verdict"] == "GO" and verdict["failures"] == []
    assert [t for t, state in verdict["results"].items() if state == "passed"] == \
        ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9"]
    assert all(m["within"] for m in verdict["metrics"]) and len(verdict["metrics"]) >= 25
    assert "SMOKE TEST RESULTS" in run.output and "GO: every critical test passed" in run.output
    assert (run.reports / "allure-report" / "index.html").exists()
    for path in run.reports.rglob("*"):  # production safety: no secret in anything the run wrote
        if path.is_file():
            content = path.read_bytes()
            leaked = [name for name in SECRET_SETTINGS if sandbox.env[name].encode() in content]
            assert not leaked, f"{path} contains {leaked}"


# fault, value, the tests run (-k), failing runbook test, category, what the failure says was expected
FAULTS = [
    ("slow_page", "3100", "site_accessibility", "T1", "budget", "Home page load"),
    ("console_error", "/", "site_accessibility", "T1", "functional", "No console errors"),
    ("broken_image", None, "site_accessibility", "T1", "functional", "All images load"),
    ("broken_link", None, "site_accessibility", "T1", "functional", "No broken links"),
    ("phone_validation_off", None, "user_signup", "T2", "functional", "Phone validation works"),
    ("sms_delay", "31", "user_signup", "T2", "budget", "OTP SMS delivery"),
    ("sms_never_sent", None, "user_signup", "T2", "functional", "SMS received within 30 seconds"),
    ("otp_five_digits", None, "user_signup", "T2", "functional", "Code format is 6 digits"),
    ("otp_rejected", None, "user_signup", "T2", "functional", "Redirected to /onboarding or /dashboard"),
    ("signup_user_not_saved", None, "user_signup", "T2", "functional", "New user created in database"),
    ("slow_otp_verify", "2100", "user_signup", "T2", "budget", "OTP verification"),
    ("otp_no_session", None, "user_login", "T3", "functional", "Logged in successfully"),
    ("session_not_persistent", None, "user_login", "T3", "functional", "after a reload"),
    ("dashboard_wrong_username", None, "user_login", "T3", "functional", "User info displayed correctly"),
    ("dashboard_wrong_username", None, "dashboard", "T4", "functional", "Welcome message shows username"),
    ("dashboard_missing_sessions", None, "dashboard", "T4", "functional", "Session list matches database"),
    ("dashboard_duplicate_sessions", None, "dashboard", "T4", "functional", "No duplicate sessions"),
    ("settings_link_broken", None, "dashboard", "T4", "functional", "Settings link works"),
    ("logout_broken", None, "dashboard", "T4", "functional", "Logged out"),
    ("slow_api", "1100", "dashboard", "T4", "budget", "Dashboard data fetch"),
    ("session_form_validation_off", None, "session_creation", "T5", "functional", "Input validation"),
    ("session_not_stored", None, "session_creation", "T5", "functional", "Session appears in dashboard"),
    ("slow_session_create", "2100", "session_creation", "T5", "budget", "Create-session form submission"),
    ("session_hidden_from_list", None, "join_session", "T6", "functional", "Session visible in list"),
    ("join_fails", None, "join_session", "T6", "functional", "redirected to session room page"),
    ("participants_not_live", None, "join_session", "T6", "functional", "Both participants listed (user 1's page"),
    ("slow_join", "1100", "join_session", "T6", "budget", "Join action"),
    ("slow_sessions_list", "2500", "join_session", "T6", "budget", "Sessions list load"),
    ("presence_offline", None, "join_session", "T6", "functional", "Online status indicated"),
    ("participant_count_off_by_one", None, "join_session", "T6", "functional", 'Participant count shows "2"'),
    ("participant_update_delay", "1500", "join_session", "T6", "budget", "Participant update"),
    ("participants_by_reload", None, "join_session", "T6", "functional", "Participant list updates on user 1's page"),
    ("video_absent", None, "video_streaming", "T7", "functional", "video"),
    ("video_frozen", None, "video_streaming", "T7", "functional", "No freezing observed"),
    ("audio_one_way", None, "video_streaming", "T7", "functional", "Audio working bidirectionally: user 1 hears"),
    ("low_framerate", "10", "video_streaming", "T7", "budget", "Received frame rate"),
    ("low_bitrate", "150", "video_streaming", "T7", "budget", "Received video bitrate"),
    ("slow_camera", "5200", "video_streaming", "T7", "budget", "Camera initialization"),
    ("slow_camera", "30000", "video_streaming", "T7", "functional", "camera starts"),
    ("preview_not_playing", None, "video_streaming", "T7", "functional", "preview is playing"),
    ("slow_remote_video", "4000", "video_streaming", "T7", "budget", "Remote video rendering"),
    ("remote_video_paused", None, "video_streaming", "T7", "functional", "video is playing for"),
    ("participant_count_off_by_one", None, "video_streaming", "T7", "functional", "Participant count correct"),
    ("remote_tile_shows_own_camera", None, "video_streaming", "T7", "functional", "receives the other camera"),
    ("chat_delay", "1200", "chat_messaging", "T9", "budget", "Message receive"),
    ("chat_sender_only", None, "chat_messaging", "T9", "functional", "Message appears for the other participant"),
    ("chat_mangle_emoji", None, "chat_messaging", "T9", "functional", "Special characters display correctly"),
    ("chat_not_stored", None, "chat_messaging", "T9", "functional", "stored in session_messages"),
    ("chat_wrong_sender", None, "chat_messaging", "T9", "functional", "Sender identified as Smoke Guest"),
    ("chat_panel_left", None, "chat_messaging", "T9", "functional", "Chat visible on right side"),
    ("chat_slow_echo", "800", "chat_messaging", "T9", "budget", "Message send"),
    ("chat_slow_echo", "11000", "chat_messaging", "T9", "functional", "Message appears in chat immediately"),
    ("chat_lowercase", None, "chat_messaging", "T9", "functional", "Message text correct"),
    ("chat_wrong_timestamp", None, "chat_messaging", "T9", "functional", "Timestamp shows current time"),
    ("chat_order_reversed", None, "chat_messaging", "T9", "functional", "Message order correct"),
]


@pytest.mark.parametrize("fault, value, selection, test_id, category, expected", FAULTS,
                         ids=[f"{f[0]}-{f[3]}" for f in FAULTS])
def test_each_critical_check_fails_on_the_fault_that_breaks_it(start_sandbox, fault, value, selection, test_id,
                                                               category, expected):
    sandbox = start_sandbox("--fault", f"{fault}={value}" if value else fault)
    run = run_against(sandbox, "-m", "critical", "-k", selection)
    verdict = run.verdict
    assert run.exit_code != 0 and verdict["verdict"] == "NO-GO", run.output[-3000:]
    assert verdict["results"][test_id] == "failed", run.output[-3000:]
    failures = run.failures_of(test_id)
    assert any(f["category"] == category and expected in f["expected"] for f in failures), \
        [(f["category"], f["step"], f["expected"], f["measured"]) for f in failures]
    assert all(f["severity"] for f in failures if f["category"] != "environment")
    assert re.search(rf"✗ Test {test_id[1:]}: ", run.output)

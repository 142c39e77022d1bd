"""The critical checks proven on the launched app's shape (kulti-2025-11) with its profile: each
row's fault breaks exactly one check, and the verdict turns NO-GO on that check.

Checks the launched app has no counterpart for are not rowed here; the profile lists them
(fixtures/apps/kulti_2025_11/__init__.py ABSENT) and every run's verdict shows them under
"not in this app". The runbook shape's rows are in test_verdict_on_faults.py.
"""

from __future__ import annotations

import pytest

from tests.suite.fault_rows import FaultRow, assert_fault_fails_check

pytestmark = pytest.mark.browser

KULTI = "kulti-2025-11"

ROWS = [
    # T2 / T3: the phone OTP, sent by Supabase Auth through Twilio
    FaultRow("slow_otp_request", "1600", "user_signup", "T2", "budget", "OTP request form submission"),
    FaultRow("sms_delay", "31", "user_signup", "T2", "budget", "OTP SMS delivery"),
    FaultRow("sms_never_sent", None, "user_signup", "T2", "functional", "SMS received within 30 seconds"),
    FaultRow("otp_five_digits", None, "user_signup", "T2", "functional", "Code format is 6 digits"),
    FaultRow("otp_rejected", None, "user_signup", "T2", "functional", "Code verified successfully"),
    FaultRow("signup_user_not_saved", None, "user_signup", "T2", "functional", "New user created in database"),
    FaultRow("slow_otp_verify", "2100", "user_signup", "T2", "budget", "OTP verification"),
    FaultRow("sms_delay", "31", "user_login", "T3", "budget", "OTP SMS delivery"),
    # T7: the host's camera and voice reaching the guest
    FaultRow("video_absent", None, "video_streaming", "T7", "functional", "video"),
    FaultRow("low_framerate", "10", "video_streaming", "T7", "budget", "Received frame rate"),
    FaultRow("low_bitrate", "150", "video_streaming", "T7", "budget", "Received video bitrate"),
    FaultRow("slow_camera", "5200", "video_streaming", "T7", "budget", "Camera initialization"),
    FaultRow("preview_not_playing", None, "video_streaming", "T7", "functional", "preview is playing"),
    FaultRow("slow_remote_video", "4000", "video_streaming", "T7", "budget", "Remote video rendering"),
    FaultRow("remote_video_paused", None, "video_streaming", "T7", "functional", "video is playing for"),
    # T9: chat stored in `messages` and shown when the server's change notification arrives
    FaultRow("chat_delay", "1200", "chat_messaging", "T9", "budget", "Message receive"),
    FaultRow("chat_sender_only", None, "chat_messaging", "T9", "functional", "Message appears for the other participant"),
    FaultRow("chat_mangle_emoji", None, "chat_messaging", "T9", "functional", "Special characters display correctly"),
    FaultRow("chat_not_stored", None, "chat_messaging", "T9", "functional", "stored in messages"),
    FaultRow("chat_wrong_sender", None, "chat_messaging", "T9", "functional", "Sender identified as Smoke Guest"),
    FaultRow("chat_slow_echo", "800", "chat_messaging", "T9", "budget", "Message send"),
    FaultRow("chat_lowercase", None, "chat_messaging", "T9", "functional", "Message text correct"),
    FaultRow("chat_wrong_timestamp", None, "chat_messaging", "T9", "functional", "Timestamp shows current time"),
]


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_each_critical_check_fails_on_the_launched_apps_shape(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row, shape=KULTI, profile=KULTI)

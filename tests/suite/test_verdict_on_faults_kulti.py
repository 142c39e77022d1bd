"""The critical checks proven on the launched app's shape (kulti-2025-11) with its profile: each
row's fault breaks exactly one check, and the verdict turns NO-GO on that check.

Checks the launched app has no counterpart for are not rowed here; the profile lists them
(fixtures/apps/kulti_2025_11/__init__.py ABSENT) and every run's verdict shows them under
"not in this app". The runbook shape's rows are in test_verdict_on_faults.py.
"""

from __future__ import annotations

import pytest

from tests.suite.critical_rows import RUNBOOK_ROWS
from tests.suite.fault_rows import FaultRow, assert_fault_fails_check, on_one_shape

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
    # T6: /browse, its "Join Session" link, and the room's tiles (one per 100ms peer)
    FaultRow("slow_page", "2600@/browse", "join_session", "T6", "budget", "Sessions list load"),
    FaultRow("hide_element", "css:.browse > h1", "join_session", "T6", "functional", "Sessions list loads"),
    FaultRow("session_hidden_from_list", None, "join_session", "T6", "functional", "Session visible in list"),
    # "Join Session" is a plain link: only the room page itself can keep the guest out of its URL.
    FaultRow("room_turns_guests_away", None, "join_session", "T6", "functional", "redirected to session room page"),
    # join_fails (get-token 500): the URL is the room's, the guest's own tile never comes.
    FaultRow("join_fails", None, "join_session", "T6", "functional", "User 2 listed on their own room page"),
    FaultRow("slow_join", "1500", "join_session", "T6", "budget", "Join action"),
    FaultRow("participants_not_live", None, "join_session", "T6", "functional",
             "Both participants listed (user 1's page"),
    FaultRow("participant_update_delay", "2000", "join_session", "T6", "budget", "Participant update"),
    FaultRow("participants_by_reload", None, "join_session", "T6", "functional",
             "Participant list updates on user 1's page"),
    FaultRow("hms_peer_missing", None, "join_session", "T6", "functional", "100ms active room lists both participants"),
    # T7: the host's camera and voice reaching the guest
    FaultRow("slow_camera", "30000", "video_streaming", "T7", "functional", "camera starts"),
    FaultRow("hide_element", "css:.video-tile:has(> video[muted])", "video_streaming", "T7", "functional",
             "own preview shows"),
    FaultRow("hide_element", "css:.video-tile:has(> video:not([muted]))", "video_streaming", "T7", "functional",
             "video visible to user 2"),
    FaultRow("audio_absent", None, "video_streaming", "T7", "functional",
             "Audio working bidirectionally: user 2 hears"),
    FaultRow("remote_tile_shows_own_camera", None, "video_streaming", "T7", "functional", "receives the other camera"),
    FaultRow("video_absent", None, "video_streaming", "T7", "functional", "video"),
    FaultRow("low_framerate", "10", "video_streaming", "T7", "budget", "Received frame rate"),
    FaultRow("low_bitrate", "150", "video_streaming", "T7", "budget", "Received video bitrate"),
    FaultRow("slow_camera", "5200", "video_streaming", "T7", "budget", "Camera initialization"),
    FaultRow("preview_not_playing", None, "video_streaming", "T7", "functional", "preview is playing"),
    FaultRow("slow_remote_video", "4000", "video_streaming", "T7", "budget", "Remote video rendering"),
    FaultRow("remote_video_paused", None, "video_streaming", "T7", "functional", "video is playing for"),
    # No frame at all in the known-media window: the picture check of step 4 is the first to see it.
    FaultRow("video_frozen", None, "video_streaming", "T7", "functional", "User 2 video visible: user 2 sees the picture"),
    # Frames still arrive in the window, around a stall: the freeze itself must fail the check.
    FaultRow("video_stalls", "800", "video_streaming", "T7", "functional", "No freezing observed"),
    # T9: chat stored in `messages` and shown when the server's change notification arrives
    FaultRow("chat_delay", "1200", "chat_messaging", "T9", "budget", "Message receive"),
    FaultRow("chat_sender_only", None, "chat_messaging", "T9", "functional", "Message appears for the other participant"),
    FaultRow("chat_mangle_emoji", None, "chat_messaging", "T9", "functional", "Special characters display correctly"),
    FaultRow("chat_not_stored", None, "chat_messaging", "T9", "functional", "stored in messages"),
    FaultRow("chat_stored_twice", None, "chat_messaging", "T9", "functional", "stored in messages: each once, in the "
             "order sent", measured="1', 'user 1'), ('1', 'user 1')"),
    FaultRow("chat_stored_reordered", None, "chat_messaging", "T9", "functional", "stored in messages: each once, in "
             "the order sent", measured="[('3', 'user 1'), ('2', 'user 2'), ('1', 'user 1')]"),
    FaultRow("chat_wrong_sender", None, "chat_messaging", "T9", "functional", "Sender identified as Smoke Guest"),
    FaultRow("chat_slow_echo", "800", "chat_messaging", "T9", "budget", "Message send"),
    FaultRow("chat_slow_echo", "11000", "chat_messaging", "T9", "functional", "Message appears in chat immediately"),
    FaultRow("chat_slow_ready", "2600", "chat_messaging", "T9", "budget", "Chat load"),
    FaultRow("chat_slow_ready", "20000", "chat_messaging", "T9", "functional", "Chat ready to send"),  # see the runbook rows
    FaultRow("hide_element", "css:.room-side", "chat_messaging", "T9", "functional", "Chat visible"),
    FaultRow("chat_panel_left", None, "chat_messaging", "T9", "functional", "Chat visible on right side"),
    FaultRow("chat_order_reversed", None, "chat_messaging", "T9", "functional", "Message order correct"),
    FaultRow("chat_lowercase", None, "chat_messaging", "T9", "functional", "Message text correct"),
    FaultRow("chat_wrong_timestamp", None, "chat_messaging", "T9", "functional", "Timestamp shows current time"),
    FaultRow("shown_time_wrong", "3", "chat_messaging", "T9", "functional", "Timestamp shows current time",
             measured="-180 min"),
]


@pytest.mark.parametrize("row", on_one_shape(ROWS, KULTI, RUNBOOK_ROWS))
def test_each_critical_check_fails_on_the_launched_apps_shape(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row, shape=KULTI, profile=KULTI)

"""Named switches that each break exactly one thing a smoke test checks.

Set at start (`--fault NAME[=VALUE]`) or at run time through the loopback-only admin API
(`/__sandbox/faults`). Client-side faults reach the pages through `client_flags()`, which
the templates embed as JSON; the page scripts read it once on load.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaultSpec:
    name: str
    test: str  # runbook Part D test (or Part C step) whose expected result it breaks
    description: str
    default: str = "1"  # the value used when the fault is given without one
    client: bool = False  # the page scripts need to know
    choices: tuple[str, ...] = ()  # when given, the only values it takes


SPECS: tuple[FaultSpec, ...] = (
    # T1 site accessibility
    FaultSpec("slow_page", "T1", "Delay every HTML page by VALUE ms; VALUE MS@/path delays only pages under /path",
              "3500"),
    FaultSpec("home_page_status", "T1", "The home page answers HTTP VALUE while rendering as usual", "503"),
    FaultSpec("hide_element", "T1", "Elements with data-testid VALUE (or matching css:SELECTOR) are not displayed, on every page", "landing-hero",
              client=True),
    FaultSpec("console_error", "T1", "Pages whose path starts with VALUE log console.error on load", "/", client=True),
    FaultSpec("broken_image", "T1", "The landing page's hero image points at a missing file"),
    FaultSpec("broken_link", "T1", "The landing page links to a page that does not exist"),
    FaultSpec("stylesheet_missing", "T1", "The pages' stylesheets answer 404: every page renders unstyled"),
    FaultSpec("landing_layout_broken", "T1", "The home page's layout breaks: VALUE below_fold pushes the hero below the "
              "first screen, overflow makes the page wider than the window", "below_fold", client=True),
    FaultSpec("intro_cover_stuck", "T1", "The landing page's full-screen intro cover types its word and never leaves "
              "(kulti-2025-11)", client=True),
    # T2/T3 signup and login
    FaultSpec("phone_validation_off", "T2", "Malformed phone numbers pass the form and the server (an SMS is attempted)",
              client=True),
    FaultSpec("sms_delay", "T2", "OTP SMS is handed to Twilio VALUE seconds late", "35"),
    FaultSpec("sms_never_sent", "T2", "OTP request reports success but no SMS is sent"),
    FaultSpec("otp_five_digits", "T2", "OTP codes are 5 digits instead of 6"),
    FaultSpec("otp_rejected", "T2", "Every OTP, right or wrong, is rejected as invalid"),
    FaultSpec("otp_no_session", "T3", "OTP verifies and redirects, but no session cookie is set", client=True),
    FaultSpec("signup_user_not_saved", "T2", "Signup completes in the UI but the auth user is never confirmed"),
    FaultSpec("session_not_persistent", "T3", "The login cookie does not survive a page reload"),
    FaultSpec("slow_otp_verify", "T2", "OTP verification takes VALUE ms", "2500"),
    FaultSpec("slow_otp_request", "T2", "The OTP request takes VALUE ms", "1500"),
    FaultSpec("landing_links_swapped", "T2", "The landing page's Sign Up leads to /login and its Log In to /signup",
              client=True),
    FaultSpec("phone_input_mangled", "T2", "The phone input drops the leading '+' of what is typed (a widget "
              "that keeps digits only: the tenth digit)", client=True),
    FaultSpec("code_input_truncated", "T2", "The OTP code input holds only 5 characters (six boxes: the sixth "
              "refuses input)", client=True),
    FaultSpec("busy_text_missing", "T2", "Buttons never show their busy text (Sending..., Creating..., Joining...)",
              client=True),
    FaultSpec("onboarding_stuck", "T2", "Onboarding answers success but stores nothing and leads back to itself"),
    FaultSpec("profile_page_error", "T2", "Profile pages answer 500"),
    FaultSpec("profile_field_dropped", "T2", "Onboarding stores the username in place of the display name entered "
              "(that field is not stored); the form and the server answer success as usual"),
    # T4 dashboard
    FaultSpec("dashboard_wrong_username", "T4", "The welcome message greets someone else"),
    FaultSpec("welcome_wrong_user", "T3", "From a login's second dashboard view on (a reload), the welcome message "
              "greets someone else; the first, right after the login, is right"),
    FaultSpec("dashboard_missing_sessions", "T4", "The dashboard session list omits the newest session"),
    FaultSpec("dashboard_duplicate_sessions", "T4", "The dashboard session list shows a session twice"),
    FaultSpec("dashboard_duplicate_card", "T4", "The dashboard lists one session twice under two keys: its newest "
              "session is stored a second time (same title, host and start, a millisecond apart; its own id and "
              "key), as a double insert would, when the list is read"),
    FaultSpec("settings_link_broken", "T4", "The dashboard's Settings link leads to a 404"),
    FaultSpec("settings_other_user", "T4", "The settings page shows maya_builds' username and display name, not the "
              "signed-in user's"),
    FaultSpec("logout_broken", "T4", "Logout redirects but keeps the user signed in", client=True),
    FaultSpec("dashboard_wrong_display_name", "T4", "The welcome message shows someone else's display name"),
    FaultSpec("shown_time_wrong", "T4", "Every time a page shows (dashboard lists, chat rows; both shapes) is VALUE hours "
              "off, as a formatter with a wrong zone offset prints it; the datetime attributes stay right", "3",
              client=True),
    FaultSpec("dashboard_wrong_timestamps", "T4", "The dashboard lists each session's creation time an hour late"),
    FaultSpec("dashboard_busy", "T4", "Once the dashboard has loaded and shows, its script keeps the main thread busy "
              "for VALUE ms (one long task, as heavy hydration would): a click waits that long to be handled", "1500",
              client=True),
    FaultSpec("profile_link_wrong", "T4", "The Profile link in the top bar leads to maya_builds' profile"),
    # T5 session creation
    FaultSpec("session_not_stored", "T5", "Create Session redirects to a session page but nothing is stored"),
    FaultSpec("session_form_validation_off", "T5", "The create-session form and the server accept an empty title",
              client=True),
    FaultSpec("slow_session_create", "T5", "Creating a session takes VALUE ms", "2500"),
    FaultSpec("create_dialog_broken", "T5", "The Create Session button opens nothing"),
    FaultSpec("slow_create_form", "T5", "The create-session dialog opens VALUE ms after the click", "1500", client=True),
    FaultSpec("session_title_truncated", "T5", "The session title input holds only 20 characters"),
    FaultSpec("session_title_cut", "T5", "A new session is stored under its title cut to 20 characters"),
    FaultSpec("session_stored_twice", "T5", "A new session is stored twice; the page opens the older copy"),
    FaultSpec("session_wrong_host", "T5", "A new session is stored with maya_builds as its host_id"),
    FaultSpec("session_wrong_status", "T5", "A new session is stored with status 'ended'"),
    FaultSpec("session_stale_timestamp", "T5", "A new session is stored with a created_at one day in the past"),
    FaultSpec("session_field_dropped", "T5", "A new session is stored without the entered field VALUE (description, "
              "tags or category: stored empty); the form and the server accept it as usual", "tags",
              choices=("description", "tags", "category")),
    FaultSpec("slow_dashboard_data", "T5", "The dashboard's data request (/api/dashboard; the browser's "
              "Live Now read of PostgREST) takes VALUE ms", "1500"),
    # T6 join session
    FaultSpec("session_hidden_from_list", "T6", "Sessions are missing from /sessions for other users"),
    FaultSpec("join_fails", "T6", "Join answers 500 and the user stays on /sessions"),
    FaultSpec("room_turns_guests_away", "T6", "kulti-2025-11: a session's room sends everyone but its host to "
              "/dashboard, as for an unknown code"),
    FaultSpec("participants_not_live", "T6", "The participant list is not updated when someone joins"),
    FaultSpec("slow_join", "T6", "Join takes VALUE ms", "1500"),
    FaultSpec("hms_peer_missing", "T6", "The 100ms active room omits its newest peer (Kulti's own list is right)"),
    FaultSpec("hms_room_unknown", "T6", "100ms's active-rooms API answers 404 'Room not found' for the session's room, "
              "as for a room id the app stored but 100ms never created (the pages' connections still work)"),
    FaultSpec("presence_offline", "T6", "Everyone in the room is shown offline (connections still work)"),
    FaultSpec("participant_update_delay", "T6",
              "The others hear of a newcomer's arrival VALUE ms late (the newcomer sees the list at once)", "1500"),
    FaultSpec("participant_count_off_by_one", "T6", "The participant count badge shows one more than are listed",
              client=True),
    FaultSpec("participants_by_reload", "T6", "The room page reloads itself to show a newcomer; the list is never "
              "updated live", client=True),
    # T7 video
    FaultSpec("video_absent", "T7", "Participants send no video track", client=True),
    FaultSpec("video_frozen", "T7", "Each connection's video stops after its first frame (the sender's track is removed)",
              client=True),
    FaultSpec("video_stalls", "T7", "Every 2.5 s each connection sends no video for VALUE ms, then the camera again "
              "(the picture freezes and resumes)", "800", client=True),
    FaultSpec("audio_one_way", "T7", "Only the session host sends audio", client=True),
    FaultSpec("audio_absent", "T7", "Participants send no audio track", client=True),
    FaultSpec("low_framerate", "T7", "Camera captured at VALUE fps", "10", client=True),
    FaultSpec("low_bitrate", "T7", "Video capped at VALUE kbps", "150", client=True),
    FaultSpec("slow_camera", "T7", "Camera start is delayed by VALUE ms", "6000", client=True),
    FaultSpec("preview_not_playing", "T7", "The own camera preview never plays (what is sent is unaffected)",
              client=True),
    FaultSpec("slow_remote_video", "T7", "Each connection starts sending the camera VALUE ms after it is up", "4000",
              client=True),
    FaultSpec("remote_video_paused", "T7", "Remote camera tiles are never played (frames arrive and are decoded; "
              "the voice is not heard either)",
              client=True),
    FaultSpec("remote_tile_shows_own_camera", "T7", "A remote tile plays the other's voice with your own camera",
              client=True),
    FaultSpec("mic_silent", "T7", "The microphone sends silence: its track is sent disabled, as a muted one, while "
              "the page shows it on", client=True),
    FaultSpec("audio_delay", "T7", "Every participant's audio is sent VALUE ms late (encoded frames held)", "600",
              client=True),
    FaultSpec("video_delay", "T7", "Every participant's video is sent VALUE ms late (encoded frames held)", "2500",
              client=True),
    FaultSpec("audio_dropouts", "T7", "VALUE % of every participant's encoded audio frames are never sent (the "
              "receiver conceals the gaps)", "20", client=True),
    FaultSpec("audio_echo", "T7", "Every participant but the host sends back the audio it receives: the host hears "
              "itself", client=True),
    FaultSpec("preview_slow", "T7", "The own camera preview is shown VALUE ms after the camera started (what is sent "
              "is unaffected)", "3500", client=True),
    FaultSpec("preview_frozen", "T7", "The own camera preview shows one frame and no more (what is sent is unaffected)",
              client=True),
    # T8 screen sharing
    FaultSpec("screen_not_forwarded", "T8", "The shared screen is shown to the sharer only", client=True),
    FaultSpec("screen_low_res", "T8", "Screen captured at VALUE pixels high", "480", client=True),
    FaultSpec("control_not_passed", "T8", "Pass Control is acknowledged but control stays with the sharer"),
    FaultSpec("cursor_not_synced", "T8", "The controller's cursor is not relayed to others"),
    FaultSpec("cursor_mirrored", "T8", "The controller's cursor is relayed mirrored left to right (x becomes 1 - x)"),
    FaultSpec("cursor_delay", "T8", "The controller's cursor moves are relayed VALUE ms late", "1500"),
    FaultSpec("slow_share_start", "T8", "The screen capture starts VALUE ms after the share button is clicked", "4500",
              client=True),
    FaultSpec("screen_forward_delay", "T8", "The sharer starts sending the screen VALUE ms after the share started",
              "4500", client=True),
    FaultSpec("share_texts_wrong", "T8", "The share button (VALUE=button) says \"Stop\" or the indicator "
              "(VALUE=indicator) says \"Sharing\" instead of the runbook's words", "indicator", client=True),
    FaultSpec("share_indicator_stays", "T8", "When a share ends, everyone but the sharer keeps showing it "
              "(a still picture of the screen)", client=True),
    FaultSpec("screen_keeps_flowing", "T8", "When a share ends, the pages say so but the screen is still sent and "
              "received", client=True),
    FaultSpec("share_stop_kills_camera", "T8", "Ending a share also stops the sharer's camera", client=True),
    # T9 chat
    FaultSpec("chat_slow_ready", "T9", "The chat form becomes usable VALUE ms after the room connects", "2500",
              client=True),
    FaultSpec("chat_delay", "T9", "Chat messages are relayed VALUE ms late", "1500"),
    FaultSpec("chat_sender_only", "T9", "Chat messages are shown to the sender only"),
    FaultSpec("chat_mangle_emoji", "T9", "Non-ASCII characters in chat are replaced with '?'"),
    FaultSpec("chat_not_stored", "T9", "Chat messages are relayed but not stored"),
    FaultSpec("chat_stored_twice", "T9", "Every chat message is stored twice (a second row, 1 ms later); pages show "
              "it once"),
    FaultSpec("chat_stored_reordered", "T9", "Each chat message is stored 1 ms before the session's message stored "
              "last: the stored (created_at) order is the reverse of the order sent (live pages show it as sent)"),
    FaultSpec("chat_wrong_sender", "T9", "Chat messages are attributed to the session host"),
    FaultSpec("chat_wrong_timestamp", "T9", "Chat message times are VALUE minutes off (stored and shown)", "60"),
    FaultSpec("chat_slow_echo", "T9", "The sender's own message comes back (and shows) VALUE ms late; others get it "
              "at once", "800"),
    FaultSpec("chat_lowercase", "T9", "Chat message text is lower-cased (stored and shown)"),
    FaultSpec("chat_order_reversed", "T9", "New chat messages are shown above the older ones", client=True),
    FaultSpec("chat_panel_left", "T9", "The chat (and participants) column is laid out on the left", client=True),
    # T10 recording
    FaultSpec("recording_indicator_missing", "T10", "Participants other than the host see no recording indicator", client=True),
    FaultSpec("recording_never_completes", "T10", "Recordings stay in 'processing' for ever"),
    FaultSpec("recording_not_uploaded", "T10", "The host's page uploads no recording data (the kulti shape: "
              "100ms's recording fails)", client=True),
    FaultSpec("recording_slow_start", "T10", "Starting a recording answers VALUE ms late, so the indicator shows "
              "that late", "3500"),
    FaultSpec("recording_slow_stop", "T10", "Stopping a recording answers VALUE ms late, so the indicator goes "
              "that late", "2500"),
    FaultSpec("recording_duration_wrong", "T10", "A finished recording's duration is stored, listed and reported "
              "by 100ms VALUE s too long", "10"),
    FaultSpec("recording_framerate_drop", "T10", "While a recording runs, the host's camera sends VALUE fps",
              "6", client=True),
    FaultSpec("recording_stop_label_missing", "T10", "While a recording runs, the host's recording button keeps "
              "saying Start Recording (a click still stops it)", client=True),
    FaultSpec("recording_start_label_missing", "T10", "Once a recording has stopped, the host's recording button keeps "
              "saying Stop Recording (a click starts a new one)", client=True),
    FaultSpec("recording_indicator_lapses", "T10", "The host's recording indicator goes away VALUE ms after it "
              "appears; the recording goes on", "1500", client=True),
    FaultSpec("recording_indicator_stays", "T10", "Participants other than the host keep seeing the recording "
              "indicator after the recording stops", client=True),
    FaultSpec("recording_stop_not_notified", "T10", "Nobody is notified when a recording stops", client=True),
    FaultSpec("recording_status_text_stuck", "T10", "A listed recording's status text stays at the first it showed "
              "after the stop ('Processing'); its data-status follows the server", client=True),
    FaultSpec("recording_stored_twice", "T10", "A finished recording is stored twice (a second row for the session)"),
    FaultSpec("recording_not_listed_by_hms", "T10", "100ms's recording list (GET /v2/recordings) leaves every "
              "recording out; each is still found by its id"),
    FaultSpec("recording_video_stops", "T10", "Once a recording starts, the host's camera stops reaching the others "
              "(the voice goes on)", client=True),
    # T11 profile
    FaultSpec("profile_edit_not_saved", "T11", "Profile edits answer 200 but are not stored"),
    FaultSpec("profile_phone_leak", "T11", "Another user's profile shows their phone number"),
    FaultSpec("profile_edit_others_allowed", "T11", "The server lets a user edit someone else's profile"),
    FaultSpec("follow_broken", "T11", "Follow answers 200 but no follow is stored"),
    FaultSpec("profile_name_wrong", "T11", "Profile pages show maya_builds' display name in place of the profile's own"),
    FaultSpec("profile_edit_button_on_others", "T11", "Another user's profile shows an Edit Profile button "
              "(the server still refuses the edit)"),
    FaultSpec("slow_profile_edit_form", "T11", "The profile's edit form opens VALUE ms after the click", "1600",
              client=True),
    FaultSpec("slow_profile_save", "T11", "Saving a profile edit (/api/profiles PATCH; the launched app's "
              "PostgREST PATCH of profiles) takes VALUE ms", "1600"),
    FaultSpec("profile_username_wrong", "T11", "Profile pages' @username line shows maya_builds' username in place "
              "of the profile's own (the display name is right)"),
    FaultSpec("profile_bio_truncated", "T11", "Profile pages show only the bio's first 20 characters and '…' (the "
              "stored bio and the edit form's are whole)"),
    FaultSpec("profile_edit_form_empty_bio", "T11", "The profile's edit form opens with an empty Bio field (the "
              "page shows the stored bio)"),
    FaultSpec("profile_bio_input_reverts", "T11", "The edit form's Bio field puts its text back on every input: "
              "typing changes nothing", client=True),
    FaultSpec("profile_others_name_wrong", "T11", "Another user's profile shows the viewer's own display name in "
              "place of theirs (the own profile is right)"),
    FaultSpec("profile_others_page_error", "T11", "Another user's profile page answers 500 (the own profile loads)"),
    # T12 error handling
    FaultSpec("soft_404", "T12", "Unknown pages answer 200 with a 'not found' page"),
    FaultSpec("not_found_no_links", "T12", "The 404 page offers no links to go anywhere"),
    FaultSpec("not_found_unclear", "T12", "The 404 page says only 'Oops! Something happened.'"),
    FaultSpec("not_found_link_broken", "T12", "The 404 page's first link leads to a page that does not exist"),
    FaultSpec("not_found_console_error", "T12", "The 404 page logs console.error on load", client=True),
    FaultSpec("sentry_not_reported", "T12", "Pages do not report errors to Sentry", client=True),
    FaultSpec("sentry_no_context", "T12", "Errors reach Sentry without the page they happened on (no request, "
              "no page tag)", client=True),
    FaultSpec("sentry_no_stacktrace", "T12", "Errors reach Sentry without their stack trace", client=True),
    FaultSpec("sentry_no_user", "T12", "Errors reach Sentry without the signed-in user (the launched app never "
              "sends one)", client=True),
    FaultSpec("form_validation_off", "T12", "Forms submit without client-side validation", client=True),
    FaultSpec("form_stays_refused", "T12", "A form that refused input refuses every later try, corrected or not",
              client=True),
    FaultSpec("form_error_hidden", "T12", "Forms refuse invalid input without showing a message", client=True),
    # Part C deployment verification
    FaultSpec("missing_header", "C", "Drop the response header VALUE (several: comma-separated)",
              "Strict-Transport-Security"),
    FaultSpec("header_value", "C", "The response header NAME answers a wrong value: VALUE is NAME:VALUE",
              "Strict-Transport-Security:max-age=0"),
    FaultSpec("health_degraded", "C", "/api/health reports service VALUE down", "database"),
    FaultSpec("health_status", "C", "/api/health answers HTTP VALUE with a plain-text error, no JSON", "500"),
    FaultSpec("health_missing_field", "C", "/api/health leaves out its field VALUE", "environment"),
    FaultSpec("wrong_version", "C", "/api/health reports version VALUE", "0.9.9"),
    FaultSpec("api_cached", "C", "API responses carry a public Cache-Control"),
    FaultSpec("static_not_cached", "C", "Static assets (scripts, stylesheets, images) answer Cache-Control: no-store"),
    FaultSpec("slow_api", "B", "Every /api/ response is delayed by VALUE ms", "1500"),
    FaultSpec("api_errors", "B", "VALUE percent of the /api/ calls (spread evenly; /api/health aside) answer HTTP 500",
              "50"),
)

BY_NAME = {s.name: s for s in SPECS}


class UnknownFault(ValueError):
    pass


class Faults:
    def __init__(self) -> None:
        self._active: dict[str, str] = {}

    def set(self, name: str, value: str | None = None) -> None:
        spec = BY_NAME.get(name)
        if spec is None:
            raise UnknownFault(f"unknown fault {name!r}; known: {', '.join(sorted(BY_NAME))}")
        value = spec.default if value in (None, "") else value
        if spec.choices and value not in spec.choices:
            raise UnknownFault(f"fault {name}={value}: its value is one of {', '.join(spec.choices)}")
        self._active[name] = value

    def clear(self, name: str | None = None) -> None:
        if name is None:
            self._active.clear()
        else:
            self._active.pop(name, None)

    def on(self, name: str) -> bool:
        return name in self._active

    def value(self, name: str) -> str | None:
        return self._active.get(name)

    def number(self, name: str) -> float:
        """The fault's value as a number, 0 when the fault is off."""
        v = self._active.get(name)
        return float(v) if v is not None else 0.0

    def active(self) -> dict[str, str]:
        return dict(self._active)

    def client_flags(self) -> dict[str, str]:
        return {k: v for k, v in self._active.items() if BY_NAME[k].client}


def parse_fault_arg(arg: str) -> tuple[str, str | None]:
    name, sep, value = arg.partition("=")
    return name.strip(), (value if sep else None)

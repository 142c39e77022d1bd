"""Each client-side room fault breaks exactly the behaviour it names, seen in real browsers.

One two-user room for the module; each test switches its fault on, reloads both pages
(client faults are read once on page load) and checks what the fault must break while
the rest still works. The autouse fixture in tests/conftest.py switches it off again.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.sandbox.room_harness import VIEWPORT, RoomUser, media_browser, two_user_room, wait_until  # noqa: F401

pytestmark = pytest.mark.browser

AUDIO_HEARD_JS = """async () => (await window.__roomProbe.inbound()).some((s) => s.kind === 'audio' && s.totalAudioEnergy > 0)"""
SCREEN_JS = """() => { const v = document.querySelector('[data-testid="screen-share-video"]');
                       return v.getVideoPlaybackQuality().totalVideoFrames > 3 ? v.videoHeight : 0; }"""


def with_fault(room, name: str, value: str | None = None) -> None:
    room.sandbox.set_fault(name, value)
    room.reopen()


def decoded(viewer: RoomUser) -> int:
    return sum(s["framesDecoded"] for s in viewer.inbound("video"))


def rates(viewer: RoomUser, seconds: float = 2.0) -> tuple[float, float]:
    """(kbps, fps) of inbound camera video over `seconds`."""
    [a] = viewer.inbound("video")
    time.sleep(seconds)
    [b] = viewer.inbound("video")
    dt = (b["timestamp"] - a["timestamp"]) / 1000
    return (b["bytesReceived"] - a["bytesReceived"]) * 8 / 1000 / dt, (b["framesDecoded"] - a["framesDecoded"]) / dt


def wait_for_remote_video(viewer: RoomUser, frames: int = 10) -> None:
    wait_until(viewer.page, f"async () => (await window.__roomProbe.inbound()).some((s) => s.framesDecoded > {frames})")


# --- T6 ------------------------------------------------------------------------------------


def test_participant_count_off_by_one_counts_one_more_than_are_listed(two_user_room):
    with_fault(two_user_room, "participant_count_off_by_one")
    for user in two_user_room.users:
        expect(user.find("participant-item")).to_have_count(2)
        expect(user.find("participant-count")).to_have_text("3")


def test_participants_by_reload_shows_a_newcomer_by_reloading_the_page(two_user_room):
    room = two_user_room
    room.sandbox.set_fault("participants_by_reload")
    host, guest = room.users
    r = host.context.request.post(f"{room.sandbox.url}/api/sessions", data={
        "title": "Reload room", "description": "Room test", "tags": ["testing"], "category": "Development"})
    sid = r.json()["id"]
    host.open_room(f"{room.sandbox.url}/session/{sid}")
    host.page.evaluate("window.__sameDocument = true")
    assert guest.context.request.post(f"{room.sandbox.url}/api/sessions/{sid}/join").ok
    guest.open_room(f"{room.sandbox.url}/session/{sid}")
    expect(host.find("participant-item", username="smoke_guest")).to_be_visible()
    assert host.page.evaluate("window.__sameDocument === undefined")  # the list came with a new page


# --- T7 ------------------------------------------------------------------------------------


def test_preview_not_playing_keeps_the_preview_still_but_sends_the_camera(two_user_room):
    with_fault(two_user_room, "preview_not_playing")
    host, guest = two_user_room.users
    wait_for_remote_video(guest)  # the host's camera still reaches the guest...
    assert host.find("local-video").evaluate("v => v.srcObject !== null && v.paused")  # ...but not its own preview
    expect(host.find("local-tile")).to_have_attribute("data-camera-state", "starting")


VIDEO_AFTER_CONNECT_JS = "() => { const ms = window.__roomProbe.videoAfterConnectMs(); return ms.length ? ms : null; }"


def test_slow_remote_video_starts_sending_the_camera_late(two_user_room):
    # Timed in the page (room_probe.js): seen from here, a busy machine showed the connection 0.5 s late.
    with_fault(two_user_room, "slow_remote_video", "2500")
    late_ms = wait_until(two_user_room.guest.page, VIDEO_AFTER_CONNECT_JS)
    assert min(late_ms) >= 2000, late_ms


def test_remote_video_paused_decodes_frames_but_never_plays_them(two_user_room):
    with_fault(two_user_room, "remote_video_paused")
    guest = two_user_room.guest
    wait_for_remote_video(guest)
    assert guest.find("remote-video").evaluate("v => v.paused")
    expect(guest.find("local-tile")).to_have_attribute("data-camera-state", "live")


def test_video_absent_sends_audio_but_no_video(two_user_room):
    with_fault(two_user_room, "video_absent")
    for user in two_user_room.users:
        expect(user.find("local-tile")).to_have_attribute("data-camera-state", "live")  # the preview still works
        wait_until(user.page, AUDIO_HEARD_JS)
    time.sleep(1)
    assert [decoded(u) for u in two_user_room.users] == [0, 0]


def test_video_frozen_stops_the_frames_after_the_first(two_user_room):
    with_fault(two_user_room, "video_frozen")
    guest = two_user_room.guest
    wait_for_remote_video(guest, 0)
    time.sleep(1.5)  # the freeze comes once the first frame is out (and the stragglers are in)
    before = decoded(guest)
    time.sleep(1)
    assert decoded(guest) == before > 0


def test_audio_one_way_only_the_host_is_heard(two_user_room):
    with_fault(two_user_room, "audio_one_way")
    host, guest = two_user_room.users
    wait_until(guest.page, AUDIO_HEARD_JS)
    wait_for_remote_video(host)  # the guest's video still arrives at the host...
    time.sleep(1)
    assert not host.page.evaluate(AUDIO_HEARD_JS)  # ...but not its voice


def test_low_framerate_caps_the_camera_frame_rate(two_user_room):
    with_fault(two_user_room, "low_framerate", "10")
    wait_for_remote_video(two_user_room.guest, 5)
    _, fps = rates(two_user_room.guest)
    # The cap is the point (the camera runs at 30 fps without it); a busy machine may decode
    # fewer than 10 a second, so the floor only says the video still flows.
    assert 0 < fps <= 12


def test_low_bitrate_caps_the_video_bitrate(two_user_room):
    with_fault(two_user_room, "low_bitrate", "150")
    wait_for_remote_video(two_user_room.guest)
    kbps, _ = rates(two_user_room.guest)
    assert 30 <= kbps <= 250


def test_slow_camera_delays_the_preview(two_user_room):
    two_user_room.sandbox.set_fault("slow_camera", "2500")
    host = two_user_room.host
    started = time.monotonic()
    host.open_room(two_user_room.url)
    expect(host.find("local-tile")).to_have_attribute("data-camera-state", "starting")
    expect(host.find("local-tile")).to_have_attribute("data-camera-state", "live", timeout=10_000)
    assert time.monotonic() - started >= 2.5


# --- T8 ------------------------------------------------------------------------------------


def share_from_host(room) -> None:
    room.host.find("share-screen-button").click()
    expect(room.guest.find("screen-share-indicator")).to_have_text("Screen Sharing Active")


def test_screen_not_forwarded_shows_the_screen_to_the_sharer_only(two_user_room):
    with_fault(two_user_room, "screen_not_forwarded")
    share_from_host(two_user_room)
    two_user_room.host.page.wait_for_function(SCREEN_JS)
    time.sleep(2)
    assert two_user_room.guest.page.evaluate(SCREEN_JS) == 0


def test_screen_low_res_captures_below_1080p(two_user_room):
    with_fault(two_user_room, "screen_low_res", "480")
    share_from_host(two_user_room)
    assert two_user_room.guest.page.wait_for_function(SCREEN_JS, timeout=10_000).json_value() == 480


def test_remote_tile_shows_own_camera_with_the_others_voice(two_user_room):
    with_fault(two_user_room, "remote_tile_shows_own_camera")
    guest = two_user_room.guest
    wait_until(guest.page, AUDIO_HEARD_JS)
    tracks = guest.page.evaluate("""() => {
        const remote = document.querySelector('[data-testid="remote-video"]').srcObject;
        const local = document.querySelector('[data-testid="local-video"]').srcObject;
        return [remote.getVideoTracks()[0].id === local.getVideoTracks()[0].id, remote.getAudioTracks().length]; }""")
    assert tracks == [True, 1]
    wait_for_remote_video(guest)  # the other's camera still arrives; it is just not what the tile shows


# --- T9 ------------------------------------------------------------------------------------


def test_chat_order_reversed_puts_new_messages_above_older_ones(two_user_room):
    with_fault(two_user_room, "chat_order_reversed")
    host, guest = two_user_room.users
    for text in ("order test one", "order test two"):
        host.find("chat-input").fill(text)
        host.find("chat-send").click()
        for user in two_user_room.users:
            expect(user.find("chat-text").filter(has_text=text)).to_have_count(1)
    for user in two_user_room.users:
        texts = user.find("chat-text").all_text_contents()
        assert texts.index("order test two") < texts.index("order test one")


def test_chat_panel_left_lays_the_chat_out_on_the_left(two_user_room):
    with_fault(two_user_room, "chat_panel_left")
    for user in two_user_room.users:
        expect(user.find("chat-panel")).to_be_visible()
        box = user.find("chat-panel").bounding_box()
        assert box["x"] + box["width"] < VIEWPORT["width"] / 2


# --- T10 -----------------------------------------------------------------------------------


def record_for(room, seconds: float) -> None:
    button = room.host.find("recording-button")
    button.click()
    expect(button).to_have_text("Stop Recording")
    expect(room.guest.find("recording-status").first).to_have_text("Recording")
    time.sleep(seconds)
    button.click()
    expect(button).to_have_text("Start Recording")


def test_recording_indicator_missing_hides_it_from_everyone_but_the_host(two_user_room):
    with_fault(two_user_room, "recording_indicator_missing")
    host, guest = two_user_room.users
    host.find("recording-button").click()
    expect(host.find("recording-indicator")).to_be_visible()
    expect(guest.find("recording-status").first).to_have_text("Recording")  # the guest's page knows...
    expect(guest.find("recording-indicator")).to_be_hidden()  # ...and shows nothing
    expect(guest.find("recording-notice")).to_be_hidden()
    host.find("recording-button").click()
    expect(host.find("recording-button")).to_have_text("Start Recording")


def test_recording_not_uploaded_ends_as_a_failed_empty_recording(two_user_room):
    with_fault(two_user_room, "recording_not_uploaded")
    record_for(two_user_room, 1.5)
    item = two_user_room.guest.find("recording-item").first
    expect(item.get_by_test_id("recording-status")).to_have_text("Failed", timeout=10_000)
    expect(item.get_by_test_id("recording-size")).to_have_attribute("data-bytes", "0")


def test_recording_button_labels_stay_put_under_their_faults(two_user_room):
    with_fault(two_user_room, "recording_stop_label_missing")
    host, guest = two_user_room.users
    button = host.find("recording-button")
    button.click()
    expect(guest.find("recording-indicator")).to_be_visible()  # it records...
    expect(button).to_have_text("Start Recording")  # ...saying Start
    button.click()
    expect(guest.find("recording-indicator")).to_be_hidden()  # and a click stops it
    two_user_room.sandbox.clear_faults()
    with_fault(two_user_room, "recording_start_label_missing")
    record_for_labelled(two_user_room)
    expect(host.find("recording-button")).to_have_text("Stop Recording")  # stopped, saying Stop
    expect(guest.find("recording-indicator")).to_be_hidden()


def record_for_labelled(room) -> None:
    """Start and stop with the button's own words, the stop label still right."""
    button = room.host.find("recording-button")
    button.click()
    expect(button).to_have_text("Stop Recording")
    expect(room.guest.find("recording-indicator")).to_be_visible()
    button.click()
    expect(room.guest.find("recording-indicator")).to_be_hidden()


def test_recording_indicator_lapses_on_the_hosts_page_while_it_records(two_user_room):
    # 2 s on show: Playwright polls up to a second apart, and a busy machine stretches that (500 ms
    # went by unseen in a CI run of f4051e6).
    with_fault(two_user_room, "recording_indicator_lapses", "2000")
    host, guest = two_user_room.users
    host.find("recording-button").click()
    expect(host.find("recording-indicator")).to_be_visible()
    expect(host.find("recording-indicator")).to_be_hidden()
    expect(host.find("recording-button")).to_have_text("Stop Recording")  # still recording
    expect(guest.find("recording-indicator")).to_be_visible()
    host.find("recording-button").click()
    expect(guest.find("recording-indicator")).to_be_hidden()


def test_recording_indicator_stays_for_the_others_and_stop_not_notified(two_user_room):
    two_user_room.sandbox.set_fault("recording_stop_not_notified")
    with_fault(two_user_room, "recording_indicator_stays")
    host, guest = two_user_room.users
    button = host.find("recording-button")
    button.click()
    # Both pages told of the start before the stop: a busy machine (local CI of 5206739) once let the
    # stop overtake the start's news on a page, which then had nothing to keep.
    for user in (host, guest):
        expect(user.find("room-notification")).to_have_text("This session is being recorded")
    button.click()
    expect(button).to_have_text("Start Recording")
    expect(host.find("recording-indicator")).to_be_hidden()
    expect(guest.find("recording-indicator")).to_be_visible()  # still, though it stopped
    expect(guest.find("recording-notice")).to_be_hidden()
    for user in (host, guest):  # one notification box: it still holds the start's words, no "Recording stopped"
        expect(user.find("room-notification")).to_have_text("This session is being recorded")


def test_recording_status_text_stuck_keeps_processing_while_the_data_says_completed(two_user_room):
    with_fault(two_user_room, "recording_status_text_stuck")
    host = two_user_room.host
    button = host.find("recording-button")
    button.click()
    expect(button).to_have_text("Stop Recording")
    button.click()
    status = host.find("recording-status").first
    expect(status).to_have_attribute("data-status", "completed")  # the server finished it...
    expect(status).to_have_text("Processing")  # ...and the list still says what it said after the stop


def test_recording_video_stops_sending_the_hosts_camera_but_not_the_voice(two_user_room):
    with_fault(two_user_room, "recording_video_stops")
    host, guest = two_user_room.users
    wait_for_remote_video(guest)
    host.find("recording-button").click()
    expect(host.find("recording-indicator")).to_be_visible()
    time.sleep(1.0)  # what was in flight arrives
    before = decoded(guest)
    time.sleep(1.5)
    assert decoded(guest) == before
    assert guest.page.evaluate(AUDIO_HEARD_JS)
    host.find("recording-button").click()


def test_chat_slow_ready_keeps_the_chat_unusable_for_a_while_after_connecting(two_user_room):
    # reopen() returns once the room is connected, which on a busy machine took longer than 1.5 s:
    # the delay is long enough that the chat is still connecting when the test first looks.
    with_fault(two_user_room, "chat_slow_ready", "6000")
    host = two_user_room.host
    expect(host.find("chat-form")).to_have_attribute("data-state", "connecting")
    expect(host.find("chat-send")).to_be_disabled()
    expect(host.find("chat-form")).to_have_attribute("data-state", "ready", timeout=10_000)
    expect(host.find("chat-send")).to_be_enabled()

"""The faults that act on the kulti-2025-11 room and /browse, each doing its one thing: the
checks of T6 (browse, join, tiles), T7 (the host's media reaching the guest) and T9 (chat)
that tests/suite/test_verdict_on_faults_kulti.py proves fail on them."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.sandbox.room_harness import media_browser, wait_until  # noqa: F401
from tests.sandbox.test_shape_kulti_room import (  # noqa: F401
    FRAMES_JS, GUEST, HOST, TILES, message_row, rest, room, send_chat, tile)

pytestmark = pytest.mark.browser

INBOUND_JS = "async () => await window.__roomProbe.inbound()"
VIDEO_FRAMES_JS = "async () => (await window.__roomProbe.inbound()).filter((s) => s.kind === 'video' && s.framesDecoded > 0)"


@pytest.fixture
def fault(kulti):
    """Switch a fault on for one test (cleared after it, tests/sandbox/conftest.py); page-script faults
    reach a page when it (re)loads."""
    yield kulti.set_fault


def enter(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_text("Joining session...")).to_be_hidden()


def host_alone(pages: dict, url: str) -> None:
    """The host in the room by itself. A guest still there from the test before would be in the
    host's first peer list, no newcomer: it leaves first."""
    pages[GUEST].goto("about:blank")
    enter(pages[HOST], url)
    expect(pages[HOST].locator(TILES)).to_have_count(1)


def both_enter(pages: dict, url: str) -> None:
    host_alone(pages, url)
    enter(pages[GUEST], url)  # the newcomer, as in T6


def host_video_on_guest(pages: dict):
    guest = pages[GUEST]
    video = tile(guest, HOST).locator("video")
    guest.wait_for_function(FRAMES_JS, arg=video.element_handle())
    return video


def test_video_frozen_leaves_the_guest_one_still_frame_of_the_host(room, fault):
    (pages, url), guest = room, room[0][GUEST]
    fault("video_frozen")
    both_enter(pages, url)
    host_video_on_guest(pages)  # the tile shows a picture
    # getStats is cached ~50 ms and a busy machine removes the track late: a few more frames may leave
    # before the sender sees the first out. What the fault must do: frames stop, within half a second.
    time.sleep(1.0)
    decoded = [s["framesDecoded"] for s in wait_until(guest, VIDEO_FRAMES_JS)]
    time.sleep(1.5)
    assert [s["framesDecoded"] for s in guest.evaluate(INBOUND_JS) if s["kind"] == "video"] == decoded
    assert decoded[0] <= 15, decoded


def test_audio_absent_sends_the_guest_the_hosts_camera_without_a_voice(room, fault):
    (pages, url), guest = room, room[0][GUEST]
    fault("audio_absent")
    both_enter(pages, url)
    host_video_on_guest(pages)
    time.sleep(1)
    assert [s for s in guest.evaluate(INBOUND_JS) if s["kind"] == "audio" and s["bytesReceived"] > 0] == []


def test_remote_tile_shows_own_camera_gives_the_viewer_its_own_camera_in_the_hosts_tile(room, fault):
    (pages, url), guest = room, room[0][GUEST]
    fault("remote_tile_shows_own_camera")
    both_enter(pages, url)
    video = host_video_on_guest(pages)
    # A capture device's track has a deviceId; a received one has none.
    assert video.evaluate("v => v.srcObject.getVideoTracks()[0].getSettings().deviceId")
    expect(tile(guest, f"{GUEST} (You)").locator("svg.lucide-user")).to_be_visible()  # still publishes nothing
    wait_until(guest, "async () => (await window.__roomProbe.inbound()).some((s) => s.kind === 'video' && s.framesDecoded > 0)")


def test_participants_not_live_leaves_the_host_without_the_newcomers_tile(room, fault):
    (pages, url), host = room, room[0][HOST]
    fault("participants_not_live")
    both_enter(pages, url)
    expect(pages[GUEST].locator(TILES)).to_have_count(2)  # the newcomer sees the room at once
    time.sleep(1.5)
    expect(host.locator(TILES)).to_have_count(1)
    expect(host.get_by_text(f"{GUEST} joined the session")).to_have_count(0)


def test_participant_update_delay_shows_the_newcomers_tile_late_and_the_media_still_flows(room, fault):
    (pages, url), host = room, room[0][HOST]
    fault("participant_update_delay", "1500")
    host_alone(pages, url)
    started = time.monotonic()
    enter(pages[GUEST], url)
    expect(pages[GUEST].locator(TILES)).to_have_count(2)
    expect(host.locator(TILES)).to_have_count(2, timeout=5000)
    assert time.monotonic() - started >= 1.4
    host_video_on_guest(pages)  # the newcomer's offer waited for the news, then connected


def test_participants_by_reload_reloads_the_hosts_page_for_a_newcomer(room, fault):
    (pages, url), host = room, room[0][HOST]
    fault("participants_by_reload")
    host_alone(pages, url)
    enter(pages[GUEST], url)  # a newcomer: the host's page reloads to show it
    host.wait_for_function("performance.getEntriesByType('navigation')[0].type === 'reload'")
    expect(host.locator(TILES)).to_have_count(2)
    time.sleep(1)
    assert host.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"  # once, not a loop
    expect(pages[GUEST].locator(TILES)).to_have_count(2)


def test_join_fails_answers_the_token_request_500_and_the_room_shows_the_error(room, fault):
    (pages, url), guest = room, room[0][GUEST]
    fault("join_fails")
    guest.goto(url)
    expect(guest.get_by_text("Failed to generate token").first).to_be_visible()
    expect(guest.get_by_role("button", name="Back to Dashboard")).to_be_visible()
    expect(tile(guest, f"{GUEST} (You)")).to_have_count(0)
    assert guest.url == url


def test_room_turns_guests_away_sends_the_guest_to_the_dashboard_and_keeps_the_host(room, fault):
    (pages, url), guest = room, room[0][GUEST]
    fault("room_turns_guests_away")
    guest.goto(url)
    expect(guest).to_have_url(url.rsplit("/s/", 1)[0] + "/dashboard")
    host = pages[HOST]
    host.goto(url)
    expect(host).to_have_url(url)


def token_request(page: Page, kulti, url: str):
    session = rest(kulti, "sessions", room_code="eq." + url.rsplit("/", 1)[1], select="id,hms_room_id")[0]
    started = time.monotonic()
    r = page.request.post(kulti.url + "/api/hms/get-token",
                          data={"roomId": session["hms_room_id"], "sessionId": session["id"]})
    return r, time.monotonic() - started


def test_slow_join_answers_the_token_request_late(room, kulti, fault):
    (pages, url), guest = room, room[0][GUEST]
    fault("slow_join", "1200")
    r, took = token_request(guest, kulti, url)
    assert r.ok and r.json()["role"] == "viewer" and took >= 1.2


def test_session_hidden_from_list_keeps_others_sessions_off_browse(room, kulti, fault):
    (pages, url), code = room, room[1].rsplit("/", 1)[1]
    fault("session_hidden_from_list")
    assert f'href="/s/{code}"' not in pages[GUEST].request.get(kulti.url + "/browse").text()
    assert f'href="/s/{code}"' in pages[HOST].request.get(kulti.url + "/browse").text()  # the host's own


def test_slow_page_delays_only_the_pages_under_its_path(kulti, fault):
    fault("slow_page", "1200@/browse")
    for path, slow in (("/browse", True), ("/login", False), ("/_kulti/static/kulti.css", False)):
        started = time.monotonic()
        httpx.get(kulti.url + path)
        assert (time.monotonic() - started >= 1.2) == slow, path


def test_chat_slow_ready_keeps_the_input_disabled_after_the_room_connects(room, fault):
    (pages, url), host = room, room[0][HOST]
    fault("chat_slow_ready", "1500")
    enter(host, url)
    box = host.get_by_placeholder("Type a message...")
    expect(box).to_be_disabled()
    expect(box).to_be_enabled(timeout=5000)


def test_chat_order_reversed_shows_the_newest_message_on_top(room, fault):
    (pages, url), host = room, room[0][HOST]
    fault("chat_order_reversed")
    both_enter(pages, url)
    send_chat(host, "reversed one")
    send_chat(host, "reversed two")
    for page in pages.values():
        expect(message_row(page, "reversed two")).to_have_count(1)
        texts = [t for t in page.locator("div:has(> p):has(> div > div > span + span) > p").all_inner_texts()
                 if t.startswith("reversed")]
        assert texts == ["reversed two", "reversed one"]


def test_chat_panel_left_lays_the_chat_column_out_on_the_left(room, fault):
    (pages, url), host = room, room[0][HOST]
    fault("chat_panel_left")
    enter(host, url)
    form = host.locator("form:has(input[placeholder='Type a message...'])")
    expect(form).to_be_visible()
    assert form.evaluate("f => f.getBoundingClientRect().right < window.innerWidth / 2")

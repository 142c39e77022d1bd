"""The T8 faults on the runbook room, each breaking the one thing it names: the cursor relay's
(over the WebSocket) and the share's page-script faults (two Chromium users in one room).
Without a fault the share starts, reaches the guest and stops with the call going on
(test_room_browser.py)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.sandbox.room_harness import media_browser, two_user_room, wait_until  # noqa: F401
from tests.sandbox.test_room_server_faults import QUIET_S, both  # noqa: F401

SCREEN_FRAMES_JS = """() => { const v = document.querySelector('[data-testid="screen-share-video"]');
                              return v.srcObject ? v.getVideoPlaybackQuality().totalVideoFrames : 0; }"""
VIDEO_DECODED_JS = ("async () => (await window.__roomProbe.inbound()).filter((s) => s.kind === 'video')"
                    ".map((s) => s.framesDecoded)")


# --- the cursor relay (server) ------------------------------------------------------------


def test_cursor_delay_relays_moves_late(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("cursor_delay", "800")
    h.send({"type": "share-start"})
    g.next("share")
    sent = time.monotonic()
    h.send({"type": "cursor", "x": 0.3, "y": 0.4, "seq": 1, "sent_at": 1})
    assert g.next("cursor", timeout=3)["x"] == 0.3
    assert time.monotonic() - sent >= 0.75


def test_cursor_mirrored_relays_x_as_its_mirror_image(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("cursor_mirrored")
    h.send({"type": "share-start"})
    g.next("share")
    h.send({"type": "cursor", "x": 0.25, "y": 0.4, "seq": 1, "sent_at": 1})
    moved = g.next("cursor")
    assert (moved["x"], moved["y"]) == (0.75, 0.4)


# --- the share in the page (client) -------------------------------------------------------

in_browser = pytest.mark.browser


def with_fault(room, name: str, value: str | None = None) -> None:
    room.sandbox.set_fault(name, value)
    room.reopen()


def share_and_see(room) -> None:
    room.host.find("share-screen-button").click()
    expect(room.guest.find("screen-share-indicator")).to_be_visible()
    wait_until(room.guest.page, SCREEN_FRAMES_JS)


def stop(room) -> None:
    room.host.find("share-screen-button").click()
    expect(room.host.find("screen-share-indicator")).to_be_hidden()


@in_browser
def test_slow_share_start_shows_the_share_late(two_user_room):
    with_fault(two_user_room, "slow_share_start", "1500")
    clicked = time.monotonic()
    two_user_room.host.find("share-screen-button").click()
    expect(two_user_room.host.find("screen-share-indicator")).to_be_visible()
    assert time.monotonic() - clicked >= 1.4
    wait_until(two_user_room.guest.page, SCREEN_FRAMES_JS)
    stop(two_user_room)


@in_browser
def test_screen_forward_delay_starts_the_share_at_once_and_sends_the_screen_late(two_user_room):
    # 5 s: the share shows well before the screen comes, even when a busy machine is slow to show it
    with_fault(two_user_room, "screen_forward_delay", "5000")
    two_user_room.host.find("share-screen-button").click()
    expect(two_user_room.guest.find("screen-share-indicator")).to_be_visible(timeout=4000)
    assert two_user_room.guest.page.evaluate(SCREEN_FRAMES_JS) == 0
    wait_until(two_user_room.guest.page, SCREEN_FRAMES_JS)
    stop(two_user_room)


@in_browser
def test_screen_forward_delay_holds_the_screen_from_a_viewer_who_joins_meanwhile_too(two_user_room):
    room = two_user_room
    with_fault(room, "screen_forward_delay", "6000")
    room.host.find("share-screen-button").click()
    expect(room.host.find("screen-share-indicator")).to_be_visible(timeout=4000)
    room.guest.page.reload()  # the guest joins the room again while the screen is held back
    expect(room.guest.find("screen-share-indicator")).to_be_visible(timeout=5000)
    assert room.guest.page.evaluate(SCREEN_FRAMES_JS) == 0
    wait_until(room.guest.page, SCREEN_FRAMES_JS)
    stop(room)


@in_browser
@pytest.mark.parametrize("which, element, text", [("button", "share-screen-button", "Stop"),
                                                  ("indicator", "screen-share-indicator", "Sharing")])
def test_share_texts_wrong_changes_one_text(two_user_room, which, element, text):
    with_fault(two_user_room, "share_texts_wrong", which)
    share_and_see(two_user_room)
    expect(two_user_room.host.find(element)).to_have_text(text)
    other = "screen-share-indicator" if which == "button" else "share-screen-button"
    right = "Screen Sharing Active" if which == "button" else "Stop Sharing"
    expect(two_user_room.host.find(other)).to_have_text(right)
    stop(two_user_room)


@in_browser
def test_share_indicator_stays_on_the_others_pages_after_the_share_ends(two_user_room):
    with_fault(two_user_room, "share_indicator_stays")
    share_and_see(two_user_room)
    stop(two_user_room)
    time.sleep(QUIET_S)
    expect(two_user_room.guest.find("screen-share-indicator")).to_be_visible()
    two_user_room.reopen()  # a reload shows the truth
    expect(two_user_room.guest.find("screen-share-indicator")).to_be_hidden()


@in_browser
def test_screen_keeps_flowing_after_every_page_says_the_share_ended(two_user_room):
    with_fault(two_user_room, "screen_keeps_flowing")
    share_and_see(two_user_room)
    stop(two_user_room)
    expect(two_user_room.guest.find("screen-share-indicator")).to_be_hidden()
    before = two_user_room.guest.page.evaluate(VIDEO_DECODED_JS)
    time.sleep(1)
    after = two_user_room.guest.page.evaluate(VIDEO_DECODED_JS)
    assert len(before) == 2 and all(b > a for a, b in zip(before, after))  # the camera and the screen
    two_user_room.reopen()


@in_browser
def test_share_stop_kills_camera_stops_the_sharers_camera_with_the_share(two_user_room):
    with_fault(two_user_room, "share_stop_kills_camera")
    share_and_see(two_user_room)
    stop(two_user_room)
    time.sleep(0.5)  # frames already on their way
    before = two_user_room.guest.page.evaluate(VIDEO_DECODED_JS)
    time.sleep(1)
    assert two_user_room.guest.page.evaluate(VIDEO_DECODED_JS) == before  # the host's camera, the only video left
    host_receives = two_user_room.host.page.evaluate(VIDEO_DECODED_JS)
    time.sleep(0.5)
    assert two_user_room.host.page.evaluate(VIDEO_DECODED_JS)[0] > host_receives[0]  # the guest's camera goes on
    two_user_room.reopen()

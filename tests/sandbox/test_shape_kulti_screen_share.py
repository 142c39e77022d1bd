"""Screen share in the kulti-2025-11 room (facts §8.3, §8.4): only the host has the icon-only share
button; while it shares, the main tile plays its screen (1920x1080) on both pages beside a strip of
camera tiles, and stopping brings the grid back with the camera still flowing. The T8 page-script
faults act here as on the runbook room."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.sandbox.room_harness import media_browser, wait_until  # noqa: F401
from tests.sandbox.test_shape_kulti_room import FRAMES_JS, GUEST, HOST, TILES, room  # noqa: F401
from tests.sandbox.test_shape_kulti_room_faults import both_enter, enter, fault  # noqa: F401

pytestmark = pytest.mark.browser

SHARE = "button:has(> svg.lucide-monitor)"
STOP = "button:has(> svg.lucide-monitor-off)"
SCREEN_TILE = "div.flex-1 > div:has(> video)"
VIDEO_DECODED_JS = ("async () => (await window.__roomProbe.inbound()).filter((s) => s.kind === 'video')"
                    ".map((s) => [s.framesDecoded, s.frameHeight])")
# The room socket as the page reaches it, for what the page's own buttons never send.
SEND_JS = """async (frame) => {
  const data = JSON.parse(document.getElementById('room-data').textContent);
  const r = await fetch('/api/hms/get-token', {method: 'POST', headers: {'Content-Type': 'application/json'},
                        body: JSON.stringify({roomId: data.hms_room_id, sessionId: data.session_id})});
  const token = encodeURIComponent((await r.json()).token);
  const ws = new WebSocket(`ws://${location.host}/_kulti/room-socket?token=${token}`);
  return await new Promise((resolve) => { ws.onmessage = (e) => { const m = JSON.parse(e.data);
    if (m.type === 'welcome') ws.send(JSON.stringify(frame));
    if (m.type === 'error') { ws.close(); resolve(m); } }; }); }"""


def screen_on(page: Page):
    video = page.locator(SCREEN_TILE).locator("video")
    expect(video).to_have_count(1)
    page.wait_for_function(FRAMES_JS, arg=video.element_handle())
    return video


def decoded(page: Page) -> list[list[int]]:
    return page.evaluate(VIDEO_DECODED_JS)


def test_the_host_shares_the_guest_sees_it_in_1080p_and_the_grid_returns_after(room):
    pages, url = room
    host, guest = pages[HOST], pages[GUEST]
    both_enter(pages, url)
    expect(guest.locator(f"{SHARE}, {STOP}")).to_have_count(0)  # host only
    host.locator(SHARE).click()
    expect(host.locator(STOP)).to_have_class("primary")
    for page in (host, guest):
        screen_on(page)
        expect(page.locator(SCREEN_TILE)).to_contain_text(HOST)
        expect(page.locator(SCREEN_TILE)).not_to_contain_text("(You)")
        expect(page.locator(TILES)).to_have_count(3)  # the screen, and both cameras in the strip
    assert [1080] == [h for _, h in wait_until(guest, f"async () => ({VIDEO_DECODED_JS})().then((v) => "
                                                      "v.some(([f, h]) => h === 1080) && v)") if h == 1080]
    guest.reload()  # someone arriving mid-share gets the screen too
    screen_on(guest)
    host.locator(STOP).click()
    for page in (host, guest):
        expect(page.locator(SCREEN_TILE)).to_have_count(0)
        expect(page.locator(TILES)).to_have_count(2)
    expect(host.locator(SHARE)).not_to_have_class("primary")
    before = decoded(guest)
    time.sleep(1)
    assert len(before) == 1 and decoded(guest)[0][0] > before[0][0]  # the host's camera goes on


def test_only_the_host_may_share_and_there_is_no_control_to_pass(room):
    pages, url = room
    both_enter(pages, url)
    assert pages[GUEST].evaluate(SEND_JS, {"type": "share-start"})["code"] == "not-allowed"
    assert pages[GUEST].evaluate(SEND_JS, {"type": "control-pass", "to": "smoke_host"})["code"] == "unknown-type"


def share(pages: dict) -> None:
    pages[HOST].locator(SHARE).click()
    expect(pages[HOST].locator(STOP)).to_be_visible()


def stop(pages: dict) -> None:
    pages[HOST].locator(STOP).click()
    expect(pages[HOST].locator(SCREEN_TILE)).to_have_count(0)


def test_screen_not_forwarded_and_screen_low_res(room, kulti, fault):
    pages, url = room
    fault("screen_not_forwarded")
    both_enter(pages, url)
    share(pages)
    screen_on(pages[HOST])
    time.sleep(1.5)
    expect(pages[GUEST].locator(SCREEN_TILE)).to_have_count(0)
    stop(pages)
    kulti.clear_faults()  # off again
    fault("screen_low_res", "480")
    both_enter(pages, url)
    share(pages)
    screen_on(pages[GUEST])
    assert wait_until(pages[GUEST], f"async () => ({VIDEO_DECODED_JS})().then((v) => v.some(([f, h]) => h === 480))")
    stop(pages)


def test_share_indicator_stays_keeps_the_screen_tile_on_the_guests_page(room, fault):
    pages, url = room
    fault("share_indicator_stays")
    both_enter(pages, url)
    share(pages)
    screen_on(pages[GUEST])
    stop(pages)
    time.sleep(0.5)
    expect(pages[GUEST].locator(SCREEN_TILE)).to_have_count(1)


def test_screen_keeps_flowing_after_both_pages_say_the_share_ended(room, fault):
    pages, url = room
    fault("screen_keeps_flowing")
    both_enter(pages, url)
    share(pages)
    screen_on(pages[GUEST])
    stop(pages)
    expect(pages[GUEST].locator(SCREEN_TILE)).to_have_count(0)
    before = decoded(pages[GUEST])
    time.sleep(1)
    assert len(before) == 2 and all(b[0] > a[0] for a, b in zip(before, decoded(pages[GUEST])))


def test_share_stop_kills_camera_stops_the_hosts_camera_with_the_share(room, fault):
    pages, url = room
    fault("share_stop_kills_camera")
    both_enter(pages, url)
    share(pages)
    screen_on(pages[GUEST])
    stop(pages)
    time.sleep(0.5)  # frames already on their way
    before = decoded(pages[GUEST])
    time.sleep(1)
    assert len(before) == 1 and decoded(pages[GUEST]) == before
    enter(pages[HOST], url)  # a fresh camera for whatever comes next

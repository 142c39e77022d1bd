"""The kulti-2025-11 room at /s/{room_code} with two Chromium users: joining (T6), video
(T7) and chat (T9) on the launched app's surface, where the guest is a 100ms viewer that
publishes nothing. Selectors are the ones SHAPE-kulti-2025-11.md gives (no data-testid)."""

from __future__ import annotations

import base64
import json
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from fixtures.sandbox_process import SandboxProcess
from tests.sandbox.kulti_client import latest_otp
from tests.sandbox.room_harness import PROBE, VIEWPORT, media_browser, wait_until  # noqa: F401

pytestmark = pytest.mark.browser

HOST_PHONE, GUEST_PHONE = "+15555550100", "+15555550101"
HOST, GUEST = "Smoke Host", "Smoke Guest"
COOKIE = "sb-127-auth-token"
LOCAL_TIME = re.compile(r"^\d{1,2}:\d{2}[\s\u202f][AP]M$")  # toLocaleTimeString('en-US', h:mm)
# A tile holds a <video>, or the user-icon placeholder two levels down (video-tile.tsx).
TILES = "div:has(> video), div:has(> div > div > svg.lucide-user)"
MESSAGE_ROWS = "div:has(> p):has(> div > div > span + span)"
FRAMES_JS = "v => v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0"
# Every toast a page shows, kept: a toast lives 4 s, and a busy machine took longer than that to show the
# guest the host's video, so the host's "joined" toast had come and gone before it was looked for.
TOASTS_JS = """() => { window.__toasts = [];
  new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => {
    if (n.classList && n.classList.contains('toast')) window.__toasts.push(n.textContent); })))
    .observe(document.body, { childList: true, subtree: true }); }"""
# The browser's own clock now and a minute ago, formatted as the chat formats created_at.
BROWSER_CLOCK_JS = """() => [0, 60000].map((ago) => new Date(Date.now() - ago)
                                 .toLocaleTimeString('en-US', {hour: 'numeric', minute: '2-digit'}))"""
AUDIO_ARRIVES_JS = "async () => (await window.__roomProbe.inbound()).some((s) => s.kind === 'audio' && s.bytesReceived > 0)"


def sign_in(context, sandbox: SandboxProcess, phone: str) -> None:
    """GoTrue phone OTP from inside the context, then the session cookie as @supabase/ssr sets it."""
    auth = sandbox.env["SUPABASE_URL"] + "/auth/v1"
    headers = {"apikey": sandbox.env["SUPABASE_ANON_KEY"]}
    assert context.request.post(auth + "/otp", data={"phone": phone}, headers=headers).ok
    r = context.request.post(auth + "/verify", headers=headers,
                             data={"type": "sms", "phone": phone, "token": latest_otp(sandbox, phone)})
    assert r.ok, r.text()
    value = "base64-" + base64.urlsafe_b64encode(json.dumps(r.json()).encode()).decode().rstrip("=")
    assert len(value) <= 3180, "the cookie would be chunked"
    context.add_cookies([{"name": COOKIE, "value": value, "url": sandbox.url}])


def tile(page: Page, label: str):
    return page.locator(TILES).filter(has=page.get_by_text(label, exact=True))


def message_row(page: Page, text: str):
    return page.locator(MESSAGE_ROWS).filter(has_text=text)


def rest(sandbox: SandboxProcess, table: str, **params) -> list[dict]:
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.get(sandbox.env["SUPABASE_URL"] + "/rest/v1/" + table, params=params,
                  headers={"apikey": key, "Authorization": "Bearer " + key})
    r.raise_for_status()
    return r.json()


def send_chat(page: Page, text: str) -> None:
    box = page.get_by_placeholder("Type a message...")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")  # cleared once the server stored it (the insert returned)


@pytest.fixture(scope="module")
def room(media_browser, kulti):
    pages = {}
    for who, phone in ((HOST, HOST_PHONE), (GUEST, GUEST_PHONE)):
        context = media_browser.new_context(viewport=VIEWPORT, permissions=["camera", "microphone"])
        context.add_init_script(path=str(PROBE))
        sign_in(context, kulti, phone)
        pages[who] = context.new_page()
    host = pages[HOST]
    host.goto(kulti.url + "/dashboard")
    host.get_by_role("button", name="Create a new session").first.click()
    dialog = host.get_by_role("dialog", name="Create Session")
    dialog.get_by_label("Title *").fill("Kulti room test")
    dialog.get_by_role("button", name="Create new session").click()
    expect(host).to_have_url(re.compile(r"/s/[A-Z]+-[A-Z0-9]{4}$"))
    yield pages, host.url
    for page in pages.values():
        page.context.close()


def test_host_and_viewer_join_see_each_other_and_the_active_room_lists_both(room, kulti):
    (pages, url), host = room, room[0][HOST]
    expect(host.get_by_text("Joining session...")).to_be_hidden()
    own = tile(host, f"{HOST} (You)")
    expect(own.get_by_text("HOST", exact=True)).to_be_visible()
    expect(own.locator("video[muted]")).to_have_count(1)
    host.wait_for_function(FRAMES_JS, arg=own.locator("video").element_handle())

    host.evaluate(TOASTS_JS)
    guest = pages[GUEST]
    guest.goto(url)
    expect(guest.get_by_role("heading", name="Kulti room test")).to_be_visible()
    expect(guest.get_by_text(f"Hosted by {HOST}")).to_be_visible()
    expect(tile(guest, f"{GUEST} (You)").locator("svg.lucide-user")).to_be_visible()  # a viewer publishes nothing
    host_video = tile(guest, HOST).locator("video")
    expect(host_video).to_have_count(1)
    expect(host_video).not_to_have_attribute("muted", re.compile(".*"))
    guest.wait_for_function(FRAMES_JS, arg=host_video.element_handle())

    expect(tile(host, GUEST).locator("svg.lucide-user")).to_be_visible()
    host.wait_for_function("text => window.__toasts.includes(text)", arg=f"{GUEST} joined the session")
    for page in pages.values():
        expect(page.locator(TILES)).to_have_count(2)

    session = rest(kulti, "sessions", room_code="eq." + url.rsplit("/", 1)[1], select="id,hms_room_id")[0]
    roles = {r["role"] for r in rest(kulti, "session_participants", session_id="eq." + session["id"], select="role")}
    assert roles == {"host", "viewer"}
    token = kulti.env["HMS_MANAGEMENT_TOKEN"]
    peers = httpx.get(kulti.env["HMS_API_URL"] + f"/active-rooms/{session['hms_room_id']}/peers",
                      headers={"Authorization": "Bearer " + token}).json()["peers"]
    assert sorted((p["name"], p["role"]) for p in peers.values()) == [(GUEST, "viewer"), (HOST, "host")]


def test_chat_message_reaches_both_pages_and_is_stored(room, kulti):
    pages, url = room
    send_chat(pages[GUEST], "hello from the guest")
    for page in pages.values():
        row = message_row(page, "hello from the guest")
        expect(row).to_have_count(1)
        expect(row.locator("span").nth(0)).to_have_text(GUEST)
        expect(row.locator("span").nth(1)).to_have_text(LOCAL_TIME)
        assert row.locator("span").nth(1).inner_text() in page.evaluate(BROWSER_CLOCK_JS)
    stored = rest(kulti, "messages", content="eq.hello from the guest", select="content,type,created_at,user_id")
    assert len(stored) == 1 and stored[0]["type"] == "text"


def test_senders_own_message_waits_for_the_server_notification(room, kulti):
    """chat_delay holds back the change notification: the sender's page shows nothing yet
    although the message is stored, because it never adds its own message locally."""
    pages, _ = room
    kulti.set_fault("chat_delay", "1500")
    send_chat(pages[GUEST], "late for everyone")
    assert rest(kulti, "messages", content="eq.late for everyone", select="id")
    for page in pages.values():
        expect(message_row(page, "late for everyone")).to_have_count(0)
    for page in pages.values():
        expect(message_row(page, "late for everyone")).to_have_count(1)


def test_chat_not_stored_fault_shows_the_message_but_stores_nothing(room, kulti):
    pages, _ = room
    kulti.set_fault("chat_not_stored")
    send_chat(pages[HOST], "never stored")
    expect(message_row(pages[GUEST], "never stored")).to_have_count(1)
    assert rest(kulti, "messages", content="eq.never stored", select="id") == []


def test_chat_stored_twice_and_reordered_change_the_stored_rows_only(room, kulti):
    pages, _ = room
    kulti.set_fault("chat_stored_twice")
    send_chat(pages[HOST], "stored twice")
    expect(message_row(pages[GUEST], "stored twice")).to_have_count(1)
    assert len(rest(kulti, "messages", content="eq.stored twice", select="id")) == 2
    kulti.clear_faults()
    kulti.set_fault("chat_stored_reordered")
    for text in ("reordered 0", "reordered 1"):
        send_chat(pages[HOST], text)
        expect(message_row(pages[GUEST], text)).to_have_count(1)
    rows = rest(kulti, "messages", content="like.reordered*", select="content", order="created_at.asc")
    assert [r["content"] for r in rows] == ["reordered 1", "reordered 0"]


def test_video_absent_fault_leaves_the_host_tile_without_video(room, kulti):
    pages, url = room
    kulti.set_fault("video_absent")
    for page in (pages[HOST], pages[GUEST]):  # page-script faults reach a page when it loads
        page.goto(url)
        expect(page.get_by_text("Joining session...")).to_be_hidden()
    guest = pages[GUEST]
    wait_until(guest, AUDIO_ARRIVES_JS)  # the host's link is up: video would have come with it
    expect(guest.locator(TILES)).to_have_count(2)
    expect(tile(guest, HOST).locator("svg.lucide-user")).to_be_visible()
    expect(tile(guest, HOST).locator("video")).to_have_count(0)

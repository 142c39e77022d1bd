"""The kulti-2025-11 dashboard in Chromium: a spinner until the browser has fetched "Live Now" from
PostgREST with supabase-js's request (docs/apps/kulti-2025-11.md §6.2), then one card per live
public session, start times in the browser's time zone, the empty state when there is none."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import jwt
import pytest
from playwright.sync_api import expect

from tests.sandbox.test_shape_kulti_browser import log_in

pytestmark = pytest.mark.browser
ZONE = "Asia/Kolkata"  # +05:30: a card printed in UTC (or the server's zone) shows other minutes
LIVE_NOW_QUERY = ("/rest/v1/sessions?select=*%2Chost%3Aprofiles%21host_id%28*%29"
                  "%2Cparticipants%3Asession_participants%28count%29"
                  "&status=eq.live&is_public=eq.true&order=started_at.desc")
HOST_PHONE = "+15555550100"  # smoke_host


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": ZONE}


def rest(sandbox, method: str, table: str, **kw) -> httpx.Response:
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.request(method, sandbox.env["SUPABASE_URL"] + "/rest/v1/" + table, **kw,
                      headers={"apikey": key, "Authorization": "Bearer " + key, "Prefer": "return=representation"})
    r.raise_for_status()
    return r


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def local_time(iso: str) -> str:
    """formatTime's en-US "h:mm AM" in the browser's zone."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(ZoneInfo(ZONE)).strftime("%-I:%M %p")


def add_sessions(sandbox, host_username: str, *rows: dict) -> None:
    host = rest(sandbox, "GET", "profiles", params={"username": f"eq.{host_username}", "select": "id"}).json()[0]
    base = {"host_id": host["id"], "hms_room_id": "hms", "max_presenters": 4, "started_at": datetime.now().astimezone().isoformat()}
    rest(sandbox, "POST", "sessions", json=[{**base, **row} for row in rows])


def test_live_now_is_fetched_in_the_browser_with_supabase_js_request(kulti, page):
    log_in(page, kulti, HOST_PHONE)
    with page.expect_request(lambda r: "/rest/v1/sessions" in r.url) as asked:
        page.goto(kulti.url + "/dashboard")
    expect(page.get_by_role("heading", name="Live Now")).to_be_visible()
    request = asked.value
    assert request.url == kulti.env["SUPABASE_URL"] + LIVE_NOW_QUERY
    assert claims(request.headers["apikey"])["role"] == "anon"  # the sandbox mints its keys per page
    user = claims(request.headers["authorization"].removeprefix("Bearer "))
    assert (user["role"], user["phone"]) == ("authenticated", HOST_PHONE.lstrip("+"))
    timing = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)"
                           ".filter(n => n.includes('/rest/v1/sessions'))")
    assert timing == [kulti.env["SUPABASE_URL"] + LIVE_NOW_QUERY]


def test_only_a_spinner_until_the_list_arrives(kulti, page):
    log_in(page, kulti, HOST_PHONE)
    held = []
    page.route("**/rest/v1/sessions?*", lambda route: held.append(route))  # hold the Live Now request
    with page.expect_request(lambda r: "/rest/v1/sessions" in r.url):
        page.goto(kulti.url + "/dashboard")
    expect(page.locator(".spinner")).to_be_visible()
    expect(page.locator("main")).to_have_text("", use_inner_text=True)  # no text, no heading
    expect(page.get_by_role("heading", name="Dashboard")).to_be_hidden()
    held[0].continue_()
    expect(page.get_by_role("heading", name="Live Now")).to_be_visible()
    expect(page.locator(".spinner")).to_have_count(0)


def test_cards_are_the_live_public_sessions_newest_first_in_local_time(kulti, page):
    add_sessions(kulti, "maya_builds", {"room_code": "SYNC-PRV1", "title": "Private jam", "status": "live", "is_public": False},
                 {"room_code": "SYNC-END1", "title": "Finished jam", "status": "ended", "is_public": True})
    log_in(page, kulti, HOST_PHONE)
    created = page.request.post(kulti.url + "/api/sessions/create", data={
        "title": "Dashboard smoke", "description": "", "isPublic": True, "maxPresenters": 4, "enableOBS": False}).json()
    page.goto(kulti.url + "/dashboard")
    expect(page.get_by_role("heading", name="Live Now")).to_be_visible()

    rows = rest(kulti, "GET", "sessions", params={"status": "eq.live", "is_public": "eq.true", "order": "started_at.desc",
                                                  "select": "title,room_code,started_at,host:profiles!host_id(username)"}).json()
    cards = page.locator(".session-card")
    expect(cards).to_have_count(len(rows))
    assert [r["title"] for r in rows][:1] == ["Dashboard smoke"] and "Open build night" in [r["title"] for r in rows]
    for card, row in zip(cards.all(), rows):
        expect(card.get_by_role("heading", level=3)).to_have_text(row["title"])
        mine = row["host"]["username"] == "smoke_host"
        link = card.get_by_role("link", name="Enter Session" if mine else "Join Session")
        expect(link).to_have_attribute("href", "/s/" + row["room_code"])
        times = [t.replace("\u202f", " ") for t in card.locator(".meta span").all_inner_texts()]
        assert local_time(row["started_at"]) in times
    new_card = cards.filter(has=page.get_by_role("heading", name="Dashboard smoke"))
    expect(new_card.get_by_text("1 viewer", exact=True)).to_be_visible()  # the host's participant row
    expect(new_card.get_by_text("Smoke Host")).to_be_visible()
    assert created["roomCode"] == rows[0]["room_code"]
    for absent in ("Private jam", "Finished jam"):
        expect(page.get_by_role("heading", name=absent)).to_have_count(0)


def test_no_live_session_shows_the_empty_state(start_sandbox, page):
    sandbox = start_sandbox("--shape", "kulti-2025-11", "--otp-cooldown", "0")
    rest(sandbox, "PATCH", "sessions", params={"status": "eq.live"}, json={"status": "ended"})
    log_in(page, sandbox, HOST_PHONE)
    empty = page.get_by_role("status", name="No live sessions")
    expect(empty).to_be_visible()
    expect(empty.get_by_text("No live sessions right now. Be the first to start one!")).to_be_visible()
    expect(page.get_by_role("button", name="Create a new session")).to_have_count(2)
    expect(page.locator(".session-card")).to_have_count(0)

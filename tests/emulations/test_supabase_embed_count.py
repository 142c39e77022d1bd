"""PostgREST's embedding with a `!hint` and the legacy `rel(count)`, asked by the official supabase
client as a signed-in user (role `authenticated`), the way the launched Kulti's dashboard asks for
"Live Now" (docs/apps/kulti-2025-11.md §6.2). Runs on the kulti-2025-11 shape, whose tables the
query names."""

from __future__ import annotations

import httpx
import pytest

from fixtures.sandbox_process import SandboxProcess
from tests.emulations.supabase_auth_client import HOST, Auth

LIVE_NOW = "*, host:profiles!host_id(*), participants:session_participants(count)"


@pytest.fixture(scope="module")
def kulti():
    proc = SandboxProcess(args=("--shape", "kulti-2025-11", "--otp-cooldown", "0")).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def signed_in(kulti) -> Auth:
    auth = Auth(kulti)
    auth.sign_in(HOST)
    return auth


def service(kulti, method: str, table: str, **kw) -> httpx.Response:
    key = kulti.env["SUPABASE_SERVICE_ROLE_KEY"]
    return httpx.request(method, f"{kulti.env['SUPABASE_URL']}/rest/v1/{table}",
                         headers={"apikey": key, "Authorization": f"Bearer {key}", "Prefer": "return=representation"},
                         **kw)


def live_now(auth: Auth):
    return (auth.client.table("sessions").select(LIVE_NOW).eq("status", "live").eq("is_public", True)
            .order("started_at", desc=True).execute())


def test_live_now_embeds_the_host_and_counts_participants(kulti, signed_in):
    maya = service(kulti, "GET", "profiles", params={"username": "eq.maya_builds", "select": "id"}).json()[0]["id"]
    guest = service(kulti, "GET", "profiles", params={"username": "eq.smoke_guest", "select": "id"}).json()[0]["id"]
    seeded = service(kulti, "GET", "sessions", params={"host_id": f"eq.{maya}", "select": "id"}).json()[0]["id"]
    service(kulti, "POST", "session_participants", json=[
        {"session_id": seeded, "user_id": maya, "role": "host"},
        {"session_id": seeded, "user_id": guest, "role": "viewer"}]).raise_for_status()

    rows = live_now(signed_in).data
    row = next(r for r in rows if r["id"] == seeded)
    assert row["host"]["username"] == "maya_builds" and row["host"]["display_name"] == "Maya Chen"
    assert row["participants"] == [{"count": 2}]
    assert {"room_code", "title", "started_at", "is_public"} <= set(row)


def test_no_participants_count_zero_and_the_filters_and_order_hold(kulti, signed_in):
    maya = service(kulti, "GET", "profiles", params={"username": "eq.maya_builds", "select": "id"}).json()[0]["id"]
    base = {"host_id": maya, "hms_room_id": "r", "max_presenters": 4, "started_at": "2099-01-01T10:00:00Z"}
    made = service(kulti, "POST", "sessions", json=[
        {**base, "room_code": "SHIP-NEW1", "title": "Newest", "status": "live", "is_public": True},
        {**base, "room_code": "SHIP-PRV1", "title": "Private", "status": "live", "is_public": False},
        {**base, "room_code": "SHIP-END1", "title": "Ended", "status": "ended", "is_public": True}])
    made.raise_for_status()

    rows = live_now(signed_in).data
    assert rows[0]["title"] == "Newest" and rows[0]["participants"] == [{"count": 0}]
    assert {r["title"] for r in rows}.isdisjoint({"Private", "Ended"})
    assert [r["started_at"] for r in rows] == sorted((r["started_at"] for r in rows), reverse=True)


def test_the_request_is_the_one_supabase_js_sends(kulti, signed_in):
    token = signed_in.client.auth.get_session().access_token
    r = httpx.get(f"{kulti.env['SUPABASE_URL']}/rest/v1/sessions"
                  "?select=*%2Chost%3Aprofiles%21host_id%28*%29%2Cparticipants%3Asession_participants%28count%29"
                  "&status=eq.live&is_public=eq.true&order=started_at.desc",
                  headers={"apikey": kulti.env["SUPABASE_ANON_KEY"], "Authorization": f"Bearer {token}",
                           "Accept-Profile": "public"})
    assert r.status_code == 200 and r.json() and all("count" in s["participants"][0] for s in r.json())


def test_count_with_parentheses_is_an_aggregate_and_refused(signed_in):
    r = httpx.get(f"{signed_in.url}/rest/v1/sessions", params={"select": "id,session_participants(count())"},
                  headers={"apikey": signed_in.anon, "Authorization": f"Bearer {signed_in.anon}"})
    assert r.status_code == 400 and r.json()["code"] == "PGRST123"  # db-aggregates-enabled is off on Supabase


def test_embedded_filters_narrow_the_count(signed_in):
    rows = (signed_in.client.table("sessions").select("id, session_participants(count)")
            .eq("session_participants.role", "host").execute().data)
    assert all(r["session_participants"][0]["count"] <= 1 for r in rows)

"""100ms sessions as the running sandbox makes them: the room's first WebSocket peer starts a
session, the last one out ends it, and the next join starts a new one with a new id (the real
room hub, kulti/room_hub.py, driving emulations/hms_sessions.py), read back over HTTP."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from kulti_sandbox.emulations.hms_wire import to_ns
from tests.sandbox.kulti_client import create_session, sign_in
from tests.sandbox.room_harness import HOST_PHONE, room_socket

NANO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}Z$")
LEAVE_WAIT_S = 5.0  # the server notices a closed socket on its next read
POLL_S = 0.05


@pytest.fixture(scope="module")
def host(sandbox) -> httpx.Client:
    return sign_in(sandbox, HOST_PHONE)


@pytest.fixture(scope="module")
def api(sandbox):
    with httpx.Client(base_url=sandbox.env["HMS_API_URL"],
                      headers={"Authorization": f"Bearer {sandbox.env['HMS_MANAGEMENT_TOKEN']}"}) as http:
        yield http


def hms_room_id(sandbox, session_id: str) -> str:
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.get(f"{sandbox.env['SUPABASE_URL']}/rest/v1/sessions", params={"id": f"eq.{session_id}",
                                                                             "select": "hms_room_id"},
                  headers={"apikey": key, "Authorization": f"Bearer {key}"})
    return r.json()[0]["hms_room_id"]


def live_session(sandbox, host, session_id: str, api) -> tuple[dict, dict]:
    """Enter the room as the host; (the active room's session, the peer), read while inside."""
    room = hms_room_id(sandbox, session_id)
    with room_socket(sandbox, host, session_id) as ws:
        ws.next("welcome")
        active = api.get(f"/active-rooms/{room}").json()
        [peer] = api.get(f"/active-rooms/{room}/peers").json()["peers"].values()
    deadline = time.monotonic() + LEAVE_WAIT_S
    while api.get(f"/active-rooms/{room}").status_code != 404:  # the room empties: its session ends
        assert time.monotonic() < deadline, "the room stayed active after its last peer left"
        time.sleep(POLL_S)
    return active["session"], peer


def test_a_rooms_second_session_gets_a_new_id(sandbox, host, api):
    session = create_session(host, "Two sessions")
    first, peer = live_session(sandbox, host, session["id"], api)
    second, _ = live_session(sandbox, host, session["id"], api)
    assert re.fullmatch(r"[0-9a-f]{24}", first["id"]) and first["id"] != second["id"]
    assert NANO_TIME.match(first["created_at"]) and NANO_TIME.match(peer["joined_at"])
    assert first["created_at"] == peer["joined_at"]  # the first peer's join starts the session
    assert to_ns(first["created_at"]) < to_ns(second["created_at"])

"""The 100ms server API emulation: auth errors, recording objects and paging, active rooms.

100ms has no official Python client, so these tests speak HTTP as its REST docs describe it
(httpx, and Starlette's TestClient in process). Recording rows are written by the Kulti
recording API, so the row -> 100ms shape mapping is tested directly on a temporary database,
and through an in-process app that mounts only the 100ms routes (where the app secrets are
known, so expired, wrong-type and other-workspace tokens can be signed). The running `sandbox`
covers what is reachable with the suite's own settings.
"""

from __future__ import annotations

import re
import secrets
import time
import warnings

import httpx
import jwt
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from kulti_sandbox import seed
from kulti_sandbox.config import SandboxConfig
from kulti_sandbox.db import Database, new_id
from kulti_sandbox.emulations import hms, hms_sessions
from kulti_sandbox.faults import Faults
from kulti_sandbox.state import Sandbox

with warnings.catch_warnings():  # starlette 1.x nags about httpx; the client still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

HEX24 = re.compile(r"^[0-9a-f]{24}$")
GO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
MS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$")
LIST_FIELDS = {"id", "room_id", "session_id", "status", "created_at", "started_at", "updated_at",
               "stopped_at", "meeting_url", "started_by", "stopped_by", "asset_types"}
ASSET_FIELDS = {"id", "job_id", "room_id", "session_id", "type", "path", "status", "size", "duration",
                "created_at", "thumbnails", "metadata"}


# ---- helpers ------------------------------------------------------------------------------

def add_recording(db: Database, session_id: str, status: str, created_at: str, **extra) -> str:
    host = db.query_one("SELECT host_id FROM sessions WHERE id = ?", (session_id,))["host_id"]
    rec_id = secrets.token_hex(12)
    row = {"id": new_id(), "session_id": session_id, "hms_recording_id": rec_id, "started_by": host,
           "status": status, "started_at": created_at, "created_at": created_at, "updated_at": created_at}
    db.insert("recordings", row | extra)
    return rec_id


def token(creds, secret: str | None = None, **overrides) -> str:
    now = int(time.time())
    claims = {"access_key": creds.hms_access_key, "type": "management", "version": 2,
              "jti": secrets.token_hex(8), "iat": now, "nbf": now, "exp": now + 600} | overrides
    return jwt.encode(claims, secret or creds.hms_app_secret, algorithm="HS256")


class FakeHub:
    """The room hub's presence interface, with peers joined and let go by the test; like the
    real hub (kulti/room_hub.py), the first peer in starts a 100ms session, the last out ends it."""

    def __init__(self, db):
        self.db = db
        self.rooms: dict[str, list[dict]] = {}

    def join(self, room_id: str, peer_id: str, joined_at: str, **fields) -> None:
        if not self.rooms.get(room_id):
            hms_sessions.begin(self.db, room_id, joined_at)
        self.rooms.setdefault(room_id, []).append({"peer_id": peer_id, "joined_at": joined_at, **fields})

    def leave(self, room_id: str, peer_id: str, at: str) -> None:
        self.rooms[room_id] = [p for p in self.rooms[room_id] if p["peer_id"] != peer_id]
        if not self.rooms[room_id]:
            hms_sessions.end(self.db, room_id, at)

    def peers(self, room_id):
        return self.rooms.get(room_id, [])


@pytest.fixture
def sb(tmp_path) -> Sandbox:
    db = Database(tmp_path / "kulti.sqlite3")
    seed.seed(db)
    box = Sandbox(config=SandboxConfig(), db=db, faults=Faults(), recordings_dir=tmp_path, hub=FakeHub(db))
    yield box
    db.close()


def shaped(sb, with_assets: bool) -> dict:
    row = hms.recording_rows(sb.db)[0]
    return hms.recording_object(row, with_assets=with_assets, session_id=hms.session_of(sb.db, row))


@pytest.fixture
def rooms(sb) -> list[dict]:
    return sb.db.query("SELECT id, hms_room_id FROM sessions ORDER BY title")


@pytest.fixture
def client(sb) -> TestClient:
    app = Starlette(routes=[Mount("/hms", routes=hms.routes)])
    app.state.sandbox = sb
    c = TestClient(app)
    c.headers["Authorization"] = f"Bearer {token(sb.config.credentials)}"
    return c


# ---- row -> 100ms shape -------------------------------------------------------------------

@pytest.mark.parametrize("ours, theirs", [("recording", "running"), ("processing", "post_processing"),
                                          ("completed", "completed"), ("failed", "failed")])
def test_status_mapping(sb, rooms, ours, theirs):
    add_recording(sb.db, rooms[0]["id"], ours, "2024-05-01T10:00:00.120000+00:00")
    assert shaped(sb, with_assets=False)["status"] == theirs


def test_list_object_shape(sb, rooms):
    rec = add_recording(sb.db, rooms[0]["id"], "completed", "2024-05-01T10:00:00.120000+00:00",
                        stopped_at="2024-05-01T10:05:00.987654+00:00", duration=300.4, size=1234,
                        file_path="/rec/a.webm", mime_type="video/webm")
    obj = shaped(sb, with_assets=False)
    assert set(obj) == LIST_FIELDS
    assert obj["id"] == rec and obj["room_id"] == rooms[0]["hms_room_id"]
    assert HEX24.match(obj["session_id"]) and obj["asset_types"] == ["room-composite"]
    assert obj["created_at"] == "2024-05-01T10:00:00.12Z"  # Go drops trailing zeros
    # Stored objects carry milliseconds, as the docs' "2023-03-30T06:53:03.67Z".
    assert obj["stopped_at"] == "2024-05-01T10:05:00.987Z"
    assert all(MS_TIME.match(obj[k]) for k in ("created_at", "started_at", "updated_at", "stopped_at"))


def test_completed_recording_has_one_asset(sb, rooms):
    add_recording(sb.db, rooms[0]["id"], "completed", "2024-05-01T10:00:00+00:00",
                  stopped_at="2024-05-01T10:05:00+00:00", duration=300.4, size=1234,
                  file_path="/rec/a.webm", mime_type="video/webm")
    obj = shaped(sb, with_assets=True)
    (asset,) = obj["recording_assets"]
    assert set(asset) == ASSET_FIELDS
    assert asset["type"] == "room-composite" and asset["status"] == "completed"
    assert asset["size"] == 1234 and asset["duration"] == 300 and asset["path"] == "/rec/a.webm"
    assert asset["job_id"] == obj["id"] and asset["session_id"] == obj["session_id"] and HEX24.match(asset["id"])


@pytest.mark.parametrize("status", ["recording", "processing", "failed"])
def test_unfinished_recordings_have_no_assets(sb, rooms, status):
    add_recording(sb.db, rooms[0]["id"], status, "2024-05-01T10:00:00+00:00")
    obj = shaped(sb, with_assets=True)
    assert obj["recording_assets"] is None
    if status == "recording":
        assert obj["stopped_at"] is None


def test_page_filters_and_cursor(sb, rooms):
    a, b = rooms[0], rooms[1]
    ids = [add_recording(sb.db, a["id"], "completed", f"2024-05-01T10:0{i}:00+00:00") for i in range(5)]
    session_b = hms_sessions.begin(sb.db, b["hms_room_id"], "2024-05-01T10:59:00.000000001Z")
    other = add_recording(sb.db, b["id"], "recording", "2024-05-01T11:00:00+00:00")
    by_room = hms.recordings_page(sb.db, room_id=a["hms_room_id"], limit=100)
    assert [r["id"] for r in by_room["data"]] == ids[::-1]  # newest first
    by_session = hms.recordings_page(sb.db, session_id=session_b)
    assert [r["id"] for r in by_session["data"]] == [other]
    assert [r["id"] for r in hms.recordings_page(sb.db, status="running")["data"]] == [other]
    first = hms.recordings_page(sb.db, room_id=a["hms_room_id"], limit=2)
    second = hms.recordings_page(sb.db, room_id=a["hms_room_id"], limit=2, start=first["last"])
    third = hms.recordings_page(sb.db, room_id=a["hms_room_id"], limit=2, start=second["last"])
    seen = [r["id"] for page in (first, second, third) for r in page["data"]]
    assert seen == ids[::-1] and first["limit"] == 2 and len(third["data"]) == 1
    assert hms.recordings_page(sb.db, room_id=a["hms_room_id"], start=ids[0]) == {"limit": 10, "data": []}


# ---- HTTP, in process ------------------------------------------------------------------------

@pytest.mark.parametrize("claims, detail", [
    ({"exp": int(time.time()) - 5}, "token is expired"),
    ({"type": "app"}, "invalid token type"),
    ({"version": 1}, "invalid token type"),
    ({"access_key": "0" * 24}, "invalid access key"),
    ({"nbf": int(time.time()) + 3600}, "token is not valid yet"),
])
def test_rejected_tokens(client, sb, claims, detail):
    r = client.get("/hms/v2/recordings", headers={"Authorization": f"Bearer {token(sb.config.credentials, **claims)}"})
    assert r.status_code == 401
    assert r.json() == {"code": 401, "message": "Token validation error", "details": [detail]}


def test_get_recording_by_id(client, sb, rooms):
    rec = add_recording(sb.db, rooms[0]["id"], "completed", "2024-05-01T10:00:00+00:00", size=10,
                        file_path="/rec/b.webm")
    body = client.get(f"/hms/v2/recordings/{rec}").json()
    assert set(body) == LIST_FIELDS | {"recording_assets"} and body["recording_assets"][0]["size"] == 10
    listed = client.get("/hms/v2/recordings", params={"room_id": rooms[0]["hms_room_id"]}).json()
    assert listed["data"][0]["id"] == rec and "recording_assets" not in listed["data"][0]


def test_peers_and_active_room(client, sb, rooms):
    room = rooms[0]["hms_room_id"]
    sb.hub.join(room, "p2", "2024-05-01T10:00:00.000000001Z", user_id="u2", name="Guest", role="viewer")
    sb.hub.join(room, "p1", "2024-05-01T10:00:01.500000000Z", user_id="u1", name="Maya", role="host")
    peers = client.get(f"/hms/v2/active-rooms/{room}/peers").json()["peers"]
    assert peers["p1"] == {"id": "p1", "name": "Maya", "user_id": "u1", "metadata": "", "role": "host",
                           "joined_at": "2024-05-01T10:00:01.5Z"}  # Go drops the trailing zeros
    assert list(client.get(f"/hms/v2/active-rooms/{room}/peers", params={"role": "viewer"}).json()["peers"]) == ["p2"]
    assert client.get(f"/hms/v2/active-rooms/{room}/peers", params={"user_id": "nobody"}).json() == {"peers": {}}
    active = client.get(f"/hms/v2/active-rooms/{room}").json()
    assert active["id"] == room and HEX24.match(active["customer_id"])
    # Live objects keep nanoseconds, as list-peers.mdx's "2023-01-25T12:06:34.080990401Z".
    assert peers["p2"]["joined_at"] == "2024-05-01T10:00:00.000000001Z"
    assert active["session"]["created_at"] == "2024-05-01T10:00:00.000000001Z"
    assert set(active["session"]["peers"]) == {"p1", "p2"}


def test_each_session_of_a_room_has_its_own_id(client, sb, rooms):
    """A room's second session (after everyone left) is a new session with a new id, and each
    recording names the session it was made in (Sessions/object.mdx: "A single room can have
    multiple sessions")."""
    room, kulti_session = rooms[0]["hms_room_id"], rooms[0]["id"]
    sb.hub.join(room, "p1", "2024-05-01T10:00:00.000000001Z", user_id="u1", name="Maya", role="host")
    first = client.get(f"/hms/v2/active-rooms/{room}").json()["session"]
    in_first = add_recording(sb.db, kulti_session, "completed", "2024-05-01T10:01:00+00:00")
    sb.hub.leave(room, "p1", "2024-05-01T10:30:00Z")
    assert client.get(f"/hms/v2/active-rooms/{room}").status_code == 404
    sb.hub.join(room, "p2", "2024-05-01T11:00:00.123456789Z", user_id="u1", name="Maya", role="host")
    second = client.get(f"/hms/v2/active-rooms/{room}").json()["session"]
    in_second = add_recording(sb.db, kulti_session, "recording", "2024-05-01T11:05:00+00:00")
    assert HEX24.match(first["id"]) and HEX24.match(second["id"]) and first["id"] != second["id"]
    # ObjectIds begin with their creation second, as 100ms's do.
    assert (first["id"][:8], second["id"][:8]) == (f"{1714557600:08x}", f"{1714561200:08x}")
    assert second["created_at"] == "2024-05-01T11:00:00.123456789Z"
    listed = client.get("/hms/v2/recordings", params={"room_id": room}).json()["data"]
    listed = {r["id"]: r["session_id"] for r in listed}
    assert listed == {in_first: first["id"], in_second: second["id"]}
    by_session = client.get("/hms/v2/recordings", params={"session_id": first["id"]}).json()["data"]
    assert [r["id"] for r in by_session] == [in_first]
    assert client.get(f"/hms/v2/recordings/{in_first}").json()["session_id"] == first["id"]


def test_hms_peer_missing_drops_the_newest_peer_only(client, sb, rooms):
    room = rooms[0]["hms_room_id"]
    sb.hub.join(room, "p1", "2024-05-01T10:00:00.000000009Z", user_id="u1", name="Maya", role="host")
    sb.hub.join(room, "p2", "2024-05-01T10:00:00.00000001Z", user_id="u2", name="Guest", role="guest")
    sb.faults.set("hms_peer_missing")
    assert list(client.get(f"/hms/v2/active-rooms/{room}/peers").json()["peers"]) == ["p1"]
    assert client.get(f"/hms/v2/active-rooms/{room}").json()["session"]["peers"] == ["p1"]


def test_hms_room_unknown_answers_room_not_found_for_the_sessions_room(client, sb, rooms):
    room = rooms[0]["hms_room_id"]
    sb.hub.join(room, "p1", "2024-05-01T10:00:00.000000009Z", user_id="u1", name="Maya", role="host")
    sb.faults.set("hms_room_unknown")
    r = client.get(f"/hms/v2/active-rooms/{room}/peers")
    assert r.status_code == 404 and r.json()["message"] == "Room not found"


def test_empty_room(client, rooms):
    room = rooms[0]["hms_room_id"]
    assert client.get(f"/hms/v2/active-rooms/{room}/peers").json() == {"peers": {}}
    r = client.get(f"/hms/v2/active-rooms/{room}")
    assert r.status_code == 404 and r.json()["code"] == 404


def test_another_workspaces_token_may_not_see_this_workspaces_rooms(client, sb, rooms):
    """A valid management token of another workspace (its own key and secret) is 403 on this
    workspace's rooms and recordings: "doesn't have enough permission" (make-api-calls.mdx)."""
    creds, room = sb.config.credentials, rooms[0]["hms_room_id"]
    sb.hub.join(room, "p1", "2024-05-01T10:00:00Z", user_id="u1", name="Maya", role="host")
    rec = add_recording(sb.db, rooms[0]["id"], "completed", "2024-05-01T10:01:00+00:00")
    other = {"Authorization": "Bearer " + creds.hms_management_token(other_workspace=True)}
    refused = "insufficient permissions"
    forbidden = {"code": 403, "message": refused, "data": {"description": refused}}
    for path, params in ((f"/hms/v2/active-rooms/{room}", {}), (f"/hms/v2/active-rooms/{room}/peers", {}),
                         (f"/hms/v2/recordings/{rec}", {}), ("/hms/v2/recordings", {"room_id": room})):
        r = client.get(path, params=params, headers=other)
        assert (r.status_code, r.json()) == (403, forbidden), path
    # Its own (empty) list and ids nobody has answer as they would for it.
    assert client.get("/hms/v2/recordings", headers=other).json() == {"limit": 10, "data": []}
    assert client.get(f"/hms/v2/active-rooms/{secrets.token_hex(12)}", headers=other).status_code == 404
    # Its key with this workspace's secret, or the reverse, is no valid token at all.
    mixed = token(creds, access_key=creds.hms_other_workspace_access_key)
    r = client.get("/hms/v2/recordings", headers={"Authorization": f"Bearer {mixed}"})
    assert (r.status_code, r.json()["details"]) == (401, ["invalid access key"])


# ---- HTTP, against the running sandbox ----------------------------------------------------------

@pytest.fixture(scope="module")
def api(sandbox):
    with httpx.Client(base_url=sandbox.env["HMS_API_URL"]) as http:
        yield http


@pytest.fixture(scope="module")
def auth(sandbox) -> dict:
    return {"Authorization": f"Bearer {sandbox.env['HMS_MANAGEMENT_TOKEN']}"}


WRONG_SECRET = "not-the-sandbox-app-secret-" + "x" * 16


def forged(**overrides) -> str:
    """A well-formed management token signed with a secret the sandbox does not have."""
    now = int(time.time())
    claims = {"access_key": "f" * 24, "type": "management", "version": 2, "jti": "j",
              "iat": now, "nbf": now, "exp": now + 600} | overrides
    return jwt.encode(claims, WRONG_SECRET, algorithm="HS256")


@pytest.mark.parametrize("header, detail", [
    (None, "not found"),
    ("Bearer", "not found"),
    ("Basic dXNlcjpwdw==", "not found"),
    ("Bearer not-a-jwt", "token is malformed"),
    (f"Bearer {forged()}", "signature is invalid"),
    (f"Bearer {forged(exp=1)}", "signature is invalid"),  # expired too, but the signature fails first
], ids=["none", "bearer-empty", "basic", "malformed", "forged", "forged-expired"])  # fixed: workers must agree
def test_auth_errors_over_http(api, header, detail):
    r = api.get("/recordings", headers={"Authorization": header} if header else {})
    assert r.status_code == 401 and r.headers["content-type"] == "application/json"
    assert r.json() == {"code": 401, "message": "Token validation error", "details": [detail]}


def test_list_envelope_over_http(api, auth):
    r = api.get("/recordings", headers=auth, params={"room_id": secrets.token_hex(12)})
    assert r.status_code == 200 and r.json() == {"limit": 10, "data": []}
    assert api.get("/recordings", headers=auth, params={"limit": 10}).json()["limit"] == 10
    assert api.get("/recordings", headers=auth, params={"limit": 100}).json()["limit"] == 100


@pytest.mark.parametrize("limit", ["9", "3", "0", "-1", "101", "1000", "ten", "2.5"])
def test_limit_outside_the_documented_range_is_400(api, auth, limit):
    """make-api-calls.mdx: limit "Allowed range: 10-100"; no clamping is documented."""
    r = api.get("/recordings", headers=auth, params={"limit": limit})
    assert r.status_code == 400
    assert r.json() == {"code": 400, "message": "Invalid query param",
                        "details": ["Invalid query param: limit must be between 10 and 100"]}


def test_unknown_ids_over_http(api, auth):
    r = api.get(f"/recordings/{secrets.token_hex(12)}", headers=auth)
    assert r.status_code == 404
    assert r.json() == {"code": 404, "message": "recording not found", "data": {"description": "recording not found"}}
    for path in (f"/active-rooms/{secrets.token_hex(12)}/peers", f"/active-rooms/{secrets.token_hex(12)}"):
        r = api.get(path, headers=auth)
        assert r.status_code == 404 and r.json()["message"] == "Room not found"

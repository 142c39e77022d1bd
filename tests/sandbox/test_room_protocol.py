"""The session room without a browser: page access, the WebSocket protocol, the recording API.

Every refused request or frame must say why and leave the database as it was.
"""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.sandbox.kulti_client import create_session, sign_in
from tests.sandbox.room_harness import GUEST_PHONE, room_socket


@pytest.fixture
def session(host, guest) -> dict:
    """A fresh session the guest has joined."""
    s = create_session(host, "Protocol room", tags=["testing", "webrtc"])
    assert guest.post(f"/api/sessions/{s['id']}/join").status_code == 200
    return s


def refusal(sandbox, client, session_id: str, origin: str | None = None) -> tuple[dict, int]:
    """The error frame and close code a refused socket gets."""
    with room_socket(sandbox, client, session_id, origin) as ws:
        frame = json.loads(ws.ws.recv(timeout=3))
        with pytest.raises(ConnectionClosed) as closed:
            ws.ws.recv(timeout=3)
    return frame, closed.value.rcvd.code


# --- the page ------------------------------------------------------------------------------


def test_the_room_page_needs_sign_in_and_a_known_session(sandbox, host, session):
    r = httpx.get(sandbox.url + session["url"])
    assert r.status_code == 302 and r.headers["location"] == f"/login?next={session['url']}"
    r = host.get("/session/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404 and 'data-testid="not-found"' in r.text


def test_the_room_page_shows_the_session(host, session):
    html = host.get(session["url"]).text
    for needle in ('data-testid="session-title">Protocol room<', 'data-username="smoke_host">Smoke Host<',
                   'data-testid="session-tag" data-tag="webrtc"', 'data-testid="recording-button"',
                   'data-testid="chat-panel"', 'data-testid="participant-count">2<'):
        assert needle in html


def test_a_non_participant_gets_a_join_button_and_no_room_until_joining(sandbox, host):
    s = create_session(host, "Not joined yet")
    guest = sign_in(sandbox, GUEST_PHONE)
    html = guest.get(s["url"]).text
    assert 'data-testid="join-session-button"' in html and 'data-testid="chat-panel"' not in html
    assert refusal(sandbox, guest, s["id"]) == (
        {"type": "error", "code": "forbidden", "message": "Join the session first", "about": None}, 4403)
    guest.post(f"/api/sessions/{s['id']}/join")
    assert 'data-testid="chat-panel"' in guest.get(s["url"]).text
    assert 'data-testid="recording-button"' not in guest.get(s["url"]).text
    with room_socket(sandbox, guest, s["id"]) as ws:
        assert ws.next("welcome")["you"]["role"] == "viewer"


def test_the_socket_refuses_strangers_other_sites_and_unknown_sessions(sandbox, host, session):
    assert refusal(sandbox, None, session["id"])[1] == 4401
    frame, code = refusal(sandbox, host, session["id"], origin="https://evil.example")
    assert code == 4403 and frame["code"] == "bad-origin"
    frame, code = refusal(sandbox, host, "00000000-0000-0000-0000-000000000000")
    assert code == 4404 and frame["code"] == "not-found"
    with room_socket(sandbox, host, session["id"], origin=sandbox.url) as ws:
        ws.next("welcome")  # the site itself is fine


# --- the protocol --------------------------------------------------------------------------


def test_presence_signaling_screen_control_and_cursor(sandbox, host, guest, session):
    with room_socket(sandbox, host, session["id"]) as h:
        me = h.next("welcome")
        assert me["status"] == "active"  # the host walking in makes the session live
        with room_socket(sandbox, guest, session["id"]) as g:
            welcome = g.next("welcome")
            assert [p["username"] for p in welcome["peers"]] == ["smoke_host"]
            assert h.next("peer-joined")["peer"]["peer_id"] == welcome["peer_id"]
            assert [(p["username"], p["online"]) for p in h.next("presence")["participants"]] == [
                ("smoke_host", True), ("smoke_guest", True)]
            g.send({"type": "signal", "to": me["peer_id"], "channel": "cam", "kind": "offer",
                    "data": {"type": "offer", "sdp": "v=0"}})
            assert h.next("signal") == {"type": "signal", "from": welcome["peer_id"], "channel": "cam",
                                        "kind": "offer", "data": {"type": "offer", "sdp": "v=0"}}
            h.send({"type": "share-start"})
            assert g.next("share")["share"]["controller_username"] == "smoke_host"
            h.send({"type": "control-pass", "to": "smoke_guest"})
            assert h.next("control-ack")["to"] == "smoke_guest"
            assert g.next("share")["share"]["controller_username"] == "smoke_guest"
            g.send({"type": "cursor", "x": 0.5, "y": 0.25, "seq": 1, "sent_at": 1, "click": True})
            cursor = h.next("cursor")
            assert (cursor["x"], cursor["y"], cursor["click"], cursor["from"]) == (0.5, 0.25, True, "smoke_guest")
            h.send({"type": "cursor", "x": 0.5, "y": 0.5, "seq": 2, "sent_at": 2})
            assert h.next("error")["code"] == "not-allowed"
            peers = httpx.get(f"{sandbox.env['HMS_API_URL']}/active-rooms/{hms_room_id(sandbox, session['id'])}/peers",
                              headers={"Authorization": f"Bearer {sandbox.env['HMS_MANAGEMENT_TOKEN']}"}).json()
            assert sorted(p["name"] for p in peers["peers"].values()) == ["Smoke Guest", "Smoke Host"]
            g.send({"type": "share-stop"})  # the controller may stop the share
            assert h.next("share")["share"] is None
        assert h.next("peer-left")["peer"]["username"] == "smoke_guest"


def hms_room_id(sandbox, session_id: str) -> str:
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.get(f"{sandbox.env['SUPABASE_URL']}/rest/v1/sessions", params={"id": f"eq.{session_id}", "select": "hms_room_id"},
                  headers={"apikey": key, "Authorization": f"Bearer {key}"})
    return r.json()[0]["hms_room_id"]


BAD_FRAMES = [
    ("not json", "bad-json"),
    ("[1, 2]", "unknown-type"),
    ('{"type": "launch"}', "unknown-type"),
    ('{"type": "chat", "text": 7}', "invalid-chat"),
    ('{"type": "chat", "text": "  \\n "}', "invalid-chat"),
    (json.dumps({"type": "chat", "text": "x" * 2001}), "invalid-chat"),
    ('{"type": "signal", "to": "nobody", "channel": "cam", "kind": "offer", "data": {}}', "unknown-peer"),
    ('{"type": "share-stop"}', "not-sharing"),
    ('{"type": "control-pass", "to": "smoke_guest"}', "not-sharing"),
    ('{"type": "cursor", "x": 0.5, "y": 0.5, "seq": 1, "sent_at": 1}', "not-allowed"),
    (json.dumps({"type": "chat", "text": "y" * 70_000}), "too-large"),
]


def test_bad_frames_are_answered_with_an_error_and_change_nothing(sandbox, host, session):
    with room_socket(sandbox, host, session["id"]) as ws:
        ws.next("welcome")
        before = sandbox.db_counts()
        for frame, code in BAD_FRAMES:
            ws.send(frame)
            assert ws.next("error")["code"] == code, frame
        ws.ws.send(b"\x00binary")
        assert ws.next("error")["code"] == "bad-frame"
        ws.send({"type": "share-start"})
        ws.send({"type": "cursor", "x": 1.5, "y": 0.5, "seq": 1, "sent_at": 1})
        assert ws.next("error")["code"] == "bad-cursor"
        ws.send({"type": "ping", "id": 7})
        assert ws.next("pong")["id"] == 7  # still connected after all that
        assert sandbox.db_counts() == before


def test_chat_is_stored_echoed_and_relayed_with_the_server_time(sandbox, host, guest, session):
    with room_socket(sandbox, host, session["id"]) as h, room_socket(sandbox, guest, session["id"]) as g:
        h.next("welcome"), g.next("welcome")
        g.send({"type": "chat", "text": "  Hello 🎉 "})
        echo, relayed = g.next("chat")["message"], h.next("chat")["message"]
        assert echo == relayed and echo["text"] == "Hello 🎉" and echo["sender"]["username"] == "smoke_guest"
    html = host.get(session["url"]).text
    assert f'data-message-id="{echo["id"]}"' in html and f'datetime="{echo["created_at"]}"' in html


# --- the recording API -----------------------------------------------------------------------


def test_recording_api_refuses_bad_requests_and_keeps_the_database(sandbox, host, guest, session):
    sid = session["id"]
    start = f"/api/sessions/{sid}/recordings"
    before = sandbox.db_counts()
    assert httpx.post(sandbox.url + start, json={}).status_code == 401
    assert guest.post(start, json={}).status_code == 403
    assert host.post(start, content=b"x").status_code == 415
    assert host.post(start, json={"mime_type": "text/html"}).status_code == 422
    assert sandbox.db_counts() == before
    rec = host.post(start, json={"mime_type": "video/webm;codecs=vp8,opus"}).json()["recording"]
    assert host.post(start, json={}).status_code == 409  # one at a time
    chunk = f"/api/recordings/{rec['id']}/chunks"
    webm = {"Content-Type": "video/webm"}
    assert host.post(chunk, content=b"abc", headers={"Content-Type": "text/plain", "X-Chunk-Seq": "0"}).status_code == 415
    assert host.post(chunk, content=b"abc", headers=webm).status_code == 400
    assert host.post(chunk, content=b"abc", headers={**webm, "X-Chunk-Seq": "1"}).status_code == 409
    assert host.post(chunk, content=b"", headers={**webm, "X-Chunk-Seq": "0"}).status_code == 400
    assert guest.post(chunk, content=b"abc", headers={**webm, "X-Chunk-Seq": "0"}).status_code == 403
    assert host.post(chunk, content=b"abc", headers={**webm, "X-Chunk-Seq": "0"}).json() == {"received": 1, "size": 3}
    assert host.get(f"/api/recordings/{rec['id']}/file").status_code == 409
    assert guest.post(f"/api/recordings/{rec['id']}/stop").status_code == 403
    assert host.post(f"/api/recordings/{rec['id']}/stop").json()["recording"]["status"] == "processing"
    assert host.post(f"/api/recordings/{rec['id']}/stop").status_code == 409
    listed = guest.get(f"/api/sessions/{sid}/recordings").json()
    assert listed["active"] is None and listed["items"][0]["size"] == 3
    # The recorder's last chunks may trail the Stop, up to the one marked final.
    assert host.post(chunk, content=b"de", headers={**webm, "X-Chunk-Seq": "1"}).status_code == 200
    assert host.post(chunk, content=b"", headers={**webm, "X-Chunk-Seq": "2", "X-Chunk-Final": "1"}).json()["size"] == 5
    assert host.post(chunk, content=b"f", headers={**webm, "X-Chunk-Seq": "3"}).status_code == 409
    assert host.post("/api/recordings/nope/stop").status_code == 404

"""Each server-side room fault breaks exactly the behaviour it names (seen over the WebSocket).

The client-side room faults are in test_room_client_faults.py (they need a browser).
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from kulti_sandbox.kulti.webm import webm_duration_s
from tests.sandbox.kulti_client import create_session
from tests.sandbox.test_page_faults_http import stored
from tests.sandbox.room_harness import room_socket

QUIET_S = 0.5  # how long "nothing arrives" is watched for; relays take milliseconds


@pytest.fixture
def both(sandbox, host, guest):
    """Host and guest connected to a fresh session: (host socket, guest socket, session)."""
    s = create_session(host, "Fault room")
    guest.post(f"/api/sessions/{s['id']}/join")
    with room_socket(sandbox, host, s["id"]) as h, room_socket(sandbox, guest, s["id"]) as g:
        h.next("welcome"), g.next("welcome")
        h.next("presence"), h.next("presence")
        yield h, g, s


def chat(sock, text: str) -> dict:
    sock.send({"type": "chat", "text": text})
    return sock.next("chat")["message"]


# T6
def test_participants_not_live_stops_presence_but_not_signaling(sandbox, host, guest):
    s = create_session(host, "Presence fault")
    guest.post(f"/api/sessions/{s['id']}/join")
    sandbox.set_fault("participants_not_live")
    with room_socket(sandbox, host, s["id"]) as h:
        h.next("welcome")
        with room_socket(sandbox, guest, s["id"]) as g:
            g.next("welcome")
            assert h.next("peer-joined")["peer"]["username"] == "smoke_guest"
            assert h.nothing_of("presence", QUIET_S)
            # A reload still shows the truth.
            assert 'data-username="smoke_guest" data-role="viewer" data-online="true"' in host.get(s["url"]).text


def test_presence_offline_shows_everyone_offline_while_connected(sandbox, host, guest):
    s = create_session(host, "Offline fault")
    guest.post(f"/api/sessions/{s['id']}/join")
    sandbox.set_fault("presence_offline")
    with room_socket(sandbox, host, s["id"]) as h, room_socket(sandbox, guest, s["id"]) as g:
        h.next("welcome"), g.next("welcome")
        assert h.next("peer-joined")["peer"]["username"] == "smoke_guest"  # the connections are real...
        people = h.next("presence")["participants"]
        assert [(p["username"], p["online"]) for p in people] == [("smoke_host", False), ("smoke_guest", False)]
        page = host.get(s["url"]).text  # ...and the page says otherwise, even about its own viewer
        assert 'data-username="smoke_host" data-role="host" data-online="false"' in page
        assert 'data-online="true"' not in page


def test_participant_update_delay_tells_the_others_late_and_the_newcomer_at_once(sandbox, host, guest):
    s = create_session(host, "Late presence")
    guest.post(f"/api/sessions/{s['id']}/join")
    sandbox.set_fault("participant_update_delay", "600")
    with room_socket(sandbox, host, s["id"]) as h:
        h.next("welcome"), h.next("presence")
        started = time.monotonic()
        with room_socket(sandbox, guest, s["id"]) as g:
            g.next("welcome")
            assert [p["online"] for p in g.next("presence")["participants"]] == [True, True]
            newcomer_saw = time.monotonic() - started
            assert h.next("peer-joined")["peer"]["username"] == "smoke_guest"  # signaling is not held back
            assert [p["online"] for p in h.next("presence", timeout=3)["participants"]] == [True, True]
            others_saw = time.monotonic() - started
    assert newcomer_saw < 0.3 and others_saw >= 0.6


# T8
def test_control_not_passed_acknowledges_but_keeps_control_with_the_sharer(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("control_not_passed")
    h.send({"type": "share-start"})
    assert g.next("share")["share"]["controller_username"] == "smoke_host"
    h.send({"type": "control-pass", "to": "smoke_guest"})
    assert h.next("control-ack")["to"] == "smoke_guest"
    assert g.nothing_of("share", QUIET_S)
    g.send({"type": "cursor", "x": 0.1, "y": 0.1, "seq": 1, "sent_at": 1})
    assert g.next("error")["code"] == "not-allowed"


def test_cursor_not_synced_drops_cursor_moves(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("cursor_not_synced")
    h.send({"type": "share-start"})
    g.next("share")
    h.send({"type": "cursor", "x": 0.3, "y": 0.4, "seq": 1, "sent_at": 1})
    assert g.nothing_of("cursor", QUIET_S)
    assert h.nothing_of("error", 0.1)  # silently: the sender cannot tell


# T9
def test_chat_delay_holds_the_relay_but_not_the_echo(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("chat_delay", "600")
    started = time.monotonic()
    chat(g, "slow one")
    echoed = time.monotonic() - started
    h.next("chat", timeout=3)
    relayed = time.monotonic() - started
    # The echo came back before the relay's 600 ms hold ended: held too, it could not (0.36 s was read
    # for the echo on a busy CI, so a fixed 0.3 s judged the machine rather than the fault).
    assert echoed < 0.6 <= relayed


def test_chat_sender_only_never_reaches_the_others(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("chat_sender_only")
    assert chat(g, "only me")["text"] == "only me"
    assert h.nothing_of("chat", QUIET_S)


def test_chat_mangle_emoji_replaces_non_ascii_everywhere(sandbox, both, host):
    h, g, s = both
    sandbox.set_fault("chat_mangle_emoji")
    assert chat(g, "emoji 🎉 café")["text"] == "emoji ? caf?"
    assert h.next("chat")["message"]["text"] == "emoji ? caf?"
    assert "emoji ? caf?" in host.get(s["url"]).text


def test_chat_not_stored_relays_but_loses_the_message(sandbox, both, host):
    h, g, s = both
    sandbox.set_fault("chat_not_stored")
    before = sandbox.db_counts()["session_messages"]
    message = chat(g, "here and gone")
    assert h.next("chat")["message"]["id"] == message["id"]
    assert sandbox.db_counts()["session_messages"] == before
    assert message["id"] not in host.get(s["url"]).text


def test_chat_stored_twice_stores_a_second_row_and_relays_the_message_once(sandbox, both):
    h, g, s = both
    sandbox.set_fault("chat_stored_twice")
    message = chat(g, "said once")
    assert h.next("chat")["message"]["id"] == message["id"] and h.nothing_of("chat", QUIET_S)
    rows = stored(sandbox, "session_messages", session_id=f"eq.{s['id']}", content="eq.said once")
    assert len(rows) == 2 and message["id"] in {r["id"] for r in rows}


def test_chat_stored_reordered_stores_an_order_other_than_the_one_sent_and_shown(sandbox, both):
    h, g, s = both
    sandbox.set_fault("chat_stored_reordered")
    sent = [chat(g, f"in order {i}") for i in range(3)]
    assert [h.next("chat")["message"]["id"] for _ in sent] == [m["id"] for m in sent]
    assert sorted(m["created_at"] for m in sent) == [m["created_at"] for m in sent]  # shown as sent
    rows = stored(sandbox, "session_messages", session_id=f"eq.{s['id']}", order="created_at.asc")
    assert [r["content"] for r in rows] == ["in order 2", "in order 1", "in order 0"]


def test_chat_wrong_sender_attributes_the_guest_to_the_host(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("chat_wrong_sender")
    assert chat(g, "who said this")["sender"]["username"] == "smoke_host"
    assert h.next("chat")["message"]["sender"]["display_name"] == "Smoke Host"


def test_chat_wrong_timestamp_stores_and_shows_the_time_an_hour_off(sandbox, both, host):
    h, g, s = both
    sandbox.set_fault("chat_wrong_timestamp")
    message = chat(g, "what time is it")
    skew = datetime.fromisoformat(message["created_at"]) - datetime.now(timezone.utc)
    assert abs(skew.total_seconds() - 3600) < 60
    assert h.next("chat")["message"]["created_at"] == message["created_at"]
    assert f'datetime="{message["created_at"]}"' in host.get(s["url"]).text


def test_chat_slow_echo_holds_the_senders_copy_but_not_the_relay(sandbox, both):
    h, g, _ = both
    sandbox.set_fault("chat_slow_echo", "600")
    started = time.monotonic()
    g.send({"type": "chat", "text": "late for me"})
    assert h.next("chat")["message"]["text"] == "late for me"
    relayed = time.monotonic() - started
    assert g.next("chat", timeout=3)["message"]["text"] == "late for me"
    echoed = time.monotonic() - started
    assert relayed < 0.3 and echoed >= 0.6


def test_chat_lowercase_changes_the_text_everywhere(sandbox, both, host):
    h, g, s = both
    sandbox.set_fault("chat_lowercase")
    assert chat(g, "Hello From User 2")["text"] == "hello from user 2"
    assert h.next("chat")["message"]["text"] == "hello from user 2"
    assert "hello from user 2" in host.get(s["url"]).text


# T10
def test_recording_never_completes_stays_processing(sandbox, host, both):
    _, _, s = both
    sandbox.set_fault("recording_never_completes")
    rec = host.post(f"/api/sessions/{s['id']}/recordings", json={}).json()["recording"]
    chunks = f"/api/recordings/{rec['id']}/chunks"
    host.post(chunks, content=b"data", headers={"Content-Type": "video/webm", "X-Chunk-Seq": "0"})
    host.post(f"/api/recordings/{rec['id']}/stop")
    host.post(chunks, content=b"", headers={"Content-Type": "video/webm", "X-Chunk-Seq": "1", "X-Chunk-Final": "1"})
    time.sleep(2.5)  # the sandbox's recording_processing_s is 2
    [item] = host.get(f"/api/sessions/{s['id']}/recordings").json()["items"]
    assert item["status"] == "processing" and item["size"] == 4


def test_webm_duration_is_read_from_the_block_timestamps():
    unknown = b"\x01\xff\xff\xff\xff\xff\xff\xff"
    block = lambda rel: b"\xa3\x85\x81" + rel.to_bytes(2, "big", signed=True) + b"\x80\x00"
    webm = (b"\x1a\x45\xdf\xa3\x84webm" + b"\x18\x53\x80\x67" + unknown
            + b"\x15\x49\xa9\x66\x87" + b"\x2a\xd7\xb1\x83\x0f\x42\x40"  # Info: TimecodeScale 1 ms
            + b"\x1f\x43\xb6\x75" + unknown + b"\xe7\x81\x00" + block(0) + block(33)
            + b"\x1f\x43\xb6\x75" + unknown + b"\xe7\x82\x03\xe8" + block(500))
    assert webm_duration_s(webm) == 1.5
    assert webm_duration_s(webm[:-3]) == pytest.approx(0.033)  # a cut-off last block is ignored
    assert webm_duration_s(b"not a webm") == 0.0

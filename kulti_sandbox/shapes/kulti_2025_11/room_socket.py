"""The kulti room's media and chat connection: `/_kulti/room-socket?token=<100ms app token>`.

The launched app joins 100ms with the token from /api/hms/get-token and gets chat changes
from Supabase Realtime. Here one WebSocket on the sandbox's room hub does both: the token
says which room and role (as a 100ms token does), peers and WebRTC signaling are the runbook
room's (kulti/room_ws.py), so the 100ms emulation's active-rooms API lists these peers too.

Chat: the page sends {"type": "chat", "text"}; the server stores a `messages` row, answers
{"type": "chat-sent"} (supabase-js's insert returning) and then notifies every peer, the
sender included, with {"type": "message-insert", "message": row}: the page shows messages
only from that notification, as the real app shows them only after its Realtime re-fetch.

Screen share (facts §8.4): only the host publishes a screen (a 100ms viewer may not), started
and stopped with the runbook room's share-start / share-stop; everyone hears of it as "share"
(100ms's track notifications) and the screen travels on one-way "screen" links. No Pass Control
and no remote cursor: control-pass and cursor frames are unknown types here.

Faults on a newcomer's arrival, which the others' pages show as its tile (100ms's peer-join
notification): participants_not_live (the others never hear of it: no tile, and the newcomer's
offer is never answered), participant_update_delay=MS (they hear of it MS late).
"""

from __future__ import annotations

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from kulti_sandbox.kulti.room_chat import ChatRefused, accept_chat, relay_chat, should_store, store_chat
from kulti_sandbox.kulti.room_hub import Peer, Room
from kulti_sandbox.kulti.room_ws import (Refused, error_frame, handle_frame, on_ping, on_share_start, on_share_stop,
                                         on_signal)
from kulti_sandbox.state import Sandbox, sandbox_of

HISTORY_LIMIT = 100  # get_messages_with_votes(p_limit: 100)
CLOSE_UNAUTHORIZED = 4401

MESSAGE_SQL = """SELECT m.id, m.session_id, m.user_id, m.content, m.type, m.created_at, p.display_name
                 FROM messages m LEFT JOIN profiles p ON p.id = m.user_id"""


def message_history(db, session_id: str) -> list[dict]:
    """Top-level messages of a session, oldest first (the RPC's order, leaving out pinning)."""
    rows = db.query(MESSAGE_SQL + " WHERE m.session_id = ? ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?",
                    (session_id, HISTORY_LIMIT))
    return rows[::-1]


def _admitted(sb: Sandbox, token: str) -> tuple[dict, dict, str] | None:
    """(session, user, role) the token lets in, or None."""
    claims = sb.config.credentials.hms_app_claims(token)
    if claims is None:
        return None
    session = sb.db.query_one("SELECT id, hms_room_id, host_id FROM sessions WHERE hms_room_id = ?",
                              (claims["room_id"],))
    user = sb.db.query_one("SELECT id, username, display_name FROM profiles WHERE id = ?", (claims["user_id"],))
    return (session, user, claims["role"]) if session and user else None


def on_chat(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    try:
        line = accept_chat(sb, room, peer, message)
    except ChatRefused as exc:
        raise Refused("invalid-chat", str(exc))
    if should_store(sb):
        store_chat(sb, "messages", {"id": line.id, "session_id": line.session_id, "user_id": line.user_id,
                                    "content": line.text, "type": "text", "created_at": line.created_at})
    sb.hub.send(peer, {"type": "chat-sent"})
    row = {"id": line.id, "session_id": line.session_id, "user_id": line.user_id, "content": line.text,
           "type": "text", "created_at": line.created_at, "display_name": line.display_name}
    relay_chat(sb, room, peer, {"type": "message-insert", "message": row})


def announce_newcomer(sb: Sandbox, session: dict, peer: Peer) -> None:
    if sb.faults.on("participants_not_live"):
        return
    message = {"type": "peer-joined", "peer": peer.public()}
    if delay_ms := sb.faults.number("participant_update_delay"):
        sb.hub.broadcast_later(session["id"], message, delay_ms / 1000, exclude=peer)
    else:
        sb.hub.broadcast(session["id"], message, exclude=peer)


def on_host_share_start(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    if peer.role != "host":
        raise Refused("not-allowed", "Only the host can share a screen")
    on_share_start(sb, room, peer, message)


def end_share_of(sb: Sandbox, room: Room, peer: Peer) -> None:
    """The sharer leaving ends the share, as its tracks leave 100ms with it."""
    if room.share and room.share.sharer is peer:
        room.share = None
        sb.hub.broadcast(room.session_id, {"type": "share", "share": None})


HANDLERS = {"ping": on_ping, "signal": on_signal, "chat": on_chat, "share-start": on_host_share_start,
            "share-stop": on_share_stop}


async def room_socket(ws: WebSocket) -> None:
    sb = sandbox_of(ws)
    await ws.accept()
    admitted = _admitted(sb, ws.query_params.get("token", ""))
    if admitted is None:
        await ws.send_json(error_frame("unauthorized", "Invalid or expired room token"))
        await ws.close(CLOSE_UNAUTHORIZED)
        return
    session, user, role = admitted
    room, peer = sb.hub.join(session, user, role, ws)
    try:
        sb.hub.send(peer, {"type": "welcome", "peer_id": peer.peer_id, "you": peer.public(),
                           "peers": [p.public() for p in room.peers.values() if p is not peer],
                           "share": room.share.public() if room.share else None,
                           "messages": message_history(sb.db, session["id"])})
        announce_newcomer(sb, session, peer)
        while (frame := await ws.receive())["type"] != "websocket.disconnect":
            handle_frame(sb, room, peer, frame, HANDLERS)
    finally:
        sb.hub.leave(room, peer)
        end_share_of(sb, room, peer)
        sb.hub.broadcast(session["id"], {"type": "peer-left", "peer": peer.public()})


routes = [WebSocketRoute("/_kulti/room-socket", room_socket)]

"""The room WebSocket `/ws/session/{id}`: presence, WebRTC signaling, chat, screen control.

Protocol (JSON text frames, one object each, always with "type"); the full list is in
TESTIDS-room.md. Every bad frame gets an {"type": "error"} frame back and changes nothing.
Refused connections are accepted, told why in an error frame, then closed with a 44xx code
(browsers cannot read the HTTP status of a refused upgrade).
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlsplit

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from kulti_sandbox.db import now_iso
from kulti_sandbox.kulti.current_user import current_user
from kulti_sandbox.kulti.recordings import recordings_state, stop_active_recording
from kulti_sandbox.kulti.room_chat import ChatRefused, post_chat
from kulti_sandbox.kulti.room_hub import Peer, Room, ScreenShare
from kulti_sandbox.kulti.session_room import load_session, participants, role_in, signed_in
from kulti_sandbox.state import Sandbox, sandbox_of

MAX_FRAME_CHARS = 64 * 1024
SIGNAL_CHANNELS = ("cam", "screen")
SIGNAL_KINDS = ("offer", "answer", "ice", "notice")  # notice: a peer's own message (mesh.js)


class Refused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def error_frame(code: str, message: str, about: str | None = None) -> dict:
    return {"type": "error", "code": code, "message": message, "about": about}


async def _admit(ws: WebSocket, sb: Sandbox) -> tuple[dict, dict, str] | None:
    """(session, user, role) for an allowed connection; otherwise refuse it and return None."""
    user = current_user(ws)
    session = load_session(sb.db, ws.path_params["id"])
    role = role_in(sb.db, session, user["id"]) if session and signed_in(user) else None
    origin = ws.headers.get("origin")
    refusal = (
        # Cross-site pages may not use a visitor's cookie here (browsers always send Origin).
        (4403, "bad-origin", "Connections from other sites are refused")
        if origin and urlsplit(origin).netloc != ws.headers.get("host") else
        (4401, "unauthorized", "Sign in first") if not signed_in(user) else
        (4404, "not-found", "No such session") if session is None else
        (4403, "forbidden", "Join the session first") if role is None else
        (4410, "ended", "This session has ended") if session["status"] == "ended" else None
    )
    if refusal:
        await ws.send_json(error_frame(refusal[1], refusal[2]))
        await ws.close(refusal[0])
        return None
    return session, user, role


def push_presence(sb: Sandbox, session: dict, newcomer: Peer | None = None) -> None:
    if sb.faults.on("participants_not_live"):
        return
    message = {"type": "presence", "participants": participants(sb, session)}
    delay_ms = sb.faults.number("participant_update_delay") if newcomer else 0
    if delay_ms:  # the newcomer sees the list at once; everyone else hears of it late
        sb.hub.send(newcomer, message)
        sb.hub.broadcast_later(session["id"], message, delay_ms / 1000, exclude=newcomer)
    else:
        sb.hub.broadcast(session["id"], message)


async def room_socket(ws: WebSocket) -> None:
    sb = sandbox_of(ws)
    await ws.accept()
    admitted = await _admit(ws, sb)
    if admitted is None:
        return
    session, user, role = admitted
    room, peer = sb.hub.join(session, user, role, ws)
    try:
        _welcome(sb, session, room, peer)
        while True:
            frame = await ws.receive()
            if frame["type"] == "websocket.disconnect":
                break
            handle_frame(sb, room, peer, frame)
    finally:
        _farewell(sb, session, room, peer)


def _welcome(sb: Sandbox, session: dict, room: Room, peer: Peer) -> None:
    if peer.role == "host" and session["status"] == "waiting":
        # The session goes live when its host walks into the room.
        sb.db.execute("UPDATE sessions SET status = 'active', updated_at = ? WHERE id = ? AND status = 'waiting'",
                      (now_iso(), session["id"]))
        session["status"] = "active"
        sb.hub.broadcast(session["id"], {"type": "session-status", "status": "active"}, exclude=peer)
    sb.hub.send(peer, {
        "type": "welcome",
        "peer_id": peer.peer_id,
        "you": peer.public(),
        "peers": [p.public() for p in room.peers.values() if p is not peer],
        "share": room.share.public() if room.share else None,
        "recordings": recordings_state(sb.db, session["id"]),
        "status": session["status"],
    })
    sb.hub.broadcast(session["id"], {"type": "peer-joined", "peer": peer.public()}, exclude=peer)
    push_presence(sb, session, newcomer=peer)


def _farewell(sb: Sandbox, session: dict, room: Room, peer: Peer) -> None:
    sb.hub.leave(room, peer)
    if room.share and peer in (room.share.sharer, room.share.controller):
        if peer is room.share.sharer:
            room.share = None
        else:
            room.share.controller = room.share.sharer
        sb.hub.broadcast(session["id"], {"type": "share", "share": room.share.public() if room.share else None})
    sb.hub.broadcast(session["id"], {"type": "peer-left", "peer": peer.public()})
    if peer.role == "host" and room.peer_of_user(peer.username) is None:
        stop_active_recording(sb, session["id"])
    push_presence(sb, session)


def handle_frame(sb: Sandbox, room: Room, peer: Peer, frame: dict, handlers: dict | None = None) -> None:
    """Parse one frame and run its type's handler (from `handlers`, this room's by default)."""
    handlers = HANDLERS if handlers is None else handlers
    text = frame.get("text")
    if text is None:
        sb.hub.send(peer, error_frame("bad-frame", "Send JSON text frames, not binary"))
        return
    if len(text) > MAX_FRAME_CHARS:
        sb.hub.send(peer, error_frame("too-large", f"Frames may be at most {MAX_FRAME_CHARS} characters"))
        return
    try:
        message = json.loads(text)
    except ValueError:
        sb.hub.send(peer, error_frame("bad-json", "The frame is not valid JSON"))
        return
    kind = message.get("type") if isinstance(message, dict) else None
    handler = handlers.get(kind) if isinstance(kind, str) else None
    if handler is None:
        sb.hub.send(peer, error_frame("unknown-type", f"Unknown message type {kind!r}; known: {', '.join(handlers)}",
                                      kind if isinstance(kind, str) else None))
        return
    try:
        handler(sb, room, peer, message)
    except Refused as exc:
        sb.hub.send(peer, error_frame(exc.code, exc.message, kind))


# --- message handlers: each validates fully before it changes anything ----------------


def on_ping(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    sb.hub.send(peer, {"type": "pong", "id": message.get("id"), "server_time": now_iso()})


def on_signal(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    target = room.peers.get(message.get("to")) if isinstance(message.get("to"), str) else None
    if target is None or target is peer:
        raise Refused("unknown-peer", "'to' must be the peer_id of another peer in this room")
    if message.get("channel") not in SIGNAL_CHANNELS:
        raise Refused("bad-signal", f"'channel' must be one of {SIGNAL_CHANNELS}")
    if message.get("kind") not in SIGNAL_KINDS:
        raise Refused("bad-signal", f"'kind' must be one of {SIGNAL_KINDS}")
    data = message.get("data")
    if not (isinstance(data, dict) or (data is None and message["kind"] == "ice")):
        raise Refused("bad-signal", "'data' must be an object (null only for the end of ICE candidates)")
    sb.hub.send(target, {"type": "signal", "from": peer.peer_id, "channel": message["channel"],
                         "kind": message["kind"], "data": data})


def on_chat(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    try:
        post_chat(sb, room, peer, message)
    except ChatRefused as exc:
        raise Refused("invalid-chat", str(exc))


def _push_share(sb: Sandbox, room: Room) -> None:
    sb.hub.broadcast(room.session_id, {"type": "share", "share": room.share.public() if room.share else None})


def on_share_start(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    if room.share and room.share.sharer is not peer:
        raise Refused("busy", f"{room.share.sharer.display_name} is already sharing their screen")
    room.share = ScreenShare(sharer=peer, controller=peer)
    _push_share(sb, room)


def on_share_stop(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    if room.share is None:
        raise Refused("not-sharing", "Nobody is sharing a screen")
    if peer not in (room.share.sharer, room.share.controller):
        raise Refused("not-allowed", "Only the sharer or whoever has control can stop sharing")
    room.share = None
    _push_share(sb, room)


def on_control_pass(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    share = room.share
    if share is None:
        raise Refused("not-sharing", "Nobody is sharing a screen")
    if peer not in (share.sharer, share.controller):
        raise Refused("not-allowed", "Only the sharer or whoever has control can pass control")
    to = message.get("to")
    target = room.peer_of_user(to) if isinstance(to, str) else None
    if target is None:
        raise Refused("unknown-user", "'to' must be the username of someone connected to this room")
    sb.hub.send(peer, {"type": "control-ack", "to": target.username, "display_name": target.display_name})
    if sb.faults.on("control_not_passed"):
        return
    share.controller = target
    _push_share(sb, room)


def _unit(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value <= 1


def on_cursor(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    if room.share is None or room.share.controller is not peer:
        raise Refused("not-allowed", "Only whoever has control can move the cursor")
    x, y, sent_at, seq = message.get("x"), message.get("y"), message.get("sent_at"), message.get("seq", 0)
    if not (_unit(x) and _unit(y)):
        raise Refused("bad-cursor", "'x' and 'y' must be numbers from 0 to 1")
    if not isinstance(sent_at, (int, float)) or isinstance(sent_at, bool) or not isinstance(seq, int):
        raise Refused("bad-cursor", "'sent_at' (ms since epoch) and 'seq' (integer) are required")
    if sb.faults.on("cursor_not_synced"):
        return
    if sb.faults.on("cursor_mirrored"):
        x = 1 - x
    relayed = {"type": "cursor", "x": x, "y": y, "click": bool(message.get("click")), "seq": seq, "sent_at": sent_at,
               "from": peer.username, "display_name": peer.display_name}
    if delay_ms := sb.faults.number("cursor_delay"):
        sb.hub.broadcast_later(room.session_id, relayed, delay_ms / 1000, exclude=peer)
    else:
        sb.hub.broadcast(room.session_id, relayed, exclude=peer)


HANDLERS = {
    "ping": on_ping,
    "signal": on_signal,
    "chat": on_chat,
    "share-start": on_share_start,
    "share-stop": on_share_stop,
    "control-pass": on_control_pass,
    "cursor": on_cursor,
}

routes = [WebSocketRoute("/ws/session/{id}", room_socket)]

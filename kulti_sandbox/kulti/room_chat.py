"""Chat in the session room (runbook Part D test 9): validate, store, echo, relay.

The sender gets its own message back at once (with the server's id and timestamp); the
others get it through the hub. The chat_* faults each break one of those steps.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kulti_sandbox.db import Database, new_id, now_iso
from kulti_sandbox.kulti.room_hub import Peer, Room
from kulti_sandbox.state import Sandbox

MAX_CHAT_CHARS = 2000


class ChatRefused(ValueError):
    """A message the room will not accept; its text is shown to the sender."""


def chat_history(db: Database, session_id: str, limit: int = 500) -> list[dict]:
    rows = db.query(
        """SELECT * FROM (
             SELECT m.id, m.content, m.created_at, m.rowid AS seq, p.username, p.display_name
             FROM session_messages m JOIN profiles p ON p.id = m.user_id
             WHERE m.session_id = ? ORDER BY m.created_at DESC, m.rowid DESC LIMIT ?
           ) ORDER BY created_at, seq""",
        (session_id, limit),
    )
    return [public_message(r["id"], r["content"], r["created_at"], r["username"], r["display_name"]) for r in rows]


def public_message(mid: str, text: str, created_at: str, username: str, display_name: str) -> dict:
    return {"id": mid, "text": text, "created_at": created_at,
            "sender": {"username": username, "display_name": display_name}}


def checked_text(message: dict) -> str:
    text = message.get("text")
    if not isinstance(text, str):
        raise ChatRefused("Chat message text must be a string")
    if not text.strip():
        raise ChatRefused("Message is empty")
    if len(text) > MAX_CHAT_CHARS:
        raise ChatRefused(f"Message is too long ({len(text)} characters; at most {MAX_CHAT_CHARS})")
    return text.strip()


def _sender(sb: Sandbox, room: Room, peer: Peer) -> tuple[str, str, str]:
    """(user id, username, display name) the message is stored and shown under."""
    if sb.faults.on("chat_wrong_sender") and peer.user_id != room.host_id:
        host = sb.db.query_one("SELECT id, username, display_name FROM profiles WHERE id = ?", (room.host_id,))
        return host["id"], host["username"], host["display_name"]
    return peer.user_id, peer.username, peer.display_name


def _timestamp(sb: Sandbox) -> str:
    if minutes := sb.faults.number("chat_wrong_timestamp"):  # e.g. local time stored as if it were UTC
        return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat()
    return now_iso()


def _stored_text(sb: Sandbox, text: str) -> str:
    if sb.faults.on("chat_mangle_emoji"):
        text = "".join(c if c.isascii() else "?" for c in text)
    if sb.faults.on("chat_lowercase"):
        text = text.lower()
    return text


def post_chat(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    """Store and deliver one chat message; raises ChatRefused for bad input (nothing stored)."""
    text = _stored_text(sb, checked_text(message))
    user_id, username, display_name = _sender(sb, room, peer)
    mid, ts = new_id(), _timestamp(sb)
    if not sb.faults.on("chat_not_stored"):
        sb.db.insert("session_messages", {"id": mid, "session_id": room.session_id, "user_id": user_id,
                                          "content": text, "created_at": ts})
    frame = {"type": "chat", "message": public_message(mid, text, ts, username, display_name)}
    echo = {**frame, "nonce": str(nonce)[:64]} if (nonce := message.get("nonce")) else frame
    if echo_ms := sb.faults.number("chat_slow_echo"):  # the page shows our own message only once echoed
        sb.hub.send_later(peer, echo, echo_ms / 1000)
    else:
        sb.hub.send(peer, echo)
    if sb.faults.on("chat_sender_only"):
        return
    delay_ms = sb.faults.number("chat_delay")
    if delay_ms:
        sb.hub.broadcast_later(room.session_id, frame, delay_ms / 1000, exclude=peer)
    else:
        sb.hub.broadcast(room.session_id, frame, exclude=peer)

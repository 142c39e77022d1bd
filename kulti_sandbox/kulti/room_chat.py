"""Chat in the session room (runbook Part D test 9): validate, store, echo, relay.

The sender gets its own message back at once (with the server's id and timestamp); the
others get it through the hub. The chat_* faults each break one of those steps. The
kulti-2025-11 shape's room (shapes/kulti_2025_11/room_socket.py) stores in its own table
but goes through accept_chat, should_store and relay_chat, so the same faults act there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from kulti_sandbox.db import Database, new_id, now_iso
from kulti_sandbox.kulti.room_hub import Peer, Room
from kulti_sandbox.kulti.sessions import shifted_iso
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


@dataclass
class ChatLine:
    """One accepted message as it is stored and shown, after the chat_* faults had their say."""

    id: str
    session_id: str
    user_id: str
    username: str
    display_name: str
    text: str
    created_at: str


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


def accept_chat(sb: Sandbox, room: Room, peer: Peer, message: dict) -> ChatLine:
    """Validate a chat frame and decide what gets stored; raises ChatRefused (nothing stored).
    Every shape's room calls this, so the content faults act on all of them."""
    text = _stored_text(sb, checked_text(message))
    user_id, username, display_name = _sender(sb, room, peer)
    return ChatLine(new_id(), room.session_id, user_id, username, display_name, text, _timestamp(sb))


def should_store(sb: Sandbox) -> bool:
    return not sb.faults.on("chat_not_stored")


def store_chat(sb: Sandbox, table: str, row: dict) -> None:
    """Insert a chat row (every shape's room, in its own table). What is relayed and shown is the
    message as sent: these faults change only the stored rows. chat_stored_twice inserts a copy
    (its own id, 1 ms later); chat_stored_reordered stores the row 1 ms before the session's row
    stored last, so created_at order is the reverse of the order sent."""
    with sb.db.transaction() as tx:
        if sb.faults.on("chat_stored_reordered"):
            last = tx.execute(f"SELECT created_at FROM {table} WHERE session_id = ? ORDER BY rowid DESC LIMIT 1",
                              (row["session_id"],)).fetchone()
            if last is not None:
                row = {**row, "created_at": shifted_iso(last[0], milliseconds=-1)}
        copies = [row]
        if sb.faults.on("chat_stored_twice"):
            copies.append({**row, "id": new_id(), "created_at": shifted_iso(row["created_at"], milliseconds=1)})
        for r in copies:
            tx.execute(f"INSERT INTO {table} ({', '.join(r)}) VALUES ({', '.join('?' * len(r))})", tuple(r.values()))


def relay_chat(sb: Sandbox, room: Room, sender: Peer, frame: dict, echo: dict | None = None) -> None:
    """Deliver a stored message: `echo` straight back to the sender, `frame` to the others.

    Without an echo (a room whose page shows even its own messages only when the change
    notification arrives, as the launched app's Realtime re-fetch does) the sender gets
    `frame` with everyone else, so chat_delay makes it late on the sender's page too.
    """
    relay_ms = sb.faults.number("chat_delay")
    echo_ms = sb.faults.number("chat_slow_echo") + (0 if echo else relay_ms)
    if echo_ms:
        sb.hub.send_later(sender, echo or frame, echo_ms / 1000)
    else:
        sb.hub.send(sender, echo or frame)
    if sb.faults.on("chat_sender_only"):
        return
    if relay_ms:
        sb.hub.broadcast_later(room.session_id, frame, relay_ms / 1000, exclude=sender)
    else:
        sb.hub.broadcast(room.session_id, frame, exclude=sender)


def post_chat(sb: Sandbox, room: Room, peer: Peer, message: dict) -> None:
    """The runbook room: store in session_messages, echo to the sender, relay to the others."""
    line = accept_chat(sb, room, peer, message)
    if should_store(sb):
        store_chat(sb, "session_messages", {"id": line.id, "session_id": line.session_id, "user_id": line.user_id,
                                            "content": line.text, "created_at": line.created_at})
    frame = {"type": "chat", "message": public_message(line.id, line.text, line.created_at, line.username,
                                                       line.display_name)}
    echo = {**frame, "nonce": str(nonce)[:64]} if (nonce := message.get("nonce")) else frame
    relay_chat(sb, room, peer, frame, echo)

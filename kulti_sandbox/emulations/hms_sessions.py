"""100ms sessions: "a single continuous call in a room; a single room can have multiple
sessions" (100mslive/100ms-docs, docs/server-side/v2/api-reference/Sessions/object.mdx). A
session starts when the first peer joins an empty room and ends when the last one leaves; the
next join starts a new session with a new id.

The room hub (kulti/room_hub.py), which stands in for 100ms's media servers, calls `begin` and
`end` at those two moments; the active-rooms API shows the live session and the recordings API
the session each recording was made in. Rows live in `hms_sessions` (db.py).
"""

from __future__ import annotations

from kulti_sandbox.emulations.hms_wire import derived_id, now_live_time, object_id, to_ns


def begin(db, room_id: str, created_at: str | None = None) -> str:
    """The room's live session, started now (or at `created_at`) unless one is already live."""
    live_one = live(db, room_id)
    if live_one is not None:
        return live_one["id"]
    created_at = created_at or now_live_time()
    session_id = object_id(to_ns(created_at))
    db.insert("hms_sessions", {"id": session_id, "room_id": room_id, "created_at": created_at})
    return session_id


def end(db, room_id: str, ended_at: str | None = None) -> None:
    db.execute("UPDATE hms_sessions SET ended_at = ? WHERE room_id = ? AND ended_at IS NULL",
               (ended_at or now_live_time(), room_id))


def live(db, room_id: str) -> dict | None:
    return db.query_one("SELECT * FROM hms_sessions WHERE room_id = ? AND ended_at IS NULL", (room_id,))


def of_recording(db, room_id: str, started_at: str, recording_id: str) -> str:
    """The session a recording was made in: the room's session live when it started.

    A recording started with nobody in the room (the kulti shape's API lets a host start one
    from a page not yet connected) would, on 100ms, have opened a session with the recorder's
    own join; the sandbox names that one after the recording."""
    started = to_ns(started_at)
    for row in db.query("SELECT * FROM hms_sessions WHERE room_id = ?", (room_id,)):
        if to_ns(row["created_at"]) <= started and (row["ended_at"] is None or started < to_ns(row["ended_at"])):
            return row["id"]
    return derived_id("session", f"{room_id}:{recording_id}")

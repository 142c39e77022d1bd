"""Sessions as the launched app stores and lists them (app/api/sessions/create and /browse's
query), shared by the pages and the API route. The dashboard's "Live Now" is fetched by the
browser from PostgREST (static/live-now.js)."""

from __future__ import annotations

from kulti_sandbox.db import Database, new_id, now_iso
from kulti_sandbox.kulti.sessions import kept_fields, shifted_iso, store_twin, stored_values
from kulti_sandbox.shapes.kulti_2025_11.seed import hms_room_id, room_code
from kulti_sandbox.state import Sandbox

CARD_SQL = """SELECT s.*, p.display_name AS host_display_name, p.username AS host_username,
                     (SELECT COUNT(*) FROM session_participants sp WHERE sp.session_id = s.id) AS viewers
              FROM sessions s JOIN profiles p ON p.id = s.host_id"""


def store_newest_live_twice(db: Database) -> None:
    """dashboard_duplicate_card: the newest live public session, the first "Live Now" card, stored twice."""
    store_twin(db, db.query("SELECT * FROM sessions WHERE status = 'live' AND is_public = 1 ORDER BY started_at DESC "
                            "LIMIT 2"), ("started_at", "created_at", "updated_at"),
               {"id": new_id(), "room_code": unused_room_code(db), "hms_room_id": hms_room_id()})


def browse_sessions(db: Database) -> list[dict]:
    """/browse, sorted 'featured': boosted first, then featured_rank, then newest."""
    return db.query(CARD_SQL + """ WHERE s.is_public = 1
        ORDER BY (s.boosted_until IS NOT NULL AND s.boosted_until > ?) DESC, s.featured_rank DESC,
                 s.created_at DESC""", (now_iso(),))


def unused_room_code(db: Database) -> str:
    code = room_code()
    for _ in range(5):
        if not db.query_one("SELECT 1 FROM sessions WHERE room_code = ?", (code,)):
            break
        code = room_code()
    return code


def create_live_session(sb: Sandbox, host_id: str, title: str, description: str | None,
                        is_public: bool, max_presenters: int, rtmp: bool) -> dict | None:
    """The row the real route inserts (status live, started now), and the host as participant.
    The session_* faults corrupt what the row says (kulti.sessions.stored_values); with
    session_not_stored nothing is stored and None comes back; with session_stored_twice a copy a
    moment newer is stored too, and the first is returned."""
    if sb.faults.on("session_not_stored"):
        return None
    ts = now_iso()
    first = _insert(sb, host_id, title, description, is_public, max_presenters, rtmp, ts)
    if sb.faults.on("session_stored_twice"):
        _insert(sb, host_id, title, description, is_public, max_presenters, rtmp, shifted_iso(ts, milliseconds=1))
    return first


def _insert(sb: Sandbox, host_id: str, title: str, description: str | None, is_public: bool,
            max_presenters: int, rtmp: bool, ts: str) -> dict:
    db = sb.db
    values = stored_values(sb, host_id, title, "live", ts)
    description = kept_fields(sb, {"description": description})["description"] or None
    row = {
        "id": new_id(), "room_code": unused_room_code(db), "title": values["title"], "description": description,
        "host_id": values["host_id"], "hms_room_id": hms_room_id(), "status": values["status"],
        "is_public": int(is_public), "max_presenters": max_presenters, "started_at": ts, "rtmp_enabled": int(rtmp),
        "created_at": values["created_at"], "updated_at": ts,
    }
    with db.transaction() as tx:
        tx.execute(f"INSERT INTO sessions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                   tuple(row.values()))
        tx.execute("INSERT INTO session_participants (id, session_id, user_id, role, joined_at) VALUES (?, ?, ?, ?, ?)",
                   (new_id(), row["id"], host_id, "host", ts))
    return db.query_one("SELECT * FROM sessions WHERE id = ?", (row["id"],))

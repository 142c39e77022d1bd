"""100ms server API v2 emulation (recordings, active rooms), mounted at /hms.

Shapes follow the 100ms docs (100mslive/100ms-docs, docs/server-side/v2/api-reference/
recordings/*, active-rooms/*, how-to-guides/make-api-calls.mdx) and the official server SDK
types (100mslive/server-sdks, nodejs/src/types/api_types/common.ts).

Status mapping, Kulti row -> 100ms recording job status:
  recording  -> running          (job is capturing)
  processing -> post_processing  (stopped, assets being built; 100ms has no "processing")
  completed  -> completed
  failed     -> failed
100ms also has starting/stopping; Kulti never stores those transient states.

List pages take `limit` 10 to 100 (default 10) and refuse any other with 400; a recording's
`session_id` is the 100ms session it was made in (hms_sessions.py), and an active room's
session is its live one, a new id each time the room fills again. Who may call (401, and 403
for another workspace's token): hms_auth.py. Times and ids as 100ms writes them: hms_wire.py.

Fault recording_not_listed_by_hms: GET /v2/recordings lists nothing (GET /v2/recordings/{id} still answers).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kulti_sandbox.db import RUNBOOK
from kulti_sandbox.emulations import hms_sessions
from kulti_sandbox.emulations.hms_auth import caller, forbidden
from kulti_sandbox.emulations.hms_wire import derived_id, hms_error, live_time, stored_time, to_ns
from kulti_sandbox.state import sandbox_of

STATUS_MAP = {"recording": "running", "processing": "post_processing", "completed": "completed", "failed": "failed"}
# make-api-calls.mdx, "Params used for pagination": limit "Default value: 10, Allowed range: 10-100".
DEFAULT_LIMIT, MIN_LIMIT, MAX_LIMIT = 10, 10, 100
# Not documented by 100ms: the messages for a missing recording and an unknown room.
RECORDING_NOT_FOUND = "recording not found"
ROOM_NOT_FOUND = "Room not found"  # the text 100ms documents for room-code / stream-key APIs
ROOM_NOT_ACTIVE = "room not active"

RECORDING_COLUMNS = """
    r.hms_recording_id, r.status, r.started_by, r.started_at, r.stopped_at, r.duration, r.size,
    r.file_path, r.mime_type, r.created_at, r.updated_at, s.hms_room_id
"""


# ---- recordings -------------------------------------------------------------------------

def session_of(db, row: dict) -> str:
    return hms_sessions.of_recording(db, row["hms_room_id"], row["started_at"], row["hms_recording_id"])


def recording_asset(row: dict, session_id: str) -> dict:
    return {
        "id": derived_id("asset", row["hms_recording_id"]),
        "job_id": row["hms_recording_id"],
        "room_id": row["hms_room_id"],
        "session_id": session_id,
        "type": "room-composite",
        "path": row.get("file_path") or "",
        "status": "completed",
        "size": int(row.get("size") or 0),
        "duration": int(round(row.get("duration") or 0)),  # whole seconds, as in the docs' example
        "created_at": stored_time(row["updated_at"]),
        "thumbnails": None,
        "metadata": {"media_type": row["mime_type"]} if row.get("mime_type") else {},
    }


def recording_object(row: dict, with_assets: bool, session_id: str) -> dict:
    """One 100ms recording job from a recordings row joined with its session's hms_room_id."""
    status = STATUS_MAP.get(row["status"], row["status"])
    obj = {
        "id": row["hms_recording_id"],
        "room_id": row["hms_room_id"],
        "session_id": session_id,
        "status": status,
        "created_at": stored_time(row["created_at"]),
        "started_at": stored_time(row["started_at"]),
        "updated_at": stored_time(row["updated_at"]),
        "stopped_at": stored_time(row["stopped_at"]) if status != "running" else None,
        "meeting_url": "",  # SDK-started recordings have no composing browser URL
        "started_by": row.get("started_by") or "",
        "stopped_by": "",
        "asset_types": ["room-composite"],
    }
    if with_assets:  # the list API leaves assets out (list-all-recordings.mdx)
        obj["recording_assets"] = [recording_asset(row, session_id)] if status == "completed" else None
    return obj


JOB_COLUMNS = """
    j.hms_recording_id, j.status, j.started_by, j.started_at, j.stopped_at, j.duration, j.size,
    j.file_path, j.mime_type, j.created_at, j.updated_at, j.room_id AS hms_room_id
"""


def _recordings_sql(db) -> str:
    """Where 100ms's jobs are: Kulti's own table when the host's page records (the runbook shape),
    100ms's job table when the app starts recordings through 100ms (the kulti shape)."""
    if db.schema is RUNBOOK:
        return f"SELECT {RECORDING_COLUMNS} FROM recordings r JOIN sessions s ON s.id = r.session_id"
    return f"SELECT {JOB_COLUMNS} FROM hms_recording_jobs j"


def recording_rows(db, room_id: str | None = None, recording_id: str | None = None) -> list[dict]:
    sql = f"SELECT * FROM ({_recordings_sql(db)})"
    where = [(c, v) for c, v in (("hms_room_id", room_id), ("hms_recording_id", recording_id)) if v is not None]
    if where:
        sql += " WHERE " + " AND ".join(f"{c} = ?" for c, _ in where)
    return db.query(sql + " ORDER BY created_at DESC, hms_recording_id DESC", tuple(v for _, v in where))


def parse_limit(raw: str | None) -> int | None:
    """The page size asked for, or None when it is outside what 100ms allows. The docs give the
    range and no clamping; 100ms answers a query parameter it does not accept with 400 (room
    codes' list: "Invalid query parameter | 400")."""
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        return None
    return limit if MIN_LIMIT <= limit <= MAX_LIMIT else None


def invalid_limit() -> JSONResponse:
    # Worded as 100ms words a refused body parameter (create-large-rooms.mdx), for the query.
    return hms_error(400, "Invalid query param",
                     [f"Invalid query param: limit must be between {MIN_LIMIT} and {MAX_LIMIT}"])


def recordings_page(db, room_id=None, session_id=None, status=None, limit=DEFAULT_LIMIT, start=None) -> dict:
    """Newest first; `start` is the `last` id of the previous page and is itself excluded."""
    rows = [(row, session_of(db, row)) for row in recording_rows(db, room_id)]
    if session_id:
        rows = [(r, s) for r, s in rows if s == session_id]
    if status:
        rows = [(r, s) for r, s in rows if STATUS_MAP.get(r["status"]) == status]
    if start:
        ids = [r["hms_recording_id"] for r, _ in rows]
        rows = rows[ids.index(start) + 1:] if start in ids else []
    data = [recording_object(r, with_assets=False, session_id=s) for r, s in rows[:limit]]
    page = {"limit": limit, "data": data}
    if data:
        page["last"] = data[-1]["id"]
    return page


def _room_is_ours(db, room_id: str | None) -> bool:
    return bool(room_id) and db.query_one("SELECT 1 FROM sessions WHERE hms_room_id = ?", (room_id,)) is not None


async def list_recordings(request: Request) -> JSONResponse:
    denied, own = caller(request)
    if denied:
        return denied
    q, db = request.query_params, sandbox_of(request).db
    limit = parse_limit(q.get("limit"))
    if limit is None:
        return invalid_limit()
    if not own:  # another workspace: it has no recordings, and this one's rooms are not its to read
        return forbidden() if _room_is_ours(db, q.get("room_id")) else JSONResponse({"limit": limit, "data": []})
    page = recordings_page(db, room_id=q.get("room_id") or None, session_id=q.get("session_id") or None,
                           status=q.get("status") or None, limit=limit, start=q.get("start") or None)
    if sandbox_of(request).faults.on("recording_not_listed_by_hms"):
        page = {"limit": page["limit"], "data": []}
    return JSONResponse(page)


async def get_recording(request: Request) -> JSONResponse:
    denied, own = caller(request)
    if denied:
        return denied
    db = sandbox_of(request).db
    rows = recording_rows(db, recording_id=request.path_params["recording_id"])
    if not rows:
        return hms_error(404, RECORDING_NOT_FOUND)
    if not own:
        return forbidden()
    return JSONResponse(recording_object(rows[0], with_assets=True, session_id=session_of(db, rows[0])))


# ---- active rooms -----------------------------------------------------------------------

def live_peers(sb, room_id: str) -> list[dict]:
    """Presence from the Kulti room hub; an empty room while the hub cannot tell us."""
    peers = getattr(sb.hub, "peers", None)
    found = list(peers(room_id) or []) if callable(peers) else []
    if sb.faults.on("hms_peer_missing") and found:
        # The newest joiner is in Kulti's room but never reached the video service.
        found.remove(max(found, key=lambda p: to_ns(p["joined_at"])))
    return found


def peer_object(peer: dict) -> dict:
    return {
        "id": peer["peer_id"],
        "name": peer.get("name") or "",
        "user_id": peer.get("user_id") or "",
        "metadata": "",  # a string in 100ms, not an object
        "role": peer.get("role") or "",
        "joined_at": live_time(peer.get("joined_at")),
    }


def known_room(sb, room_id: str) -> dict | None:
    return sb.db.query_one("SELECT id, hms_room_id FROM sessions WHERE hms_room_id = ?", (room_id,))


def _room_or_refusal(request: Request) -> tuple[dict | None, JSONResponse | None]:
    """The active-rooms APIs' checks in order: token, the room exists, it is the caller's."""
    denied, own = caller(request)
    if denied:
        return None, denied
    sb = sandbox_of(request)
    room = None if sb.faults.on("hms_room_unknown") else known_room(sb, request.path_params["room_id"])
    if room is None:
        return None, hms_error(404, ROOM_NOT_FOUND)
    return (room, None) if own else (None, forbidden())


async def list_peers(request: Request) -> JSONResponse:
    room, refused = _room_or_refusal(request)
    if refused:
        return refused
    q = request.query_params
    peers = [peer_object(p) for p in live_peers(sandbox_of(request), room["hms_room_id"])]
    # Documented filters; no match is an empty "peers" map, not an error (list-peers.mdx).
    peers = [p for p in peers if (not q.get("user_id") or p["user_id"] == q["user_id"])
             and (not q.get("role") or p["role"] == q["role"])]
    return JSONResponse({"peers": {p["id"]: p for p in peers}})


async def get_active_room(request: Request) -> JSONResponse:
    room, refused = _room_or_refusal(request)
    if refused:
        return refused
    sb, room_id = sandbox_of(request), room["hms_room_id"]
    raw = live_peers(sb, room_id)
    session = hms_sessions.live(sb.db, room_id)
    if not raw or session is None:  # no live session: the room is not active
        return hms_error(404, ROOM_NOT_ACTIVE)
    return JSONResponse({
        "id": room_id,
        "name": room["id"],
        "customer_id": derived_id("customer", sb.config.credentials.hms_access_key),
        "session": {
            "id": session["id"],
            "created_at": live_time(session["created_at"]),
            "peers": [p["peer_id"] for p in raw],
        },
    })


routes = [
    Route("/v2/recordings", list_recordings, methods=["GET"]),
    Route("/v2/recordings/{recording_id}", get_recording, methods=["GET"]),
    Route("/v2/active-rooms/{room_id}", get_active_room, methods=["GET"]),
    Route("/v2/active-rooms/{room_id}/peers", list_peers, methods=["GET"]),
]

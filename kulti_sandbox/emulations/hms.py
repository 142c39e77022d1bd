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

Fault recording_not_listed_by_hms: GET /v2/recordings lists nothing (GET /v2/recordings/{id} still answers).
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kulti_sandbox.db import RUNBOOK
from kulti_sandbox.state import sandbox_of

STATUS_MAP = {"recording": "running", "processing": "post_processing", "completed": "completed", "failed": "failed"}
DEFAULT_LIMIT = 10  # make-api-calls.mdx: default 10
MAX_LIMIT = 100  # make-api-calls.mdx: allowed range up to 100
CLOCK_SKEW_S = 10  # the 100ms SDKs back-date iat by 10 s, so the server must tolerate that much
# Not documented by 100ms: the messages for a missing recording and an unknown room.
RECORDING_NOT_FOUND = "recording not found"
ROOM_NOT_FOUND = "Room not found"  # the text 100ms documents for room-code / stream-key APIs
ROOM_NOT_ACTIVE = "room not active"

RECORDING_COLUMNS = """
    r.hms_recording_id, r.status, r.started_by, r.started_at, r.stopped_at, r.duration, r.size,
    r.file_path, r.mime_type, r.created_at, r.updated_at, s.hms_room_id
"""


# ---- formats ----------------------------------------------------------------------------

def parse_time(value: str) -> datetime:
    """An ISO timestamp as an aware UTC datetime (naive ones are taken as UTC)."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def hms_time(value: str | None) -> str | None:
    """Go's RFC 3339 with nanoseconds as 100ms renders it: UTC, trailing zeros dropped, 'Z'."""
    if not value:
        return None
    dt = parse_time(value)
    frac = f"{dt.microsecond:06d}".rstrip("0")
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + (f".{frac}" if frac else "") + "Z"


def derived_id(kind: str, key: str) -> str:
    """A stable 24-hex id (100ms ids are Mongo ObjectIds) for things Kulti does not store."""
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()[:24]


def session_id_for_room(hms_room_id: str) -> str:
    # One Kulti session is one 100ms room with, in practice, one live 100ms session.
    return derived_id("session", hms_room_id)


def hms_error(status: int, message: str, details: list[str] | None = None) -> JSONResponse:
    # 401 bodies carry "details" (make-api-calls.mdx); other errors "data.description"
    # (request-and-response.mdx).
    if details is not None:
        body = {"code": status, "message": message, "details": details}
    else:
        body = {"code": status, "message": message, "data": {"description": message}}
    return JSONResponse(body, status_code=status)


# ---- auth -------------------------------------------------------------------------------

def token_problem(authorization: str | None, credentials) -> str | None:
    """Why the management token is not acceptable, or None when it is."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "not found"
    try:
        claims = jwt.decode(token.strip(), credentials.hms_app_secret, algorithms=["HS256"],
                            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False})
    except jwt.InvalidSignatureError:
        return "signature is invalid"
    except jwt.PyJWTError:
        return "token is malformed"
    now = time.time()
    if claims.get("access_key") != credentials.hms_access_key:
        return "invalid access key"
    if claims.get("type") != "management" or claims.get("version") != 2:
        return "invalid token type"
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= now:
        return "token is expired"
    if isinstance(claims.get("nbf"), (int, float)) and claims["nbf"] > now + CLOCK_SKEW_S:
        return "token is not valid yet"
    return None


def unauthorized(request: Request) -> JSONResponse | None:
    problem = token_problem(request.headers.get("authorization"), sandbox_of(request).config.credentials)
    return hms_error(401, "Token validation error", [problem]) if problem else None


# ---- recordings -------------------------------------------------------------------------

def recording_asset(row: dict) -> dict:
    return {
        "id": derived_id("asset", row["hms_recording_id"]),
        "job_id": row["hms_recording_id"],
        "room_id": row["hms_room_id"],
        "session_id": session_id_for_room(row["hms_room_id"]),
        "type": "room-composite",
        "path": row.get("file_path") or "",
        "status": "completed",
        "size": int(row.get("size") or 0),
        "duration": int(round(row.get("duration") or 0)),  # whole seconds, as in the docs' example
        "created_at": hms_time(row["updated_at"]),
        "thumbnails": None,
        "metadata": {"media_type": row["mime_type"]} if row.get("mime_type") else {},
    }


def recording_object(row: dict, with_assets: bool) -> dict:
    """One 100ms recording job from a recordings row joined with its session's hms_room_id."""
    status = STATUS_MAP.get(row["status"], row["status"])
    obj = {
        "id": row["hms_recording_id"],
        "room_id": row["hms_room_id"],
        "session_id": session_id_for_room(row["hms_room_id"]),
        "status": status,
        "created_at": hms_time(row["created_at"]),
        "started_at": hms_time(row["started_at"]),
        "updated_at": hms_time(row["updated_at"]),
        "stopped_at": hms_time(row["stopped_at"]) if status != "running" else None,
        "meeting_url": "",  # SDK-started recordings have no composing browser URL
        "started_by": row.get("started_by") or "",
        "stopped_by": "",
        "asset_types": ["room-composite"],
    }
    if with_assets:  # the list API leaves assets out (list-all-recordings.mdx)
        obj["recording_assets"] = [recording_asset(row)] if status == "completed" else None
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


def parse_limit(raw: str | None) -> int:
    try:
        limit = int(raw) if raw not in (None, "") else DEFAULT_LIMIT
    except ValueError:
        limit = DEFAULT_LIMIT
    return min(max(limit, 1), MAX_LIMIT)


def recordings_page(db, room_id=None, session_id=None, status=None, limit=DEFAULT_LIMIT, start=None) -> dict:
    """Newest first; `start` is the `last` id of the previous page and is itself excluded."""
    rows = recording_rows(db, room_id)
    if session_id:
        rows = [r for r in rows if session_id_for_room(r["hms_room_id"]) == session_id]
    if status:
        rows = [r for r in rows if STATUS_MAP.get(r["status"]) == status]
    if start:
        ids = [r["hms_recording_id"] for r in rows]
        rows = rows[ids.index(start) + 1:] if start in ids else []
    data = [recording_object(r, with_assets=False) for r in rows[:limit]]
    page = {"limit": limit, "data": data}
    if data:
        page["last"] = data[-1]["id"]
    return page


async def list_recordings(request: Request) -> JSONResponse:
    if denied := unauthorized(request):
        return denied
    q = request.query_params
    page = recordings_page(sandbox_of(request).db, room_id=q.get("room_id") or None,
                           session_id=q.get("session_id") or None, status=q.get("status") or None,
                           limit=parse_limit(q.get("limit")), start=q.get("start") or None)
    if sandbox_of(request).faults.on("recording_not_listed_by_hms"):
        page = {"limit": page["limit"], "data": []}
    return JSONResponse(page)


async def get_recording(request: Request) -> JSONResponse:
    if denied := unauthorized(request):
        return denied
    rows = recording_rows(sandbox_of(request).db, recording_id=request.path_params["recording_id"])
    if not rows:
        return hms_error(404, RECORDING_NOT_FOUND)
    return JSONResponse(recording_object(rows[0], with_assets=True))


# ---- active rooms -----------------------------------------------------------------------

def live_peers(sb, room_id: str) -> list[dict]:
    """Presence from the Kulti room hub; an empty room while the hub cannot tell us."""
    peers = getattr(sb.hub, "peers", None)
    found = list(peers(room_id) or []) if callable(peers) else []
    if sb.faults.on("hms_peer_missing") and found:
        # The newest joiner is in Kulti's room but never reached the video service.
        found.remove(max(found, key=lambda p: parse_time(p["joined_at"])))
    return found


def peer_object(peer: dict) -> dict:
    return {
        "id": peer["peer_id"],
        "name": peer.get("name") or "",
        "user_id": peer.get("user_id") or "",
        "metadata": "",  # a string in 100ms, not an object
        "role": peer.get("role") or "",
        "joined_at": hms_time(peer.get("joined_at")),
    }


def known_room(sb, room_id: str) -> dict | None:
    return sb.db.query_one("SELECT id, hms_room_id FROM sessions WHERE hms_room_id = ?", (room_id,))


async def list_peers(request: Request) -> JSONResponse:
    if denied := unauthorized(request):
        return denied
    sb, room_id = sandbox_of(request), request.path_params["room_id"]
    if known_room(sb, room_id) is None:
        return hms_error(404, ROOM_NOT_FOUND)
    q = request.query_params
    peers = [peer_object(p) for p in live_peers(sb, room_id)]
    # Documented filters; no match is an empty "peers" map, not an error (list-peers.mdx).
    peers = [p for p in peers if (not q.get("user_id") or p["user_id"] == q["user_id"])
             and (not q.get("role") or p["role"] == q["role"])]
    return JSONResponse({"peers": {p["id"]: p for p in peers}})


async def get_active_room(request: Request) -> JSONResponse:
    if denied := unauthorized(request):
        return denied
    sb, room_id = sandbox_of(request), request.path_params["room_id"]
    room = known_room(sb, room_id)
    if room is None:
        return hms_error(404, ROOM_NOT_FOUND)
    raw = live_peers(sb, room_id)
    if not raw:  # no live session: the room is not active
        return hms_error(404, ROOM_NOT_ACTIVE)
    # The session began when its first peer joined; compare instants, not formatted strings.
    first = min(raw, key=lambda p: parse_time(p["joined_at"]))
    return JSONResponse({
        "id": room_id,
        "name": room["id"],
        "customer_id": derived_id("customer", sb.config.credentials.hms_access_key),
        "session": {
            "id": session_id_for_room(room_id),
            "created_at": hms_time(first["joined_at"]),
            "peers": [p["peer_id"] for p in raw],
        },
    })


routes = [
    Route("/v2/recordings", list_recordings, methods=["GET"]),
    Route("/v2/recordings/{recording_id}", get_recording, methods=["GET"]),
    Route("/v2/active-rooms/{room_id}", get_active_room, methods=["GET"]),
    Route("/v2/active-rooms/{room_id}/peers", list_peers, methods=["GET"]),
]

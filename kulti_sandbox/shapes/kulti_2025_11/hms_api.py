"""app/api/hms/get-token: the room page's first call, which decides the 100ms role.

The real route picks the role (host if you are the session's host_id, presenter if your
session_participants row says so, otherwise viewer), adds the participant row if missing
and signs a two-hour 100ms app token. Viewers of rooms past 100 peers would get HLS; the
sandbox's rooms never get that big, so useHLS is always false.

Faults: slow_join=MS (the route answers MS late), join_fails (it answers 500, as when 100ms
token signing fails: the room page shows the error and "Back to Dashboard").
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kulti_sandbox.db import new_id, now_iso
from kulti_sandbox.shapes.kulti_2025_11.api import body_of
from kulti_sandbox.shapes.kulti_2025_11.auth_cookie import access_claims
from kulti_sandbox.state import sandbox_of

MAX_REQUEST_CHARS = 10 * 1024  # the route's own DoS guard


def room_role(db, session: dict, user_id: str) -> str:
    if session["host_id"] == user_id:
        return "host"
    row = db.query_one("SELECT role FROM session_participants WHERE session_id = ? AND user_id = ?",
                       (session["id"], user_id))
    return "presenter" if row and row["role"] == "presenter" else "viewer"


def ensure_participant(db, session_id: str, user_id: str, role: str) -> None:
    db.execute("""INSERT INTO session_participants (id, session_id, user_id, role, joined_at) VALUES (?, ?, ?, ?, ?)
                  ON CONFLICT (session_id, user_id) DO NOTHING""", (new_id(), session_id, user_id, role, now_iso()))


async def get_token(request: Request) -> JSONResponse:
    if len(await request.body()) > MAX_REQUEST_CHARS:
        return JSONResponse({"error": "Request too large"}, 413)
    body = await body_of(request)
    room_id, session_id = body.get("roomId"), body.get("sessionId")
    if not room_id or not session_id:
        return JSONResponse({"error": "Missing required fields"}, 400)
    claims = access_claims(request)
    if claims is None:
        return JSONResponse({"error": "Unauthorized"}, 401)
    sb = sandbox_of(request)
    if delay_ms := sb.faults.number("slow_join"):
        await asyncio.sleep(delay_ms / 1000)
    if sb.faults.on("join_fails"):
        return JSONResponse({"error": "Failed to generate token"}, 500)
    session = sb.db.query_one("SELECT * FROM sessions WHERE id = ?", (str(session_id),))
    if session is None:
        return JSONResponse({"error": "Session not found"}, 404)
    user_id = claims["sub"]
    role = room_role(sb.db, session, user_id)
    ensure_participant(sb.db, session["id"], user_id, role)
    profile = sb.db.query_one("SELECT display_name FROM profiles WHERE id = ?", (user_id,))
    # The real route signs whatever roomId the page sent, not the session's own hms_room_id.
    token, expires_at = sb.config.credentials.hms_app_token(str(room_id), user_id, role)
    return JSONResponse({"token": token, "expiresAt": expires_at,
                         "userName": (profile or {}).get("display_name") or "User",
                         "role": role, "useHLS": False, "hlsStreamUrl": None})


routes = [Route("/api/hms/get-token", get_token, methods=["POST"])]

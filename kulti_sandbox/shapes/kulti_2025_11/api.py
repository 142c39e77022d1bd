"""The launched app's API routes the smoke flows call, with their bodies and answers
(app/api/invites/validate, app/api/auth/complete-phone-signup, app/api/sessions/create)."""

from __future__ import annotations

import asyncio
import json
import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kulti_sandbox.db import new_id, now_iso
from kulti_sandbox.kulti.pages import onboarding_display_name
from kulti_sandbox.shapes.kulti_2025_11.auth_cookie import access_claims
from kulti_sandbox.shapes.kulti_2025_11.seed import room_code
from kulti_sandbox.shapes.kulti_2025_11.sessions import create_live_session
from kulti_sandbox.state import sandbox_of

BOOL_COLUMNS = ("is_public", "rtmp_enabled", "is_approved", "profile_completed", "is_active")


async def body_of(request: Request) -> dict:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    return body if isinstance(body, dict) else {}


def as_json_row(row: dict) -> dict:
    return {k: bool(v) if k in BOOL_COLUMNS else v for k, v in row.items()}


def find_invite(db, code: str) -> tuple[dict | None, str | None]:
    """The active invite and None, or None and the real route's reason."""
    invite = db.query_one("SELECT * FROM invites WHERE code = ? AND is_active = 1", (code,))
    if invite is None:
        return None, "Invalid invite code"
    if invite["current_uses"] >= invite["max_uses"]:
        return None, "Invite code has been fully used"
    if invite["expires_at"] and invite["expires_at"] < now_iso():
        return None, "Invite code has expired"
    return invite, None


async def validate_invite(request: Request) -> JSONResponse:
    code = (await body_of(request)).get("code")
    if not code:
        return JSONResponse({"error": "Code is required"}, 400)
    invite, reason = find_invite(sandbox_of(request).db, str(code))
    if invite is None:
        return JSONResponse({"isValid": False, "error": reason})
    return JSONResponse({"isValid": True, "invite": as_json_row(invite)})


def use_invite(db, invite: dict, user_id: str, metadata: dict) -> None:
    if db.query_one("SELECT 1 FROM invite_uses WHERE invite_id = ? AND used_by = ?", (invite["id"], user_id)):
        return  # the real use_invite_code answers "already used"; the route lets a retry through
    with db.transaction() as tx:
        tx.execute("INSERT INTO invite_uses (id, invite_id, used_by, used_at, metadata) VALUES (?, ?, ?, ?, ?)",
                   (new_id(), invite["id"], user_id, now_iso(), json.dumps(metadata)))
        tx.execute("UPDATE invites SET current_uses = current_uses + 1, updated_at = ? WHERE id = ?",
                   (now_iso(), invite["id"]))


async def complete_phone_signup(request: Request) -> JSONResponse:
    body = await body_of(request)
    fields = ("userId", "email", "password", "username", "displayName", "inviteCode")
    if not all(body.get(f) for f in fields):
        return JSONResponse({"error": "Missing required fields"}, 400)
    claims = access_claims(request)
    if claims is None or claims["sub"] != body["userId"]:
        return JSONResponse({"error": "Unauthorized"}, 401)
    sb = sandbox_of(request)
    if sb.faults.on("onboarding_stuck"):
        return JSONResponse({"success": True})  # nothing stored: the dashboard sends a user without a profile away
    db = sb.db
    uid, username = claims["sub"], str(body["username"])
    taken = db.query_one("SELECT id FROM profiles WHERE username = ?", (username,))
    if taken and taken["id"] != uid:
        return JSONResponse({"error": f'Username "{username}" is already taken'}, 400)
    ts = now_iso()
    db.execute("""INSERT INTO profiles (id, username, display_name, is_approved, created_at, updated_at)
                  VALUES (?, ?, ?, 1, ?, ?)
                  ON CONFLICT (id) DO UPDATE SET username = excluded.username,
                      display_name = excluded.display_name, is_approved = 1, updated_at = excluded.updated_at""",
               (uid, username, onboarding_display_name(sb, username, str(body["displayName"])), ts, ts))
    invite, reason = find_invite(db, str(body["inviteCode"]))
    if invite is None:
        return JSONResponse({"error": reason}, 400)
    use_invite(db, invite, uid, {"signup_method": "phone", "signup_timestamp": ts, "phone": body.get("phone")})
    return JSONResponse({"success": True})


async def create_session(request: Request) -> JSONResponse:
    claims = access_claims(request)
    if claims is None:
        return JSONResponse({"error": "Unauthorized"}, 401)
    body = await body_of(request)
    sb = sandbox_of(request)
    title = body.get("title")
    if not isinstance(title, str):
        title = ""
    if not title.strip() and not sb.faults.on("session_form_validation_off"):
        return JSONResponse({"error": "Title is required"}, 400)
    description = body.get("description")
    description = description.strip() if isinstance(description, str) and description.strip() else None
    max_presenters = body.get("maxPresenters")
    if delay := sb.faults.number("slow_session_create"):
        await asyncio.sleep(delay / 1000)
    session = create_live_session(
        sb, claims["sub"], title.strip(), description,
        is_public=body.get("isPublic") is not False,
        max_presenters=max_presenters if isinstance(max_presenters, int) and max_presenters else 4,
        rtmp=bool(body.get("enableOBS")),
    )
    if session is None:  # session_not_stored: the answer the page expects, for a row that does not exist
        session = {"id": new_id(), "room_code": room_code(), "title": title.strip(), "status": "live"}
    return JSONResponse({"success": True, "session": as_json_row(session), "roomCode": session["room_code"]})


routes = [
    Route("/api/invites/validate", validate_invite, methods=["POST"]),
    Route("/api/auth/complete-phone-signup", complete_phone_signup, methods=["POST"]),
    Route("/api/sessions/create", create_session, methods=["POST"]),
]

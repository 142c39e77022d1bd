"""Create, list and join sessions."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from kulti_sandbox.db import dumps, new_id, now_iso
from kulti_sandbox.kulti.api_errors import ApiError, api, json_object, require_user, text_field
from kulti_sandbox.kulti.current_user import current_user
from kulti_sandbox.kulti.render import render
from kulti_sandbox.seed import new_hms_id
from kulti_sandbox.state import Sandbox, sandbox_of

CATEGORIES = ("Development", "Design", "Music", "Writing", "Other")
TAG = re.compile(r"^[a-z0-9][a-z0-9-]{0,23}$")
MAX_TAGS = 5


def _tags(body: dict) -> list[str]:
    tags = body.get("tags", [])
    if isinstance(tags, str):
        tags = [t for t in (p.strip() for p in tags.split(",")) if t]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ApiError(422, "Tags must be a list of words", "tags")
    tags = [t.strip().lower() for t in tags]
    if len(tags) > MAX_TAGS:
        raise ApiError(422, f"At most {MAX_TAGS} tags", "tags")
    if bad := [t for t in tags if not TAG.match(t)]:
        raise ApiError(422, f"Tag {bad[0]!r}: lowercase letters, digits and -, up to 24 characters", "tags")
    return list(dict.fromkeys(tags))


def session_fields(body: dict, sb: Sandbox) -> dict:
    lax = sb.faults.on("session_form_validation_off")
    title = text_field(body, "title", min_len=0 if lax else 3, max_len=100, label="Title", required=not lax)
    description = text_field(body, "description", max_len=1000, label="Description", required=False)
    category = body.get("category")
    if category not in CATEGORIES:
        raise ApiError(422, f"Category must be one of: {', '.join(CATEGORIES)}", "category")
    return {"title": title, "description": description, "tags": _tags(body), "category": category}


@api
async def create_session(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    user = require_user(request)
    fields = session_fields(await json_object(request), sb)
    if delay := sb.faults.number("slow_session_create"):
        await asyncio.sleep(delay / 1000)
    sid, ts = new_id(), now_iso()
    if not sb.faults.on("session_not_stored"):
        _store_session(sb, sid, fields, user["id"], ts)
        if sb.faults.on("session_stored_twice"):
            # The copy is a moment newer, so the newest row with this title is not the page's session.
            _store_session(sb, new_id(), fields, user["id"], shifted_iso(ts, milliseconds=1))
    return JSONResponse({"id": sid, "url": f"/session/{sid}", "status": "waiting", "created_at": ts},
                        status_code=201)


def stored_values(sb: Sandbox, creator_id: str, title: str, status: str, ts: str) -> dict:
    """What a new sessions row says, as the session_* faults corrupt it (every shape's create
    route stores these): host_id, title, status, created_at."""
    faults = sb.faults
    host_id = creator_id
    if faults.on("session_wrong_host"):
        host_id = sb.db.query_one("SELECT id FROM profiles WHERE username = 'maya_builds'")["id"]
    return {
        "host_id": host_id,
        "title": title[:20] if faults.on("session_title_cut") else title,
        "status": "ended" if faults.on("session_wrong_status") else status,
        "created_at": shifted_iso(ts, days=-1) if faults.on("session_stale_timestamp") else ts,
    }


EMPTY_FIELDS = {"description": "", "tags": [], "category": ""}


def kept_fields(sb: Sandbox, fields: dict) -> dict:
    """The entered description, tags and category as stored: session_field_dropped=NAME stores NAME empty
    (the launched app's only one of them, description, as null)."""
    dropped = sb.faults.value("session_field_dropped")
    return {k: (EMPTY_FIELDS[k] if k == dropped else v) for k, v in fields.items()}


def _store_session(sb: Sandbox, sid: str, fields: dict, creator_id: str, ts: str) -> None:
    """The sessions row and the creator's host seat; the session_* faults corrupt only what the row says."""
    fields = kept_fields(sb, fields)
    row = stored_values(sb, creator_id, fields["title"], "waiting", ts)
    host_id, title, status, created_at = row["host_id"], row["title"], row["status"], row["created_at"]
    with sb.db.transaction() as tx:
        tx.execute("""INSERT INTO sessions (id, title, description, tags, category, host_id, status,
                      hms_room_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                   (sid, title, fields["description"], dumps(fields["tags"]), fields["category"],
                    host_id, status, new_hms_id(), created_at, ts))
        tx.execute("INSERT INTO session_participants (session_id, user_id, role, joined_at) VALUES (?, ?, 'host', ?)",
                   (sid, creator_id, ts))


def store_twin(db, newest_two: list[dict], time_keys: tuple[str, ...], fresh: dict) -> None:
    """dashboard_duplicate_card, for every shape: the newest listed session (of `newest_two`, newest first)
    is stored a second time a millisecond apart, as a double insert would: the same title, host and
    texts, its own id and keys (`fresh`). Once: a twin already newest is left alone."""
    if not newest_two:
        return
    newest = newest_two[0]
    if len(newest_two) > 1 and (newest_two[1]["title"], newest_two[1]["host_id"]) == (newest["title"], newest["host_id"]):
        return
    # A millisecond apart, within the same second, so that every time the page shows is the same.
    step = 1 if shifted_iso(newest[time_keys[0]], milliseconds=1)[:19] == newest[time_keys[0]][:19] else -1
    db.insert("sessions", {**newest, **{k: shifted_iso(newest[k], milliseconds=step) for k in time_keys if newest.get(k)},
                           **fresh})


def shifted_iso(iso: str, **delta: float) -> str:
    return (datetime.fromisoformat(iso) + timedelta(**delta)).isoformat()


def open_sessions(sb: Sandbox, viewer_id: str | None) -> list[dict]:
    rows = sb.db.query("""
        SELECT s.*, p.username AS host_username, p.display_name AS host_name,
               (SELECT COUNT(*) FROM session_participants sp WHERE sp.session_id = s.id) AS participant_count,
               EXISTS (SELECT 1 FROM session_participants sp
                       WHERE sp.session_id = s.id AND sp.user_id = ?) AS joined
        FROM sessions s JOIN profiles p ON p.id = s.host_id
        WHERE s.status != 'ended' ORDER BY s.created_at DESC LIMIT 100""", (viewer_id,))
    if sb.faults.on("session_hidden_from_list"):
        rows = [r for r in rows if r["host_id"] == viewer_id]
    for r in rows:
        r["tags"] = json.loads(r["tags"])
    return rows


async def sessions_page(request: Request):
    sb = sandbox_of(request)
    user = current_user(request)
    viewer = user["id"] if user and user.get("username") else None
    return render(request, "sessions.html", {"sessions": open_sessions(sb, viewer)}, user=user)


@api
async def join_session(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    user = require_user(request)
    sid = request.path_params["id"]
    session = sb.db.query_one("SELECT id, status FROM sessions WHERE id = ?", (sid,))
    if session is None:
        raise ApiError(404, "No such session")
    if session["status"] == "ended":
        raise ApiError(409, "This session has ended")
    if delay := sb.faults.number("slow_join"):
        await asyncio.sleep(delay / 1000)
    if sb.faults.on("join_fails"):
        raise ApiError(500, "Could not join the session")
    sb.db.execute("""INSERT OR IGNORE INTO session_participants (session_id, user_id, role, joined_at)
                     VALUES (?, ?, 'viewer', ?)""", (sid, user["id"], now_iso()))
    return JSONResponse({"id": sid, "url": f"/session/{sid}"})


async def new_session_redirect(request: Request):
    # The create form is a dialog on the dashboard; this keeps a bookmarkable URL.
    return RedirectResponse("/dashboard#create", status_code=303)


routes = [
    Route("/api/sessions", create_session, methods=["POST"]),
    Route("/api/sessions/{id}/join", join_session, methods=["POST"]),
    Route("/sessions", sessions_page),
    Route("/sessions/new", new_session_redirect),
]

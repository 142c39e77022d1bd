"""The dashboard page and the data it fetches: my sessions, upcoming sessions, recent activity."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from kulti_sandbox.db import new_id, now_iso
from kulti_sandbox.faults import Faults
from kulti_sandbox.kulti.api_errors import api, require_user
from kulti_sandbox.kulti.current_user import COOKIE, current_user
from kulti_sandbox.kulti.render import render
from kulti_sandbox.kulti.sessions import CATEGORIES, store_twin
from kulti_sandbox.seed import new_hms_id
from kulti_sandbox.state import Sandbox, sandbox_of

SESSION_COLUMNS = "id, title, status, category, tags, created_at, scheduled_at"


def my_sessions(sb: Sandbox, user_id: str) -> list[dict]:
    if sb.faults.on("dashboard_duplicate_card"):
        store_twin(sb.db, sb.db.query("SELECT * FROM sessions WHERE host_id = ? ORDER BY created_at DESC LIMIT 2",
                                      (user_id,)), ("created_at", "updated_at"), {"id": new_id(), "hms_room_id": new_hms_id()})
    # Hosted by host_id or by the host role in the room: the same sessions while the data is sound,
    # and a session stored with a wrong host_id (session_wrong_host) still lists for its creator.
    rows = sb.db.query(f"""SELECT {SESSION_COLUMNS} FROM sessions
                           WHERE host_id = :u OR id IN (SELECT session_id FROM session_participants
                                                        WHERE user_id = :u AND role = 'host')
                           ORDER BY created_at DESC""", {"u": user_id})
    rows = listed_with_faults(sb.faults, rows, "created_at")
    return [r | {"tags": json.loads(r["tags"])} for r in rows]


def listed_with_faults(faults: Faults, rows: list[dict], time_key: str) -> list[dict]:
    """The dashboard's session list (newest first) as the dashboard_* faults spoil it, for every
    shape: the newest left out, the newest twice, each `time_key` an hour late."""
    if faults.on("dashboard_missing_sessions") and rows:
        rows = rows[1:]
    if faults.on("dashboard_duplicate_sessions") and rows:
        rows = [rows[0], *rows]
    if faults.on("dashboard_wrong_timestamps"):
        rows = [r | {time_key: _hour_later(r[time_key])} if r.get(time_key) else r for r in rows]
    return rows


def _hour_later(iso: str) -> str:
    return (datetime.fromisoformat(iso) + timedelta(hours=1)).isoformat()


def upcoming_sessions(sb: Sandbox) -> list[dict]:
    rows = sb.db.query(f"""SELECT {SESSION_COLUMNS} FROM sessions
                           WHERE scheduled_at IS NOT NULL AND scheduled_at > ? AND status = 'waiting'
                           ORDER BY scheduled_at LIMIT 10""", (now_iso(),))
    return [r | {"tags": json.loads(r["tags"])} for r in rows]


def recent_activity(sb: Sandbox, user_id: str) -> list[dict]:
    return sb.db.query("""
        SELECT * FROM (
          SELECT 'created' AS kind, s.title AS subject, s.id AS session_id, s.created_at AS at
            FROM sessions s WHERE s.host_id = :u
          UNION ALL
          SELECT 'joined', s.title, s.id, sp.joined_at FROM session_participants sp
            JOIN sessions s ON s.id = sp.session_id WHERE sp.user_id = :u AND sp.role != 'host'
          UNION ALL
          SELECT 'message', s.title, s.id, m.created_at FROM session_messages m
            JOIN sessions s ON s.id = m.session_id WHERE m.user_id = :u
          UNION ALL
          SELECT 'recorded', s.title, s.id, r.created_at FROM recordings r
            JOIN sessions s ON s.id = r.session_id WHERE r.started_by = :u
        ) ORDER BY at DESC LIMIT 10""", {"u": user_id})


async def dashboard_page(request: Request):
    sb = sandbox_of(request)
    user = current_user(request)
    if user is None:
        return RedirectResponse("/login?next=/dashboard", status_code=303)
    if not user.get("username"):
        return RedirectResponse("/onboarding", status_code=303)
    greeted = user
    if sb.faults.on("dashboard_wrong_username") or (sb.faults.on("welcome_wrong_user") and _shown_before(sb, request)):
        greeted = sb.db.query_one("SELECT * FROM profiles WHERE id != ? LIMIT 1", (user["id"],)) or user
    if sb.faults.on("dashboard_wrong_display_name"):
        other = sb.db.query_one("SELECT display_name FROM profiles WHERE id != ? LIMIT 1", (user["id"],))
        greeted = {**user, "display_name": other["display_name"]}
    return render(request, "dashboard.html", {
        "greeted": greeted, "categories": CATEGORIES,
        "create_dialog_broken": sb.faults.on("create_dialog_broken"),
        "title_maxlength": 20 if sb.faults.on("session_title_truncated") else 100,
    }, user=user)


def _shown_before(sb: Sandbox, request: Request) -> bool:
    """welcome_wrong_user: whether this login has shown the dashboard before (a reload), counted
    per login in app_sessions.page_views."""
    token = request.cookies.get(COOKIE)
    row = sb.db.query_one("SELECT page_views FROM app_sessions WHERE token = ?", (token,))
    sb.db.execute("UPDATE app_sessions SET page_views = page_views + 1 WHERE token = ?", (token,))
    return bool(row and row["page_views"] >= 1)


@api
async def dashboard_data(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    user = require_user(request)
    if delay := sb.faults.number("slow_dashboard_data"):
        await asyncio.sleep(delay / 1000)
    return JSONResponse({
        "sessions": my_sessions(sb, user["id"]),
        "upcoming": upcoming_sessions(sb),
        "activity": recent_activity(sb, user["id"]),
    })


routes = [
    Route("/dashboard", dashboard_page),
    Route("/api/dashboard", dashboard_data),
]

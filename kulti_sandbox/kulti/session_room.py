"""The session room page, `/session/{id}`, and the room facts both it and the WebSocket need."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from kulti_sandbox.db import Database
from kulti_sandbox.kulti.current_user import current_user
from kulti_sandbox.kulti.recordings import recordings_state
from kulti_sandbox.kulti.render import render
from kulti_sandbox.kulti.room_chat import MAX_CHAT_CHARS, chat_history
from kulti_sandbox.state import Sandbox, sandbox_of


def load_session(db: Database, session_id: str) -> dict | None:
    row = db.query_one(
        """SELECT s.*, p.username AS host_username, p.display_name AS host_display_name
           FROM sessions s JOIN profiles p ON p.id = s.host_id WHERE s.id = ?""",
        (session_id,),
    )
    if row:
        row["tags"] = json.loads(row["tags"] or "[]")
    return row


def role_in(db: Database, session: dict, user_id: str) -> str | None:
    """'host', 'viewer', or None for someone who has not joined."""
    if session["host_id"] == user_id:
        return "host"
    row = db.query_one("SELECT role FROM session_participants WHERE session_id = ? AND user_id = ?",
                       (session["id"], user_id))
    return row["role"] if row else None


def participants(sb: Sandbox, session: dict) -> list[dict]:
    """Everyone who joined, host first then by join time, each with whether they are connected now."""
    rows = sb.db.query(
        """SELECT p.id, p.username, p.display_name, sp.role, sp.joined_at
           FROM session_participants sp JOIN profiles p ON p.id = sp.user_id
           WHERE sp.session_id = ? ORDER BY sp.joined_at, p.username""",
        (session["id"],),
    )
    if not any(r["id"] == session["host_id"] for r in rows):  # sessions made before hosts were rows
        rows.insert(0, {"id": session["host_id"], "username": session["host_username"],
                        "display_name": session["host_display_name"], "role": "host", "joined_at": None})
    rows.sort(key=lambda r: r["id"] != session["host_id"])
    # presence_offline: the connections are there, the page is just told nobody is.
    online = set() if sb.faults.on("presence_offline") else sb.hub.online_user_ids(session["id"])
    return [{"username": r["username"], "display_name": r["display_name"],
             "role": "host" if r["id"] == session["host_id"] else r["role"],
             "online": r["id"] in online} for r in rows]


def shown_recording(rec: dict) -> dict:
    """A recording with its duration and size as the page shows them (same as recording.js)."""
    seconds = int(rec["duration"] + 0.5) if rec["duration"] is not None else None  # as JS Math.round
    size = rec["size"]
    size_text = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB" if size >= 1e3 else f"{size} B"
    if rec["status"] == "recording":  # size and length are known once it stops
        return rec | {"duration_text": "–", "size_text": "–"}
    return rec | {"duration_text": "–" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}", "size_text": size_text}


def signed_in(user: dict | None) -> bool:
    return bool(user and user.get("username"))


async def session_page(request: Request):
    sb = sandbox_of(request)
    sid = request.path_params["id"]
    user = current_user(request)
    if not signed_in(user):
        return RedirectResponse(f"/login?next=/session/{sid}", status_code=302)
    session = load_session(sb.db, sid)
    if session is None:
        raise HTTPException(status_code=404)  # the app's 404 page (and its soft_404 fault)
    role = role_in(sb.db, session, user["id"])
    people = participants(sb, session)
    for person in people:  # whoever is looking at the page is, by definition, here
        person["online"] = person["online"] or (person["username"] == user["username"]
                                                and not sb.faults.on("presence_offline"))
    return render(request, "session.html", {
        "session": session,
        "role": role,
        "is_host": role == "host",
        "participants": people,
        "messages": chat_history(sb.db, sid) if role else [],
        "recordings": [shown_recording(r) for r in recordings_state(sb.db, sid)["items"]] if role else [],
        "room_data": {
            "session_id": sid,
            "status": session["status"],
            "role": role,
            "is_host": role == "host",
            "me": {"username": user["username"], "display_name": user["display_name"]},
            "ws_path": f"/ws/session/{sid}",
            "max_chat_chars": MAX_CHAT_CHARS,
        },
    }, user=user)


routes = [Route("/session/{id}", session_page, methods=["GET"])]

"""Who is signed in: the `kulti_session` cookie, looked up in app_sessions."""

from __future__ import annotations

import secrets
import time

from starlette.requests import HTTPConnection

from kulti_sandbox.db import now_iso
from kulti_sandbox.state import sandbox_of

COOKIE = "kulti_session"
SESSION_LIFETIME_S = 7 * 86400


def current_user(conn: HTTPConnection) -> dict | None:
    """The signed-in user: auth id and phone, plus profile columns (None before onboarding)."""
    uid = auth_user_id(conn)
    if uid is None:
        return None
    return sandbox_of(conn).db.query_one(
        """SELECT p.*, u.id AS user_id, u.phone FROM auth_users u
           LEFT JOIN profiles p ON p.id = u.id WHERE u.id = ?""",
        (uid,),
    )


def auth_user_id(conn: HTTPConnection) -> str | None:
    """The auth user behind the cookie, even before onboarding created a profile."""
    token = conn.cookies.get(COOKIE)
    if not token:
        return None
    sb = sandbox_of(conn)
    row = sb.db.query_one(
        "SELECT user_id, page_views FROM app_sessions WHERE token = ? AND expires_at > ?", (token, time.time())
    )
    if row is None:
        return None
    if sb.faults.on("session_not_persistent") and _is_page_view(conn):
        if not getattr(conn.state, "counted_view", False):
            conn.state.counted_view = True
            sb.db.execute("UPDATE app_sessions SET page_views = page_views + 1 WHERE token = ?", (token,))
        if row["page_views"] >= 1:  # the first page after login works; a reload finds no session
            return None
    return row["user_id"]


def _is_page_view(conn: HTTPConnection) -> bool:
    return conn.scope["type"] == "http" and not conn.url.path.startswith(("/api/", "/static/"))


def open_session(conn: HTTPConnection, user_id: str) -> str:
    token = secrets.token_urlsafe(32)
    sandbox_of(conn).db.insert("app_sessions", {
        "token": token, "user_id": user_id, "created_at": now_iso(),
        "expires_at": time.time() + SESSION_LIFETIME_S,
    })
    return token

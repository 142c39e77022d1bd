"""Who is signed in, read the way @supabase/ssr's server client reads it.

The browser keeps the GoTrue session in the cookie `sb-<project ref>-auth-token` (split into
`.0`, `.1`, ... past 3180 characters), holding `base64-` + base64url(JSON session). The
server trusts the session's access token only if it is signed with the project's JWT secret,
has not expired and names a user that still exists (GoTrue's GET /user refuses the rest).
The project ref is the first label of the Supabase URL's host name, as supabase-js derives
its storage key: `sb-127-auth-token` for http://127.0.0.1:PORT/supabase.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import jwt
from starlette.requests import HTTPConnection

from kulti_sandbox.state import sandbox_of

BASE64_PREFIX = "base64-"


def cookie_name(supabase_url: str) -> str:
    return f"sb-{urlsplit(supabase_url).hostname.split('.')[0]}-auth-token"


def joined_cookie(cookies: dict[str, str], name: str) -> str | None:
    """The whole value: the cookie itself, or its chunks .0, .1, ... in order."""
    if name in cookies:
        return cookies[name]
    chunks, i = [], 0
    while f"{name}.{i}" in cookies:
        chunks.append(cookies[f"{name}.{i}"])
        i += 1
    return "".join(chunks) or None


def decode_session(value: str) -> dict | None:
    if value.startswith(BASE64_PREFIX):
        raw = value[len(BASE64_PREFIX):]
        try:
            value = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        except (ValueError, UnicodeDecodeError):
            return None
    try:
        session = json.loads(value)
    except ValueError:
        return None
    return session if isinstance(session, dict) else None


def access_claims(conn: HTTPConnection) -> dict | None:
    """The verified claims of the signed-in user's access token, or None."""
    sb = sandbox_of(conn)
    value = joined_cookie(conn.cookies, cookie_name(sb.config.supabase_url))
    session = decode_session(value) if value else None
    token = session.get("access_token") if session else None
    if not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(token, sb.config.credentials.supabase_jwt_secret, algorithms=["HS256"],
                            options={"verify_aud": False, "require": ["exp", "sub"]})
    except jwt.InvalidTokenError:
        return None
    if not sb.db.query_one("SELECT 1 FROM auth_users WHERE id = ?", (claims["sub"],)):
        return None
    if sb.faults.on("session_not_persistent") and not _first_page_view(conn, sb, claims):
        return None
    return claims


_page_views: dict[tuple[int, str], int] = {}  # (sandbox, GoTrue session id) -> documents served


def _first_page_view(conn: HTTPConnection, sb, claims: dict) -> bool:
    """session_not_persistent: the login's session is honoured for one page only (the dashboard
    the log-in moves to); a reload finds no session. API routes and assets do not count."""
    if conn.scope["type"] != "http" or conn.url.path.startswith(("/api/", "/_kulti/")):
        return True
    key = (id(sb), str(claims.get("session_id")))
    if not getattr(conn.state, "counted_view", False):
        conn.state.counted_view = True
        _page_views[key] = _page_views.get(key, 0) + 1
    return _page_views[key] <= 1


def signed_in(conn: HTTPConnection) -> dict | None:
    """The signed-in user: {"id", "phone", "profile": row or None}."""
    claims = access_claims(conn)
    if claims is None:
        return None
    db = sandbox_of(conn).db
    user = db.query_one("SELECT id, phone FROM auth_users WHERE id = ?", (claims["sub"],))
    user["profile"] = db.query_one("SELECT * FROM profiles WHERE id = ?", (user["id"],))
    return user

"""GoTrue's sessions, refresh tokens and access tokens, for the user API (supabase_auth_user).

Modelled on supabase/auth:
* internal/tokens/service.go: IssueRefreshToken, RefreshTokenGrant and GenerateAccessToken
  (AccessTokenClaims' field order; AccessTokenResponse: access_token, token_type "bearer",
  expires_in, expires_at, refresh_token, user);
* internal/models/refresh_token.go: v1 refresh tokens are 12 characters of lower-case base32
  (crypto.SecureAlphanumeric), each swap revokes the old token and records it as the new
  one's parent; RevokeTokenFamily revokes every token of the session;
* internal/models/sessions.go: CalculateAALAndAMR gives `aal1` and one `amr` entry
  {method, timestamp} for an OTP sign-in; a refresh keeps the session's amr;
* internal/models/user.go (Logout, LogoutSession, LogoutAllExceptMe): sign-out deletes sessions,
  and their refresh tokens with them.

Reuse of a revoked refresh token: its own child is handed back while that child is the
session's active token (the client lost the answer); otherwise it is refused with 400
`refresh_token_already_used` once the reuse interval (hosted Supabase's default, 10 s) is
over, and every token of the session is revoked.
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from typing import Any

import jwt

from kulti_sandbox.db import now_iso
from kulti_sandbox.emulations.supabase_auth import AUD, GoTrueError, json_map, render_user
from kulti_sandbox.state import Sandbox

ACCESS_TOKEN_LIFETIME_S = 3600  # GOTRUE_JWT_EXP's default, and hosted Supabase's
REUSE_INTERVAL_S = 10  # GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL on hosted Supabase
REFRESH_TOKEN_LENGTH = 12



def _new_refresh_token() -> str:
    raw = secrets.token_bytes((REFRESH_TOKEN_LENGTH * 5 + 7) // 8)
    return base64.b32encode(raw).decode().rstrip("=").lower()[:REFRESH_TOKEN_LENGTH]


def _insert_refresh_token(sb: Sandbox, session_id: str, parent: str | None) -> str:
    token, now = _new_refresh_token(), time.time()
    sb.db.execute("INSERT INTO auth_refresh_tokens (token, session_id, parent, revoked, created_at, updated_at) "
                  "VALUES (?, ?, ?, 0, ?, ?)", (token, session_id, parent, now, now))
    return token


def open_session(sb: Sandbox, user_id: str, method: str = "otp") -> tuple[str, str]:
    """A new session for a sign-in by `method`; returns (session id, its first refresh token)."""
    session_id = str(uuid.uuid4())
    sb.db.execute("INSERT INTO auth_sessions (id, user_id, created_at, amr_method, amr_at) VALUES (?, ?, ?, ?, ?)",
                  (session_id, user_id, now_iso(), method, int(time.time())))
    return session_id, _insert_refresh_token(sb, session_id, None)


def issuer(sb: Sandbox) -> str:
    # Hosted projects sign as https://<ref>.supabase.co/auth/v1, i.e. the Auth URL.
    return f"{sb.config.supabase_url}/auth/v1"


def access_token(sb: Sandbox, user: dict[str, Any], session: dict[str, Any]) -> tuple[str, int]:
    """The signed access token and its expiry (unix seconds); claims in AccessTokenClaims' order."""
    now = int(time.time())
    exp = now + ACCESS_TOKEN_LIFETIME_S
    claims = {
        "iss": issuer(sb), "sub": user["id"], "aud": AUD, "exp": exp, "iat": now,
        "email": user.get("email") or "", "phone": user["phone"],
        "app_metadata": json_map(user["raw_app_meta_data"]), "user_metadata": json_map(user["raw_user_meta_data"]),
        "role": "authenticated", "aal": "aal1",
        "amr": [{"method": session["amr_method"], "timestamp": session["amr_at"]}],
        "session_id": session["id"], "is_anonymous": False,
    }
    return jwt.encode(claims, sb.config.credentials.supabase_jwt_secret, algorithm="HS256"), exp


def token_response(sb: Sandbox, session_id: str, refresh_token: str) -> dict[str, Any]:
    """AccessTokenResponse for the session, with the user as it is now."""
    session = sb.db.query_one("SELECT * FROM auth_sessions WHERE id = ?", (session_id,))
    user = sb.db.query_one("SELECT * FROM auth_users WHERE id = ?", (session["user_id"],))
    token, exp = access_token(sb, user, session)
    return {"access_token": token, "token_type": "bearer", "expires_in": exp - int(time.time()), "expires_at": exp,
            "refresh_token": refresh_token, "user": render_user(user, with_identities=True)}


def refresh(sb: Sandbox, token: str) -> tuple[str, str]:
    """Swap a refresh token; returns (session id, the refresh token to hand back). GoTrueError when refused.

    Synchronous on purpose: with no await inside, no other request can interleave with the swap."""
    row = sb.db.query_one("SELECT * FROM auth_refresh_tokens WHERE token = ?", (token,))
    if row is None:
        raise GoTrueError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
    session_id, now = row["session_id"], time.time()
    issued = None
    if row["revoked"]:
        active = sb.db.query_one("SELECT token, parent FROM auth_refresh_tokens WHERE session_id = ? AND revoked = 0",
                                 (session_id,))
        if active and active["parent"] == token:
            issued = active["token"]
        elif now > row["updated_at"] + REUSE_INTERVAL_S:
            sb.db.execute("UPDATE auth_refresh_tokens SET revoked = 1, updated_at = ? WHERE session_id = ? "
                          "AND revoked = 0", (now, session_id))
            raise GoTrueError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")
    if issued is None:
        sb.db.execute("UPDATE auth_refresh_tokens SET revoked = 1, updated_at = ? WHERE token = ?", (now, token))
        issued = _insert_refresh_token(sb, session_id, token)
    sb.db.execute("UPDATE auth_sessions SET refreshed_at = ? WHERE id = ?", (now_iso(), session_id))
    return session_id, issued


def sign_out(sb: Sandbox, user_id: str, session_id: str | None, scope: str) -> None:
    """Delete the user's sessions per logout scope; a token without a session_id signs out everywhere."""
    if session_id and scope == "local":
        sb.db.execute("DELETE FROM auth_sessions WHERE id = ?", (session_id,))
    elif session_id and scope == "others":
        sb.db.execute("DELETE FROM auth_sessions WHERE user_id = ? AND id != ?", (user_id, session_id))
    else:
        sb.db.execute("DELETE FROM auth_sessions WHERE user_id = ?", (user_id,))

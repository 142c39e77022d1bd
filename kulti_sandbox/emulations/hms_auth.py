"""Who may call the 100ms emulation: a management token (HS256 JWT) of a workspace.

A workspace has its own access key and secret; a management token is signed with the secret
and names the key in `access_key`, with `type: "management"`, `version: 2` (100mslive/100ms-docs,
docs/get-started/v2/get-started/security-and-tokens.mdx and concepts/workspaces.mdx: "Each
Workspace has a unique set of access key and secret keys"). The sandbox serves one workspace,
the one its rooms belong to, and knows one other of the same account, which has no rooms.

401 "Token validation error" with a `details` list when the token is missing or not valid
(how-to-guides/make-api-calls.mdx; the detail strings are golang-jwt's). 403 when a valid
token may not see what it asks for: "The API management token provided doesn't have enough
permission" (make-api-calls.mdx), worded "insufficient permissions" as the analytics API
documents its 403 (api-reference/analytics/list-webhook-events.mdx). That is the other
workspace's token asking for this workspace's rooms or recordings, the usual form of the
mistake (a staging workspace's token against production rooms).
"""

from __future__ import annotations

import time

import jwt
from starlette.requests import Request
from starlette.responses import JSONResponse

from kulti_sandbox.emulations.hms_wire import hms_error
from kulti_sandbox.state import sandbox_of

CLOCK_SKEW_S = 10  # the 100ms SDKs back-date iat by 10 s, so the server must tolerate that much
INSUFFICIENT = "insufficient permissions"


def _workspaces(credentials) -> list[tuple[str, str, bool]]:
    """(access key, secret, is the sandbox's own) of each workspace the sandbox knows."""
    return [(credentials.hms_access_key, credentials.hms_app_secret, True),
            (credentials.hms_other_workspace_access_key, credentials.hms_other_workspace_app_secret, False)]


def _verified(token: str, credentials) -> tuple[dict, str, bool]:
    """The claims and the workspace whose secret signed the token; raises PyJWTError."""
    error: jwt.PyJWTError = jwt.InvalidSignatureError()
    for access_key, secret, own in _workspaces(credentials):
        try:
            claims = jwt.decode(token, secret, algorithms=["HS256"],
                                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False})
            return claims, access_key, own
        except jwt.InvalidSignatureError as exc:
            error = exc
    raise error


def token_problem(authorization: str | None, credentials) -> tuple[str | None, bool]:
    """(why the management token is not acceptable or None, whether it is the sandbox's own
    workspace's)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return "not found", False
    try:
        claims, access_key, own = _verified(token.strip(), credentials)
    except jwt.InvalidSignatureError:
        return "signature is invalid", False
    except jwt.PyJWTError:
        return "token is malformed", False
    now = time.time()
    if claims.get("access_key") != access_key:
        return "invalid access key", own
    if claims.get("type") != "management" or claims.get("version") != 2:
        return "invalid token type", own
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= now:
        return "token is expired", own
    if isinstance(claims.get("nbf"), (int, float)) and claims["nbf"] > now + CLOCK_SKEW_S:
        return "token is not valid yet", own
    return None, own


def caller(request: Request) -> tuple[JSONResponse | None, bool]:
    """(a 401 answer or None, whether the caller's workspace is the sandbox's own)."""
    problem, own = token_problem(request.headers.get("authorization"), sandbox_of(request).config.credentials)
    return (hms_error(401, "Token validation error", [problem]) if problem else None), own


def forbidden() -> JSONResponse:
    return hms_error(403, INSUFFICIENT)

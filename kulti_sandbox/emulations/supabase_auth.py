"""GoTrue (Supabase Auth) admin API at /supabase/auth/v1/admin/users.

Modelled on supabase/auth internal/api/{admin,pagination,auth,middleware,errors}.go and
internal/models/{user,identity}.go:

* the Bearer token must carry an admin role (`service_role`), else 403 `not_admin`
  "User not allowed"; a token that fails verification is 403 `bad_jwt`;
* errors are `{"code":<status>,"error_code":...,"msg":...}` plus an `x-sb-error-code`
  header, or `{"code":<error_code>,"message":...}` when the client sends
  `X-Supabase-Api-Version: 2024-01-01` (supabase-js does), which is then echoed back;
* list: newest first, `page`/`per_page` (default 50), `X-Total-Count` and a `Link`
  header built from the path GoTrue sees behind the gateway (`/admin/users?...`);
  users in a list come without identities (`"identities": null`), a single user with them;
* an id that is not a UUID is 404 `validation_failed` "user_id must be an UUID";
* DELETE, hard or soft: gotrue_admin_delete.

Only phone sign-ups exist in the sandbox, so every user has one `phone` identity, derived
from the auth_users row rather than stored (a soft-deleted user's as SoftDeleteUserIdentities
left it: identity_data emptied, provider id obfuscated).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import date
from typing import Any
from urllib.parse import quote_plus

import jwt
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kulti_sandbox.emulations.supabase_common import (
    behind_gateway, bearer_token, decode_jwt, gotrue_timestamp, json_response,
)
from kulti_sandbox.state import sandbox_of

GOTRUE_JSON = "application/json"  # GoTrue's sendJSON sets no charset
AUD = "authenticated"
ADMIN_ROLES = ("service_role", "supabase_admin")  # GoTrue's default JWT admin roles
DEFAULT_PER_PAGE = 50
API_VERSION_HEADER = "X-Supabase-Api-Version"
API_VERSION_2024 = date(2024, 1, 1)
# Namespace for the derived identity ids: stable across calls, distinct from user ids.
IDENTITY_NAMESPACE = uuid.UUID("6b1f2c1e-7f0a-4d59-9a0e-3f6a3c2b9d10")


class GoTrueError(Exception):
    def __init__(self, status: int, error_code: str, msg: str):
        super().__init__(msg)
        self.status, self.error_code, self.msg = status, error_code, msg


def _api_version(request: Request) -> date | None:
    """2024-01-01 when the client asks for that version or later, else None (initial)."""
    raw = request.headers.get(API_VERSION_HEADER, "")
    try:
        asked = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        asked = None
    return API_VERSION_2024 if asked and asked >= API_VERSION_2024 else None


def error_response(request: Request, err: GoTrueError) -> Response:
    headers = {"x-sb-error-code": err.error_code}
    if _api_version(request):
        headers[API_VERSION_HEADER] = "2024-01-01"
        body: dict[str, Any] = {"code": err.error_code, "message": err.msg}
    else:
        body = {"code": err.status, "error_code": err.error_code, "msg": err.msg}
        if err.status >= 500:
            body["error_id"] = str(uuid.uuid4())  # GoTrue adds the request id to 5xx
    if getattr(err, "reasons", None) is not None:
        body["weak_password"] = {"reasons": err.reasons}  # WeakPasswordError's extra field
    return json_response(body, err.status, headers, GOTRUE_JSON)


def _require_admin(request: Request) -> None:
    token = bearer_token(request)
    if not token:
        raise GoTrueError(401, "no_authorization", "This endpoint requires a valid Bearer token")
    try:
        claims = decode_jwt(request, token)
    except jwt.InvalidTokenError as exc:
        raise GoTrueError(403, "bad_jwt", f"invalid JWT: unable to parse or verify signature, {go_jwt_reason(exc)}")
    if claims.get("role") not in ADMIN_ROLES:
        raise GoTrueError(403, "not_admin", "User not allowed")


def go_jwt_reason(exc: jwt.InvalidTokenError) -> str:
    """golang-jwt v5's wording for the usual failures."""
    if isinstance(exc, jwt.ExpiredSignatureError):
        return "token has invalid claims: token is expired"
    if isinstance(exc, jwt.InvalidSignatureError):
        return "token signature is invalid: signature is invalid"
    return "token is malformed: could not parse token"


def admin_endpoint(handler):
    """Gateway key check, then GoTrue's admin check, then the handler; GoTrueError → body."""

    async def endpoint(request: Request) -> Response:
        try:
            _require_admin(request)
            return await handler(request)
        except GoTrueError as err:
            return error_response(request, err)

    endpoint.__name__ = handler.__name__
    return behind_gateway(endpoint)


# --- rendering ---------------------------------------------------------------------------

def json_map(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def obfuscate_value(user_id: str, value: str) -> str:
    """models/user.go obfuscateValue: what a soft delete leaves in place of a value."""
    digest = hashlib.sha256((user_id + value).encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _identity(row: dict[str, Any]) -> dict[str, Any]:
    """The phone identity GoTrue creates at phone sign-up (identity_data from provider.Claims)."""
    deleted = bool(row.get("deleted_at"))
    return {
        "identity_id": str(uuid.uuid5(IDENTITY_NAMESPACE, row["id"])),
        "id": obfuscate_value(row["id"], "phone:" + row["id"]) if deleted else row["id"],
        "user_id": row["id"],
        "identity_data": {} if deleted else {"email_verified": False, "phone_verified": False, "sub": row["id"]},
        "provider": "phone",
        "last_sign_in_at": gotrue_timestamp(row["last_sign_in_at"] or row["created_at"]),
        "created_at": gotrue_timestamp(row["created_at"]),
        "updated_at": gotrue_timestamp(row["updated_at"]),
    }


def render_user(row: dict[str, Any], with_identities: bool) -> dict[str, Any]:
    """Field order and omissions of models.User's JSON tags (omitempty fields left out when unset)."""
    confirmed = gotrue_timestamp(row["phone_confirmed_at"])
    user: dict[str, Any] = {"id": row["id"], "aud": AUD, "role": "authenticated", "email": row.get("email") or "",
                            "phone": row["phone"]}
    if confirmed:
        user["phone_confirmed_at"] = confirmed
        user["confirmed_at"] = confirmed  # generated column: least(email_, phone_confirmed_at)
    # Changes waiting for confirmation (PUT /user): EmailChange and PhoneChange's JSON names.
    for column, name in (("email_change", "new_email"), ("email_change_sent_at", "email_change_sent_at"),
                         ("phone_change", "new_phone"), ("phone_change_sent_at", "phone_change_sent_at")):
        if row.get(column):
            user[name] = gotrue_timestamp(row[column]) if column.endswith("_at") else row[column]
    if row["last_sign_in_at"]:
        user["last_sign_in_at"] = gotrue_timestamp(row["last_sign_in_at"])
    user["app_metadata"] = json_map(row["raw_app_meta_data"])
    user["user_metadata"] = json_map(row["raw_user_meta_data"])
    user["identities"] = [_identity(row)] if with_identities else None
    user["created_at"] = gotrue_timestamp(row["created_at"])
    user["updated_at"] = gotrue_timestamp(row["updated_at"])
    if row.get("deleted_at"):
        user["deleted_at"] = gotrue_timestamp(row["deleted_at"])
    user["is_anonymous"] = False
    return user


# --- list ----------------------------------------------------------------------------------

def _uint_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit():  # strconv.ParseUint refuses signs, spaces and letters
        raise GoTrueError(400, "validation_failed",
                          f'Bad Pagination Parameters: strconv.ParseUint: parsing "{raw}": invalid syntax')
    return int(raw)


def _sort_direction(request: Request) -> str:
    """`sort=created_at [asc|desc]`, the only field GoTrue allows; newest first by default."""
    direction = "DESC"
    for value in request.query_params.getlist("sort"):
        field, _, word = value.partition(" ")
        if field != "created_at":
            raise GoTrueError(400, "validation_failed", f"Bad Sort Parameters: bad field for sort '{field}'")
        if word and word.upper() not in ("ASC", "DESC"):
            raise GoTrueError(400, "validation_failed",
                              f"Bad Sort Parameters: bad direction for sort '{word}', only 'asc' and 'desc' allowed")
        direction = word.upper() or "DESC"
    return direction


def _link_header(request: Request, page: int, per_page: int, total: int) -> str:
    """addPaginationHeaders: rel="next" while pages remain, always rel="last"; query keys sorted
    as Go's url.Values.Encode() writes them."""
    total_pages = -(-total // per_page)

    def url(page_no: int) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"] + [("page", str(page_no))]
        params.sort(key=lambda kv: kv[0])
        return "/admin/users?" + "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in params)

    header = f'<{url(page + 1)}>; rel="next", ' if total_pages > page else ""
    return header + f'<{url(total_pages)}>; rel="last"'


async def list_users(request: Request) -> Response:
    page = _uint_param(request, "page", 1)
    per_page = _uint_param(request, "per_page", DEFAULT_PER_PAGE)
    direction = _sort_direction(request)
    if per_page == 0:
        # GoTrue divides by per_page while building the Link header and answers 500.
        raise GoTrueError(500, "unexpected_failure", "Internal Server Error")
    where, params = "", []
    text = request.query_params.get("filter", "")
    if text:
        # GoTrue matches email LIKE or user_metadata full_name ILIKE; sandbox users have no email.
        where, params = "WHERE lower(json_extract(raw_user_meta_data, '$.full_name')) LIKE lower(?)", [f"%{text}%"]
    db = sandbox_of(request).db
    total = db.query_one(f"SELECT COUNT(*) AS n FROM auth_users {where}", params)["n"]
    rows = db.query(f"SELECT * FROM auth_users {where} ORDER BY created_at {direction} LIMIT ? OFFSET ?",
                    [*params, per_page, (max(page, 1) - 1) * per_page])
    headers = {"X-Total-Count": str(total), "Link": _link_header(request, page, per_page, total)}
    body = {"users": [render_user(r, with_identities=False) for r in rows], "aud": AUD}
    return json_response(body, 200, headers, GOTRUE_JSON)


# --- one user ------------------------------------------------------------------------------

def load_user(request: Request) -> dict[str, Any]:
    raw = request.path_params["user_id"]
    try:
        user_id = str(uuid.UUID(raw))
    except ValueError:
        raise GoTrueError(404, "validation_failed", "user_id must be an UUID")
    row = sandbox_of(request).db.query_one("SELECT * FROM auth_users WHERE id = ?", (user_id,))
    if row is None:
        raise GoTrueError(404, "user_not_found", "User not found")
    return row


async def get_user(request: Request) -> Response:
    return json_response(render_user(load_user(request), with_identities=True), 200, None, GOTRUE_JSON)


routes = [
    Route("/admin/users", admin_endpoint(list_users), methods=["GET"]),
    Route("/admin/users/{user_id}", admin_endpoint(get_user), methods=["GET"]),
]

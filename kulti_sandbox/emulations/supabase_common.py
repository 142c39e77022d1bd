"""What the two Supabase services share: the API gateway's key check, JWT decoding, timestamps.

On hosted Supabase every request first meets the API gateway, which only checks that the
`apikey` header (or `apikey` url param) is one of the project's keys, then hands the
request to GoTrue (`/auth/v1`) or PostgREST (`/rest/v1`). Those decide the role from
`Authorization: Bearer <jwt>`. Clients (supabase-js, supabase-py) always send both
headers; when a caller sends only `apikey`, the sandbox lets the key stand in for the
bearer token, so a bare `curl -H "apikey: ..."` behaves as that key's role.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import Response

from kulti_sandbox.state import sandbox_of

# Texts of the hosted gateway's 401 answers, as clients have reported them verbatim
# (supabase/supabase-js#479, nuxt-modules/supabase#195, supabase-community/supabase-csharp#108).
MISSING_KEY = {"message": "No API key found in request", "hint": "No `apikey` request header or url param was found."}
INVALID_KEY = {"message": "Invalid API key", "hint": "Double check your Supabase `anon` or `service_role` API key."}

GATEWAY_JSON = "application/json; charset=utf-8"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None,
                  media_type: str = GATEWAY_JSON) -> Response:
    """Compact JSON, non-ASCII kept as UTF-8, as Go and Haskell encoders write it."""
    text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(text.encode(), status_code=status, headers=headers, media_type=media_type)


def api_key(request: Request) -> str | None:
    return request.headers.get("apikey") or request.query_params.get("apikey")


def decode_jwt(request: Request, token: str) -> dict[str, Any]:
    """Claims of a token signed with the project's JWT secret; raises jwt.InvalidTokenError."""
    secret = sandbox_of(request).config.credentials.supabase_jwt_secret
    # Supabase keys and user tokens carry `aud`/`iss` values nobody here checks.
    return jwt.decode(token, secret, algorithms=["HS256"], options={"verify_aud": False})


def gateway_refusal(request: Request) -> Response | None:
    """The gateway's answer when the request carries no usable project key, else None."""
    key = api_key(request)
    if not key:
        return json_response(MISSING_KEY, 401)
    try:
        decode_jwt(request, key)
    except jwt.InvalidTokenError:
        return json_response(INVALID_KEY, 401)
    return None


def behind_gateway(handler):
    """Wrap an endpoint so the key check runs before it, as the gateway does."""

    async def endpoint(request: Request) -> Response:
        return gateway_refusal(request) or await handler(request)

    endpoint.__name__ = handler.__name__
    return endpoint


def bearer_token(request: Request) -> str | None:
    """The token that decides the role: the Bearer one if sent, else the apikey itself.

    Returns "" for an `Authorization: Bearer` with nothing after it (an error upstream).
    """
    auth = request.headers.get("authorization")
    if auth is not None:
        scheme, _, token = auth.strip().partition(" ")
        if scheme.lower() == "bearer":
            return token.strip()
    return api_key(request)


# --- timestamps -------------------------------------------------------------------------

def parse_timestamp(text: str) -> datetime:
    """Parse what Postgres accepts for timestamptz (ISO 8601 forms); naive means UTC,
    the time zone Supabase databases run in. Raises ValueError."""
    value = text.strip()
    if value.endswith(("z", "Z")):
        value = value[:-1] + "+00:00"
    dt = datetime.fromisoformat(value)  # 3.11 reads "T" or " " separators, offsets like +02
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def storage_timestamp(dt: datetime) -> str:
    """The form the sandbox stores (db.now_iso): UTC isoformat, so text order is time order."""
    return dt.astimezone(timezone.utc).isoformat()


def _fraction(dt: datetime) -> str:
    # Both Go (RFC3339Nano) and Postgres drop trailing zeros of the fraction, and the
    # dot with it when the fraction is zero.
    return f".{dt.microsecond:06d}".rstrip("0").rstrip(".")


def gotrue_timestamp(stored: str | None) -> str | None:
    """Go's time.Time JSON form in UTC, as GoTrue renders: 2024-09-23T10:55:06.18255Z."""
    if not stored:
        return None
    dt = parse_timestamp(stored)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + _fraction(dt) + "Z"


def postgres_json_timestamp(stored: str | None) -> str | None:
    """Postgres' to_json(timestamptz) in a UTC session: 2024-09-23T10:55:06.18255+00:00."""
    if not stored:
        return None
    dt = parse_timestamp(stored)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + _fraction(dt) + "+00:00"


def postgres_text_timestamp(stored: str) -> str:
    """timestamptz::text in a UTC session: 2024-09-23 10:55:06.18255+00."""
    dt = parse_timestamp(stored)
    return dt.strftime("%Y-%m-%d %H:%M:%S") + _fraction(dt) + "+00"

"""Sentry emulation, mounted at /sentry: event intake as Relay answers it, and the events API.

Intake follows getsentry/relay (relay-server/src/endpoints/{envelope,store,common}.rs,
extractors/request_meta.rs, middlewares/cors.rs, services/projects/project/info.rs): error
bodies are {"detail": ..., "causes": [...]}; missing auth is 401, a malformed key 400, a key or
project id Sentry does not know 403 "event submission rejected with_reason: ProjectId".

The read API follows getsentry/sentry (issues/endpoints/project_events.py and
project_event_details.py, api/authentication.py, api/base.py paging): DRF errors
{"detail": ...}; offset cursors "0:<offset>:<is_prev>" in a Link header.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kulti_sandbox.emulations.sentry_events import (
    EnvelopeError, full_event, group_id, normalize_event, parse_envelope, simple_event)
from kulti_sandbox.state import sandbox_of

PROJECT_KEY_RE = re.compile(r"^[0-9a-fA-F]{32}$")
# Relay's CorsLayer: any origin may post; these are the headers an SDK needs to read back.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "x-sentry-error,x-sentry-rate-limits,retry-after",
    "Vary": "origin, access-control-request-method, access-control-request-headers",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "POST",
    "Access-Control-Allow-Headers": ("x-sentry-auth,x-requested-with,x-forwarded-for,origin,referer,accept,"
                                     "content-type,authentication,authorization,content-encoding,transfer-encoding"),
    "Access-Control-Max-Age": "3600",
}
MAX_PER_PAGE = 100
NOT_FOUND = "The requested resource does not exist"


# ---- intake ---------------------------------------------------------------------------------

def store_error(status: int, detail: str, causes: list[str] | None = None) -> JSONResponse:
    body = {"detail": detail, **({"causes": causes} if causes else {})}
    return JSONResponse(body, status_code=status, headers=CORS_HEADERS)


def parse_auth_header(value: str) -> dict[str, str]:
    """`Sentry sentry_key=..., sentry_version=7, sentry_client=...` as a dict."""
    _, _, params = value.strip().partition(" ")
    pairs = (p.strip().partition("=") for p in params.split(","))
    return {k.strip(): v.strip() for k, sep, v in pairs if sep}


def request_key(request: Request) -> tuple[str | None, JSONResponse | None]:
    """The public key sent with the request itself (header or query), as Relay reads it."""
    header = request.headers.get("x-sentry-auth")
    if header is None and request.headers.get("authorization", "").lower().startswith("sentry "):
        header = request.headers["authorization"]
    query_key = request.query_params.get("sentry_key")
    if header is not None and query_key is not None:
        return None, store_error(401, "multiple authorization payloads detected")
    if header is not None:
        key = parse_auth_header(header).get("sentry_key")
        if not key:
            return None, store_error(401, "bad x-sentry-auth header", ["missing public key in auth header"])
        return key, None
    return query_key, None


def dsn_key(envelope_headers: dict) -> str | None:
    dsn = envelope_headers.get("dsn")
    return urlsplit(dsn).username if isinstance(dsn, str) else None


def key_rejection(request: Request, key: str | None) -> JSONResponse | None:
    """Missing, malformed, unknown key, or a project id the key does not belong to."""
    if not key:
        return store_error(401, "missing authorization information")
    if not PROJECT_KEY_RE.match(key):
        return store_error(400, "bad sentry DSN public key", ["invalid project key"])
    creds = sandbox_of(request).config.credentials
    if key.lower() != creds.sentry_public_key or str(request.path_params["project_id"]) != creds.sentry_project_id:
        return store_error(403, "event submission rejected with_reason: ProjectId")
    return None


def client_ip(request: Request) -> str | None:
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    return forwarded or (request.client.host if request.client else None)


def event_payload(raw: bytes) -> dict:
    event = json.loads(raw)
    if not isinstance(event, dict):
        raise EnvelopeError("invalid event payload")
    return event


def save_event(request: Request, event: dict, fallback_id: str | None) -> str:
    sb, project_id = sandbox_of(request), str(request.path_params["project_id"])
    now = time.time()
    event = normalize_event(event, project_id, fallback_id, client_ip(request), now)
    # A resent event id is a duplicate Sentry drops without telling the SDK.
    sb.db.execute("INSERT OR IGNORE INTO sentry_events (event_id, project_id, received_at, payload) "
                  "VALUES (?, ?, ?, ?)", (event["event_id"], project_id, now, json.dumps(event)))
    return event["event_id"]


async def envelope_endpoint(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=200, headers=PREFLIGHT_HEADERS)
    key, rejected = request_key(request)
    if rejected:
        return rejected
    body = await request.body()
    if not body.strip():
        return store_error(400, "empty request body")
    try:
        headers, items = parse_envelope(body)
    except EnvelopeError as exc:
        return store_error(400, "invalid event envelope", [str(exc)])
    if rejected := key_rejection(request, key or dsn_key(headers)):
        return rejected
    event_id = headers.get("event_id")
    try:
        for item_header, payload in items:
            if item_header["type"] == "event":  # sessions, client reports etc. are not errors
                event_id = save_event(request, event_payload(payload), headers.get("event_id"))
    except (EnvelopeError, ValueError) as exc:
        return store_error(400, "invalid event envelope", [str(exc)])
    return JSONResponse({"id": event_id} if event_id else {}, headers=CORS_HEADERS)


async def store_endpoint(request: Request) -> Response:
    """The legacy endpoint: one JSON event, auth on the request only."""
    if request.method == "OPTIONS":
        return Response(status_code=200, headers=PREFLIGHT_HEADERS)
    key, rejected = request_key(request)
    if rejected or (rejected := key_rejection(request, key)):
        return rejected
    body = await request.body()
    if not body.strip():
        return store_error(400, "empty request body")
    try:
        event_id = save_event(request, event_payload(body), None)
    except EnvelopeError as exc:
        return store_error(400, str(exc))
    except ValueError as exc:
        return store_error(400, f"invalid JSON data: {exc}")
    return JSONResponse({"id": event_id}, headers=CORS_HEADERS)


# ---- read API -------------------------------------------------------------------------------

def api_error(status: int, detail: str) -> JSONResponse:
    # DRF adds the first authenticator's challenge to a 401; Sentry's is QuietBasicAuthentication's.
    headers = {"WWW-Authenticate": 'xBasic realm="api"'} if status == 401 else None
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def token_problem(request: Request) -> str | None:
    """Sentry's bearer-token authentication messages; None when the token is ours."""
    parts = request.headers.get("authorization", "").split()
    if not parts or parts[0].lower() != "bearer":
        return "Authentication credentials were not provided."
    if len(parts) == 1:
        return "Invalid token header. No credentials provided."
    if len(parts) > 2:
        return "Invalid token header. Token string should not contain spaces."
    if parts[1] == sandbox_of(request).config.credentials.sentry_auth_token:
        return None
    # Org tokens (sntrys_ prefix) and user tokens are checked by different authenticators.
    return "Invalid org token" if parts[1].startswith("sntrys_") else "Invalid token"


def api_denied(request: Request) -> JSONResponse | None:
    if problem := token_problem(request):
        return api_error(401, problem)
    creds = sandbox_of(request).config.credentials
    org, project = request.path_params["org"], request.path_params["project"]
    if org != creds.sentry_org or project not in (creds.sentry_project, creds.sentry_project_id):
        return api_error(404, NOT_FOUND)
    return None


def stored_events(request: Request) -> list[tuple[dict, int]]:
    """(event, payload size) for the project, newest first as Snuba orders them."""
    rows = sandbox_of(request).db.query(
        "SELECT payload FROM sentry_events WHERE project_id = ?",
        (sandbox_of(request).config.credentials.sentry_project_id,))
    events = [(json.loads(r["payload"]), len(r["payload"].encode())) for r in rows]
    return sorted(events, key=lambda e: (e[0]["timestamp"], e[0]["event_id"]), reverse=True)


def paging(request: Request) -> tuple[int, int] | JSONResponse:
    try:
        per_page = int(request.query_params.get("per_page", MAX_PER_PAGE))
    except ValueError:
        return api_error(400, "Invalid per_page parameter.")
    if per_page > MAX_PER_PAGE:
        return api_error(400, f"Invalid per_page value. Cannot exceed {MAX_PER_PAGE}.")
    if per_page < 1:
        return api_error(400, "Invalid per_page parameter.")
    bits = request.query_params.get("cursor", "0:0:0").split(":")  # value:offset:is_prev
    try:
        if len(bits) != 3:
            raise ValueError(bits)
        float(bits[0]), int(bits[2])
        offset = int(bits[1])  # the offset paginator only looks at the offset
    except ValueError:
        return api_error(400, "Invalid cursor parameter.")
    if offset < 0:
        return api_error(400, "Pagination offset cannot be negative")
    return per_page, offset


def link_header(request: Request, offset: int, per_page: int, has_more: bool) -> str:
    """Both links always, `results` saying whether following one yields anything."""
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "cursor"])
    base = f"{request.url.scheme}://{request.url.netloc}{request.url.path}?{query}"
    links = [("previous", f"0:{max(0, offset - per_page)}:1", offset > 0),
             ("next", f"0:{offset + per_page}:0", has_more)]
    return ", ".join(f'<{base}&cursor={c}>; rel="{name}"; results="{str(ok).lower()}"; cursor="{c}"'
                     for name, c, ok in links)


async def list_events(request: Request) -> JSONResponse:
    if denied := api_denied(request):
        return denied
    paged = paging(request)
    if isinstance(paged, JSONResponse):
        return paged
    per_page, offset = paged
    events = stored_events(request)
    page = events[offset:offset + per_page]
    full = request.query_params.get("full") in ("1", "true")
    body = [full_event(e, size) if full else simple_event(e) for e, size in page]
    headers = {"Link": link_header(request, offset, per_page, len(events) > offset + per_page)}
    return JSONResponse(body, headers=headers)


def neighbours(events: list[tuple[dict, int]], event: dict) -> tuple[str | None, str | None]:
    """(previous, next) event ids within the same issue, in time order."""
    same = [e for e, _ in events if group_id(e) == group_id(event)][::-1]  # oldest first
    ids = [e["event_id"] for e in same]
    i = ids.index(event["event_id"])
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


async def event_details(request: Request) -> JSONResponse:
    if denied := api_denied(request):
        return denied
    wanted = request.path_params["event_id"].replace("-", "").lower()
    events = stored_events(request)
    found = next(((e, size) for e, size in events if e["event_id"] == wanted), None)
    if found is None:
        return api_error(404, "Event not found")
    event, size = found
    previous_id, next_id = neighbours(events, event)
    release = event.get("release")
    return JSONResponse({
        **full_event(event, size), "release": {"version": release} if release else None,
        "userReport": None, "sdkUpdates": [], "resolvedWith": [],
        "nextEventID": next_id, "previousEventID": previous_id,
    })


routes = [
    Route("/api/{project_id:int}/envelope/", envelope_endpoint, methods=["POST", "OPTIONS"]),
    Route("/api/{project_id:int}/store/", store_endpoint, methods=["POST", "OPTIONS"]),
    Route("/api/0/projects/{org}/{project}/events/", list_events, methods=["GET"]),
    Route("/api/0/projects/{org}/{project}/events/{event_id}/", event_details, methods=["GET"]),
]

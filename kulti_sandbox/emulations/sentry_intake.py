"""Sentry event intake, answered as Relay answers it: /api/{project_id}/envelope/ and /store/.

getsentry/relay relay-server/src/endpoints/{envelope,store,common,mod}.rs,
extractors/request_meta.rs, middlewares/cors.rs, services/projects/project/info.rs: error bodies
are {"detail": ..., "causes": [...]}; missing auth is 401, a malformed key 400, a key or project
id Sentry does not know 403 "event submission rejected with_reason: ProjectId". Bodies
(Content-Encoding, the legacy store encodings, strict JSON) are read in sentry_bodies.py.

An envelope is answered once its framing parses: its items are read later, in processing, so an
event item that is not a JSON object (a bare NaN, say) is accepted with 200 and then dropped,
never shown by the events API. The store endpoint parses its event at once and refuses bad JSON
with 400. Relay has no route without the trailing slash (mod.rs routes(); the fallback forwards
unknown /api/ paths to the upstream Sentry, which has no such route either): those answer a bare
404, never a redirect.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from kulti_sandbox.emulations.sentry_bodies import (
    RelayJsonError, StoreBodyError, UnreadableBody, UnsupportedEncoding, accept_encoding, decoded_body,
    legacy_store_body, relay_json, store_event_json)
from kulti_sandbox.emulations.sentry_events import EnvelopeError, normalize_event, parse_envelope
from kulti_sandbox.state import sandbox_of

PROJECT_KEY_RE = re.compile(r"^[0-9a-fA-F]{32}$")
ENVELOPE_CONTENT_TYPE = "application/x-sentry-envelope"  # matched whole, as RawContentType is
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


def store_error(status: int, detail: str, causes: list[str] | None = None) -> JSONResponse:
    body = {"detail": detail, **({"causes": causes} if causes else {})}
    return JSONResponse(body, status_code=status, headers=CORS_HEADERS)


def parse_auth_header(value: str) -> dict[str, str]:
    """`Sentry sentry_key=..., sentry_version=7, sentry_client=...` as a dict."""
    _, _, params = value.strip().partition(" ")
    pairs = (p.strip().partition("=") for p in params.split(","))
    return {k.strip(): v.strip() for k, sep, v in pairs if sep}


def request_auth(request: Request) -> tuple[dict[str, str], JSONResponse | None]:
    """The auth sent with the request itself (header or query), as Relay's auth_from_parts reads it."""
    header = request.headers.get("x-sentry-auth")
    if header is None and request.headers.get("authorization", "").lower().startswith("sentry "):
        header = request.headers["authorization"]
    query = {k: v for k, v in parse_qsl(request.url.query) if k.startswith("sentry_")}
    if header is not None and "sentry_key" in query:
        return {}, store_error(401, "multiple authorization payloads detected")
    if header is not None:
        auth = parse_auth_header(header)
        if not auth.get("sentry_key"):
            return {}, store_error(401, "bad x-sentry-auth header", ["missing public key in auth header"])
        return auth, None
    return query, None


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


async def read_request(request: Request) -> tuple[dict[str, str], bytes, Response | None]:
    """(auth, body, answer): Relay's decompression layer answers first (415), then the auth
    extractor, then body buffering (a body that does not decompress)."""
    auth, rejected = request_auth(request)
    try:
        body = decoded_body(await request.body(), request.headers.get("content-encoding"))
    except UnsupportedEncoding:
        return auth, b"", Response(status_code=415, headers={"Accept-Encoding": accept_encoding()})
    except UnreadableBody as exc:
        status, message = exc.args
        return auth, b"", rejected or PlainTextResponse(message, status_code=status, headers=CORS_HEADERS)
    return auth, body, rejected


def client_ip(request: Request) -> str | None:
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    return forwarded or (request.client.host if request.client else None)


def save_event(request: Request, event: dict, fallback_id: str | None) -> str:
    sb, project_id = sandbox_of(request), str(request.path_params["project_id"])
    now = time.time()
    event = normalize_event(event, project_id, fallback_id, client_ip(request), now)
    # A resent event id is a duplicate Sentry drops without telling the SDK.
    sb.db.execute("INSERT OR IGNORE INTO sentry_events (event_id, project_id, received_at, payload) "
                  "VALUES (?, ?, ?, ?)", (event["event_id"], project_id, now, json.dumps(event, allow_nan=False)))
    return event["event_id"]


def process_items(request: Request, headers: dict, items: list[tuple[dict, bytes]]) -> str | None:
    """Store the envelope's events; one that processing would refuse is dropped, not answered."""
    event_id = headers.get("event_id")
    for item_header, payload in items:
        if item_header["type"] != "event":  # sessions, client reports etc. are not errors
            continue
        try:
            event = relay_json(payload)
            if isinstance(event, dict):
                event_id = save_event(request, event, headers.get("event_id"))
        except (RelayJsonError, EnvelopeError):
            continue  # Relay's outcome: invalid (invalid_json / invalid event id)
    return event_id


def accepted_envelope(request: Request, body: bytes, key: str | None) -> Response:
    if not body.strip():
        return store_error(400, "empty request body")
    try:
        headers, items = parse_envelope(body)
    except EnvelopeError as exc:
        return store_error(400, "invalid event envelope", [str(exc)])
    if rejected := key_rejection(request, key or dsn_key(headers)):
        return rejected
    event_id = process_items(request, headers, items)
    return JSONResponse({"id": event_id} if event_id else {}, headers=CORS_HEADERS)


async def envelope_endpoint(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=200, headers=PREFLIGHT_HEADERS)
    auth, body, answer = await read_request(request)
    return answer or accepted_envelope(request, body, auth.get("sentry_key"))


def stored_event(request: Request, body: bytes, client: str | None) -> Response:
    """store.rs parse_event: decode_bytes, then the event JSON, then the event id."""
    try:
        body = legacy_store_body(body)
        if not body:
            return store_error(400, "empty request body")
        event = store_event_json(body, client)
    except StoreBodyError as exc:
        return store_error(400, "invalid request body", [str(exc)])
    except RelayJsonError as exc:
        return store_error(400, exc.detail, [exc.cause])
    if not isinstance(event, dict):
        return store_error(400, "invalid event payload")
    try:
        return JSONResponse({"id": save_event(request, event, None)}, headers=CORS_HEADERS)
    except EnvelopeError as exc:
        return store_error(400, str(exc))


async def store_endpoint(request: Request) -> Response:
    """The legacy endpoint: one event (JSON, base64, base64 of zlib) or an envelope; auth on the request."""
    if request.method == "OPTIONS":
        return Response(status_code=200, headers=PREFLIGHT_HEADERS)
    auth, body, answer = await read_request(request)
    if answer or (answer := key_rejection(request, auth.get("sentry_key"))):
        return answer
    if not body:
        return store_error(400, "empty request body")
    if request.headers.get("content-type", "") == ENVELOPE_CONTENT_TYPE:
        return accepted_envelope(request, body, auth.get("sentry_key"))
    return stored_event(request, body, auth.get("sentry_client"))


async def no_such_route(request: Request) -> Response:
    """Relay's statics::not_found: 404, empty body (Starlette would otherwise redirect to the slash)."""
    return Response(status_code=404)

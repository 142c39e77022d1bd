"""Sentry emulation, mounted at /sentry: event intake as Relay answers it, and the events API.

Intake: sentry_intake.py (Relay). The read API follows getsentry/sentry
(issues/endpoints/project_events.py and project_event_details.py, api/authentication.py,
api/base.py paging): DRF errors {"detail": ...}; offset cursors "0:<offset>:<is_prev>" in a Link
header. The list's filters (query, statsPeriod/start/end, per_page with full) are in
sentry_event_filters.py, the shapes in sentry_serializers.py, the release in sentry_release.py.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kulti_sandbox.emulations import sentry_event_filters as filters
from kulti_sandbox.emulations.sentry_events import api_time, group_id
from kulti_sandbox.emulations.sentry_intake import envelope_endpoint, no_such_route, store_endpoint
from kulti_sandbox.emulations.sentry_release import release_object
from kulti_sandbox.emulations.sentry_serializers import full_event, simple_event
from kulti_sandbox.state import sandbox_of

__all__ = ["envelope_endpoint", "routes"]  # the kulti shape's /monitoring tunnel hands envelopes on
NOT_FOUND = "The requested resource does not exist"
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


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


def link_header(request: Request, offset: int, per_page: int, has_more: bool) -> str:
    """Both links always, `results` saying whether following one yields anything."""
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "cursor"])
    base = f"{request.url.scheme}://{request.url.netloc}{request.url.path}?{query}"
    links = [("previous", f"0:{max(0, offset - per_page)}:1", offset > 0),
             ("next", f"0:{offset + per_page}:0", has_more)]
    return ", ".join(f'<{base}&cursor={c}>; rel="{name}"; results="{str(ok).lower()}"; cursor="{c}"'
                     for name, c, ok in links)


def list_params(request: Request) -> tuple[tuple, int, int] | JSONResponse:
    """(window, per_page, offset) in the order Sentry checks them: dates, then paging."""
    try:
        window = filters.date_window(request.query_params)
    except filters.InvalidDateRange:
        return api_error(400, "Invalid date range parameters provided")
    try:
        return window, filters.page_size(request.query_params), filters.cursor_offset(request.query_params)
    except filters.BadListParams as exc:
        return api_error(400, str(exc))


async def list_events(request: Request) -> JSONResponse:
    if denied := api_denied(request):
        return denied
    params = list_params(request)
    if isinstance(params, JSONResponse):
        return params
    window, per_page, offset = params
    query = request.query_params.get("query")
    events = [(e, size) for e, size in stored_events(request)
              if filters.in_window(e, window) and filters.matches_query(e, query)]
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
    try:  # the window only narrows next/previous; an invalid one is refused all the same
        filters.date_window(request.query_params)
    except filters.InvalidDateRange:
        return api_error(400, "Invalid date range")
    wanted = request.path_params["event_id"].replace("-", "").lower()
    events = stored_events(request)
    found = next(((e, size) for e, size in events if e["event_id"] == wanted), None)
    if found is None:
        return api_error(404, "Event not found")
    event, size = found
    previous_id, next_id = neighbours(events, event)
    return JSONResponse({
        **full_event(event, size), "release": event_release(request, event, [e for e, _ in events]),
        "userReport": None, "sdkUpdates": [], "resolvedWith": [],
        "nextEventID": next_id, "previousEventID": previous_id,
    })


def event_release(request: Request, event: dict, events: list[dict]) -> dict | None:
    if not event.get("release"):
        return None
    creds = sandbox_of(request).config.credentials
    project = {"id": int(creds.sentry_project_id), "slug": creds.sentry_project, "name": creds.sentry_project}
    return release_object(event["release"], events, project, group_id, api_time)


routes = [
    Route("/api/{project_id:int}/envelope/", envelope_endpoint, methods=["POST", "OPTIONS"]),
    Route("/api/{project_id:int}/store/", store_endpoint, methods=["POST", "OPTIONS"]),
    Route("/api/{project_id:int}/envelope", no_such_route, methods=ANY_METHOD),
    Route("/api/{project_id:int}/store", no_such_route, methods=ANY_METHOD),
    Route("/api/0/projects/{org}/{project}/events/", list_events, methods=["GET"]),
    Route("/api/0/projects/{org}/{project}/events/{event_id}/", event_details, methods=["GET"]),
]

"""The events API's shapes: SimpleEventSerializer (the list), EventSerializer (`full=true` and the
detail page), and the entries inside.

getsentry/sentry src/sentry/api/serializers/models/event.py; entries are the interfaces'
get_api_context sorted by display score (interfaces/message.py 2050, exception.py 2000,
breadcrumbs.py 1100, http.py 1000), user/sdk/contexts kept out of them; frames
(interfaces/stacktrace.py get_context: pre_context, context_line, post_context numbered from
lineno), breadcrumbs (interfaces/breadcrumbs.py: a crumb with no timestamp is dropped, an
unknown level reads "info"). Tags: sentry_tags.py.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from kulti_sandbox.emulations.sentry_events import (
    api_time, culprit, epoch, exception_values, fingerprint, frame_module, frame_path, frames_of, group_id,
    message_of, metadata, title, top_frame, user_context)
from kulti_sandbox.emulations.sentry_tags import api_tags

GROUPING_CONFIG = {"enhancements": "", "id": "newstyle:2023-01-11"}
CRUMB_LEVELS = {"debug", "info", "warning", "error", "fatal", "critical"}


def frame_context(frame: dict) -> list[list]:
    lineno, line = frame.get("lineno"), frame.get("context_line")
    pre, post = frame.get("pre_context") or [], frame.get("post_context") or []
    if not isinstance(lineno, int) or (line is None and not (pre or post)):
        return []
    start = lineno - len(pre)
    lines = [*pre, line, *post]
    return [[start + i, text] for i, text in enumerate(lines)]


def api_frame(frame: dict) -> dict:
    abs_path, filename = frame_path(frame)
    return {
        "filename": filename, "absPath": abs_path, "module": frame_module(frame),
        "package": frame.get("package"), "platform": frame.get("platform"),
        "instructionAddr": None, "symbolAddr": None, "function": frame.get("function"),
        "symbol": None, "context": frame_context(frame),
        "lineNo": frame.get("lineno"), "colNo": frame.get("colno"), "inApp": bool(frame.get("in_app")),
        "trust": None, "errors": None, "vars": frame.get("vars"),
    }


def api_stacktrace(frames: list[dict]) -> dict | None:
    if not frames:
        return None
    in_app = [bool(f.get("in_app")) for f in frames]
    return {"frames": [api_frame(f) for f in frames], "framesOmitted": None,
            "registers": None, "hasSystemFrames": any(in_app) and not all(in_app)}


def exception_entry(event: dict) -> dict | None:
    values = exception_values(event)
    if not values:
        return None
    out = [{
        "type": v.get("type"), "value": str(v["value"]) if v.get("value") else None, "module": v.get("module"),
        "mechanism": v.get("mechanism"), "threadId": v.get("thread_id"),
        "stacktrace": api_stacktrace(frames_of(v)), "rawStacktrace": None,
    } for v in values]
    system = any((v["stacktrace"] or {}).get("hasSystemFrames") for v in out)
    return {"type": "exception", "data": {"values": out, "excOmitted": None, "hasSystemFrames": system}}


def api_crumb(crumb: dict, event_time: float) -> dict | None:
    if crumb.get("timestamp") is None:
        return None
    data = crumb.get("data")
    return {"type": crumb.get("type") or "default", "timestamp": api_time(epoch(crumb["timestamp"], event_time)),
            "level": crumb["level"] if crumb.get("level") in CRUMB_LEVELS else "info",
            "message": crumb.get("message"), "category": crumb.get("category"),
            "data": data if isinstance(data, dict) and data else None, "event_id": crumb.get("event_id")}


def breadcrumbs_entry(event: dict) -> dict | None:
    crumbs = event.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    out = [c for c in (api_crumb(v, event["timestamp"]) for v in values or [] if isinstance(v, dict)) if c]
    return {"type": "breadcrumbs", "data": {"values": out}} if out else None


def request_entry(event: dict) -> dict | None:
    req = event.get("request")
    if not isinstance(req, dict) or not req.get("url"):
        return None
    parts = urlsplit(req["url"])
    headers = req.get("headers") or {}
    return {"type": "request", "data": {
        "url": parts._replace(query="", fragment="").geturl(), "method": req.get("method"),
        "query": [list(p) for p in parse_qsl(parts.query)], "fragment": parts.fragment or None,
        "data": req.get("data"), "cookies": [], "env": req.get("env"), "inferredContentType": None,
        "headers": [[k, v] for k, v in (headers.items() if isinstance(headers, dict) else headers)],
    }}


def entries(event: dict) -> list[dict]:
    message = message_of(event)
    found = [{"type": "message", "data": {"formatted": message}} if message else None,
             exception_entry(event), breadcrumbs_entry(event), request_entry(event)]
    return [e for e in found if e]


def simple_event(event: dict) -> dict:
    """One row of the project events list (SimpleEventSerializer)."""
    frame = top_frame(event) or {}
    user = user_context(event)
    return {
        "id": event["event_id"], "event.type": event["type"], "groupID": group_id(event),
        "eventID": event["event_id"], "projectID": str(event["project"]),
        "message": message_of(event), "title": title(event),
        "location": frame_path(frame)[1] if frame else None, "culprit": culprit(event),
        "user": user, "tags": api_tags(event, user), "platform": event.get("platform"),
        # Snuba keeps the event time to the second; the list shows it so.
        "dateCreated": api_time(event["timestamp"], whole_seconds=True),
        "crashFile": None, "metadata": None,
    }


def full_event(event: dict, size: int) -> dict:
    """The full event body (EventSerializer), as `full=true` and the detail endpoint return."""
    base = simple_event(event)
    del base["event.type"]
    sdk = event.get("sdk") or None
    return {
        **base, "type": event["type"], "size": size, "entries": entries(event), "dist": event.get("dist"),
        "contexts": event.get("contexts") or {},
        "sdk": sdk and {"name": sdk.get("name"), "version": sdk.get("version")},
        "context": event.get("extra") or {}, "packages": event.get("modules") or {},
        "metadata": metadata(event), "dateCreated": api_time(event["timestamp"]),
        "dateReceived": api_time(event["received"]), "errors": [], "occurrence": None,
        "fingerprints": [fingerprint(event)], "groupingConfig": GROUPING_CONFIG,
        "_meta": {"entries": {}, "message": None, "user": None, "contexts": None, "sdk": None,
                  "context": None, "packages": None, "tags": {}},
    }

"""Sentry event data: envelope parsing, ingest normalisation, and the API serialisers.

Kept apart from the HTTP handlers in sentry.py so each file stays readable. Sources:
envelope format: develop.sentry.dev/sdk/envelopes; response shapes: getsentry/sentry
src/sentry/api/serializers/models/event.py (SimpleEventSerializer / EventSerializer),
src/sentry/apidocs/examples/event_examples.py, src/sentry/interfaces/user.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

EVENT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
# Sentry's javascript processor strips these from a script path to make a frame's module.
CLEAN_MODULE_RE = re.compile(
    r"""^(?:/|(?:(?:java)?scripts?|js|build|static|node_modules|bower_components|[_.~].*?|
    v?(?:\d+\.)*\d+|[a-f0-9]{7,8}|[a-f0-9]{32}|[a-f0-9]{40})/)+|(?:[-.][a-f0-9]{7,}$)""",
    re.X | re.I,
)
GROUPING_CONFIG = {"enhancements": "", "id": "newstyle:2023-01-11"}
SHAPED_FIELDS = {"user": dict, "request": dict, "logentry": dict, "contexts": dict, "sdk": dict,
                 "extra": dict, "exception": (dict, list), "tags": (dict, list)}


class EnvelopeError(ValueError):
    """The body is not a Sentry envelope; the message is Relay's cause text."""


# ---- parsing and ingest ---------------------------------------------------------------------

def _json_object(raw: bytes, what: str) -> dict:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise EnvelopeError(f"invalid {what}") from exc
    if not isinstance(value, dict):
        raise EnvelopeError(f"invalid {what}")
    return value


def parse_envelope(body: bytes) -> tuple[dict, list[tuple[dict, bytes]]]:
    """Header line, then items: a JSON header line and a payload of `length` bytes or one line."""
    header_line, _, rest = body.partition(b"\n")
    headers = _json_object(header_line, "envelope header")
    items = []
    while rest:
        line, _, rest = rest.partition(b"\n")
        if not line.strip():
            continue  # tolerate the trailing newline and blank separators
        item_header = _json_object(line, "item header")
        if not isinstance(item_header.get("type"), str):
            raise EnvelopeError("missing item type")
        length = item_header.get("length")
        if length is None:
            payload, _, rest = rest.partition(b"\n")
        elif isinstance(length, int) and 0 <= length <= len(rest):
            payload, rest = rest[:length], rest[length:].removeprefix(b"\n")
        else:
            raise EnvelopeError("unexpected end of file")
        items.append((item_header, payload))
    return headers, items


def epoch(value, default: float) -> float:
    """SDK timestamps are unix seconds or RFC 3339 strings."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).timestamp()
        except ValueError:
            pass
    return default


def normalize_event(event: dict, project_id: str, fallback_id: str | None, client_ip: str | None,
                    received: float) -> dict:
    """What Relay fills in before storing: ids, timestamps, defaults, the {{auto}} user IP."""
    event = dict(event)
    event_id = str(event.get("event_id") or fallback_id or uuid.uuid4().hex).replace("-", "").lower()
    if not EVENT_ID_RE.match(event_id):
        raise EnvelopeError("invalid event id")
    event.update(event_id=event_id, project=int(project_id), received=received,
                 timestamp=epoch(event.get("timestamp"), received))
    event.setdefault("platform", "other")
    event.setdefault("level", "error")
    for key, kind in SHAPED_FIELDS.items():  # Relay drops values of the wrong type, not the event
        if key in event and not isinstance(event[key], kind):
            del event[key]
    user = event.get("user")
    if isinstance(user, dict) and user.get("ip_address") == "{{auto}}":
        event["user"] = {**user, "ip_address": client_ip}
    event["type"] = "error" if exception_values(event) else "default"
    return event


# ---- derived fields ---------------------------------------------------------------------------

def api_time(ts: float, whole_seconds: bool = False) -> str:
    """DRF's rendering of an aware datetime: isoformat, '+00:00' written as 'Z'."""
    dt = datetime.fromtimestamp(int(ts) if whole_seconds else ts, timezone.utc)
    return dt.isoformat().replace("+00:00", "Z")


def exception_values(event: dict) -> list[dict]:
    exc = event.get("exception")
    values = exc.get("values") if isinstance(exc, dict) else exc
    return [v for v in values or [] if isinstance(v, dict)]


def frames_of(value: dict) -> list[dict]:
    return [f for f in ((value.get("stacktrace") or {}).get("frames") or []) if isinstance(f, dict)]


def top_frame(event: dict) -> dict | None:
    """Most recent frame of the last exception, preferring application code, as Sentry does."""
    values = exception_values(event)
    frames = frames_of(values[-1]) if values else []
    in_app = [f for f in frames if f.get("in_app")]
    return (in_app or frames or [None])[-1]


def frame_path(frame: dict) -> tuple[str | None, str | None]:
    """(absPath, filename): Sentry keeps the URL and shows only its path as the filename."""
    abs_path = frame.get("abs_path") or frame.get("filename")
    if abs_path and urlsplit(abs_path).scheme in ("http", "https"):
        return abs_path, urlsplit(abs_path).path
    return abs_path, frame.get("filename")


def frame_module(frame: dict) -> str | None:
    if frame.get("module"):
        return frame["module"]
    abs_path, _ = frame_path(frame)
    if not abs_path:
        return None
    path = urlsplit(abs_path).path.rsplit(".", 1)[0].removesuffix(".min")
    return CLEAN_MODULE_RE.sub("", path) or "<unknown module>"


def message_of(event: dict) -> str:
    logentry = event.get("logentry") or {}
    msg = logentry.get("formatted") or logentry.get("message") or event.get("message") or ""
    return msg.get("formatted", "") if isinstance(msg, dict) else str(msg)


def truncate(text: str, limit: int = 100) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"  # Django truncatechars


def metadata(event: dict) -> dict:
    values = exception_values(event)
    if not values:
        return {"title": truncate((message_of(event).splitlines() or ["<unlabeled event>"])[0])}
    last, frame = values[-1], top_frame(event) or {}
    meta = {"type": last.get("type"), "value": last.get("value"),
            "filename": frame_path(frame)[1] if frame else None, "function": frame.get("function")}
    return {k: v for k, v in meta.items() if v is not None}


def title(event: dict) -> str:
    meta = metadata(event)
    if "title" in meta:
        return meta["title"]
    if not meta.get("type"):
        return meta.get("function") or "<unknown>"
    value = (str(meta.get("value") or "").splitlines() or [""])[0]
    return f"{meta['type']}: {truncate(value)}" if value else meta["type"]


def culprit(event: dict) -> str:
    if event.get("transaction"):
        return event["transaction"]
    frame = top_frame(event)
    if not frame:
        return ""
    fileloc = frame_module(frame) or frame_path(frame)[1]
    if not fileloc:
        return ""
    if (frame.get("platform") or event.get("platform")) in ("javascript", "node"):
        return f"{frame.get('function') or '?'}({fileloc})"
    return f"{fileloc} in {frame.get('function') or '?'}"


def fingerprint(event: dict) -> str:
    frame = top_frame(event) or {}
    parts = [title(event), frame.get("function") or "", frame_path(frame)[1] or ""]
    return hashlib.md5("\n".join(parts).encode()).hexdigest()


def group_id(event: dict) -> str:
    # Sentry issue ids are numeric; same fingerprint, same issue.
    return str(int(fingerprint(event)[:12], 16) % 9_000_000_000 + 1_000_000_000)


def user_context(event: dict) -> dict | None:
    user = event.get("user")
    if not isinstance(user, dict) or not user:
        return None
    fields = ("id", "email", "username", "ip_address", "name", "data")
    return {k: (str(user[k]) if k == "id" and user.get(k) is not None else user.get(k)) for k in fields}


def tags(event: dict) -> list[dict]:
    """The event's own tags plus those Sentry derives, sorted by key as Snuba returns them."""
    raw = event.get("tags") or {}
    pairs = raw.items() if isinstance(raw, dict) else [t for t in raw if isinstance(t, (list, tuple)) and len(t) == 2]
    found = dict(pairs)
    for key in ("level", "environment", "release", "transaction"):
        if event.get(key):
            found[key] = event[key]
    if (event.get("request") or {}).get("url"):
        found["url"] = event["request"]["url"].split("?")[0]
    user = user_context(event) or {}
    for sub in ("id", "username", "email", "ip_address"):
        if user.get(sub):
            found["user"] = f"{sub.replace('ip_address', 'ip')}:{user[sub]}"
            break
    mechanism = next((v.get("mechanism") for v in exception_values(event) if v.get("mechanism")), None)
    if isinstance(mechanism, dict):
        found["mechanism"] = mechanism.get("type", "generic")
        found["handled"] = "no" if mechanism.get("handled") is False else "yes"
    out = [{"key": str(k), "value": str(v)} for k, v in sorted(found.items())]
    for tag in out:
        if tag["key"] == "user" and ":" in tag["value"]:
            sub, _, val = tag["value"].partition(":")
            tag["query"] = f'user.{sub}:"{val}"'
    return out


# ---- serialisers --------------------------------------------------------------------------------

def api_frame(frame: dict) -> dict:
    abs_path, filename = frame_path(frame)
    context = [[frame.get("lineno"), frame["context_line"]]] if frame.get("context_line") else []
    return {
        "filename": filename, "absPath": abs_path, "module": frame_module(frame),
        "package": frame.get("package"), "platform": frame.get("platform"),
        "instructionAddr": None, "symbolAddr": None, "function": frame.get("function"),
        "symbol": None, "context": context,
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
        "type": v.get("type"), "value": v.get("value"), "module": v.get("module"),
        "mechanism": v.get("mechanism"), "threadId": v.get("thread_id"),
        "stacktrace": api_stacktrace(frames_of(v)), "rawStacktrace": None,
    } for v in values]
    system = any((v["stacktrace"] or {}).get("hasSystemFrames") for v in out)
    return {"type": "exception", "data": {"values": out, "excOmitted": None, "hasSystemFrames": system}}


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
    found = [exception_entry(event),
             {"type": "message", "data": {"formatted": message}} if message else None,
             request_entry(event)]
    return [e for e in found if e]


def simple_event(event: dict) -> dict:
    """One row of the project events list (SimpleEventSerializer)."""
    frame = top_frame(event) or {}
    return {
        "id": event["event_id"], "event.type": event["type"], "groupID": group_id(event),
        "eventID": event["event_id"], "projectID": str(event["project"]),
        "message": message_of(event), "title": title(event),
        "location": frame_path(frame)[1] if frame else None, "culprit": culprit(event),
        "user": user_context(event), "tags": tags(event), "platform": event.get("platform"),
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

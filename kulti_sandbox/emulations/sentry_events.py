"""Sentry event data: envelope parsing, what ingest fills in, and the fields Sentry derives.

Envelope format: develop.sentry.dev/sdk/envelopes. Ingest: getsentry/relay
relay-event-normalization (defaults, `environment` tag moved to the field, an invalid release
dropped, user-agent contexts: sentry_user_agent.py). Derived fields: getsentry/sentry
src/sentry/eventtypes (metadata, title), src/sentry/services/eventstore/models.py
(search_message: what the events list's `query` searches), src/sentry/interfaces/user.py.
The API shapes are in sentry_serializers.py.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

from kulti_sandbox.emulations.sentry_bodies import relay_json
from kulti_sandbox.emulations.sentry_release import is_valid_release
from kulti_sandbox.emulations.sentry_user_agent import add_user_agent_contexts

EVENT_ID_RE = re.compile(r"^[0-9a-f]{32}$")
# Sentry's javascript processor strips these from a script path to make a frame's module.
CLEAN_MODULE_RE = re.compile(
    r"""^(?:/|(?:(?:java)?scripts?|js|build|static|node_modules|bower_components|[_.~].*?|
    v?(?:\d+\.)*\d+|[a-f0-9]{7,8}|[a-f0-9]{32}|[a-f0-9]{40})/)+|(?:[-.][a-f0-9]{7,}$)""",
    re.X | re.I,
)
# Sentry's SENTRY_MAX_MESSAGE_LENGTH: the stored search message is cut there
MAX_MESSAGE_LENGTH = 8192
SHAPED_FIELDS = {"user": dict, "request": dict, "logentry": dict, "contexts": dict, "sdk": dict,
                 "extra": dict, "exception": (dict, list), "tags": (dict, list),
                 "breadcrumbs": (dict, list)}


class EnvelopeError(ValueError):
    """The body is not a Sentry envelope; the message is Relay's cause text."""


# ---- parsing and ingest ---------------------------------------------------------------------

def _json_object(raw: bytes, what: str) -> dict:
    try:
        value = relay_json(raw)  # serde_json's strictness: no NaN in headers either
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
    move_environment_tag(event)
    if isinstance(event.get("release"), str):
        event["release"] = event["release"].strip()
    if event.get("release") is not None and not (isinstance(event["release"], str) and is_valid_release(event["release"])):
        del event["release"]
    add_user_agent_contexts(event)
    event["type"] = "error" if exception_values(event) else "default"
    return event


def move_environment_tag(event: dict) -> None:
    """Relay: a legacy `environment` tag becomes the field when the field is unset."""
    tags = event.get("tags")
    pairs = tags.items() if isinstance(tags, dict) else [t for t in tags or [] if isinstance(t, (list, tuple)) and len(t) == 2]
    value = next((v for k, v in pairs if k == "environment"), None)
    if value and not event.get("environment"):
        event["environment"] = str(value)


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


def search_message(event: dict) -> str:
    """The `message` column the events list's `query` searches: log message, metadata, culprit."""
    message = message_of(event)
    for key, value in metadata(event).items():
        if isinstance(value, str) and key != "in_app_frame_mix" and value not in message:
            message = f"{message} {value}"
    fileloc = culprit(event)
    if fileloc and fileloc not in message:
        message = f"{message} {fileloc}"
    return message.strip()[:MAX_MESSAGE_LENGTH]


def group_id(event: dict) -> str:
    # Sentry issue ids are numeric; same fingerprint, same issue.
    return str(int(fingerprint(event)[:12], 16) % 9_000_000_000 + 1_000_000_000)


def user_context(event: dict) -> dict | None:
    user = event.get("user")
    if not isinstance(user, dict) or not user:
        return None
    fields = ("id", "email", "username", "ip_address", "name", "data")
    return {k: (str(user[k]) if k == "id" and user.get(k) is not None else user.get(k)) for k in fields}

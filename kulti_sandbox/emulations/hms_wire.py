"""What the 100ms server API v2 puts on the wire, independent of routing: times, ids, errors.

Times are Go's time.RFC3339Nano in UTC (trailing zeros of the fraction dropped, "Z"), at the
precision 100ms keeps them: live objects carry nanoseconds (a peer's `joined_at`
"2023-01-25T12:06:34.080990401Z", an active room's session `created_at`
"2022-10-04T12:10:28.939011796Z": 100mslive/100ms-docs, docs/server-side/v2/api-reference/
active-rooms/list-peers.mdx and retrieve-active-room.mdx), stored objects milliseconds (a
recording's "2023-03-30T06:53:03.67Z": recordings/get-recording.mdx; sessions/list-sessions.mdx
likewise). Ids are Mongo ObjectIds: 24 hex digits, the first 8 the creation time in seconds
(the session id "633c22b4..." of retrieve-active-room.mdx is 2022-10-04T12:10:28Z, its
`created_at`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from datetime import datetime, timezone

from starlette.responses import JSONResponse

NS_PER_S = 1_000_000_000
FRACTION = re.compile(r"\.(\d+)")  # a timestamp's only "." starts its fraction of a second


def parse_time(value: str) -> datetime:
    """An ISO timestamp as an aware UTC datetime (naive ones are taken as UTC); microseconds."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def to_ns(value: str) -> int:
    """Nanoseconds since the epoch of an ISO/RFC 3339 timestamp, keeping all nine digits a
    fraction may carry (Python's datetime keeps six)."""
    fraction = FRACTION.search(value)
    if fraction is None:
        return int(parse_time(value).timestamp()) * NS_PER_S
    whole = parse_time(value[:fraction.start()] + value[fraction.end():])
    return int(whole.timestamp()) * NS_PER_S + int(fraction.group(1)[:9].ljust(9, "0"))


def now_live_time() -> str:
    """The current time as 100ms shows a live object's: RFC 3339 with nanoseconds."""
    return rfc3339_nano(time.time_ns())


def rfc3339_nano(ns: int) -> str:
    """Go's RFC3339Nano in UTC: the fraction's trailing zeros dropped, no fraction when zero."""
    seconds, frac = divmod(ns, NS_PER_S)
    whole = datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    digits = f"{frac:09d}".rstrip("0")
    return whole + (f".{digits}" if digits else "") + "Z"


def live_time(value: str | None) -> str | None:
    """A live object's time (peers, active sessions): nanoseconds, as 100ms gives them."""
    return rfc3339_nano(to_ns(value)) if value else None


def stored_time(value: str | None) -> str | None:
    """A stored object's time (recordings, assets): milliseconds, as 100ms's database keeps them."""
    if not value:
        return None
    ns = to_ns(value)
    return rfc3339_nano(ns - ns % 1_000_000)


def object_id(created_ns: int) -> str:
    """A new ObjectId-like id: creation second (8 hex) + 16 random hex digits."""
    return f"{created_ns // NS_PER_S:08x}{secrets.token_hex(8)}"


def derived_id(kind: str, key: str) -> str:
    """A stable 24-hex id for things Kulti does not store (assets, the customer)."""
    return hashlib.sha256(f"{kind}:{key}".encode()).hexdigest()[:24]


def hms_error(status: int, message: str, details: list[str] | None = None) -> JSONResponse:
    """100ms's error bodies. 401 and 400 carry "details" (how-to-guides/make-api-calls.mdx;
    create-large-rooms.mdx: {"code": 400, "message": "Invalid body param", "details": [...]});
    others "data.description" (introduction/request-and-response.mdx, before the 2023 docs move:
    {"code": 404, "message": "Error: Room not found", "data": {"description": ...}})."""
    if details is not None:
        body = {"code": status, "message": message, "details": details}
    else:
        body = {"code": status, "message": message, "data": {"description": message}}
    return JSONResponse(body, status_code=status)

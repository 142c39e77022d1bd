"""What "List a Project's Error Events" lets a caller narrow: `query`, the time window, paging.

docs.sentry.io/api/events/list-a-projects-error-events documents statsPeriod, start, end,
cursor, full and sample; the endpoint (getsentry/sentry
src/sentry/issues/endpoints/project_events.py) also reads `query`, and it is NOT Sentry's
search syntax there: the events whose `message` column contains the text, case-insensitively
(positionCaseInsensitive / a LIKE '%text%'), where `message` is the search message
(sentry_events.search_message: log message, exception type and value, file, function,
culprit). So `user.email:a@b.c` is looked for as that literal text and finds nothing; no
query is ever refused. Search syntax (user.email:, tags) belongs to the issue and Discover
endpoints, which the sandbox does not emulate.

Time window: sentry/api/utils.py get_date_range_from_params(optional=True): `timeframe` /
`timeframeStart`+`timeframeEnd` alias `statsPeriod` / `statsPeriodStart`+`statsPeriodEnd`;
`statsPeriod` (sentry/utils/dates.py parse_stats_period: digits and one of s m h d w, bare
digits are seconds) wins over start/end; start and end (sentry/search/utils.py
parse_datetime_string: ISO 8601 without zone or with Z / +hh:mm cut off and read as UTC,
a date alone, or unix seconds) must come together; start must be before end; with none of
them there is no window. Any failure is a DRF ParseError: 400 {"detail": "Invalid date range
parameters provided"} (the detail endpoint's wording is "Invalid date range").
Paging: `per_page` at most 100, and with `full` at most 10 (getsentry/sentry#123694,
FULL_PAYLOAD_MAX_PER_PAGE); offset cursors "0:<offset>:<is_prev>" (api/base.py).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from starlette.datastructures import QueryParams

from kulti_sandbox.emulations.sentry_events import search_message

MAX_PER_PAGE = 100
FULL_PAYLOAD_MAX_PER_PAGE = 10
STATS_PERIOD_RE = re.compile(r"^(\d+)([hdmsw]?)$")
PERIOD_UNITS = {"h": "hours", "d": "days", "m": "minutes", "s": "seconds", "w": "weeks", "": "seconds"}
DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


class BadListParams(ValueError):
    """The 400 detail Sentry answers."""


class InvalidDateRange(ValueError):
    """sentry.exceptions.InvalidParams: each endpoint answers it with its own ParseError detail."""


def stats_period_start(value: str, now: datetime) -> datetime:
    found = STATS_PERIOD_RE.match(value)
    if not found:
        raise InvalidDateRange(f"Invalid statsPeriod: {value!r}")
    try:
        return now - timedelta(**{PERIOD_UNITS[found.group(2)]: int(found.group(1))})
    except OverflowError as exc:
        raise InvalidDateRange(f"Invalid statsPeriod: {value!r}") from exc


def parse_datetime(value: str) -> datetime:
    if value.endswith("Z"):
        value = value[:-1]
    if len(value) >= 6 and value[-6] == "+":
        value = value[:-6]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    try:
        return datetime.fromtimestamp(float(value), timezone.utc)
    except (ValueError, OverflowError, OSError) as exc:
        raise InvalidDateRange(f"{value} is not a valid ISO8601 date query") from exc


def aliased_periods(params: QueryParams) -> dict:
    """get_date_range_from_params: `timeframe*` stand for `statsPeriod*`."""
    values = dict(params)
    if values.get("timeframe") is not None:
        values["statsPeriod"] = values["timeframe"]
    elif values.get("timeframeStart") or values.get("timeframeEnd"):
        if not (values.get("timeframeStart") and values.get("timeframeEnd")):
            raise InvalidDateRange("timeframeStart and timeframeEnd are both required")
        values["statsPeriodStart"], values["statsPeriodEnd"] = values["timeframeStart"], values["timeframeEnd"]
    return values


def date_window(params: QueryParams, now: datetime | None = None) -> tuple[datetime, datetime] | None:
    """(start, end) the events must fall in, or None for no window; InvalidDateRange when invalid."""
    now = now or datetime.now(timezone.utc)
    values = aliased_periods(params)
    start, end = now - timedelta(days=90), now
    if values.get("statsPeriod") is not None:
        start = stats_period_start(values["statsPeriod"], now)
    elif values.get("statsPeriodStart") or values.get("statsPeriodEnd"):
        if not (values.get("statsPeriodStart") and values.get("statsPeriodEnd")):
            raise InvalidDateRange("statsPeriodStart and statsPeriodEnd are both required")
        start = stats_period_start(values["statsPeriodStart"], now)
        end = stats_period_start(values["statsPeriodEnd"], now)
    elif values.get("start") or values.get("end"):
        if not (values.get("start") and values.get("end")):
            raise InvalidDateRange("start and end are both required")
        start, end = parse_datetime(values["start"]), parse_datetime(values["end"])
    else:
        return None
    if start >= end:
        raise InvalidDateRange("start must be before end")
    return start, end


def in_window(event: dict, window: tuple[datetime, datetime] | None) -> bool:
    # Snuba's conditions: timestamp >= start AND timestamp < end
    return window is None or window[0].timestamp() <= event["timestamp"] < window[1].timestamp()


def matches_query(event: dict, query: str | None) -> bool:
    return not query or query.lower() in search_message(event).lower()


def page_size(params: QueryParams) -> int:
    """Base get_per_page, then the full-payload cap; BadListParams with DRF's detail."""
    try:
        per_page = int(params.get("per_page", MAX_PER_PAGE))
    except ValueError as exc:
        raise BadListParams("Invalid per_page parameter.") from exc
    if per_page > MAX_PER_PAGE:
        raise BadListParams(f"Invalid per_page value. Cannot exceed {MAX_PER_PAGE}.")
    if per_page < 1:
        raise BadListParams("Invalid per_page parameter.")
    return min(per_page, FULL_PAYLOAD_MAX_PER_PAGE) if params.get("full") in ("1", "true") else per_page


def cursor_offset(params: QueryParams) -> int:
    bits = params.get("cursor", "0:0:0").split(":")  # value:offset:is_prev
    try:
        if len(bits) != 3:
            raise ValueError(bits)
        float(bits[0]), int(bits[2])
        offset = int(bits[1])  # the offset paginator only looks at the offset
    except ValueError as exc:
        raise BadListParams("Invalid cursor parameter.") from exc
    if offset < 0:
        raise BadListParams("Pagination offset cannot be negative")
    return offset

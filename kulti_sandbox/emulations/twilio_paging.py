"""Reading the Message list a page at a time, as Twilio's 2010 API pages it.

Parameters and limits are the OpenAPI description's (twilio/twilio-oai,
spec/json/twilio_api_v2010.json, GET .../Messages.json): PageSize 1 to 1000, default 50;
Page "simply for client state"; PageToken "provided by the API". A PageSize above 1000 is
refused with 20007 "Page size too large" (twilio.com/docs/api/errors/20007: "The maximum page
size is 1000"), not capped. Tokens are Twilio's: "PA" + the SID of the last message of this
page for the next page, "PB" + the SID of the first for the previous one (as in the real
next_page_uri ".../Messages.json?PageSize=50&Page=1&PageToken=PASM1f753eba6c29..." that
client tests quote, and twilio-go's paging fixtures). Messages are listed newest first; their SIDs
start with their creation time (twilio_shapes.time_ordered_sid), so a token keeps its place
when the message it names has been deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlencode

from kulti_sandbox.db import Database
from kulti_sandbox.emulations import twilio_shapes as shapes
from kulti_sandbox.emulations.twilio_shapes import TwilioApiError

BASE = f"/{shapes.API_VERSION}"
DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 1000
SENT = "COALESCE(date_sent, date_created)"
DATE_FILTERS = ("DateSent", "DateSent<", "DateSent>")
PAGE_TOKEN = re.compile(r"^(PA|PB)(SM[0-9a-f]{32})$")


def _int_param(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _page_size(raw: str | None) -> int:
    size = _int_param(raw, DEFAULT_PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        # The wire text of 20007 is not published; this is the error's documented title.
        raise TwilioApiError(400, 20007, "Page size too large")
    return max(size, 1)


@dataclass
class ListQuery:
    account_sid: str
    filters: list[tuple[str, str]]  # To/From/DateSent* as given: echoed in every page URI
    low: float | None  # date_sent window [low, high), unix seconds
    high: float | None
    page_size: int
    page: int
    token: str | None

    @classmethod
    def from_params(cls, account_sid: str, params: Mapping[str, str]) -> "ListQuery":
        filters = [(k, params[k]) for k in ("To", "From", *DATE_FILTERS) if params.get(k)]
        low, high = shapes.date_sent_window(*(params.get(k) for k in DATE_FILTERS))
        return cls(account_sid, filters, low, high, _page_size(params.get("PageSize")),
                   max(_int_param(params.get("Page"), 0), 0), params.get("PageToken") or None)

    def where(self) -> tuple[str, list[Any]]:
        given = dict(self.filters)
        clauses: list[tuple[str, Any]] = [("account_sid = ?", self.account_sid)]
        clauses += [(f"{col} = ?", given[name]) for name, col in (("To", "to_number"), ("From", "from_number"))
                    if name in given]
        clauses += [(f"{SENT} >= ?", self.low)] if self.low is not None else []
        clauses += [(f"{SENT} < ?", self.high)] if self.high is not None else []
        return " AND ".join(c for c, _ in clauses), [a for _, a in clauses]

    def uri(self, page: int, token: str | None = None) -> str:
        params = [*self.filters, ("PageSize", self.page_size), ("Page", page)]
        params += [("PageToken", token)] if token else []
        return f"{BASE}/Accounts/{self.account_sid}/Messages.json?{urlencode(params)}"


def _parse_token(token: str) -> tuple[str, str]:
    found = PAGE_TOKEN.match(token)
    if found is None:
        raise TwilioApiError(400, 20001, "Invalid PageToken")
    return found.group(1), found.group(2)


def _select(db: Database, q: ListQuery, extra: str, args: list[Any], order: str, limit: int,
            offset: int = 0) -> list[dict[str, Any]]:
    where, where_args = q.where()
    return db.query(f"SELECT * FROM twilio_messages WHERE {where}{extra} ORDER BY sid {order} LIMIT ? OFFSET ?",
                    (*where_args, *args, limit, offset))


def _page_rows(db: Database, q: ListQuery) -> list[dict[str, Any]]:
    if q.token is None:  # no token: the page number is a plain offset
        return _select(db, q, "", [], "DESC", q.page_size, q.page * q.page_size)
    direction, sid = _parse_token(q.token)
    if direction == "PA":
        return _select(db, q, " AND sid < ?", [sid], "DESC", q.page_size)
    return _select(db, q, " AND sid > ?", [sid], "ASC", q.page_size)[::-1]


def page_of(db: Database, q: ListQuery) -> dict[str, Any]:
    """One page in Twilio's envelope, keys in the API's order."""
    rows = _page_rows(db, q)
    more = bool(rows) and bool(_select(db, q, " AND sid < ?", [rows[-1]["sid"]], "DESC", 1))
    start = q.page * q.page_size
    return {
        "end": start + max(len(rows) - 1, 0),
        "first_page_uri": q.uri(0),
        "next_page_uri": q.uri(q.page + 1, "PA" + rows[-1]["sid"]) if more else None,
        "page": q.page,
        "page_size": q.page_size,
        "previous_page_uri": q.uri(q.page - 1, "PB" + rows[0]["sid"]) if q.page > 0 and rows else None,
        "messages": [shapes.message_json(r) for r in rows],
        "start": start,
        "uri": q.uri(q.page, q.token),
    }

"""What the Twilio REST API (2010-04-01) puts on the wire, independent of HTTP routing.

Message JSON, error bodies, RFC 2822 dates, SIDs, SMS segment counting and the DateSent
filter grammar (what a create must carry is in twilio_create.py). Field names, order and
value types follow Twilio's Message resource reference and the twilio-python client (which
reads `num_segments`/`num_media` as strings and parses dates with `email.utils.parsedate`,
i.e. RFC 2822 in GMT).
"""

from __future__ import annotations

import math
import re
import secrets
from datetime import date, datetime, time, timezone
from decimal import Decimal
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

API_VERSION = "2010-04-01"
ERROR_DOCS = "https://www.twilio.com/docs/errors/{code}"
# Twilio's US outbound SMS list price per segment; `price` is negative (a charge).
PRICE_PER_SEGMENT = Decimal("0.00790")

E164 = re.compile(r"^\+[1-9]\d{1,14}$")

# GSM 03.38: the basic set costs one septet a character, the extension set two (escape +
# char). Anything outside both forces UCS-2. This decides num_segments like Twilio does.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("\f^{}\\[~]|€")


class TwilioApiError(Exception):
    """A refusal in Twilio's own terms: HTTP status plus the numbered error body."""

    def __init__(self, status: int, code: int, message: str, detail: str | None = None):
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail

    def body(self) -> dict[str, Any]:
        # Key order as the real API answers: code, [detail], message, more_info, status.
        out: dict[str, Any] = {"code": self.code}
        if self.detail is not None:
            out["detail"] = self.detail
        out.update(message=self.message, more_info=ERROR_DOCS.format(code=self.code), status=self.status)
        return out


def new_sid(prefix: str) -> str:
    """Twilio SIDs: two-letter type prefix + 32 lowercase hex digits."""
    return prefix + secrets.token_hex(16)


def time_ordered_sid(prefix: str, ts: float) -> str:
    """A SID whose 32 hex digits are its creation time in microseconds (14 digits) and 18
    random ones, so SIDs sort as their messages were created. Twilio's page tokens are just
    'PA' or 'PB' + the SID a page ends at; this lets the sandbox find that place even after
    the message is deleted (the suite deletes its OTP messages while paging through them).
    Clients treat SIDs as opaque, so nothing else sees the difference."""
    return f"{prefix}{int(ts * 1_000_000):014x}{secrets.token_hex(9)}"


def rfc2822(ts: float | None) -> str | None:
    """'Thu, 24 Nov 2026 21:53:06 +0000': whole seconds, always GMT, as Twilio renders dates."""
    if ts is None:
        return None
    return format_datetime(datetime.fromtimestamp(int(ts), tz=timezone.utc))


def message_uri(account_sid: str, sid: str, suffix: str = ".json") -> str:
    """Relative to the API host, as in the real `uri`; clients join it to their base URL."""
    return f"/{API_VERSION}/Accounts/{account_sid}/Messages/{sid}{suffix}"


def num_segments(body: str) -> int:
    """SMS parts a body needs: 160 GSM-7 septets or 70 UCS-2 units alone, 153/67 when split."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in body):
        units = len(body) + sum(ch in GSM7_EXTENSION for ch in body)
        single, part = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2  # emoji take two UCS-2 units
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


def price(segments: int, status: str) -> str | None:
    """Billed only once the message has gone out; null while queued or accepted."""
    if status not in ("sent", "delivered", "undelivered"):
        return None
    return f"-{PRICE_PER_SEGMENT * segments:.5f}"


def message_json(row: dict[str, Any]) -> dict[str, Any]:
    """A twilio_messages row as the Message resource, in the API's own field order."""
    account_sid, sid, status = row["account_sid"], row["sid"], row["status"]
    # A Messaging Service send reports 0 segments until a sender is picked (Twilio docs).
    segments = 0 if status == "accepted" else row["num_segments"]
    return {
        "body": row["body"],
        "num_segments": str(segments),
        "direction": "outbound-api",
        "from": row["from_number"],
        "to": row["to_number"],
        "date_updated": rfc2822(row["date_updated"]),
        "price": price(row["num_segments"], status),
        "error_message": None,
        "uri": message_uri(account_sid, sid),
        "account_sid": account_sid,
        "num_media": "0",
        "status": status,
        "messaging_service_sid": row["messaging_service_sid"],
        "sid": sid,
        "date_sent": rfc2822(row["date_sent"]),
        "date_created": rfc2822(row["date_created"]),
        "error_code": None,
        "price_unit": "USD",
        "api_version": API_VERSION,
        "subresource_uris": {"media": message_uri(account_sid, sid, "/Media.json")},
    }


# --- DateSent filters --------------------------------------------------------------------

DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_when(value: str) -> tuple[datetime, bool]:
    """(UTC datetime, whether only a date was given). Accepts the formats Twilio documents
    for DateSent: YYYY-MM-DD, ISO 8601 date-times (what twilio-python sends), and RFC 2822."""
    value = value.strip()
    if DATE_ONLY.match(value):
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=timezone.utc), True
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            raise TwilioApiError(400, 20001, "Invalid date value.") from None
    if when.tzinfo is None:  # the API reads zone-less values as GMT
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc), False


def date_sent_window(exact: str | None, before: str | None, after: str | None) -> tuple[float | None, float | None]:
    """The [low, high) range of date_sent, in unix seconds, that the three filters allow.

    Twilio documents all three as inclusive ("on and before", "on and after"). Dates are
    shown to clients in whole seconds, so a bound that names a second includes that whole
    second, and a bound that names a day includes that whole day.
    """
    low: float | None = None
    high: float | None = None

    def span(value: str) -> tuple[float, float]:
        when, day_only = _parse_when(value)
        start = int(when.timestamp())
        return float(start), float(start + (86400 if day_only else 1))

    if exact:
        low, high = span(exact)
    if after:
        start, _ = span(after)
        low = start if low is None else max(low, start)
    if before:
        _, end = span(before)
        high = end if high is None else min(high, end)
    return low, high


def utc_now() -> float:
    return datetime.now(timezone.utc).timestamp()

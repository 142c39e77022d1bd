"""Twilio Programmable Messaging, REST API 2010-04-01, as the real client libraries see it.

Mounted at /twilio, so a client whose API domain base URL is `http://HOST:PORT/twilio`
reaches `/twilio/2010-04-01/Accounts/{AccountSid}/Messages.json` exactly where it would
reach `https://api.twilio.com/2010-04-01/...`. Every `uri` in a response is relative to the
API host (no /twilio), as Twilio's are: the clients join them to their own base URL.

Lifecycle: a created message answers `queued` (or `accepted` when sent through a Messaging
Service) with `date_sent` null; any later read first delivers everything pending, so a
message read back is `delivered`, with `date_sent` equal to its creation time.

In-process callers (the Supabase emulation sending OTPs, the Kulti app, tests) can use
`send_sms` and `sent_messages` instead of HTTP; they apply the same rules.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kulti_sandbox.config import TWILIO_FROM_NUMBER
from kulti_sandbox.db import Database
from kulti_sandbox.emulations import twilio_shapes as shapes
from kulti_sandbox.emulations.twilio_shapes import TwilioApiError
from kulti_sandbox.state import Sandbox, sandbox_of

BASE = f"/{shapes.API_VERSION}"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
MAX_BODY_CHARS = 1600
BAD_CREDENTIALS = "Your AccountSid or AuthToken was incorrect."
# Sort key of the list: Twilio orders by DateSent, newest first; rowid breaks ties so that
# page tokens always point at one exact place.
SENT = "COALESCE(date_sent, date_created)"


# --- Responses ---------------------------------------------------------------------------

def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    # Twilio's bodies use Python-style ", " / ": " separators; keep non-ASCII as sent.
    body = json.dumps(payload, ensure_ascii=False)
    return Response(body, status, headers={"Twilio-Request-Id": shapes.new_sid("RQ"), **(headers or {})},
                    media_type="application/json")


def _error(exc: TwilioApiError) -> Response:
    headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if exc.status == 401 else None
    return _json(exc.status, exc.body(), headers)


# --- Authentication ----------------------------------------------------------------------

def _unauthorized(message: str) -> TwilioApiError:
    return TwilioApiError(401, 20003, message, detail=BAD_CREDENTIALS)


def _authenticate(request: Request) -> None:
    """HTTP Basic with the Account SID and Auth Token, for the account named in the path."""
    creds = sandbox_of(request).config.credentials
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise _unauthorized("Authentication Error - No credentials provided")
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise _unauthorized("Authentication Error - invalid username") from None
    if not hmac.compare_digest(user.encode(), creds.twilio_account_sid.encode()):
        raise _unauthorized("Authentication Error - invalid username")
    if not hmac.compare_digest(password.encode(), creds.twilio_auth_token.encode()):
        raise _unauthorized("Authenticate")
    # Valid credentials for another account than the path names: Twilio refuses with 20003
    # ("Verify the correct Account is being accessed"), not with a 404.
    path_account = request.path_params.get("account_sid")
    if path_account is not None and path_account != creds.twilio_account_sid:
        raise _unauthorized("Authenticate")


def _endpoint(handlers: dict[str, Any]):
    """One route, several methods: authenticate first, then dispatch; Twilio errors as JSON."""
    async def endpoint(request: Request) -> Response:
        try:
            _authenticate(request)
            handler = handlers.get(request.method)
            if handler is None:
                raise TwilioApiError(405, 20004, "Method not allowed")
            return await handler(request)
        except TwilioApiError as exc:
            return _error(exc)
    return endpoint


# --- Create ------------------------------------------------------------------------------

def _sender(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """(from number, messaging service SID). A From holding an MG SID names a service, as
    Twilio accepts (and as Supabase's GoTrue sends its Messaging Service SID)."""
    from_ = fields.get("From") or None
    service = fields.get("MessagingServiceSid") or None
    if from_ and shapes.MESSAGING_SERVICE_SID.match(from_):
        return None, service or from_
    return from_, service


def _validate(fields: dict[str, str], from_: str | None, service: str | None) -> tuple[str, str]:
    """Twilio's checks, in its order, for a text SMS. Returns (to, body)."""
    to = fields.get("To", "")
    body = fields.get("Body", "")
    if not to:
        raise TwilioApiError(400, 21604, "A 'To' phone number is required.")
    if not from_ and not service:
        raise TwilioApiError(400, 21603, "A 'From' phone number is required.")
    if not body:
        raise TwilioApiError(400, 21602, "Message body is required.")
    if len(body) > MAX_BODY_CHARS:
        raise TwilioApiError(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
    if service and not shapes.MESSAGING_SERVICE_SID.match(service):
        raise TwilioApiError(400, 21701, f"The Messaging Service Sid {service} is invalid.")
    if not shapes.E164.match(to):
        raise TwilioApiError(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    # The sandbox account owns exactly one number; Twilio refuses any other sender.
    if from_ and from_ != TWILIO_FROM_NUMBER:
        raise TwilioApiError(400, 21606, f"The From phone number {from_} is not a valid, SMS-capable "
                                         "inbound phone number or short code for your account.")
    return to, body


def create_message(db: Database, account_sid: str, fields: dict[str, str]) -> dict[str, Any]:
    """Validate and store one outbound message; returns it as the 201 answer shows it."""
    from_, service = _sender(fields)
    to, body = _validate(fields, from_, service)
    now = shapes.utc_now()
    row = {
        "sid": shapes.new_sid("SM"),
        "account_sid": account_sid,
        "to_number": to,
        "from_number": from_,
        "messaging_service_sid": service,
        "body": body,
        # Without a chosen sender a service send is `accepted`, otherwise `queued` (Twilio docs).
        "status": "accepted" if service and not from_ else "queued",
        "num_segments": shapes.num_segments(body),
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
    }
    db.insert("twilio_messages", row)
    return shapes.message_json(row)


def deliver_pending(db: Database) -> None:
    """Hand every waiting message to the 'carrier': instant delivery, sent when created.
    Service sends get the account's one number from the sender pool."""
    db.execute(
        "UPDATE twilio_messages SET status = 'delivered', date_sent = date_created, "
        "date_updated = date_created, from_number = COALESCE(from_number, ?) "
        "WHERE status IN ('queued', 'accepted')",
        (TWILIO_FROM_NUMBER,),
    )


async def _create(request: Request) -> Response:
    # Form-encoded like Twilio expects; parsed by hand so repeated keys (MediaUrl) are harmless.
    raw = (await request.body()).decode("utf-8", errors="replace")
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    message = create_message(sandbox_of(request).db, request.path_params["account_sid"], fields)
    return _json(201, message)


# --- Fetch and delete --------------------------------------------------------------------

def _row_or_404(request: Request) -> dict[str, Any]:
    db = sandbox_of(request).db
    deliver_pending(db)
    account_sid, sid = request.path_params["account_sid"], request.path_params["sid"]
    row = db.query_one("SELECT * FROM twilio_messages WHERE account_sid = ? AND sid = ?", (account_sid, sid))
    if row is None:
        raise TwilioApiError(404, 20404, f"The requested resource {request.url.path.removeprefix('/twilio')} "
                                         "was not found")
    return row


async def _fetch(request: Request) -> Response:
    return _json(200, shapes.message_json(_row_or_404(request)))


async def _delete(request: Request) -> Response:
    row = _row_or_404(request)
    sandbox_of(request).db.execute("DELETE FROM twilio_messages WHERE sid = ?", (row["sid"],))
    return Response(status_code=204)


# --- List --------------------------------------------------------------------------------

from kulti_sandbox.emulations.twilio_paging import ListQuery, page_of  # noqa: E402  (uses the helpers above)


async def _list(request: Request) -> Response:
    db = sandbox_of(request).db
    deliver_pending(db)
    query = ListQuery.from_params(request.path_params["account_sid"], request.query_params)
    return _json(200, page_of(db, query))


async def _not_found(request: Request) -> Response:
    raise TwilioApiError(404, 20404, f"The requested resource {request.url.path.removeprefix('/twilio')} "
                                     "was not found")


ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

routes = [
    Route(f"{BASE}/Accounts/{{account_sid}}/Messages.json",
          _endpoint({"GET": _list, "POST": _create}), methods=ALL_METHODS),
    Route(f"{BASE}/Accounts/{{account_sid}}/Messages/{{sid}}.json",
          _endpoint({"GET": _fetch, "DELETE": _delete}), methods=ALL_METHODS),
    # Anything else under the API answers like Twilio (auth first, then a 20404 body),
    # not with Starlette's plain-text 404.
    Route(f"{BASE}/{{rest:path}}", _endpoint({m: _not_found for m in ALL_METHODS}), methods=ALL_METHODS),
]


# --- In-process use ----------------------------------------------------------------------

def send_sms(sb: Sandbox, to: str, body: str, from_: str = TWILIO_FROM_NUMBER,
             messaging_service_sid: str | None = None) -> dict[str, Any]:
    """Send as a Twilio client would, without HTTP. Raises TwilioApiError on refusal."""
    fields = {"To": to, "Body": body, "From": from_ or ""}
    if messaging_service_sid:
        fields["MessagingServiceSid"] = messaging_service_sid
    return create_message(sb.db, sb.config.credentials.twilio_account_sid, fields)


def sent_messages(sb: Sandbox, to: str | None = None, since: float | None = None) -> list[dict[str, Any]]:
    """Peek: messages as the API shows them, newest first, optionally to one number and
    created at or after `since` (unix seconds)."""
    deliver_pending(sb.db)
    sql, args = "SELECT * FROM twilio_messages WHERE account_sid = ?", [sb.config.credentials.twilio_account_sid]
    if to:
        sql, args = sql + " AND to_number = ?", args + [to]
    if since is not None:
        sql, args = sql + " AND date_created >= ?", args + [since]
    rows = sb.db.query(sql + f" ORDER BY {SENT} DESC, rowid DESC", tuple(args))
    return [shapes.message_json(r) for r in rows]


_ = (secrets, urlencode)  # re-exported helpers live in twilio_paging

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

Who may call: twilio_auth.py. What a create must carry and which numbers can receive it:
twilio_create.py, twilio_recipients.py. Paging: twilio_paging.py. Wire shapes: twilio_shapes.py.
"""

from __future__ import annotations

import json
from typing import Any, Mapping
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kulti_sandbox.config import TWILIO_FROM_NUMBER
from kulti_sandbox.db import Database
from kulti_sandbox.emulations import twilio_shapes as shapes
from kulti_sandbox.emulations.twilio_auth import authenticate
from kulti_sandbox.emulations.twilio_create import validate_create
from kulti_sandbox.emulations.twilio_paging import BASE, SENT, ListQuery, page_of
from kulti_sandbox.emulations.twilio_shapes import TwilioApiError
from kulti_sandbox.state import Sandbox, sandbox_of

# Twilio's JSON answers name their charset (recorded responses in twilio-node's tests carry
# "content-type: application/json; charset=utf-8").
JSON_TYPE = "application/json; charset=utf-8"


# --- Responses and authentication --------------------------------------------------------

def _json(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    # Twilio's bodies use ", " / ": " separators and keep non-ASCII text as sent.
    return Response(json.dumps(payload, ensure_ascii=False).encode("utf-8"), status,
                    headers={"Content-Type": JSON_TYPE, "Twilio-Request-Id": shapes.new_sid("RQ"), **(headers or {})})


def _error(exc: TwilioApiError) -> Response:
    headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if exc.status == 401 else None
    return _json(exc.status, exc.body(), headers)


def _endpoint(handlers: dict[str, Any]):
    """One route, several methods: authenticate first, then dispatch; refusals as Twilio JSON."""
    async def endpoint(request: Request) -> Response:
        try:
            authenticate(request)
            handler = handlers.get(request.method)
            if handler is None:
                raise TwilioApiError(405, 20004, "Method not allowed")
            return await handler(request)
        except TwilioApiError as exc:
            return _error(exc)
    return endpoint


def _not_found_error(request: Request) -> TwilioApiError:
    path = request.url.path.removeprefix(request.scope.get("root_path", ""))
    return TwilioApiError(404, 20404, f"The requested resource {path} was not found")


# --- Create, deliver, fetch, delete ------------------------------------------------------

def create_message(db: Database, account_sid: str, fields: Mapping[str, str]) -> dict[str, Any]:
    """Validate and store one outbound message; returns it as the 201 answer shows it."""
    to, body, from_, service = validate_create(dict(fields), TWILIO_FROM_NUMBER)
    now = shapes.utc_now()
    row = {
        "sid": shapes.time_ordered_sid("SM", now), "account_sid": account_sid, "to_number": to,
        "from_number": from_, "messaging_service_sid": service, "body": body,
        # A service send without a chosen sender starts `accepted`, others `queued` (Twilio docs).
        "status": "accepted" if service and not from_ else "queued",
        "num_segments": shapes.num_segments(body),
        "date_created": now, "date_sent": None, "date_updated": now,
    }
    db.insert("twilio_messages", row)
    return shapes.message_json(row)


def deliver_pending(db: Database) -> None:
    """Hand every waiting message to the 'carrier': delivered at once, sent when created.
    Service sends get the account's one number from the sender pool."""
    db.execute(
        "UPDATE twilio_messages SET status = 'delivered', date_sent = date_created, "
        "date_updated = date_created, from_number = COALESCE(from_number, ?) "
        "WHERE status IN ('queued', 'accepted')",
        (TWILIO_FROM_NUMBER,),
    )


async def _create(request: Request) -> Response:
    # Form-encoded as Twilio expects; parsed here so repeated keys (MediaUrl) are harmless.
    fields = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    return _json(201, create_message(sandbox_of(request).db, request.path_params["account_sid"], fields))


def _row_or_404(request: Request) -> dict[str, Any]:
    db = sandbox_of(request).db
    deliver_pending(db)
    row = db.query_one("SELECT * FROM twilio_messages WHERE account_sid = ? AND sid = ?",
                       (request.path_params["account_sid"], request.path_params["sid"]))
    if row is None:
        raise _not_found_error(request)
    return row


async def _fetch(request: Request) -> Response:
    return _json(200, shapes.message_json(_row_or_404(request)))


async def _delete(request: Request) -> Response:
    row = _row_or_404(request)
    sandbox_of(request).db.execute("DELETE FROM twilio_messages WHERE sid = ?", (row["sid"],))
    return Response(status_code=204)


async def _not_found(request: Request) -> Response:
    raise _not_found_error(request)


# --- List ----------------------------------------------------------------------------------

async def _list(request: Request) -> Response:
    db = sandbox_of(request).db
    query = ListQuery.from_params(request.path_params["account_sid"], request.query_params)
    deliver_pending(db)
    return _json(200, page_of(db, query))


ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]

routes = [
    Route(f"{BASE}/Accounts/{{account_sid}}/Messages.json",
          _endpoint({"GET": _list, "POST": _create}), methods=ALL_METHODS),
    Route(f"{BASE}/Accounts/{{account_sid}}/Messages/{{sid}}.json",
          _endpoint({"GET": _fetch, "DELETE": _delete}), methods=ALL_METHODS),
    # Anything else under the API answers like Twilio: auth first, then a 20404 JSON body.
    Route(f"{BASE}/{{rest:path}}", _endpoint({m: _not_found for m in ALL_METHODS}), methods=ALL_METHODS),
]


# --- In-process use ----------------------------------------------------------------------

def send_sms(sb: Sandbox, to: str, body: str, from_: str | None = TWILIO_FROM_NUMBER,
             messaging_service_sid: str | None = None) -> dict[str, Any]:
    """Send as a Twilio client would, without HTTP. Raises TwilioApiError on refusal."""
    fields = {"To": to, "Body": body, "From": from_ or "", "MessagingServiceSid": messaging_service_sid or ""}
    return create_message(sb.db, sb.config.credentials.twilio_account_sid, fields)


def sent_messages(sb: Sandbox, to: str | None = None, since: float | None = None) -> list[dict[str, Any]]:
    """Peek: messages as the API shows them, newest first; optionally to one number and
    created at or after `since` (unix seconds)."""
    deliver_pending(sb.db)
    sql, args = "SELECT * FROM twilio_messages WHERE account_sid = ?", [sb.config.credentials.twilio_account_sid]
    if to:
        sql, args = sql + " AND to_number = ?", args + [to]
    if since is not None:
        sql, args = sql + " AND date_created >= ?", args + [since]
    rows = sb.db.query(sql + f" ORDER BY {SENT} DESC, sid DESC", tuple(args))
    return [shapes.message_json(r) for r in rows]

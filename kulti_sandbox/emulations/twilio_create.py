"""What a Message create must carry, checked in Twilio's order (Message resource reference,
"Create a Message resource"; the codes are Twilio's error dictionary entries)."""

from __future__ import annotations

import re

from kulti_sandbox.emulations import twilio_recipients
from kulti_sandbox.emulations.twilio_shapes import TwilioApiError

MAX_BODY_CHARS = 1600
MESSAGING_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")


def sender_of(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """(from number, messaging service SID). A From holding an MG SID names a service, as
    Twilio accepts (and as Supabase's GoTrue sends its Messaging Service SID)."""
    from_ = fields.get("From") or None
    service = fields.get("MessagingServiceSid") or None
    if from_ and MESSAGING_SERVICE_SID.match(from_):
        return None, service or from_
    return from_, service


def validate_create(fields: dict[str, str], own_number: str) -> tuple[str, str, str | None, str | None]:
    """Twilio's refusals for a text SMS. Returns (to, body, from, service).

    `own_number` is the one number the sandbox account owns: Twilio refuses any other sender,
    and a service send goes out from it (the service's sender pool has only that number).
    """
    from_, service = sender_of(fields)
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
    if service and not MESSAGING_SERVICE_SID.match(service):
        raise TwilioApiError(400, 21701, f"The Messaging Service Sid {service} is invalid.")
    if refused := twilio_recipients.refusal(to, from_ or own_number):
        raise refused
    if from_ and from_ != own_number:
        raise TwilioApiError(400, 21606, f"The From phone number {from_} is not a valid, SMS-capable "
                                         "inbound phone number or short code for your account.")
    return to, body, from_, service

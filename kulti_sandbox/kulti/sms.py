"""OTP SMS through the twilio library, at whatever Twilio base URL the sandbox was given."""

from __future__ import annotations

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from kulti_sandbox.config import TWILIO_FROM_NUMBER, SandboxConfig

TWILIO_ERROR_DOCS = "https://www.twilio.com/docs/errors/{code}"


class SmsFailed(Exception):
    """Twilio refused the message; `twilio_message` and `more_info` are its error body's own
    fields, which GoTrue quotes in its sms_send_failed answer."""

    def __init__(self, text: str, twilio_message: str = "", more_info: str = ""):
        super().__init__(text)
        self.twilio_message, self.more_info = twilio_message, more_info


def otp_text(code: str, expiry_s: int) -> str:
    minutes = max(1, expiry_s // 60)
    return f"Your Kulti verification code is {code}. It expires in {minutes} minute{'s' if minutes > 1 else ''}."


def send_sms(cfg: SandboxConfig, to: str, body: str) -> str:
    """Blocking (the twilio client uses requests): call it from the thread pool. Returns the SID."""
    cr = cfg.credentials
    client = Client(cr.twilio_account_sid, cr.twilio_auth_token)
    client.api.base_url = cfg.twilio_base_url
    try:
        return client.messages.create(to=to, from_=TWILIO_FROM_NUMBER, body=body).sid
    except TwilioRestException as exc:
        # The library prefixes Twilio's message ("Unable to create record: ...") and keeps no
        # more_info; Twilio's more_info is always its error page for the code.
        message = exc.msg.split(": ", 1)[-1]
        raise SmsFailed(f"Twilio error {exc.code}: {exc.msg}", message, TWILIO_ERROR_DOCS.format(code=exc.code)) from exc

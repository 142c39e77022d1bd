"""OTP SMS through the twilio library, at whatever Twilio base URL the sandbox was given."""

from __future__ import annotations

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from kulti_sandbox.config import TWILIO_FROM_NUMBER, SandboxConfig


class SmsFailed(Exception):
    pass


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
        raise SmsFailed(f"Twilio error {exc.code}: {exc.msg}") from exc

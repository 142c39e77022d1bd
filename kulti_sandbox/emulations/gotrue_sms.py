"""GoTrue's sendPhoneConfirmation steps before its writes, shared by /otp and PUT /user's phone
change: the cooldown, a new code, the SMS through Twilio. The callers store the code (and what
else they write) in one transaction afterwards, so a failed SMS writes nothing."""

from __future__ import annotations

from kulti_sandbox.emulations.supabase_auth import GoTrueError
from kulti_sandbox.kulti import otp_codes
from kulti_sandbox.kulti.sms import SmsFailed
from kulti_sandbox.state import Sandbox


async def send_sms_code(sb: Sandbox, phone: str) -> str:
    """The code sent to `phone` (E.164), or GoTrue's 429 / 422 error."""
    left = otp_codes.cooldown_left(sb, phone)
    if left > 0:
        # Go divides the remaining Duration by time.Second: whole seconds, rounded down.
        raise GoTrueError(429, "over_sms_send_rate_limit",
                          f"For security purposes, you can only request this after {int(left)} seconds.")
    code = otp_codes.new_code(sb, phone)
    try:
        await otp_codes.deliver(sb, phone, code)
    except SmsFailed as exc:
        raise GoTrueError(422, "sms_send_failed", "Error sending confirmation OTP to provider: "
                                                  f"{exc.twilio_message} More information: {exc.more_info}")
    return code

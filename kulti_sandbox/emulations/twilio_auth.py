"""Who may call the sandbox's Twilio account: HTTP Basic, as Twilio authenticates the REST API.

Two credentials are accepted (twilio.com/docs/usage/requests-to-twilio, "Authentication":
username API Key and password API Key Secret, the recommended way, or Account SID and
AuthToken). With an API key the account is only in the URL, which is how
twilio-python's `Client(api_key_sid, api_key_secret, account_sid)` calls it (username and
password from the key, `account_sid` for the path: twilio/base/client_base.py). Every refusal
is 401 with code 20003 and a `WWW-Authenticate: Basic realm="Twilio API"` challenge.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.requests import Request

from kulti_sandbox.emulations.twilio_shapes import TwilioApiError
from kulti_sandbox.state import sandbox_of

BAD_CREDENTIALS = "Your AccountSid or AuthToken was incorrect."


def _unauthorized(message: str) -> TwilioApiError:
    return TwilioApiError(401, 20003, message, detail=BAD_CREDENTIALS)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _basic_credentials(request: Request) -> tuple[str, str]:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise _unauthorized("Authentication Error - No credentials provided")
    try:
        user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise _unauthorized("Authentication Error - invalid username") from None
    return user, password


def authenticate(request: Request) -> None:
    """Raises TwilioApiError unless the request carries the account's own credentials."""
    creds = sandbox_of(request).config.credentials
    user, password = _basic_credentials(request)
    if _same(user, creds.twilio_account_sid):
        secret = creds.twilio_auth_token
    elif _same(user, creds.twilio_api_key_sid):
        secret = creds.twilio_api_key_secret
    else:
        raise _unauthorized("Authentication Error - invalid username")
    if not _same(password, secret):
        raise _unauthorized("Authenticate")
    # Good credentials, another account in the path: Twilio answers 20003 (its causes list
    # "Verify the correct Account is being accessed"), not a 404. An API key is bound to the
    # account that made it, so the same holds for a key.
    path_account = request.path_params.get("account_sid")
    if path_account is not None and path_account != creds.twilio_account_sid:
        raise _unauthorized("Authenticate")

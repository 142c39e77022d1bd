"""GoTrue (Supabase Auth) user API for phone OTP sign-in, at /supabase/auth/v1/{otp,verify,token,user,logout}:
what supabase-js' signInWithOtp, verifyOtp, refreshSession, getUser and signOut call.

Modelled on supabase/auth (internal/api/{otp,phone,signup,verify,token,token_refresh,user,logout,
auth,errors,api}.go and apierrors/errorcode.go) and on the requests the clients send
(supabase/supabase-js packages/core/auth-js/src/GoTrueClient.ts; supabase_auth
_sync/gotrue_client.py). Kulti's project is configured as: phone provider Twilio, email
provider off, SMS autoconfirm off.

* /otp: a new or unconfirmed number goes through Signup (user created with `data` as
  user_metadata) and answers `{}`; a confirmed one answers SmsOtpResponse, whose message_id
  is only set for test numbers ("test-otp"): the Twilio SID never reaches it (it is shadowed
  in sendPhoneConfirmation). A second code within the cooldown is 429
  over_sms_send_rate_limit; `create_user: false` for an unknown number is 422 otp_disabled.
* /verify type sms: any failure is 403 otp_expired "Token has expired or is invalid"; the
  sandbox also kills a code after five wrong guesses (real GoTrue rate-limits /verify per IP).
* /user, /logout: the Bearer token must be a valid access token of an existing user and session;
  PUT /user (email, password, phone, data) is gotrue_user_update's.

Codes, SMS and the OTP faults are Kulti's own (kulti/otp_codes.py); errors are rendered by
supabase_auth.error_response, sessions kept by gotrue_sessions.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import jwt
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kulti_sandbox.emulations import gotrue_sessions, gotrue_user_update
from kulti_sandbox.emulations.gotrue_params import BOOL, OBJECT, STRING, go_params, phone_digits
from kulti_sandbox.emulations.supabase_auth import (
    AUD, GOTRUE_JSON, GoTrueError, error_response, go_jwt_reason, render_user,
)
from kulti_sandbox.emulations.gotrue_sms import send_sms_code
from kulti_sandbox.emulations.supabase_common import api_key, behind_gateway, decode_jwt, json_response
from kulti_sandbox.kulti import otp_codes
from kulti_sandbox.state import Sandbox, sandbox_of

OTP_FIELDS = {"email": STRING, "phone": STRING, "create_user": BOOL, "data": OBJECT, "channel": STRING,
              "code_challenge_method": STRING, "code_challenge": STRING}
VERIFY_FIELDS = {"type": STRING, "token": STRING, "token_hash": STRING, "email": STRING, "phone": STRING,
                 "redirect_to": STRING}
EMAIL_LINK_TYPES = ("signup", "invite", "recovery", "magiclink", "email_change", "email")
INVALID_CHANNEL = ("Invalid channel, supported values are 'sms' or 'whatsapp'. 'whatsapp' is only supported if "
                   "Twilio or Twilio Verify is used as the provider.")
BEARER = re.compile(r"(?i)^bearer (\S+$)")  # api.go bearerRegexp
PKCE_CHALLENGE = re.compile(r"^[A-Za-z0-9._~-]+$")


def _otp_expired() -> GoTrueError:
    return GoTrueError(403, "otp_expired", "Token has expired or is invalid")


def _bad_request(msg: str) -> GoTrueError:
    return GoTrueError(400, "validation_failed", msg)


def gotrue_endpoint(handler):
    """Gateway key check, then the handler; a GoTrueError becomes GoTrue's error body."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request, sandbox_of(request))
        except GoTrueError as err:
            return error_response(request, err)

    endpoint.__name__ = handler.__name__
    return behind_gateway(endpoint)


def _user_by_phone(sb: Sandbox, digits: str) -> dict[str, Any] | None:
    return sb.db.query_one("SELECT * FROM auth_users WHERE phone = ?", (digits,))


# --- POST /otp -----------------------------------------------------------------------------

def _check_pkce(params: dict[str, Any]) -> None:
    """validatePKCEParams: both or neither, and a challenge of 43-128 unreserved characters."""
    challenge, method = params.get("code_challenge", ""), params.get("code_challenge_method", "")
    if bool(challenge) != bool(method):
        raise _bad_request("PKCE flow requires code_challenge_method and code_challenge")
    if challenge and not 43 <= len(challenge) <= 128:
        raise _bad_request("code challenge has to be between 43 and 128 characters")
    if challenge and not PKCE_CHALLENGE.match(challenge):
        raise _bad_request("code challenge can only contain alphanumeric characters, hyphens, periods, "
                           "underscores and tildes")


def _allowed_to_sign_up(sb: Sandbox, params: dict[str, Any]) -> bool:
    """shouldCreateUser: with create_user false, only numbers GoTrue already knows get a code."""
    if params.get("create_user", True):
        return True
    if params.get("phone"):
        return _user_by_phone(sb, phone_digits(sb, params["phone"])) is not None
    return False  # an email: no Kulti user has one


async def request_otp(request: Request, sb: Sandbox) -> Response:
    await otp_codes.fault_delay(sb, "slow_otp_request")
    params = go_params(await request.body(), "OtpParams", OTP_FIELDS)
    email, phone, channel = params.get("email", ""), params.get("phone", ""), params.get("channel", "")
    if email and phone:
        raise _bad_request("Only an email address or phone number should be provided")
    if email and channel:
        raise _bad_request("Channel should only be specified with Phone OTP")
    _check_pkce(params)
    if not _allowed_to_sign_up(sb, params):
        raise GoTrueError(422, "otp_disabled", "Signups not allowed for otp")
    if email:
        raise GoTrueError(422, "email_provider_disabled", "Email logins are disabled")
    if not phone:
        raise _bad_request("One of email or phone must be set")
    digits = phone_digits(sb, phone)
    if (channel or "sms") != "sms":
        raise _bad_request(INVALID_CHANNEL)  # whatsapp: not emulated, see the README
    user = _user_by_phone(sb, digits)
    signing_up = user is None or not user["phone_confirmed_at"]
    if signing_up and params.get("code_challenge"):
        raise _bad_request("PKCE not supported for phone signups")
    return await _send_code(sb, "+" + digits, user, signing_up, params.get("data") or {})


async def _send_code(sb: Sandbox, phone: str, user: dict | None, signing_up: bool, data: dict) -> Response:
    """sendPhoneConfirmation: cooldown, code, SMS, then the writes (a failed SMS writes nothing)."""
    code = await send_sms_code(sb, phone)
    with sb.db.transaction() as tx:
        otp_codes.store_code(tx, phone, code)
        if user is None:
            otp_codes.create_unconfirmed_user(tx, phone, data)
    test_message = not signing_up and otp_codes.is_test_number(sb, phone)
    return json_response({"message_id": "test-otp"} if test_message else {}, 200, None, GOTRUE_JSON)


# --- POST /verify --------------------------------------------------------------------------

def _verified_phone(sb: Sandbox, params: dict[str, Any]) -> str:
    """VerifyParams.Validate for POST, then the lookups only a phone OTP can pass; the phone's digits."""
    kind, token, token_hash = params.get("type", ""), params.get("token", ""), params.get("token_hash", "")
    email, phone = params.get("email", ""), params.get("phone", "")
    if not kind:
        raise _bad_request("Verify requires a verification type")
    if bool(token) == bool(token_hash):
        raise _bad_request("Verify requires either a token or a token hash")
    if token_hash:
        if email or phone or params.get("redirect_to"):
            raise _bad_request("Only the token_hash and type should be provided")
        if kind in EMAIL_LINK_TYPES:  # no email link was ever sent by Kulti's project
            raise GoTrueError(403, "otp_expired", "Email link is invalid or has expired")
        raise _bad_request("Invalid email verification type")
    if phone and not email:
        return phone_digits(sb, phone)
    if email and not phone:
        raise _otp_expired()  # looked up by email: no Kulti user has one
    raise _bad_request("Only an email address or phone number should be provided on verify")


def _code_accepted(sb: Sandbox, phone: str, token: str) -> bool:
    # A test number's fixed code is accepted at any time, even with no code requested
    # (verifyUserAndToken checks GetTestOTP before the stored token).
    if otp_codes.is_test_number(sb, phone) and token == sb.config.test_otps[phone]:
        return not sb.faults.on("otp_rejected")
    return otp_codes.code_is_right(sb, phone, token)


async def verify(request: Request, sb: Sandbox) -> Response:
    params = go_params(await request.body(), "VerifyParams", VERIFY_FIELDS)
    digits = _verified_phone(sb, params)
    await otp_codes.fault_delay(sb, "slow_otp_verify")
    user = _user_by_phone(sb, digits)
    # Any type but sms finds no user: phone_change needs a pending change, the rest an email.
    if params["type"] != "sms" or user is None or not _code_accepted(sb, "+" + digits, params["token"]):
        raise _otp_expired()
    otp_codes.use_up_code(sb, "+" + digits, keep_cooldown=True)
    otp_codes.record_sign_in(sb, user["id"])
    session_id, refresh_token = gotrue_sessions.open_session(sb, user["id"])
    return json_response(gotrue_sessions.token_response(sb, session_id, refresh_token), 200, None, GOTRUE_JSON)


# --- POST /token ---------------------------------------------------------------------------

async def token(request: Request, sb: Sandbox) -> Response:
    grant = request.query_params.get("grant_type", "")
    if grant == "refresh_token":
        params = go_params(await request.body(), "RefreshTokenGrantParams", {"refresh_token": STRING})
        refresh_token = params.get("refresh_token", "")
        # Sandbox tokens are all v1 (12 lower-case base32); a longer one would have to be v2.
        if not re.fullmatch(r"[a-z0-9]{12}", refresh_token):
            raise _bad_request("Refresh token is not valid")
        # No await from here on: the swap runs whole on the event loop, as GoTrue's row lock makes it.
        session_id, issued = gotrue_sessions.refresh(sb, refresh_token)
        return json_response(gotrue_sessions.token_response(sb, session_id, issued), 200, None, GOTRUE_JSON)
    if grant == "password":
        params = go_params(await request.body(), "PasswordGrantParams",
                           {"email": STRING, "phone": STRING, "password": STRING})
        if params.get("email") and params.get("phone"):
            raise _bad_request("Only an email address or phone number should be provided on login.")
        if params.get("email"):
            raise GoTrueError(422, "email_provider_disabled", "Email logins are disabled")
        if not params.get("phone"):
            raise _bad_request("missing email or phone")
        # OTP sign-ups get a random 64-character password nobody is told.
        raise GoTrueError(400, "invalid_credentials", "Invalid login credentials")
    if grant in ("id_token", "pkce", "web3"):
        raise _bad_request(f"grant_type={grant} is not emulated by the sandbox")
    raise GoTrueError(400, "invalid_credentials", "unsupported_grant_type")


# --- GET /user, POST /logout ---------------------------------------------------------------

def _bearer(request: Request) -> str:
    # With no Authorization header the gateway's key stands in (supabase_common's rule).
    header = request.headers.get("authorization")
    match = BEARER.match(header if header is not None else f"Bearer {api_key(request)}")
    if not match:
        raise GoTrueError(401, "no_authorization", "This endpoint requires a valid Bearer token")
    return match.group(1)


def _uuid_claim(claims: dict[str, Any], name: str, status: int) -> str:
    try:
        return str(uuid.UUID(str(claims[name])))
    except ValueError:
        raise GoTrueError(status, "bad_jwt", f"invalid claim: {name} claim must be a UUID")


def authenticate(request: Request, sb: Sandbox) -> tuple[dict, dict, str | None]:
    """requireAuthentication: (claims, user row, session id or None), else GoTrue's 401/403."""
    try:
        claims = decode_jwt(request, _bearer(request))
    except jwt.InvalidTokenError as exc:
        raise GoTrueError(403, "bad_jwt", f"invalid JWT: unable to parse or verify signature, {go_jwt_reason(exc)}")
    if not claims.get("sub"):
        raise GoTrueError(403, "bad_jwt", "invalid claim: missing sub claim")
    user = sb.db.query_one("SELECT * FROM auth_users WHERE id = ?", (_uuid_claim(claims, "sub", 400),))
    if user is None:
        raise GoTrueError(403, "user_not_found", "User from sub claim in JWT does not exist")
    session_id = None
    if claims.get("session_id") and claims["session_id"] != str(uuid.UUID(int=0)):
        session_id = _uuid_claim(claims, "session_id", 403)
        if sb.db.query_one("SELECT 1 FROM auth_sessions WHERE id = ?", (session_id,)) is None:
            raise GoTrueError(403, "session_not_found", "Session from session_id claim in JWT does not exist")
    return claims, user, session_id


async def user_endpoint(request: Request, sb: Sandbox) -> Response:
    claims, user, _ = authenticate(request, sb)
    if request.method == "PUT":
        return await gotrue_user_update.update_user(request, sb, user)
    return get_user(claims, user)


def get_user(claims: dict, user: dict) -> Response:
    audience = claims.get("aud")
    first = audience[0] if isinstance(audience, list) and audience else audience
    if first != AUD:
        raise _bad_request("Token audience doesn't match request audience")
    return json_response(render_user(user, with_identities=True), 200, None, GOTRUE_JSON)


async def logout(request: Request, sb: Sandbox) -> Response:
    _, user, session_id = authenticate(request, sb)
    scope = request.query_params.get("scope", "")
    if scope not in ("", "global", "local", "others"):
        raise _bad_request(f'Unsupported logout scope "{scope}"')
    gotrue_sessions.sign_out(sb, user["id"], session_id, scope or "global")
    return Response(status_code=204)


routes = [
    Route("/otp", gotrue_endpoint(request_otp), methods=["POST"]),
    Route("/verify", gotrue_endpoint(verify), methods=["POST"]),
    Route("/token", gotrue_endpoint(token), methods=["POST"]),
    Route("/user", gotrue_endpoint(user_endpoint), methods=["GET", "PUT"]),
    Route("/logout", gotrue_endpoint(logout), methods=["POST"]),
]

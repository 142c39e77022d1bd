"""Phone-OTP sign-up and log-in (Supabase-style), the session cookie, and log-out."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from kulti_sandbox.kulti import otp_codes
from kulti_sandbox.kulti.api_errors import ApiError, api, json_object
from kulti_sandbox.kulti.current_user import COOKIE, SESSION_LIFETIME_S, open_session
from kulti_sandbox.kulti.sms import SmsFailed
from kulti_sandbox.state import Sandbox, sandbox_of

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
PHONE_HINT = "Enter your number in international format, e.g. +14155550123"


def _phone(body: dict, sb: Sandbox) -> str:
    phone = body.get("phone")
    if not isinstance(phone, str) or not phone.strip():
        raise ApiError(422, "Phone number is required", "phone")
    phone = re.sub(r"[\s()-]", "", phone)
    if not E164.match(phone) and not sb.faults.on("phone_validation_off"):
        raise ApiError(422, PHONE_HINT, "phone")
    return phone


def _auth_user(sb: Sandbox, phone: str) -> dict | None:
    return sb.db.query_one("SELECT * FROM auth_users WHERE phone = ?", (phone.lstrip("+"),))


def _check_cooldown(sb: Sandbox, phone: str) -> None:
    wait = int(otp_codes.cooldown_left(sb, phone) + 0.999)
    if wait > 0:
        # Same wording as Supabase's over_sms_send_rate_limit, so QA recognises it.
        raise ApiError(429, f"For security purposes, you can only request this after {wait} seconds.",
                       "phone", headers={"Retry-After": str(wait)})


async def _deliver(sb: Sandbox, phone: str, code: str) -> None:
    try:
        await otp_codes.deliver(sb, phone, code)
    except SmsFailed as exc:
        # Not a field error: the number passed validation, the SMS provider failed.
        raise ApiError(502, f"We could not send the SMS ({exc}). Try again in a moment.")


@api
async def request_otp(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    await otp_codes.fault_delay(sb, "slow_otp_request")
    body = await json_object(request)
    intent = body.get("intent", "login")
    if intent not in ("signup", "login"):
        raise ApiError(422, 'intent must be "signup" or "login"', "intent")
    phone = _phone(body, sb)
    user = _auth_user(sb, phone)
    if intent == "login" and user is None:
        raise ApiError(404, "There is no account with this number. Sign up instead.", "phone")
    _check_cooldown(sb, phone)
    code = otp_codes.new_code(sb, phone)
    await _deliver(sb, phone, code)  # before any write: a failed SMS leaves nothing behind
    with sb.db.transaction() as tx:
        otp_codes.store_code(tx, phone, code)
        if user is None:  # like GoTrue: the user exists, unconfirmed, from the first OTP request
            otp_codes.create_unconfirmed_user(tx, phone)
    return JSONResponse({"status": "sent", "expires_in": sb.config.otp_expiry_s,
                         "cooldown": sb.config.otp_cooldown_s})


@api
async def verify_otp(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    body = await json_object(request)
    phone = _phone(body, sb)
    code = body.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"\d{6}", code.strip()):
        raise ApiError(422, "Enter the 6-digit code from the SMS", "code")
    await otp_codes.fault_delay(sb, "slow_otp_verify")
    if not otp_codes.code_is_right(sb, phone, code.strip()):
        raise ApiError(401, "Invalid or expired code. Request a new one.", "code")
    user = _auth_user(sb, phone)
    otp_codes.use_up_code(sb, phone, keep_cooldown=False)
    otp_codes.record_sign_in(sb, user["id"])
    has_profile = sb.db.query_one("SELECT 1 FROM profiles WHERE id = ?", (user["id"],)) is not None
    response = JSONResponse({"redirect": "/dashboard" if has_profile else "/onboarding", "user_id": user["id"]})
    if not sb.faults.on("otp_no_session"):
        response.set_cookie(COOKIE, open_session(request, user["id"]), max_age=SESSION_LIFETIME_S,
                            httponly=True, samesite="lax", path="/")
    return response


async def logout(request: Request) -> RedirectResponse:
    sb = sandbox_of(request)
    response = RedirectResponse("/", status_code=303)
    if sb.faults.on("logout_broken"):
        return response
    token = request.cookies.get(COOKIE)
    if token:
        sb.db.execute("DELETE FROM app_sessions WHERE token = ?", (token,))
    response.delete_cookie(COOKIE, path="/")
    return response


routes = [
    Route("/api/auth/otp", request_otp, methods=["POST"]),
    Route("/api/auth/verify", verify_otp, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]

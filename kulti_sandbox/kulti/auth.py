"""Phone-OTP sign-up and log-in (Supabase-style), the session cookie, and log-out."""

from __future__ import annotations

import asyncio
import re
import secrets
import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from kulti_sandbox.db import new_id, now_iso
from kulti_sandbox.kulti.api_errors import ApiError, api, json_object
from kulti_sandbox.kulti.current_user import COOKIE, SESSION_LIFETIME_S, open_session
from kulti_sandbox.kulti.sms import SmsFailed, otp_text, send_sms
from kulti_sandbox.state import Sandbox, sandbox_of

E164 = re.compile(r"^\+[1-9]\d{7,14}$")
MAX_ATTEMPTS = 5
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
    row = sb.db.query_one("SELECT sent_at FROM otp_codes WHERE phone = ?", (phone,))
    if row is None:
        return
    wait = int(row["sent_at"] + sb.config.otp_cooldown_s - time.time() + 0.999)
    if wait > 0:
        # Same wording as Supabase's over_sms_send_rate_limit, so QA recognises it.
        raise ApiError(429, f"For security purposes, you can only request this after {wait} seconds.",
                       "phone", headers={"Retry-After": str(wait)})


def _new_code(sb: Sandbox, phone: str) -> str:
    if phone in sb.config.test_otps:
        return sb.config.test_otps[phone]
    digits = 5 if sb.faults.on("otp_five_digits") else 6
    return f"{secrets.randbelow(10 ** digits):0{digits}d}"


async def _deliver(sb: Sandbox, phone: str, code: str) -> None:
    text = otp_text(code, sb.config.otp_expiry_s)
    delay = sb.faults.number("sms_delay")
    if delay:
        async def later():
            await asyncio.sleep(delay)
            try:
                await run_in_threadpool(send_sms, sb.config, phone, text)
            except SmsFailed:
                pass
        asyncio.get_running_loop().create_task(later())
        return
    try:
        await run_in_threadpool(send_sms, sb.config, phone, text)
    except SmsFailed as exc:
        # Not a field error: the number passed validation, the SMS provider failed.
        raise ApiError(502, f"We could not send the SMS ({exc}). Try again in a moment.")


@api
async def request_otp(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    if delay := sb.faults.number("slow_otp_request"):
        await asyncio.sleep(delay / 1000)
    body = await json_object(request)
    intent = body.get("intent", "login")
    if intent not in ("signup", "login"):
        raise ApiError(422, 'intent must be "signup" or "login"', "intent")
    phone = _phone(body, sb)
    user = _auth_user(sb, phone)
    if intent == "login" and user is None:
        raise ApiError(404, "There is no account with this number. Sign up instead.", "phone")
    _check_cooldown(sb, phone)
    code = _new_code(sb, phone)
    test_number = phone in sb.config.test_otps
    if not test_number and not sb.faults.on("sms_never_sent"):
        await _deliver(sb, phone, code)  # before any write: a failed SMS leaves nothing behind
    with sb.db.transaction() as tx:
        tx.execute("INSERT OR REPLACE INTO otp_codes (phone, code, sent_at, attempts) VALUES (?, ?, ?, 0)",
                   (phone, code, time.time()))
        if user is None:  # like GoTrue: the user exists, unconfirmed, from the first OTP request
            ts = now_iso()
            tx.execute("INSERT INTO auth_users (id, phone, created_at, updated_at) VALUES (?, ?, ?, ?)",
                       (new_id(), phone.lstrip("+"), ts, ts))
    return JSONResponse({"status": "sent", "expires_in": sb.config.otp_expiry_s,
                         "cooldown": sb.config.otp_cooldown_s})


def _check_code(sb: Sandbox, phone: str, code: str) -> None:
    row = sb.db.query_one("SELECT * FROM otp_codes WHERE phone = ?", (phone,))
    invalid = ApiError(401, "Invalid or expired code. Request a new one.", "code")
    if row is None or sb.faults.on("otp_rejected"):
        raise invalid
    if time.time() > row["sent_at"] + sb.config.otp_expiry_s or row["attempts"] >= MAX_ATTEMPTS:
        raise invalid
    if not secrets.compare_digest(row["code"], code):
        sb.db.execute("UPDATE otp_codes SET attempts = attempts + 1 WHERE phone = ?", (phone,))
        raise invalid


@api
async def verify_otp(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    body = await json_object(request)
    phone = _phone(body, sb)
    code = body.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"\d{6}", code.strip()):
        raise ApiError(422, "Enter the 6-digit code from the SMS", "code")
    if delay := sb.faults.number("slow_otp_verify"):
        await asyncio.sleep(delay / 1000)
    _check_code(sb, phone, code.strip())
    user = _auth_user(sb, phone)
    ts = now_iso()
    sb.db.execute("DELETE FROM otp_codes WHERE phone = ?", (phone,))
    if sb.faults.on("signup_user_not_saved"):
        sb.db.execute("UPDATE auth_users SET last_sign_in_at = ? WHERE id = ?", (ts, user["id"]))
    else:
        sb.db.execute("""UPDATE auth_users SET phone_confirmed_at = COALESCE(phone_confirmed_at, ?),
                         last_sign_in_at = ?, updated_at = ? WHERE id = ?""", (ts, ts, ts, user["id"]))
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

"""One-time SMS codes, shared by Kulti's own sign-in API (kulti/auth.py) and the GoTrue
user API emulation (emulations/supabase_auth_user.py), so both sandbox shapes send, check
and break codes the same way.

The OTP faults live here and nowhere else: `otp_five_digits`, `sms_never_sent`,
`sms_delay`, `otp_rejected`, `signup_user_not_saved`, and the `slow_otp_request` /
`slow_otp_verify` delays. Each caller turns the outcomes into its own error answers.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
import time

from starlette.concurrency import run_in_threadpool

from kulti_sandbox.db import new_id, now_iso
from kulti_sandbox.kulti.sms import SmsFailed, otp_text, send_sms
from kulti_sandbox.state import Sandbox

MAX_ATTEMPTS = 5  # wrong codes before the code is dead, so six digits cannot be guessed


async def fault_delay(sb: Sandbox, fault: str) -> None:
    """The `slow_otp_request` / `slow_otp_verify` delay (VALUE ms), nothing when the fault is off."""
    if delay := sb.faults.number(fault):
        await asyncio.sleep(delay / 1000)


def cooldown_left(sb: Sandbox, phone: str) -> float:
    """Seconds until `phone` may be sent another code; 0 or less when it may now."""
    row = sb.db.query_one("SELECT sent_at FROM otp_codes WHERE phone = ?", (phone,))
    return row["sent_at"] + sb.config.otp_cooldown_s - time.time() if row else 0.0


def is_test_number(sb: Sandbox, phone: str) -> bool:
    return phone in sb.config.test_otps


def new_code(sb: Sandbox, phone: str) -> str:
    if is_test_number(sb, phone):
        return sb.config.test_otps[phone]
    digits = 5 if sb.faults.on("otp_five_digits") else 6
    return f"{secrets.randbelow(10 ** digits):0{digits}d}"


async def deliver(sb: Sandbox, phone: str, code: str) -> None:
    """Hand the code's SMS to Twilio. Raises SmsFailed when Twilio refuses it at once.

    Test numbers get no SMS (like Supabase's test phone numbers); so does every number under
    `sms_never_sent`. Under `sms_delay` the SMS goes VALUE seconds later and a failure then
    is lost, as a provider's late failure is to the person waiting for the SMS.
    """
    if is_test_number(sb, phone) or sb.faults.on("sms_never_sent"):
        return
    text = otp_text(code, sb.config.otp_expiry_s)
    if delay := sb.faults.number("sms_delay"):
        async def later():
            await asyncio.sleep(delay)
            try:
                await run_in_threadpool(send_sms, sb.config, phone, text)
            except SmsFailed:
                pass
        asyncio.get_running_loop().create_task(later())
        return
    await run_in_threadpool(send_sms, sb.config, phone, text)


def store_code(tx: sqlite3.Connection, phone: str, code: str) -> None:
    """The phone's one live code; a new one replaces the old and restarts its cooldown."""
    tx.execute("INSERT OR REPLACE INTO otp_codes (phone, code, sent_at, attempts) VALUES (?, ?, ?, 0)",
               (phone, code, time.time()))


def create_unconfirmed_user(tx: sqlite3.Connection, phone: str, user_metadata: dict | None = None) -> str:
    """The auth user GoTrue creates at the first OTP request, unconfirmed until a code is verified."""
    ts, user_id = now_iso(), new_id()
    tx.execute("INSERT INTO auth_users (id, phone, created_at, updated_at, raw_user_meta_data) VALUES (?, ?, ?, ?, ?)",
               (user_id, phone.lstrip("+"), ts, ts, json.dumps(user_metadata or {}, ensure_ascii=False)))
    return user_id


def code_is_right(sb: Sandbox, phone: str, code: str) -> bool:
    """Whether `code` is the phone's live, unexpired code; a wrong guess uses up an attempt."""
    if sb.faults.on("otp_rejected"):
        return False
    row = sb.db.query_one("SELECT * FROM otp_codes WHERE phone = ?", (phone,))
    if row is None or not row["code"]:
        return False
    if time.time() > row["sent_at"] + sb.config.otp_expiry_s or row["attempts"] >= MAX_ATTEMPTS:
        return False
    if not secrets.compare_digest(row["code"], code):
        sb.db.execute("UPDATE otp_codes SET attempts = attempts + 1 WHERE phone = ?", (phone,))
        return False
    return True


def use_up_code(sb: Sandbox, phone: str, keep_cooldown: bool) -> None:
    """A verified code is never accepted twice. GoTrue keeps confirmation_sent_at, so its
    cooldown outlives the code; Kulti's own API forgets both."""
    if keep_cooldown:
        sb.db.execute("UPDATE otp_codes SET code = '' WHERE phone = ?", (phone,))
    else:
        sb.db.execute("DELETE FROM otp_codes WHERE phone = ?", (phone,))


def record_sign_in(sb: Sandbox, user_id: str) -> str:
    """Confirm the phone and stamp the sign-in; under `signup_user_not_saved` only the
    sign-in is stamped, so the user stays unconfirmed. Returns the time stamped."""
    ts = now_iso()
    if sb.faults.on("signup_user_not_saved"):
        sb.db.execute("UPDATE auth_users SET last_sign_in_at = ? WHERE id = ?", (ts, user_id))
    else:
        sb.db.execute("""UPDATE auth_users SET phone_confirmed_at = COALESCE(phone_confirmed_at, ?),
                         last_sign_in_at = ?, updated_at = ? WHERE id = ?""", (ts, ts, ts, user_id))
    return ts

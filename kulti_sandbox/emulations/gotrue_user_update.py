"""GoTrue's PUT /auth/v1/user (supabase-js `auth.updateUser`, supabase-py `auth.update_user`): a
signed-in user sets an email, a password, a phone number or user_metadata.

Modelled on supabase/auth internal/api/user.go (UserUpdate, validateUserUpdateParams),
mail.go (validateEmail, sendEmailChange, validateSentWithinFrequencyLimit), password.go
(checkPasswordStrength) and phone.go (sendPhoneConfirmation), with a default hosted project's
settings: minimum password length 6, no required characters, no leaked-password check, no
reauthentication for a password change, "Secure email change" on, an SMTP server configured,
60 s between emails to one user, SMS autoconfirm off.

* email: lower-cased; an address another user has is 422 email_exists. A permanent user's new
  address is never set at once, whatever the mailer's autoconfirm says: GoTrue stores it as
  `email_change` and mails a confirmation link to it (and, with Secure email change, one to the
  current address when there is one), so the answer is 200 with `new_email` and
  `email_change_sent_at` set and `email` unchanged. The sandbox sends no mail: nothing can follow
  the link, so the address stays unconfirmed (as it would for anyone who never opens it).
  A second change within 60 s is 429 over_email_send_rate_limit;
* password: longer than 72 is 400 validation_failed, shorter than 6 is 422 weak_password with
  `weak_password.reasons`; the user's current password again is 422 same_password. It is stored
  hashed and takes effect at once;
* phone: E.164 (400 validation_failed), a number another user has is 422 phone_exists; a code is
  sent by SMS (the cooldown of /otp applies) and the answer carries `new_phone`; confirming it
  (POST /verify type phone_change) is not emulated;
* data: merged into user_metadata key by key, a null value removing its key;
  app_metadata from a user is 403 not_admin.

Not emulated: MFA (AAL2) and SSO users, anonymous users, the reauthentication nonce, PKCE for
email change, the hourly email rate limit, the "password changed" notification email.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kulti_sandbox.db import now_iso
from kulti_sandbox.emulations.gotrue_params import OBJECT, STRING, go_params, phone_digits
from kulti_sandbox.emulations.supabase_auth import GOTRUE_JSON, GoTrueError, json_map, render_user
from kulti_sandbox.emulations.gotrue_sms import send_sms_code
from kulti_sandbox.emulations.supabase_common import json_response, parse_timestamp
from kulti_sandbox.kulti import otp_codes
from kulti_sandbox.state import Sandbox

FIELDS = {"email": STRING, "password": STRING, "current_password": STRING, "nonce": STRING, "data": OBJECT,
          "app_metadata": OBJECT, "phone": STRING, "channel": STRING, "code_challenge": STRING,
          "code_challenge_method": STRING}
MIN_PASSWORD_LENGTH = 6        # GOTRUE_PASSWORD_MIN_LENGTH on a new hosted project
MAX_PASSWORD_LENGTH = 72       # bcrypt's limit, password.go MaxPasswordLength
EMAIL_MAX_FREQUENCY_S = 60     # GOTRUE_SMTP_MAX_FREQUENCY
# checkmail.ValidateFormat's pattern, in short: local part, '@', a dotted domain.
EMAIL_FORMAT = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                          r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")


def _validated_email(email: str) -> str:
    if len(email) > 255:
        raise GoTrueError(400, "validation_failed", "An email address is too long")
    if not EMAIL_FORMAT.match(email):
        raise GoTrueError(400, "validation_failed", "Unable to validate email address: invalid format")
    return email.lower()


class WeakPassword(GoTrueError):
    """422 weak_password; its body also carries `weak_password: {reasons}` (WeakPasswordError)."""

    def __init__(self, message: str, reasons: list[str]):
        super().__init__(422, "weak_password", message)
        self.reasons = reasons


def _check_password(password: str) -> None:
    if len(password) > MAX_PASSWORD_LENGTH:
        raise GoTrueError(400, "validation_failed", f"Password cannot be longer than {MAX_PASSWORD_LENGTH} characters")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"Password should be at least {MIN_PASSWORD_LENGTH} characters.", ["length"])


def hash_password(password: str, salt: str | None = None) -> str:
    # GoTrue stores bcrypt; any salted slow hash does for a sandbox.
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 100_000).hex()
    return f"pbkdf2${salt}${digest}"


def password_matches(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    _, salt, _ = stored.split("$", 2)
    return secrets.compare_digest(stored, hash_password(password, salt))


def _seconds_left(sent_at: str | None, frequency: int) -> int:
    if not sent_at:
        return 0
    elapsed = (datetime.now(timezone.utc) - parse_timestamp(sent_at)).total_seconds()
    return int(frequency - elapsed) if elapsed < frequency else 0


def _taken(sb: Sandbox, column: str, value: str, user_id: str) -> bool:
    return sb.db.query_one(f"SELECT 1 FROM auth_users WHERE {column} = ? AND id != ?", (value, user_id)) is not None


def _validate(sb: Sandbox, params: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    """validateUserUpdateParams, then the checks UserUpdate makes before writing anything."""
    if params.get("email"):
        params["email"] = _validated_email(params["email"])
    if params.get("phone"):
        params["phone"] = phone_digits(sb, params["phone"])
        if (params.get("channel") or "sms") != "sms":
            raise GoTrueError(400, "validation_failed", "Invalid channel, supported values are 'sms' or 'whatsapp'. "
                              "'whatsapp' is only supported if Twilio or Twilio Verify is used as the provider.")
    if "password" in params:
        _check_password(params["password"])
    if "app_metadata" in params:
        raise GoTrueError(403, "not_admin", "Updating app_metadata requires admin privileges")
    email, phone = params.get("email", ""), params.get("phone", "")
    if email and email != (user["email"] or "") and _taken(sb, "email", email, user["id"]):
        raise GoTrueError(422, "email_exists", "A user with this email address has already been registered")
    if phone and phone != user["phone"] and _taken(sb, "phone", phone, user["id"]):
        raise GoTrueError(422, "phone_exists", "A user with this phone number has already been registered")
    if params.get("password") and password_matches(user["encrypted_password"], params["password"]):
        raise GoTrueError(422, "same_password", "New password should be different from the old password.")
    return params


def _metadata(user: dict[str, Any], data: dict[str, Any]) -> str:
    merged = json_map(user["raw_user_meta_data"])
    for key, value in data.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return json.dumps(merged)


def _email_change(sb: Sandbox, user: dict[str, Any], email: str) -> dict[str, Any]:
    left = _seconds_left(user["email_change_sent_at"], EMAIL_MAX_FREQUENCY_S)
    if left > 0:
        raise GoTrueError(429, "over_email_send_rate_limit",
                          f"For security purposes, you can only request this after {left} seconds.")
    return {"email_change": email, "email_change_sent_at": now_iso()}


async def _phone_change(sb: Sandbox, digits: str) -> dict[str, Any]:
    phone = "+" + digits
    code = await send_sms_code(sb, phone)
    with sb.db.transaction() as tx:
        otp_codes.store_code(tx, phone, code)
    return {"phone_change": digits, "phone_change_sent_at": now_iso()}


async def update_user(request: Request, sb: Sandbox, user: dict[str, Any]) -> Response:
    params = _validate(sb, go_params(await request.body(), "UserUpdateParams", FIELDS), user)
    changes: dict[str, Any] = {}
    if "password" in params:
        changes["encrypted_password"] = hash_password(params["password"]) if params["password"] else None
    if "data" in params:
        changes["raw_user_meta_data"] = _metadata(user, params["data"])
    if params.get("email") and params["email"] != (user["email"] or ""):
        changes.update(_email_change(sb, user, params["email"]))
    if params.get("phone") and params["phone"] != user["phone"]:
        changes.update(await _phone_change(sb, params["phone"]))
    changes["updated_at"] = now_iso()  # the audit entry's tx.Update touches it in GoTrue too
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    sb.db.execute(f"UPDATE auth_users SET {assignments} WHERE id = :id", {**changes, "id": user["id"]})
    updated = sb.db.query_one("SELECT * FROM auth_users WHERE id = ?", (user["id"],))
    return json_response(render_user(updated, with_identities=True), 200, None, GOTRUE_JSON)

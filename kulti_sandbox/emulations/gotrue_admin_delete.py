"""GoTrue's DELETE /auth/v1/admin/users/{id} (supabase-py `auth.admin.delete_user(id,
should_soft_delete)`, supabase-js `auth.admin.deleteUser`), hard or soft.

Modelled on supabase/auth internal/api/admin.go (adminUserDelete) and internal/models/user.go
(SoftDeleteUser, SoftDeleteUserIdentities, obfuscateValue, Logout):

* a non-empty body is read as every GoTrue body is (retrieveRequestParams: gotrue_params), so a
  `should_soft_delete` that is not a boolean is 400 `bad_json`; supabase-py always sends the field;
* hard (no body, or `should_soft_delete` false): the row goes, and with it everything that
  references it (ON DELETE CASCADE: the profile and what hangs off it, sessions, refresh tokens);
* soft: the row stays, so nothing cascades. Email, phone and the pending email and phone changes
  are replaced by obfuscateValue (base64url of sha256(id + value), a phone's cut to 15
  characters), even when empty; the password is cleared, user_metadata and app_metadata emptied,
  the phone identity's data emptied and its provider id obfuscated, `deleted_at` set (and
  `updated_at`, which every pop UpdateOnly touches); the user's sessions and refresh tokens are
  deleted. The user is still listed and found by id, now with `deleted_at`. The number is free
  again: an OTP to it signs up a new user, the old session's tokens are refused
  (session_not_found, refresh_token_not_found), and the number's pending code and cooldown, which
  GoTrue keeps on the user row, go too;
* a second soft delete changes nothing; either way the answer is 200 `{}`.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kulti_sandbox.db import now_iso
from kulti_sandbox.emulations import gotrue_sessions
from kulti_sandbox.emulations.gotrue_params import BOOL, go_params
from kulti_sandbox.emulations.supabase_auth import GOTRUE_JSON, admin_endpoint, load_user, obfuscate_value
from kulti_sandbox.emulations.supabase_common import json_response
from kulti_sandbox.kulti import otp_codes
from kulti_sandbox.state import Sandbox, sandbox_of

PHONE_LENGTH = 15  # obfuscatePhone: the column was VARCHAR(15) before it became text


async def delete_user(request: Request) -> Response:
    row = load_user(request)
    body = await request.body()
    params = go_params(body, "adminUserDeleteParams", {"should_soft_delete": BOOL}) if body else {}
    sb = sandbox_of(request)
    if not params.get("should_soft_delete"):
        sb.db.execute("DELETE FROM auth_users WHERE id = ?", (row["id"],))
    elif not row["deleted_at"]:
        _soft_delete(sb, row)
    return json_response({}, 200, None, GOTRUE_JSON)


def _soft_delete(sb: Sandbox, row: dict[str, Any]) -> None:
    user_id, now = row["id"], now_iso()
    sb.db.execute(
        """UPDATE auth_users SET email = ?, phone = ?, email_change = ?, phone_change = ?,
           encrypted_password = NULL, raw_user_meta_data = '{}', raw_app_meta_data = '{}',
           deleted_at = ?, updated_at = ? WHERE id = ?""",
        (obfuscate_value(user_id, row["email"] or ""),
         obfuscate_value(user_id, row["phone"])[:PHONE_LENGTH],
         obfuscate_value(user_id, row["email_change"] or ""),
         obfuscate_value(user_id, row["phone_change"] or "")[:PHONE_LENGTH],
         now, now, user_id))
    gotrue_sessions.sign_out(sb, user_id, None, "global")
    otp_codes.use_up_code(sb, "+" + row["phone"], keep_cooldown=False)


routes = [
    Route("/admin/users/{user_id}", admin_endpoint(delete_user), methods=["DELETE"]),
]

"""The database functions the launched app's signed-in pages and sign-up call through /rpc,
as supabase/migrations last defines them (files applied in name order), written in Python
for the PostgREST emulation (emulations/postgrest_rpc.py).

* update_user_presence (20250113_matchmaking_system.sql): SECURITY INVOKER, so the upsert
  obeys user_presence's "Users can update own presence" policy;
* use_invite_code (20251113_fix_invite_race_conditions.sql): SECURITY DEFINER;
* add_credits (20250111_credits_system.sql): SECURITY DEFINER, also run by use_invite_code for
  the code creator's referral bonus.

Not here because no migration defines them: get_user_stats (the profile page's server
component calls it and ignores the 404 PGRST202 a real project answers too). Functions of
pages the smoke suite does not open (matchmaking, community, badges, AI) are left out.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from kulti_sandbox.db import new_id, now_iso
from kulti_sandbox.emulations.postgrest_errors import PostgrestError
from kulti_sandbox.emulations.postgrest_rpc import VOID, Function, Param, RpcCall
from kulti_sandbox.emulations.postgrest_types import BOOL, INT8, JSONB, TEXT, UUID

REFERRAL_BONUS = 50  # credits per referral, use_invite_code's constant


def update_user_presence(call: RpcCall, args: dict[str, Any]) -> None:
    """INSERT ... ON CONFLICT (user_id) DO UPDATE; available_for_matching = online and in no session."""
    online = bool(args["p_is_online"])
    row = {"user_id": args["p_user_id"], "is_online": int(online), "current_session_id": args["p_session_id"],
           "available_for_matching": int(online and args["p_session_id"] is None), "updated_at": now_iso()}
    call.check_write("user_presence", row, "INSERT")
    with call.db.transaction() as tx:
        existed = tx.execute("SELECT 1 FROM user_presence WHERE user_id = ?", (row["user_id"],)).fetchone()
        try:
            stored = tx.execute(
                "INSERT INTO user_presence (user_id, is_online, current_session_id, available_for_matching, updated_at)"
                " VALUES (:user_id, :is_online, :current_session_id, :available_for_matching, :updated_at)"
                " ON CONFLICT (user_id) DO UPDATE SET is_online = excluded.is_online,"
                " current_session_id = excluded.current_session_id,"
                " available_for_matching = excluded.available_for_matching, updated_at = excluded.updated_at,"
                " last_seen = CASE WHEN excluded.is_online THEN excluded.updated_at ELSE user_presence.last_seen END"
                " RETURNING *", row).fetchall()
        except sqlite3.IntegrityError as exc:
            raise _foreign_key("user_presence", exc) from None
    call.changed("user_presence", "UPDATE" if existed else "INSERT", [dict(r) for r in stored])


def add_credits(call: RpcCall, args: dict[str, Any]) -> dict[str, Any]:
    """Move the balance and the lifetime totals, and log a credit_transactions row."""
    amount, user_id = int(args["p_amount"]), args["p_user_id"]
    with call.db.transaction() as tx:
        try:
            profile = tx.execute(
                "UPDATE profiles SET credits_balance = credits_balance + :a,"
                " total_credits_earned = total_credits_earned + max(:a, 0),"
                " total_credits_spent = total_credits_spent + max(-:a, 0), credits_updated_at = :now"
                " WHERE id = :id RETURNING credits_balance", {"a": amount, "now": now_iso(), "id": user_id}).fetchone()
            # With no such profile v_new_balance stays NULL and the insert below breaks NOT NULL.
            row = {"id": new_id(), "user_id": user_id, "amount": amount,
                   "balance_after": profile["credits_balance"] if profile else None, "type": args["p_type"],
                   "source_session_id": args["p_source_session_id"],
                   "metadata": json.dumps(args["p_metadata"] or {}), "created_at": now_iso()}
            tx.execute("INSERT INTO credit_transactions (id, user_id, amount, balance_after, type, source_session_id,"
                       " metadata, created_at) VALUES (:id, :user_id, :amount, :balance_after, :type,"
                       " :source_session_id, :metadata, :created_at)", row)
        except sqlite3.IntegrityError as exc:
            raise _check_failed(exc) from None
    call.changed("credit_transactions", "INSERT", [row])
    return {"success": True, "transaction_id": row["id"], "new_balance": row["balance_after"], "amount": amount}


def use_invite_code(call: RpcCall, args: dict[str, Any]) -> dict[str, Any]:
    code, user_id, metadata = args["p_code"], args["p_user_id"], args["p_metadata"] or {}
    db = call.db
    if db.query_one("SELECT 1 FROM invite_uses u JOIN invites i ON i.id = u.invite_id "
                    "WHERE i.code = ? AND u.used_by = ?", (code, user_id)):
        return {"success": False, "error": "You have already used this invite code"}
    invite = db.query_one("SELECT * FROM invites WHERE code = ? AND is_active = 1", (code,))
    if invite is None:
        return {"success": False, "error": "Invalid invite code"}
    if invite["current_uses"] >= invite["max_uses"]:
        return {"success": False, "error": "Invite code has been fully used"}
    if invite["expires_at"] and invite["expires_at"] < now_iso():
        return {"success": False, "error": "Invite code has expired"}
    use_id = new_id()
    with db.transaction() as tx:
        try:
            tx.execute("INSERT INTO invite_uses (id, invite_id, used_by, used_at, metadata) VALUES (?, ?, ?, ?, ?)",
                       (use_id, invite["id"], user_id, now_iso(), json.dumps(metadata)))
            tx.execute("UPDATE invites SET current_uses = current_uses + 1, updated_at = ? WHERE id = ?",
                       (now_iso(), invite["id"]))
            # profiles.invite_code is UNIQUE: a second sign-up with one code fails here, outside the
            # function's exception blocks, so the whole call is rolled back (409 23505).
            tx.execute("UPDATE profiles SET invite_code = ? WHERE id = ?", (code, user_id))
        except sqlite3.IntegrityError as exc:
            raise _unique_or_key(exc, code, user_id) from None
    if invite["created_by"] and invite["created_by"] != user_id:
        try:
            add_credits(call, {"p_user_id": invite["created_by"], "p_amount": REFERRAL_BONUS,
                               "p_type": "referral_bonus", "p_source_session_id": None,
                               "p_metadata": {"referred_user_id": user_id, "invite_code": code}})
        except PostgrestError:
            pass  # RAISE WARNING and carry on, as the function does
    return {"success": True, "invite_id": invite["id"], "use_id": use_id}


def _unique_or_key(exc: sqlite3.IntegrityError, code: str, user_id: str) -> PostgrestError:
    if "profiles.invite_code" in str(exc):
        return PostgrestError(409, "23505", 'duplicate key value violates unique constraint "profiles_invite_code_key"',
                              f"Key (invite_code)=({code}) already exists.")
    if "FOREIGN KEY" in str(exc):
        return PostgrestError(409, "23503", 'insert or update on table "invite_uses" violates foreign key '
                                            'constraint "invite_uses_used_by_fkey"',
                              f'Key (used_by)=({user_id}) is not present in table "profiles".')
    return PostgrestError(409, "23505", str(exc))


def _foreign_key(table: str, exc: sqlite3.IntegrityError) -> PostgrestError:
    if "FOREIGN KEY" in str(exc):
        return PostgrestError(409, "23503", f'insert or update on table "{table}" violates a foreign key constraint')
    return PostgrestError(400, "23514", str(exc))


def _check_failed(exc: sqlite3.IntegrityError) -> PostgrestError:
    if "NOT NULL" in str(exc):
        return PostgrestError(400, "23502", 'null value in column "balance_after" of relation "credit_transactions" '
                                            'violates not-null constraint')
    return PostgrestError(400, "23514", 'new row for relation "credit_transactions" violates check constraint')


FUNCTIONS = {f.name: f for f in (
    Function("update_user_presence", (Param("p_user_id", UUID), Param("p_is_online", BOOL),
                                      Param("p_session_id", UUID, None)), VOID, update_user_presence),
    Function("use_invite_code", (Param("p_code", TEXT), Param("p_user_id", UUID), Param("p_metadata", JSONB, {})),
             JSONB, use_invite_code, security_definer=True),
    Function("add_credits", (Param("p_user_id", UUID), Param("p_amount", INT8), Param("p_type", TEXT),
                             Param("p_source_session_id", UUID, None), Param("p_metadata", JSONB, {})),
             JSONB, add_credits, security_definer=True),
)}

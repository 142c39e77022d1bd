"""PostgREST writes: POST (insert), PATCH (update), DELETE, each in one transaction.

Responses follow Response.hs: 201 for inserts, 204 for updates and deletes, 200 with a
body when `Prefer: return=representation`; Content-Range `*/*` (inserts and deletes) or
`0-<n-1>/*` (updates), with the affected count instead of `*` under `Prefer: count=exact`.
SQLite's constraint failures come back as the Postgres errors the real schema raises.

The columns written (ApiRequest/Payload.hs, Query/SqlFragment.hs fromJsonBodyF): with
`?columns=` (postgrest-py and supabase-js send it with every list), those columns, each row read
as json_to_recordset reads it: a key the row lacks is NULL, or the column's default under
`Prefer: missing=default`, and keys outside the list are ignored. Without it, the keys of the
object, or of the first one of a list, whose objects must all have the same keys (PGRST102).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timezone
from typing import Any

from starlette.responses import Response

from kulti_sandbox.db import new_id
from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations import postgrest_sql as sql
from kulti_sandbox.emulations import realtime_channels
from kulti_sandbox.emulations.postgrest_call import Call, json_array, profile_header, row_filter, with_rls
from kulti_sandbox.emulations.postgrest_errors import PostgrestError
from kulti_sandbox.emulations.postgrest_render import allowed_rows, may_write_row, plan, render_rows
from kulti_sandbox.emulations.postgrest_types import NOW_DEFAULTS, UUID, UUID_DEFAULTS, Table, from_json
from kulti_sandbox.emulations.supabase_common import storage_timestamp
from kulti_sandbox.state import sandbox_of

Statement = tuple[str, list[Any], dict[str, Any]]  # SQL, parameters, the values written


async def write(call: Call) -> Response:
    if call.q.limit.get("") is not None or call.q.offset.get("") is not None:
        raise err.not_implemented("limit/offset on POST, PATCH and DELETE is not emulated")
    method = call.request.method
    if method == "DELETE":
        return delete(call)
    payload = await _payload(call)
    if method == "PATCH":
        return update(call, payload)
    return insert(call, payload)


async def _payload(call: Call) -> Any:
    try:
        return json.loads(await call.request.body())
    except ValueError:
        raise err.invalid_body()


def _columns(call: Call, keys: list[str]) -> list[str]:
    """The payload keys to write: `?columns=` when given, each one a real column (PGRST204)."""
    wanted = call.q.columns if call.q.columns is not None else keys
    for column in wanted:
        if column not in call.table.columns:
            raise err.column_not_found(call.table.name, column)
    return list(dict.fromkeys(wanted))  # a set in PostgREST: a name given twice is written once


def _row_values(call: Call, columns: list[str], record: dict[str, Any]) -> dict[str, Any]:
    """One row's values: a column the row lacks is NULL, or left to its default (missing=default)."""
    defaults = call.prefer.get("missing") == "default"
    return {c: from_json(call.table.columns[c], record.get(c)) for c in columns if c in record or not defaults}


def _respond(call: Call, status: int, rows: list[dict[str, Any]], content_range: str) -> Response:
    headers = {"Content-Range": content_range, **call.applied("resolution", "missing", "return", "count"),
               **profile_header(call.schema)}
    if not call.representation:
        return Response(status_code=204 if status == 200 else status, headers=headers)
    projection = plan(call.db, call.table, call.q.select)
    rendered = render_rows(call.db, projection, rows, call.q, call.role, call.uid)
    body = rendered[0] if call.singular else json_array(rendered)
    return Response(body.encode(), status, headers=headers, media_type=call.media_type())


def _run(call: Call, statements: list[Statement], change: str) -> list[dict[str, Any]]:
    """Execute statements with RETURNING in one transaction; a singular request that does
    not hit exactly one row is rolled back (PGRST116), as PostgREST does. Once committed,
    Realtime hears of the `change` (INSERT, UPDATE, DELETE) to each row."""
    rows: list[dict[str, Any]] = []
    with call.db.transaction() as conn:
        for statement, params, values in statements:
            try:
                rows += [dict(r) for r in conn.execute(statement, params).fetchall()]
            except sqlite3.IntegrityError as exc:
                raise constraint_error(call, str(exc), values) from None
        if call.singular and len(rows) != 1:
            raise err.singular(len(rows))
    realtime_channels.publish(sandbox_of(call.request), call.table.name, change, rows)
    return rows


# --- DELETE ----------------------------------------------------------------------------------

def delete(call: Call) -> Response:
    where, params = row_filter(call)
    if not where:
        raise err.requires_where("DELETE")
    rows = _run(call, [(f"DELETE FROM {sql.quote(call.table.name)} {with_rls(call, where, 'DELETE')} RETURNING *", params, {})], "DELETE")
    total = len(rows) if call.counting else None
    return _respond(call, 200, rows, sql.content_range(1, 0, total))


# --- PATCH -----------------------------------------------------------------------------------

def update(call: Call, payload: Any) -> Response:
    if not isinstance(payload, dict):
        raise err.not_implemented("PATCH with a JSON array body is not emulated")
    columns = _columns(call, list(payload))
    where, params = row_filter(call)
    if not columns:
        return _respond(call, 200, [], sql.content_range(0, 0, 0 if call.counting else None))
    if not where:
        raise err.requires_where("UPDATE")
    table = call.table
    if call.prefer.get("missing") == "default" and any(c not in payload for c in columns):
        raise err.not_implemented("PATCH with missing=default for a column the body lacks is not emulated")
    values = _row_values(call, columns, payload)
    assignments = ", ".join(f"{sql.quote(c)} = ?" for c in columns)
    statement = f"UPDATE {sql.quote(table.name)} SET {assignments} {with_rls(call, where, 'UPDATE')} RETURNING *"
    rows = _run(call, [(statement, list(values.values()) + params, values)], "UPDATE")
    total = len(rows) if call.counting else None
    return _respond(call, 200, rows, sql.content_range(0, len(rows), total))


# --- POST ------------------------------------------------------------------------------------

def insert(call: Call, payload: Any) -> Response:
    records = payload if isinstance(payload, list) else [payload]
    if not all(isinstance(r, dict) for r in records):
        raise err.invalid_body()
    if call.q.columns is None and any(set(r) != set(records[0]) for r in records):
        raise err.invalid_body("All object keys must match")
    columns = _columns(call, list(records[0]) if records else [])
    conflict = _on_conflict(call, columns)
    statements = []
    for record in records:
        values = with_defaults(call.table, _row_values(call, columns, record))
        for key in call.table.primary_key:
            if key in values and values[key] is None:
                # SQLite lets a NULL into a TEXT primary key; Postgres refuses it.
                raise constraint_error(call, f"NOT NULL constraint failed: {call.table.name}.{key}", values)
        if not may_write_row(call.db, call.role, call.uid, call.table.name, values):
            raise err.rls_violation(call.table.name, call.role != "anon")
        names = ", ".join(sql.quote(c) for c in values)
        marks = ", ".join("?" for _ in values)
        statement = f"INSERT INTO {sql.quote(call.table.name)} ({names}) VALUES ({marks}) {conflict} RETURNING *"
        statements.append((statement, list(values.values()), values))
    rows = _run(call, statements, "INSERT")
    if "DO UPDATE" in conflict and len(rows) < len(statements):
        # The existing row's UPDATE policy (USING) refused the merge.
        raise err.PostgrestError(403 if call.role != "anon" else 401, "42501",
                                 f'new row violates row-level security policy (USING expression) for table '
                                 f'"{call.table.name}"')
    total = len(rows) if call.counting else None
    return _respond(call, 201, rows, sql.content_range(1, 0, total))


def _on_conflict(call: Call, columns: list[str]) -> str:
    """Upserts (Prefer: resolution=merge-duplicates|ignore-duplicates, `on_conflict` naming a
    unique key, the primary key by default); without a resolution `on_conflict` changes nothing."""
    resolution = call.prefer.get("resolution")
    if not resolution:
        return ""
    keys = call.q.on_conflict or list(call.table.primary_key)
    for key in keys:
        call.table.type_of(key)  # 42703 for an unknown column
    target = ", ".join(sql.quote(k) for k in keys)
    updates = [c for c in columns if c not in keys]
    if resolution == "ignore-duplicates" or not updates:
        return f"ON CONFLICT ({target}) DO NOTHING"
    assignments = ", ".join(f"{sql.quote(c)} = excluded.{sql.quote(c)}" for c in updates)
    rls = allowed_rows(call.db, call.role, call.uid, call.table.name, "UPDATE")
    return f"ON CONFLICT ({target}) DO UPDATE SET {assignments} WHERE {rls}"


def with_defaults(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """The column defaults the real schema has (gen_random_uuid(), now())."""
    now = storage_timestamp(datetime.now(timezone.utc))
    filled = dict(values)
    for column in UUID_DEFAULTS:
        if table.columns.get(column) == UUID and column not in filled:
            filled[column] = new_id()
    for column in NOW_DEFAULTS:
        if column in table.columns and column not in filled:
            filled[column] = now
    return filled


# --- constraint failures ---------------------------------------------------------------------------

def constraint_error(call: Call, message: str, values: dict[str, Any]) -> PostgrestError:
    table = call.table
    unique = re.match(r"UNIQUE constraint failed: (.+)", message)
    if unique:
        cols = [c.strip().split(".", 1)[1] for c in unique.group(1).split(",")]
        name = f"{table.name}_pkey" if tuple(cols) == table.primary_key else f"{table.name}_{'_'.join(cols)}_key"
        return PostgrestError(409, "23505", f'duplicate key value violates unique constraint "{name}"',
                              f"Key ({', '.join(cols)})=({', '.join(_text(values.get(c)) for c in cols)}) already exists.")
    not_null = re.match(r"NOT NULL constraint failed: \w+\.(\w+)", message)
    if not_null:
        failing = ", ".join(_text(values.get(c)) for c in table.columns)
        return PostgrestError(400, "23502", f'null value in column "{not_null.group(1)}" of relation '
                                            f'"{table.name}" violates not-null constraint',
                              f"Failing row contains ({failing}).")
    if "FOREIGN KEY" in message:
        return _foreign_key_error(call, values)
    return PostgrestError(400, "23514", message)


def _foreign_key_error(call: Call, values: dict[str, Any]) -> PostgrestError:
    """SQLite does not say which key failed: find the one whose target row is missing."""
    table = call.table
    for fk in table.foreign_keys:
        keys = [values.get(c) for c in fk.columns]
        if None in keys:
            continue
        match = " AND ".join(f"{sql.quote(c)} = ?" for c in fk.ref_columns)
        if not call.db.query_one(f"SELECT 1 FROM {sql.quote(fk.ref_table)} WHERE {match}", keys):
            shown = "users" if fk.ref_table == "auth_users" else fk.ref_table  # auth.users in Postgres
            return PostgrestError(
                409, "23503",
                f'insert or update on table "{table.name}" violates foreign key constraint "{fk.name}"',
                f"Key ({', '.join(fk.columns)})=({', '.join(_text(k) for k in keys)}) "
                f'is not present in table "{shown}".')
    return PostgrestError(409, "23503", f'insert or update on table "{table.name}" violates a foreign key constraint')


def _text(value: Any) -> str:
    return "null" if value is None else str(value)

"""Realtime's Postgres Changes over the sandbox database: the bindings a channel joins with,
and the `postgres_changes` message each write sends to the subscribers it matches.

Written from supabase/realtime (at 833cf36):
* lib/realtime_web/channels/realtime_channel.ex: a binding's id is `:erlang.phash2(params)`
  of the params as the client sent them, returned in the join reply as the params plus `id`
  (`add_id_to_postgres_changes`); the "Subscribed to PostgreSQL" system message follows.
* lib/extensions/postgres_cdc_rls/subscriptions.ex: filter operators, the "Unable to
  subscribe..." and "Error parsing `filter` params" errors.
* the `realtime.apply_rls` SQL (tenants/repo/migrations/20260709120000_...): payload
  `{schema, table, type, commit_timestamp ("...HH:MM:SS.mmmZ"), columns [{name, type
  (typname)}], record (INSERT, UPDATE), old_record (UPDATE, DELETE)}`; filters are checked
  against the new row, and for DELETE against the old one; RLS is checked for INSERT and
  UPDATE only; with RLS on, a DELETE's old_record holds the primary key only.
* postgres_cdc_rls/message_dispatcher.ex: `{ids: <matching binding ids>, data: <payload>}`;
  replication_poller.ex: `errors` is null when there are none.
Values in `record` are what wal2json writes (numbers and booleans as JSON, jsonb as JSON,
timestamps and arrays in Postgres' text form), which realtime-js' convertChangeData reads.

The sandbox's tables have Postgres' default REPLICA IDENTITY, so an UPDATE's old_record
carries only the primary key, as on a project that never ran `REPLICA IDENTITY FULL`.
Every public table of the shape counts as being in the `supabase_realtime` publication.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from kulti_sandbox.emulations import postgrest_types as types
from kulti_sandbox.emulations.realtime_wire import Msg

EVENTS = ("*", "INSERT", "UPDATE", "DELETE")
OPERATORS = ("eq", "neq", "lt", "lte", "gt", "gte", "in")
TYPNAMES = {types.UUID: "uuid", types.TEXT: "text", types.TSTZ: "timestamptz", types.FLOAT8: "float8",
            types.INT8: "int8", types.JSONB: "jsonb", types.TEXT_ARRAY: "_text", types.BOOL: "bool"}
PHASH2_RANGE = 2 ** 27  # erlang:phash2/1's default range


class BindingError(ValueError):
    """Realtime's message for a binding it cannot subscribe (sent as a `system` error)."""


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Binding:
    params: dict[str, Any]      # as the client sent them: event, schema, table, filter
    id: int

    @property
    def event(self) -> str:
        return self.params.get("event", "*")

    @property
    def table(self) -> str:
        return self.params.get("table", "*")

    @property
    def filter(self) -> Filter | None:
        return parse_filter(self.params.get("filter"))

    def reply(self) -> dict[str, Any]:
        return dict(sorted({**self.params, "id": self.id}.items()))  # an Elixir map's key order


def binding(params: dict[str, Any]) -> Binding:
    """The binding with Realtime's id; its validity is checked at subscribe time (`check`)."""
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"))
    return Binding(params, zlib.crc32(canonical.encode()) % PHASH2_RANGE)


def check(b: Binding, published: tuple[str, ...]) -> None:
    """Raise BindingError with Realtime's text when the subscription cannot be created."""
    b.filter  # noqa: B018 - parsing is the check
    schema, table, event = b.params.get("schema", "public"), b.table, b.event
    if schema != "public" or (table != "*" and table not in published) or event not in EVENTS:
        raise BindingError("Unable to subscribe to changes with given parameters. Please check Realtime is "
                           f"enabled for the given connect parameters: [event: {event}, schema: {schema}, "
                           f"table: {table}, filters: {b.params.get('filter') or '[]'}, select: nil]")


def parse_filter(text: str | None) -> Filter | None:
    if not text:
        return None
    column, _, rest = text.partition("=")
    op, _, value = rest.partition(".")
    if not column or op not in OPERATORS or not _:
        raise BindingError(f"Error parsing `filter` params: {json.dumps(text.split('.'))}")
    if op == "in":
        if not (value.startswith("(") and value.endswith(")")):
            raise BindingError(f"Error parsing `filter` params: {json.dumps([column, op, value])}")
        return Filter(column, op, tuple(v.strip().strip('"') for v in value[1:-1].split(",")))
    return Filter(column, op, (value,))


def matches(f: Filter | None, record: dict[str, Any], table: types.Table) -> bool:
    """realtime.is_visible_through_filters: the value compared in the column's own type."""
    if f is None:
        return True
    if f.column not in record or record[f.column] is None:
        return False
    kind = table.columns.get(f.column, types.TEXT)
    have = _comparable(kind, record[f.column])
    wanted = [_comparable(kind, v) for v in f.values]
    try:
        return {"eq": have == wanted[0], "neq": have != wanted[0], "lt": have < wanted[0],
                "lte": have <= wanted[0], "gt": have > wanted[0], "gte": have >= wanted[0],
                "in": have in wanted}[f.op]
    except TypeError:
        return False


def _comparable(kind: str, value: Any) -> Any:
    if kind in (types.FLOAT8, types.INT8):
        try:
            return float(value)
        except (TypeError, ValueError):
            return str(value)
    if kind == types.TSTZ:
        return types.parse_timestamp(str(value)) if value else value
    if kind == types.BOOL:
        return str(value).lower() in ("1", "true", "t")
    return str(value)


# --- the payload ----------------------------------------------------------------------------------

def wal_value(kind: str, raw: Any) -> Any:
    if kind in (types.TSTZ, types.TEXT_ARRAY):
        return json.loads(types.render_text(kind, raw))
    return json.loads(types.render(kind, raw))


def change_data(table: types.Table, event: str, row: dict[str, Any], rls_on: bool) -> dict[str, Any]:
    """The `data` of one change, as apply_rls builds it (key order: Jason's sorted map keys)."""
    record = {c: wal_value(kind, row.get(c)) for c, kind in table.columns.items()}
    identity = {c: record[c] for c in table.primary_key}
    data: dict[str, Any] = {
        "columns": [{"name": c, "type": TYPNAMES.get(kind, kind)} for c, kind in table.columns.items()],
        "commit_timestamp": commit_timestamp(),
        "errors": None,
    }
    if event in ("INSERT", "UPDATE"):
        data["record"] = record
    if event == "UPDATE":
        data["old_record"] = identity
    if event == "DELETE":
        data["old_record"] = identity if rls_on else record
    data.update(schema="public", table=table.name, type=event)
    return dict(sorted(data.items()))


def commit_timestamp() -> str:
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def matching_ids(bindings: list[Binding], table: types.Table, event: str, row: dict[str, Any],
                 readable: bool) -> list[int]:
    """The ids of one member's bindings a change reaches: none when RLS hides the row from
    the member (`readable`, decided by the caller; deletes are not checked), else by filter."""
    if not readable:
        return []
    seen = row if event != "DELETE" else {c: row.get(c) for c in table.primary_key}
    ids = []
    for b in bindings:
        if b.event in ("*", event) and b.table in ("*", table.name) and matches(b.filter, seen, table):
            ids.append(b.id)
    return sorted(set(ids), key=ids.index)


def change_message(topic: str, ids: list[int], data: dict[str, Any]) -> Msg:
    return Msg(topic, "postgres_changes", {"data": data, "ids": ids})

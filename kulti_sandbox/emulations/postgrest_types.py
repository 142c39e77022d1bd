"""The exposed tables as PostgREST sees them: columns with their Postgres types, and how
values cross between query strings / JSON bodies, SQLite, and PostgREST's JSON output.

SQLite holds uuids, timestamps, arrays and jsonb as TEXT; the real Kulti database has the
Postgres types below, and those decide what a request may send (`id=eq.abc` is a 22P02
error, not an empty result) and how a row is rendered (`tags` as a JSON array,
`social_links` as a jsonb object, timestamps as Postgres prints them).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from kulti_sandbox.db import Database
from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations.postgrest_names import read_quoted
from kulti_sandbox.emulations.supabase_common import (
    parse_timestamp, postgres_json_timestamp, postgres_text_timestamp, storage_timestamp,
)

UUID, TEXT, TSTZ = "uuid", "text", "timestamp with time zone"
FLOAT8, INT8, JSONB, TEXT_ARRAY = "double precision", "bigint", "jsonb", "text[]"
BOOL = "boolean"  # SQLite stores 0/1

# The real columns' Postgres types; anything missing falls back on the SQLite declaration.
PG_TYPES: dict[str, dict[str, str]] = {
    "profiles": {"id": UUID, "social_links": JSONB, "hours_streamed": FLOAT8,
                 "created_at": TSTZ, "updated_at": TSTZ},
    "follows": {"follower_id": UUID, "following_id": UUID, "created_at": TSTZ},
    "sessions": {"id": UUID, "tags": TEXT_ARRAY, "host_id": UUID, "scheduled_at": TSTZ,
                 "created_at": TSTZ, "updated_at": TSTZ},
    "session_participants": {"session_id": UUID, "user_id": UUID, "joined_at": TSTZ},
    "session_messages": {"id": UUID, "session_id": UUID, "user_id": UUID, "created_at": TSTZ},
    "recordings": {"id": UUID, "session_id": UUID, "started_by": UUID, "started_at": TSTZ,
                   "stopped_at": TSTZ, "duration": FLOAT8, "size": INT8,
                   "created_at": TSTZ, "updated_at": TSTZ},
}
SQLITE_FALLBACK = {"TEXT": TEXT, "REAL": FLOAT8, "INTEGER": INT8}

# Columns the real schema fills by default (gen_random_uuid(), now()) but the SQLite schema
# leaves to the caller; inserts through the emulation get them the Postgres way.
UUID_DEFAULTS = ("id",)
NOW_DEFAULTS = ("created_at", "updated_at", "joined_at", "used_at")


@dataclass(frozen=True)
class ForeignKey:
    table: str              # the referencing table
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]

    @property
    def name(self) -> str:
        """Postgres' default constraint name: <table>_<col>_fkey."""
        return f"{self.table}_{'_'.join(self.columns)}_fkey"


@dataclass(frozen=True)
class Table:
    name: str
    columns: dict[str, str]                  # name -> Postgres type, in table order
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    def type_of(self, column: str) -> str:
        if column not in self.columns:
            raise err.undefined_column(self.name, column, list(self.columns))
        return self.columns[column]


def load_table(db: Database, name: str) -> Table | None:
    """The table's real columns (PRAGMA), or None when it is not exposed."""
    if name not in db.schema.public_tables:
        return None
    info = db.query(f'PRAGMA table_info("{name}")')  # name is one of the shape's public tables
    types = (db.schema.pg_types or PG_TYPES).get(name, {})
    columns = {c["name"]: types.get(c["name"], SQLITE_FALLBACK.get(c["type"].upper(), TEXT)) for c in info}
    pk = tuple(c["name"] for c in sorted((c for c in info if c["pk"]), key=lambda c: c["pk"]))
    return Table(name, columns, pk, _foreign_keys(db, name))


def _foreign_keys(db: Database, name: str) -> tuple[ForeignKey, ...]:
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in db.query(f'PRAGMA foreign_key_list("{name}")'):
        grouped.setdefault(row["id"], []).append(row)
    return tuple(
        ForeignKey(name, tuple(r["from"] for r in rows), rows[0]["table"], tuple(r["to"] for r in rows))
        for _, rows in sorted(grouped.items())
    )


# --- text (query string) -> SQLite parameter ------------------------------------------------

def from_text(pg_type: str, value: str) -> Any:
    """A filter value as Postgres would read the literal, in the form SQLite stores."""
    if pg_type == UUID:
        return _uuid(value)
    if pg_type == TSTZ:
        try:
            return storage_timestamp(parse_timestamp(value))
        except ValueError:
            raise err.invalid_text(pg_type, value)
    if pg_type in (FLOAT8, INT8):
        return _number(pg_type, value)
    if pg_type == BOOL:
        return _bool(value)
    if pg_type == TEXT_ARRAY:
        return json.dumps(parse_array_literal(value))
    if pg_type == JSONB:
        try:
            return json.dumps(json.loads(value))
        except ValueError:
            raise err.invalid_json(value)
    return value


def _bool(value: str) -> int:
    # Postgres' boolin: true/false, yes/no, on/off, 1/0 and their unique prefixes, any case.
    text = value.strip().lower()
    if text and any(w.startswith(text) for w in ("true", "yes")) or text in ("on", "1"):
        return 1
    if text and any(w.startswith(text) for w in ("false", "no")) or text in ("off", "0"):
        return 0
    raise err.invalid_text(BOOL, value)


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise err.invalid_text(UUID, value)


def _number(pg_type: str, value: str) -> int | float:
    try:
        return int(value) if pg_type == INT8 else float(value)
    except ValueError:
        raise err.invalid_text(pg_type, value)


def parse_array_literal(value: str) -> list[str | None]:
    """Postgres array input syntax for one dimension: {a,"b c",NULL}."""
    text = value.strip()
    if not text.startswith("{"):
        raise err.malformed_array(value, 'Array value must start with "{" or dimension information.')
    if not text.endswith("}"):
        raise err.malformed_array(value, 'Unexpected end of input.')
    body, items, i = text[1:-1], [], 0
    while i < len(body):
        item, i = _array_item(body, i, value)
        items.append(item)
        if i < len(body):
            if body[i] != ",":
                raise err.malformed_array(value, 'Unexpected array element.')
            i += 1
            if i == len(body):
                raise err.malformed_array(value, 'Unexpected "}" character.')
    return items


def _array_item(body: str, i: int, whole: str) -> tuple[str | None, int]:
    while i < len(body) and body[i].isspace():
        i += 1
    if i < len(body) and body[i] == '"':
        quoted = read_quoted(body, i)  # Postgres reads an array's quoted item as PostgREST a quoted name
        if quoted is None:
            raise err.malformed_array(whole, "Unexpected end of input.")
        item, i = quoted
        while i < len(body) and body[i].isspace():
            i += 1
        return item, i
    end = i
    while end < len(body) and body[end] != ",":
        end += 1
    raw = body[i:end].strip()
    if raw == "":
        raise err.malformed_array(whole, 'Unexpected "," character.')
    return (None if raw.upper() == "NULL" else raw), end


# --- JSON (request body) -> SQLite parameter ------------------------------------------------

def from_json(pg_type: str, value: Any) -> Any:
    """A payload value as json_populate_recordset would coerce it into the column."""
    if value is None:
        return None
    if pg_type == JSONB:
        return json.dumps(value, ensure_ascii=False)
    if pg_type == TEXT_ARRAY:
        if isinstance(value, list):
            return json.dumps([v if v is None or isinstance(v, str) else json.dumps(v) for v in value],
                              ensure_ascii=False)
        return from_text(pg_type, str(value))
    if isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False)
        return from_text(pg_type, text) if pg_type != TEXT else text
    if isinstance(value, bool):
        if pg_type == BOOL:
            return int(value)
        if pg_type != TEXT:
            raise err.invalid_text(pg_type, "true" if value else "false")
        return "true" if value else "false"
    if isinstance(value, (int, float)) and pg_type in (FLOAT8, INT8):
        if pg_type == INT8 and isinstance(value, float) and not value.is_integer():
            raise err.invalid_text(pg_type, repr(value))
        return int(value) if pg_type == INT8 else float(value)
    return from_text(pg_type, value if isinstance(value, str) else json.dumps(value))


# --- SQLite value -> PostgREST JSON -----------------------------------------------------------

def render(pg_type: str, raw: Any) -> str:
    """One value as PostgREST's json_agg writes it."""
    if raw is None:
        return "null"
    if pg_type == TSTZ:
        return json.dumps(postgres_json_timestamp(raw))
    if pg_type == FLOAT8:
        return _float8(float(raw))
    if pg_type == INT8:
        return str(int(raw))
    if pg_type == BOOL:
        return "true" if raw else "false"
    if pg_type == TEXT_ARRAY:
        return json.dumps(_json_or_text(raw), ensure_ascii=False, separators=(",", ":"))
    if pg_type == JSONB:
        return jsonb_text(_json_or_text(raw))
    return json.dumps(str(raw), ensure_ascii=False)


def render_text(pg_type: str, raw: Any) -> str:
    """The value cast ::text, as a JSON string."""
    if raw is None:
        return "null"
    if pg_type == TSTZ:
        return json.dumps(postgres_text_timestamp(raw))
    if pg_type == FLOAT8:
        return json.dumps(_float8(float(raw)))
    if pg_type == BOOL:
        return json.dumps("true" if raw else "false")
    if pg_type == TEXT_ARRAY:
        items = _json_or_text(raw)
        return json.dumps("{" + ",".join(_array_text_item(v) for v in items) + "}", ensure_ascii=False)
    if pg_type == JSONB:
        return json.dumps(jsonb_text(_json_or_text(raw)), ensure_ascii=False)
    return json.dumps(str(raw), ensure_ascii=False)


def _array_text_item(item: Any) -> str:
    if item is None:
        return "NULL"
    text = str(item)
    if text == "" or any(c in text for c in ' ,{}"\\') or text.upper() == "NULL":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _float8(value: float) -> str:
    # Postgres prints the shortest exact form and no ".0" for whole numbers.
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _json_or_text(raw: Any) -> Any:
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return raw


def jsonb_text(value: Any) -> str:
    """jsonb's output form: ", " and ": " separators, object keys by length then bytes."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {jsonb_text(value[k])}" for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(jsonb_text(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)

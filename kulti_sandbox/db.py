"""SQLite storage shared by the Kulti app and the service emulations.

One connection guarded by a lock: the sandbox is one process, queries take microseconds,
and handlers may run on the event loop or in the thread pool (the twilio client is sync).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

INFRA_SCHEMA = """
CREATE TABLE IF NOT EXISTS auth_users (
    id TEXT PRIMARY KEY,
    phone TEXT NOT NULL UNIQUE,          -- E.164 without '+', as GoTrue stores it
    phone_confirmed_at TEXT,
    last_sign_in_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    raw_app_meta_data TEXT NOT NULL DEFAULT '{"provider":"phone","providers":["phone"]}',
    raw_user_meta_data TEXT NOT NULL DEFAULT '{}',
    -- What PUT /auth/v1/user sets (emulations/gotrue_user_update.py): the confirmed email, the
    -- password's hash, and an email or phone change waiting for its confirmation.
    email TEXT,
    encrypted_password TEXT,
    email_change TEXT,
    email_change_sent_at TEXT,
    phone_change TEXT,
    phone_change_sent_at TEXT,
    deleted_at TEXT                      -- a soft delete (emulations/gotrue_admin_delete.py)
);
-- 100ms's own recording jobs, for an app that starts them through 100ms's API (the kulti shape;
-- the runbook shape's host page records, and 100ms is read off Kulti's recordings table).
CREATE TABLE IF NOT EXISTS hms_recording_jobs (
    hms_recording_id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL,
    status TEXT NOT NULL,                     -- recording | processing | completed | failed (Kulti's words)
    started_by TEXT,
    started_at TEXT NOT NULL,
    stopped_at TEXT,
    duration REAL,
    size INTEGER NOT NULL DEFAULT 0,
    file_path TEXT,
    mime_type TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- 100ms sessions: one for each stretch of time a room has peers (emulations/hms_sessions.py).
CREATE TABLE IF NOT EXISTS hms_sessions (
    id TEXT PRIMARY KEY,                      -- 24 hex, an ObjectId as 100ms's ids are
    room_id TEXT NOT NULL,
    created_at TEXT NOT NULL,                 -- RFC 3339 with nanoseconds, as 100ms shows it
    ended_at TEXT                             -- null while the session is live
);
CREATE TABLE IF NOT EXISTS otp_codes (
    phone TEXT PRIMARY KEY,                   -- E.164 with '+'
    code TEXT NOT NULL,
    sent_at REAL NOT NULL,                    -- unix seconds, for cooldown and expiry
    attempts INTEGER NOT NULL DEFAULT 0
);
-- GoTrue's auth.sessions and auth.refresh_tokens, for the user API (emulations/gotrue_sessions.py).
CREATE TABLE IF NOT EXISTS auth_sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    refreshed_at TEXT,
    amr_method TEXT NOT NULL,                 -- how the session was signed in ('otp'), for the amr claim
    amr_at INTEGER NOT NULL                   -- unix seconds of that sign-in
);
CREATE TABLE IF NOT EXISTS auth_refresh_tokens (
    token TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES auth_sessions(id) ON DELETE CASCADE,
    parent TEXT,                              -- the token it was swapped for, for reuse detection
    revoked INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,                 -- unix seconds
    updated_at REAL NOT NULL                  -- unix seconds; when revoked, the reuse interval starts here
);
CREATE TABLE IF NOT EXISTS app_sessions (
    token TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at REAL NOT NULL,
    page_views INTEGER NOT NULL DEFAULT 0     -- for the session_not_persistent fault
);
CREATE TABLE IF NOT EXISTS twilio_messages (
    sid TEXT PRIMARY KEY,
    account_sid TEXT NOT NULL,
    to_number TEXT NOT NULL,
    from_number TEXT,
    messaging_service_sid TEXT,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    num_segments INTEGER NOT NULL,
    date_created REAL NOT NULL,               -- unix seconds; rendered RFC 2822 on the way out
    date_sent REAL,
    date_updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sentry_events (
    event_id TEXT PRIMARY KEY,                -- 32 hex, from the envelope
    project_id TEXT NOT NULL,
    received_at REAL NOT NULL,
    payload TEXT NOT NULL                     -- the event item as sent, JSON
);
"""

# The runbook's idea of Kulti's own tables (the default shape).
RUNBOOK_SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    id TEXT PRIMARY KEY REFERENCES auth_users(id) ON DELETE CASCADE,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    bio TEXT NOT NULL DEFAULT '',
    avatar_url TEXT NOT NULL DEFAULT '/static/avatar-default.svg',
    social_links TEXT NOT NULL DEFAULT '{}',
    hours_streamed REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS follows (
    follower_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    following_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (follower_id, following_id)
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    category TEXT NOT NULL,
    host_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'waiting',   -- waiting | active | ended
    hms_room_id TEXT NOT NULL UNIQUE,
    scheduled_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session_participants (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'viewer',      -- host | viewer
    joined_at TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);
CREATE TABLE IF NOT EXISTS session_messages (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recordings (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    hms_recording_id TEXT NOT NULL UNIQUE,
    started_by TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    status TEXT NOT NULL,                     -- recording | processing | completed | failed
    started_at TEXT NOT NULL,
    stopped_at TEXT,
    duration REAL,                            -- seconds
    size INTEGER NOT NULL DEFAULT 0,          -- bytes
    file_path TEXT,
    mime_type TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

# Tables the PostgREST emulation may expose, keyed by their public name.
PUBLIC_TABLES = ("profiles", "sessions", "session_participants", "session_messages", "recordings", "follows")

SCHEMA = INFRA_SCHEMA + RUNBOOK_SCHEMA


@dataclass(frozen=True)
class AppSchema:
    """One shape's own tables: what services share (auth users, SMS, Sentry) is in INFRA_SCHEMA.

    pg_types: the real columns' Postgres types (None: postgrest_types.PG_TYPES, the runbook's);
    public_read: the tables the anon key and user tokens may read (the shape's RLS);
    policies: what else a signed-in user (role `authenticated`) may do, per table and command
      (SELECT, INSERT, UPDATE, DELETE): the column that must equal auth.uid(), or True for any row;
    functions: the database functions PostgREST serves at /rpc/<name> (emulations/postgrest_rpc.py).
    """

    ddl: str
    public_tables: tuple[str, ...]
    pg_types: dict[str, dict[str, str]] | None = None
    public_read: tuple[str, ...] = ("profiles", "sessions")
    policies: dict[str, dict[str, str | bool]] = field(default_factory=dict)
    functions: dict[str, Any] = field(default_factory=dict)


RUNBOOK = AppSchema(RUNBOOK_SCHEMA, PUBLIC_TABLES)


def now_iso() -> str:
    """Postgres timestamptz as PostgREST renders it: ISO 8601 with microseconds and offset."""
    return datetime.now(timezone.utc).isoformat()


def new_id() -> str:
    return str(uuid.uuid4())


class Database:
    def __init__(self, path: Path | str, schema: AppSchema = RUNBOOK):
        self.schema = schema
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._lock = threading.RLock()
        self._conn.executescript(INFRA_SCHEMA + schema.ddl)

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._conn.execute(sql, params).fetchall()]

    def query_one(self, sql: str, params: tuple | dict = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def execute(self, sql: str, params: tuple | dict = ()) -> int:
        """Run one statement; returns the number of rows changed."""
        with self._lock:
            return self._conn.execute(sql, params).rowcount

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def insert(self, table: str, row: dict[str, Any]) -> None:
        cols = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        self.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", row)

    def counts(self) -> dict[str, int]:
        """Row count of every table: what 'the database is unchanged' is checked against."""
        names = [r["name"] for r in self.query("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: self.query_one(f"SELECT COUNT(*) AS n FROM {n}")["n"] for n in names}

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)

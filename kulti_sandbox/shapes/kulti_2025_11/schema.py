"""The launched app's tables (ga1ien/kulti at 12d759c: KULTI_QUICK_START.md's base tables as the
supabase/migrations change them, and types/database.ts), as far as the smoke tests read them.

Column names and defaults are the real ones: sessions are found by `room_code` and created
`live` with `started_at`; chat rows live in `messages`; recordings carry `recording_url` and an
integer `duration`; invite codes are `invites` rows counted in `current_uses`, each use an
`invite_uses` row. There is no `follows` table.
"""

from kulti_sandbox.db import AppSchema
from kulti_sandbox.emulations.postgrest_types import BOOL, INT8, JSONB, TSTZ, UUID

DDL = """
CREATE TABLE IF NOT EXISTS profiles (
    id TEXT PRIMARY KEY REFERENCES auth_users(id) ON DELETE CASCADE,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    avatar_url TEXT,
    bio TEXT,
    is_approved INTEGER NOT NULL DEFAULT 0,
    invite_code TEXT UNIQUE,
    role TEXT NOT NULL DEFAULT 'user',              -- user | moderator | admin
    credits_balance INTEGER NOT NULL DEFAULT 0,
    profile_completed INTEGER NOT NULL DEFAULT 0,   -- matchmaking setup done (dashboard modal)
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    room_code TEXT NOT NULL UNIQUE,                 -- WORD-XXXX, the /s/{room_code} address
    title TEXT NOT NULL,
    description TEXT,
    host_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    hms_room_id TEXT,
    status TEXT NOT NULL DEFAULT 'scheduled',       -- scheduled | live | ended
    is_public INTEGER NOT NULL DEFAULT 1,
    max_presenters INTEGER NOT NULL DEFAULT 4,
    started_at TEXT,
    ended_at TEXT,
    boosted_until TEXT,
    featured_rank INTEGER NOT NULL DEFAULT 0,
    rtmp_enabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session_participants (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'viewer',            -- host | presenter | viewer
    joined_at TEXT NOT NULL,
    UNIQUE (session_id, user_id)
);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    user_id TEXT REFERENCES profiles(id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'text',              -- text | system | ai
    is_pinned INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recordings (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    hms_recording_id TEXT NOT NULL,
    recording_url TEXT,
    duration INTEGER,                               -- seconds
    status TEXT NOT NULL DEFAULT 'recording',       -- recording | processing | completed | failed
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS invites (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    max_uses INTEGER NOT NULL DEFAULT 1,
    current_uses INTEGER NOT NULL DEFAULT 0,
    expires_at TEXT,
    is_active INTEGER NOT NULL DEFAULT 1,
    metadata TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS invite_uses (
    id TEXT PRIMARY KEY,
    invite_id TEXT NOT NULL REFERENCES invites(id) ON DELETE CASCADE,
    used_by TEXT REFERENCES profiles(id) ON DELETE SET NULL,
    used_at TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}'
);
"""

PUBLIC_TABLES = ("profiles", "sessions", "session_participants", "messages", "recordings", "invites", "invite_uses")

PG_TYPES = {
    "profiles": {"id": UUID, "is_approved": BOOL, "credits_balance": INT8, "profile_completed": BOOL,
                 "created_at": TSTZ, "updated_at": TSTZ},
    "sessions": {"id": UUID, "host_id": UUID, "is_public": BOOL, "max_presenters": INT8, "started_at": TSTZ,
                 "ended_at": TSTZ, "boosted_until": TSTZ, "featured_rank": INT8, "rtmp_enabled": BOOL,
                 "created_at": TSTZ, "updated_at": TSTZ},
    "session_participants": {"id": UUID, "session_id": UUID, "user_id": UUID, "joined_at": TSTZ},
    "messages": {"id": UUID, "session_id": UUID, "user_id": UUID, "is_pinned": BOOL, "created_at": TSTZ},
    "recordings": {"id": UUID, "session_id": UUID, "duration": INT8, "metadata": JSONB,
                   "created_at": TSTZ, "updated_at": TSTZ},
    "invites": {"id": UUID, "created_by": UUID, "max_uses": INT8, "current_uses": INT8, "expires_at": TSTZ,
                "is_active": BOOL, "metadata": JSONB, "created_at": TSTZ, "updated_at": TSTZ},
    "invite_uses": {"id": UUID, "invite_id": UUID, "used_by": UUID, "used_at": TSTZ, "metadata": JSONB},
}

# Active invites are readable with the anon key (policy invites_select_anon_policy), so the
# app's sign-up can check a code before anyone is signed in. KULTI_QUICK_START.md enables RLS on
# profiles, sessions and messages only, so anyone may read session_participants: the dashboard's
# `participants:session_participants(count)` counts them all.
SCHEMA = AppSchema(DDL, PUBLIC_TABLES, PG_TYPES,
                   public_read=("profiles", "sessions", "invites", "session_participants"))

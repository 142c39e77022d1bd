"""The launched app's tables (ga1ien/kulti at 12d759c: KULTI_QUICK_START.md's base tables as the
supabase/migrations change them, and types/database.ts), as far as the smoke tests read them.

Column names and defaults are the real ones: sessions are found by `room_code` and created
`live` with `started_at`; chat rows live in `messages`; recordings carry `recording_url` and an
integer `duration`; invite codes are `invites` rows counted in `current_uses`, each use an
`invite_uses` row. There is no `follows` table. The signed-in pages' tables (`user_presence`,
`notifications`, `credit_transactions`, the profile columns the migrations add) and the
functions they call (functions.py) follow supabase/migrations.
"""

from kulti_sandbox.db import AppSchema
from kulti_sandbox.emulations.postgrest_types import BOOL, INT8, JSONB, TEXT_ARRAY, TSTZ, UUID
from kulti_sandbox.shapes.kulti_2025_11.functions import FUNCTIONS

DATE = "date"

# Postgres' now() as the sandbox stores timestamps (UTC isoformat), for DEFAULTs SQLite applies itself.
NOW_SQL = "(strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'))"

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
    updated_at TEXT NOT NULL,
    -- 20250111_credits_system.sql
    total_credits_earned INTEGER DEFAULT 0 CHECK (total_credits_earned >= 0),
    total_credits_spent INTEGER DEFAULT 0 CHECK (total_credits_spent >= 0),
    credits_updated_at TEXT DEFAULT NOW_SQL,
    -- 20250111_profile_enhancements.sql
    badges TEXT DEFAULT '[]',
    current_streak INTEGER DEFAULT 0,
    longest_streak INTEGER DEFAULT 0,
    last_active_date TEXT,
    -- 20250113_matchmaking_system.sql
    skills TEXT DEFAULT '[]',
    interests TEXT DEFAULT '[]',
    experience_level TEXT DEFAULT 'intermediate' CHECK (experience_level IN ('beginner', 'intermediate', 'advanced')),
    timezone TEXT,
    matchmaking_enabled INTEGER DEFAULT 1,
    -- 20250115_user_settings.sql
    profile_visibility TEXT DEFAULT 'public' CHECK (profile_visibility IN ('public', 'friends', 'private')),
    show_online_status INTEGER DEFAULT 1,
    session_visibility TEXT DEFAULT 'public' CHECK (session_visibility IN ('public', 'invite', 'private')),
    show_credit_balance INTEGER DEFAULT 1,
    notification_preferences TEXT DEFAULT '{"tips_received": true, "badges_earned": true, "match_found": true, "topic_streamed": true, "session_invites": true, "message_replies": true, "system_announcements": true}',
    -- 20251113_add_referral_tracking.sql
    referred_by TEXT REFERENCES profiles(id) ON DELETE SET NULL
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
    -- 20250111_credits_system.sql (the profile page reads credits_earned, watch_duration_seconds)
    watch_duration_seconds INTEGER DEFAULT 0 CHECK (watch_duration_seconds >= 0),
    credits_earned INTEGER DEFAULT 0 CHECK (credits_earned >= 0),
    last_heartbeat_at TEXT,
    is_active INTEGER DEFAULT 1,
    chat_messages_count INTEGER DEFAULT 0,
    helped_others_count INTEGER DEFAULT 0,
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
-- 20250113_matchmaking_system.sql: the dashboard counts who is online; /api/presence/update
-- writes it through update_user_presence().
CREATE TABLE IF NOT EXISTS user_presence (
    user_id TEXT PRIMARY KEY REFERENCES profiles(id) ON DELETE CASCADE,
    is_online INTEGER NOT NULL DEFAULT 0,
    last_seen TEXT NOT NULL DEFAULT NOW_SQL,
    current_session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
    available_for_matching INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL DEFAULT NOW_SQL
);
-- 20250115_notifications.sql: the nav bar's bell reads it through /api/notifications.
CREATE TABLE IF NOT EXISTS notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    type TEXT NOT NULL CHECK (type IN ('tip_received', 'badge_earned', 'match_found', 'topic_streamed',
                                       'session_started', 'presenter_invited', 'message_reply')),
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    link TEXT,
    read INTEGER NOT NULL DEFAULT 0,
    metadata TEXT DEFAULT '{}',
    created_at TEXT NOT NULL DEFAULT NOW_SQL
);
-- 20250111_credits_system.sql, its type list as 20250116_invite_system.sql widens it.
CREATE TABLE IF NOT EXISTS credit_transactions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    amount INTEGER NOT NULL,                        -- positive earned, negative spent
    balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
    type TEXT NOT NULL CHECK (type IN ('earned_watching', 'earned_hosting', 'earned_chatting', 'earned_helping',
                                       'bonus_milestone', 'bonus_completion', 'bonus_first_session',
                                       'spent_feature', 'spent_tipping', 'spent_priority_join', 'spent_recording',
                                       'admin_adjustment', 'referral_bonus', 'received_tip')),
    source_session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
    metadata TEXT DEFAULT '{}',
    created_at TEXT DEFAULT NOW_SQL
);
""".replace("NOW_SQL", NOW_SQL)

PUBLIC_TABLES = ("profiles", "sessions", "session_participants", "messages", "recordings", "invites", "invite_uses",
                 "user_presence", "notifications", "credit_transactions")

PG_TYPES = {
    "profiles": {"id": UUID, "is_approved": BOOL, "credits_balance": INT8, "profile_completed": BOOL,
                 "created_at": TSTZ, "updated_at": TSTZ, "total_credits_earned": INT8, "total_credits_spent": INT8,
                 "credits_updated_at": TSTZ, "badges": JSONB, "current_streak": INT8, "longest_streak": INT8,
                 "last_active_date": DATE, "skills": TEXT_ARRAY, "interests": TEXT_ARRAY,
                 "matchmaking_enabled": BOOL, "show_online_status": BOOL, "show_credit_balance": BOOL,
                 "notification_preferences": JSONB, "referred_by": UUID},
    "sessions": {"id": UUID, "host_id": UUID, "is_public": BOOL, "max_presenters": INT8, "started_at": TSTZ,
                 "ended_at": TSTZ, "boosted_until": TSTZ, "featured_rank": INT8, "rtmp_enabled": BOOL,
                 "created_at": TSTZ, "updated_at": TSTZ},
    "session_participants": {"id": UUID, "session_id": UUID, "user_id": UUID, "joined_at": TSTZ,
                             "watch_duration_seconds": INT8, "credits_earned": INT8, "last_heartbeat_at": TSTZ,
                             "is_active": BOOL, "chat_messages_count": INT8, "helped_others_count": INT8},
    "messages": {"id": UUID, "session_id": UUID, "user_id": UUID, "is_pinned": BOOL, "created_at": TSTZ},
    "recordings": {"id": UUID, "session_id": UUID, "duration": INT8, "metadata": JSONB,
                   "created_at": TSTZ, "updated_at": TSTZ},
    "invites": {"id": UUID, "created_by": UUID, "max_uses": INT8, "current_uses": INT8, "expires_at": TSTZ,
                "is_active": BOOL, "metadata": JSONB, "created_at": TSTZ, "updated_at": TSTZ},
    "invite_uses": {"id": UUID, "invite_id": UUID, "used_by": UUID, "used_at": TSTZ, "metadata": JSONB},
    "user_presence": {"user_id": UUID, "is_online": BOOL, "last_seen": TSTZ, "current_session_id": UUID,
                      "available_for_matching": BOOL, "updated_at": TSTZ},
    "notifications": {"id": UUID, "user_id": UUID, "read": BOOL, "metadata": JSONB, "created_at": TSTZ},
    "credit_transactions": {"id": UUID, "user_id": UUID, "amount": INT8, "balance_after": INT8,
                            "source_session_id": UUID, "metadata": JSONB, "created_at": TSTZ},
}

# What a signed-in user may do beyond public_read, from the migrations' policies (auth.uid() = column):
# profiles_insert_policy / profiles_update_own_policy (20251113_complete_rls_fix.sql); "Users can
# update own presence" FOR ALL; notifications: view and update own, "Service can insert" WITH CHECK
# (true); "Users can view own credit transactions".
POLICIES = {
    "profiles": {"INSERT": "id", "UPDATE": "id"},
    "user_presence": {"INSERT": "user_id", "UPDATE": "user_id", "DELETE": "user_id"},
    "notifications": {"SELECT": "user_id", "UPDATE": "user_id", "INSERT": True},
    "credit_transactions": {"SELECT": "user_id"},
}

# "Users can view presence" USING (true): anyone may count who is online.
# Active invites are readable with the anon key (policy invites_select_anon_policy), so the
# app's sign-up can check a code before anyone is signed in. KULTI_QUICK_START.md enables RLS on
# profiles, sessions and messages only, so anyone may read session_participants: the dashboard's
# `participants:session_participants(count)` counts them all.
SCHEMA = AppSchema(DDL, PUBLIC_TABLES, PG_TYPES,
                   public_read=("profiles", "sessions", "invites", "session_participants", "user_presence"),
                   policies=POLICIES, functions=FUNCTIONS)

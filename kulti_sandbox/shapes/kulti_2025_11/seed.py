"""The reserved smoke users, a community host with a live session, and the sign-up invite code."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta, timezone

from kulti_sandbox import config as c
from kulti_sandbox.config import SandboxConfig
from kulti_sandbox.db import Database, new_id, now_iso

SEED_USERS = (
    # phone, username, display name, bio
    (c.REGISTERED_HOST_PHONE, "smoke_host", "Smoke Host", "Reserved smoke-test account (host)."),
    (c.REGISTERED_GUEST_PHONE, "smoke_guest", "Smoke Guest", "Reserved smoke-test account (guest)."),
    ("+15555550142", "maya_builds", "Maya Chen", "Building a synth in Rust, live most evenings."),
)
ROOM_WORDS = ("VIBE", "CODE", "BUILD", "HACK", "SHIP", "MAKE", "FLOW", "SYNC")
ROOM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def room_code() -> str:
    """The real app's code form: one of eight words, a dash, four capitals or digits."""
    return random.choice(ROOM_WORDS) + "-" + "".join(random.choice(ROOM_CHARS) for _ in range(4))


def hms_room_id() -> str:
    return secrets.token_hex(12)


def create_user(db: Database, phone: str, username: str, display_name: str, bio: str = "") -> str:
    uid, ts = new_id(), now_iso()
    db.insert("auth_users", {"id": uid, "phone": phone.lstrip("+"), "phone_confirmed_at": ts,
                             "created_at": ts, "updated_at": ts})
    db.insert("profiles", {"id": uid, "username": username, "display_name": display_name, "bio": bio,
                           "is_approved": 1, "profile_completed": 1, "created_at": ts, "updated_at": ts})
    return uid


def seed(db: Database, cfg: SandboxConfig) -> None:
    if not db.query_one("SELECT 1 FROM profiles LIMIT 1"):
        ids = {u: create_user(db, phone, u, name, bio) for phone, u, name, bio in SEED_USERS}
        ts = now_iso()
        started = (datetime.now(timezone.utc) - timedelta(minutes=25)).isoformat()
        db.insert("sessions", {
            "id": new_id(), "room_code": room_code(), "title": "Open build night",
            "description": "Building a synth in Rust", "host_id": ids["maya_builds"], "hms_room_id": hms_room_id(),
            "status": "live", "is_public": 1, "max_presenters": 4, "started_at": started,
            "created_at": started, "updated_at": ts,
        })
    reserve_invite(db, cfg.smoke_invite_code)


def reserve_invite(db: Database, code: str) -> None:
    """The sign-up test's code, created by smoke_host; enough uses for every run of a kept --db."""
    if db.query_one("SELECT 1 FROM invites WHERE code = ?", (code,)):
        return
    host = db.query_one("SELECT id FROM profiles WHERE username = 'smoke_host'")
    ts = now_iso()
    db.insert("invites", {"id": new_id(), "code": code, "created_by": host["id"], "max_uses": 100000,
                          "metadata": '{"purpose": "smoke sign-up test"}', "created_at": ts, "updated_at": ts})

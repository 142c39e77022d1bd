"""Reserved test users and a little community data, so a fresh start is enough."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kulti_sandbox import config
from kulti_sandbox.db import Database, dumps, new_id, now_iso

SEED_USERS = (
    # phone, username, display name, bio
    (config.REGISTERED_HOST_PHONE, "smoke_host", "Smoke Host", "Reserved smoke-test account (host)."),
    (config.REGISTERED_GUEST_PHONE, "smoke_guest", "Smoke Guest", "Reserved smoke-test account (guest)."),
    ("+15555550142", "maya_builds", "Maya Chen", "Building a synth in Rust, live most evenings."),
)


def create_user(db: Database, phone: str, username: str, display_name: str, bio: str = "") -> str:
    uid, ts = new_id(), now_iso()
    db.insert("auth_users", {
        "id": uid, "phone": phone.lstrip("+"), "phone_confirmed_at": ts,
        "created_at": ts, "updated_at": ts,
    })
    db.insert("profiles", {
        "id": uid, "username": username, "display_name": display_name, "bio": bio,
        "social_links": dumps({"github": f"https://github.com/{username}", "twitter": "", "website": ""}),
        "created_at": ts, "updated_at": ts,
    })
    return uid


def seed(db: Database) -> None:
    if db.query_one("SELECT 1 FROM profiles LIMIT 1"):
        return
    ids = {username: create_user(db, phone, username, name, bio) for phone, username, name, bio in SEED_USERS}
    ts = now_iso()
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
    # The host's history: a production test account has one, and T4 compares it with the database.
    db.insert("sessions", {
        "id": new_id(), "title": "Earlier smoke session", "description": "Seeded history", "tags": dumps(["testing"]),
        "category": "Development", "host_id": ids["smoke_host"], "status": "ended", "hms_room_id": new_hms_id(),
        "scheduled_at": None, "created_at": yesterday, "updated_at": yesterday,
    })
    upcoming = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat()
    for title, status, scheduled in (
        ("Synth firmware deep dive", "waiting", upcoming),
        ("Open build night", "active", None),
    ):
        db.insert("sessions", {
            "id": new_id(), "title": title, "description": "Community session", "tags": dumps(["rust", "audio"]),
            "category": "Development", "host_id": ids["maya_builds"], "status": status,
            "hms_room_id": new_hms_id(), "scheduled_at": scheduled, "created_at": ts, "updated_at": ts,
        })


def new_hms_id() -> str:
    """100ms ids are 24 hex characters (Mongo ObjectId-like)."""
    import secrets

    return secrets.token_hex(12)

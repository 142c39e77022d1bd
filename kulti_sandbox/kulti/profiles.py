"""Profiles: public view, owner-only edit (enforced by the server), follow."""

from __future__ import annotations

import asyncio
import json
import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kulti_sandbox.db import dumps, now_iso
from kulti_sandbox.kulti.api_errors import ApiError, api, json_object, require_user, text_field
from kulti_sandbox.kulti.current_user import current_user
from kulti_sandbox.kulti.render import render
from kulti_sandbox.state import Sandbox, sandbox_of

SOCIAL_KEYS = ("github", "twitter", "website")
URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$")
# What anyone may see of a profile; phone lives in auth_users and never leaves it.
PUBLIC_COLUMNS = "id, username, display_name, bio, avatar_url, social_links, created_at"


def profile_by_username(sb: Sandbox, username: str) -> dict | None:
    row = sb.db.query_one(f"SELECT {PUBLIC_COLUMNS} FROM profiles WHERE username = ?", (username,))
    if row:
        row["social_links"] = json.loads(row["social_links"])
    return row


def profile_stats(sb: Sandbox, user_id: str) -> dict:
    one = sb.db.query_one
    hours = one("""SELECT COALESCE(SUM(r.duration), 0) / 3600.0 AS h FROM recordings r
                   JOIN sessions s ON s.id = r.session_id WHERE s.host_id = ?""", (user_id,))["h"]
    return {
        "sessions_created": one("SELECT COUNT(*) AS n FROM sessions WHERE host_id = ?", (user_id,))["n"],
        "sessions_participated": one("SELECT COUNT(*) AS n FROM session_participants WHERE user_id = ? AND role != 'host'",
                                     (user_id,))["n"],
        "hours_streamed": round(hours, 1),
        "followers": one("SELECT COUNT(*) AS n FROM follows WHERE following_id = ?", (user_id,))["n"],
        "following": one("SELECT COUNT(*) AS n FROM follows WHERE follower_id = ?", (user_id,))["n"],
    }


async def profile_page(request: Request):
    sb = sandbox_of(request)
    if sb.faults.on("profile_page_error"):
        raise HTTPException(500, "Could not load this profile")
    profile = profile_by_username(sb, request.path_params["username"])
    if profile is None:
        raise HTTPException(404)
    if sb.faults.on("profile_name_wrong"):
        profile["display_name"] = sb.db.query_one("SELECT display_name FROM profiles WHERE username = 'maya_builds'")["display_name"]
    viewer = current_user(request)
    is_owner = bool(viewer and viewer.get("id") == profile["id"])
    if not is_owner and sb.faults.on("profile_others_page_error"):
        raise HTTPException(500, "Could not load this profile")
    if not is_owner and viewer and viewer.get("display_name") and sb.faults.on("profile_others_name_wrong"):
        profile["display_name"] = viewer["display_name"]
    phone = None
    if not is_owner and sb.faults.on("profile_phone_leak"):
        phone = "+" + sb.db.query_one("SELECT phone FROM auth_users WHERE id = ?", (profile["id"],))["phone"]
    follows = bool(viewer and viewer.get("id") and sb.db.query_one(
        "SELECT 1 FROM follows WHERE follower_id = ? AND following_id = ?", (viewer["id"], profile["id"])))
    return render(request, "profile.html", {
        "profile": profile, "stats": profile_stats(sb, profile["id"]), "is_owner": is_owner,
        "leaked_phone": phone, "follows": follows, "social_keys": SOCIAL_KEYS,
        "edit_button_for_all": sb.faults.on("profile_edit_button_on_others"),
        **shown_fields(sb, profile),
    }, user=viewer)


def shown_fields(sb: Sandbox, profile: dict) -> dict:
    """What the page shows of the profile where a fault makes it differ from the stored row: the
    @username line, the bio paragraph and the edit form's bio."""
    bio = profile["bio"] or ""
    shown_bio = bio[:20] + "…" if sb.faults.on("profile_bio_truncated") and len(bio) > 20 else bio
    username = profile["username"]
    if sb.faults.on("profile_username_wrong"):
        username = "maya_builds" if username != "maya_builds" else "smoke_host"
    return {"shown_username": username, "shown_bio": shown_bio,
            "form_bio": "" if sb.faults.on("profile_edit_form_empty_bio") else bio}


def _edits(body: dict) -> dict:
    edits = {}
    if "display_name" in body:
        edits["display_name"] = text_field(body, "display_name", min_len=1, max_len=50, label="Display name")
    if "bio" in body:
        edits["bio"] = text_field(body, "bio", max_len=500, label="Bio", required=False)
    if "social_links" in body:
        links = body["social_links"]
        if not isinstance(links, dict) or set(links) - set(SOCIAL_KEYS):
            raise ApiError(422, f"social_links takes only {', '.join(SOCIAL_KEYS)}", "social_links")
        for key, url in links.items():
            if not isinstance(url, str) or (url and not URL.match(url)) or len(url) > 200:
                raise ApiError(422, f"{key.title()} link must be an http(s) URL", key)
        edits["social_links"] = links
    if not edits:
        raise ApiError(422, "Nothing to update: send display_name, bio or social_links")
    return edits


def _profile_in_path(sb: Sandbox, request: Request) -> dict:
    profile = profile_by_username(sb, request.path_params["username"])
    if profile is None:
        raise ApiError(404, "No such profile")
    return profile


@api
async def update_profile(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    user = require_user(request)
    profile = _profile_in_path(sb, request)
    if profile["id"] != user["id"] and not sb.faults.on("profile_edit_others_allowed"):
        raise ApiError(403, "You can only edit your own profile")
    edits = _edits(await json_object(request))
    if delay := sb.faults.number("slow_profile_save"):
        await asyncio.sleep(delay / 1000)
    if "social_links" in edits:
        edits["social_links"] = {**profile["social_links"], **edits["social_links"]}
    if sb.faults.on("profile_edit_not_saved"):
        # Answer as if saved, so only a reload shows the loss.
        return JSONResponse({"profile": {**profile, **edits}})
    stored = {**edits, "social_links": dumps(edits["social_links"])} if "social_links" in edits else edits
    sets = ", ".join(f"{k} = :{k}" for k in stored)
    sb.db.execute(f"UPDATE profiles SET {sets}, updated_at = :ts WHERE id = :id",
                  {**stored, "ts": now_iso(), "id": profile["id"]})
    return JSONResponse({"profile": profile_by_username(sb, profile["username"])})


@api
async def follow(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    user = require_user(request)
    profile = _profile_in_path(sb, request)
    if profile["id"] == user["id"]:
        raise ApiError(422, "You cannot follow yourself")
    if request.method == "DELETE":
        sb.db.execute("DELETE FROM follows WHERE follower_id = ? AND following_id = ?", (user["id"], profile["id"]))
    elif not sb.faults.on("follow_broken"):
        sb.db.execute("INSERT OR IGNORE INTO follows (follower_id, following_id, created_at) VALUES (?, ?, ?)",
                      (user["id"], profile["id"], now_iso()))
    return JSONResponse({"following": request.method == "POST",
                         "followers": profile_stats(sb, profile["id"])["followers"]})


routes = [
    Route("/profile/{username}", profile_page),
    Route("/api/profiles/{username}", update_profile, methods=["PATCH"]),
    Route("/api/profiles/{username}/follow", follow, methods=["POST", "DELETE"]),
]

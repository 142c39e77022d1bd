"""Dashboard and profile faults that act on PostgREST itself, for an app whose dashboard reads its list from
the browser (the kulti-2025-11 shape's "Live Now", static/live-now.js): a signed-in user's (or
anon) read of `sessions` is what that dashboard shows. The suite reads with the service-role key,
so its view of the database is untouched. The same holds for the profile edit modal's PATCH of
`profiles` (static/profile-edit.js)."""

from __future__ import annotations

import asyncio
import dataclasses
import json

from starlette.responses import Response

from kulti_sandbox.emulations.postgrest_call import Call
from kulti_sandbox.kulti.dashboard import listed_with_faults
from kulti_sandbox.shapes.kulti_2025_11.sessions import store_newest_live_twice
from kulti_sandbox.state import sandbox_of


def _dashboard_read(call: Call) -> bool:
    return (call.request.method == "GET" and call.table is not None and call.table.name == "sessions"
            and call.role != "service_role" and not call.singular)


async def delay_dashboard_read(call: Call) -> None:
    """slow_dashboard_data: the dashboard's data request takes VALUE ms. dashboard_duplicate_card: the
    session its first card shows is stored twice before it reads (the suite's reads see both rows)."""
    sb = sandbox_of(call.request)
    faults = sb.faults
    if _dashboard_read(call) and faults.on("dashboard_duplicate_card"):
        store_newest_live_twice(sb.db)
    if _dashboard_read(call) and (ms := faults.number("slow_dashboard_data")):
        await asyncio.sleep(ms / 1000)


def spoil_dashboard_read(call: Call, rendered: list[str]) -> list[str]:
    """dashboard_missing_sessions, dashboard_duplicate_sessions, dashboard_wrong_timestamps (on
    started_at, the time a Live Now card shows)."""
    if not _dashboard_read(call):
        return rendered
    faults = sandbox_of(call.request).faults
    rows = listed_with_faults(faults, [json.loads(r) for r in rendered], "started_at")
    return [json.dumps(r) for r in rows]


def _profile_edit(call: Call) -> bool:
    return (call.request.method == "PATCH" and call.table is not None and call.table.name == "profiles"
            and call.role != "service_role")


async def delay_profile_save(call: Call) -> None:
    """slow_profile_save: the edit modal's save takes VALUE ms."""
    faults = sandbox_of(call.request).faults
    if _profile_edit(call) and (ms := faults.number("slow_profile_save")):
        await asyncio.sleep(ms / 1000)


def unsaved_profile_edit(call: Call) -> Response | None:
    """profile_edit_not_saved: the answer of a stored edit (204, return=minimal), nothing stored."""
    if _profile_edit(call) and sandbox_of(call.request).faults.on("profile_edit_not_saved"):
        return Response(status_code=204)
    return None


def profile_rls_off(call: Call) -> Call:
    """profile_edit_others_allowed: profiles' own-row UPDATE policy is missing (RLS bypassed)."""
    if _profile_edit(call) and sandbox_of(call.request).faults.on("profile_edit_others_allowed"):
        return dataclasses.replace(call, role="service_role")
    return call

"""Recording in the launched app (facts §8.6): app/api/hms/start-recording and stop-recording
(host only; 100ms records the room), the 100ms webhook's recording events
(app/api/webhooks/hms), and the /recordings page ("My Recordings": the sessions you host).

Faults: recording_slow_start=MS / recording_slow_stop=MS (the routes answer MS late); the
100ms side's faults are in emulations/hms_jobs.py; recording_stored_twice (the webhook's success
stores the recording a second time: another row).
"""

from __future__ import annotations

import asyncio
import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kulti_sandbox.db import new_id, now_iso
from kulti_sandbox.emulations import hms_jobs
from kulti_sandbox.shapes.kulti_2025_11.api import body_of
from kulti_sandbox.shapes.kulti_2025_11.auth_cookie import access_claims
from kulti_sandbox.shapes.kulti_2025_11.pages import layout_profile, render
from kulti_sandbox.state import sandbox_of

MAX_REQUEST_CHARS = 10 * 1024


async def _hosted_session(request: Request, verb: str) -> dict | JSONResponse:
    """The route's shared checks, in its order: size, user, sessionId, session, host, 100ms room."""
    if len(await request.body()) > MAX_REQUEST_CHARS:
        return JSONResponse({"error": "Request too large"}, 413)
    claims = access_claims(request)
    if claims is None:
        return JSONResponse({"error": "Unauthorized"}, 401)
    session_id = (await body_of(request)).get("sessionId")
    if not session_id:
        return JSONResponse({"error": "Session ID is required"}, 400)
    session = sandbox_of(request).db.query_one("SELECT id, hms_room_id, host_id FROM sessions WHERE id = ?",
                                               (str(session_id),))
    if session is None:
        return JSONResponse({"error": "Session not found"}, 404)
    if session["host_id"] != claims["sub"]:
        return JSONResponse({"error": f"Only the host can {verb} recording"}, 403)
    if not session["hms_room_id"]:
        return JSONResponse({"error": "Session has no HMS room"}, 400)
    return session | {"user_id": claims["sub"]}


async def start_recording(request: Request) -> JSONResponse:
    session = await _hosted_session(request, "start")
    if isinstance(session, JSONResponse):
        return session
    sb = sandbox_of(request)
    if delay_ms := sb.faults.number("recording_slow_start"):
        await asyncio.sleep(delay_ms / 1000)
    job = hms_jobs.start(sb, session["hms_room_id"], session["user_id"])
    ts = now_iso()
    row = {"id": new_id(), "session_id": session["id"], "hms_recording_id": job["id"], "status": "recording",
           "created_at": ts, "updated_at": ts}
    sb.db.insert("recordings", row)
    return JSONResponse({"success": True, "recording": {"id": row["id"], "status": row["status"]}})


async def stop_recording(request: Request) -> JSONResponse:
    session = await _hosted_session(request, "stop")
    if isinstance(session, JSONResponse):
        return session
    sb = sandbox_of(request)
    if delay_ms := sb.faults.number("recording_slow_stop"):
        await asyncio.sleep(delay_ms / 1000)
    hms_jobs.stop(sb, session["hms_room_id"], lambda event, data: webhook(sb, event, data))
    row = sb.db.query_one("SELECT id FROM recordings WHERE session_id = ? AND status = 'recording'", (session["id"],))
    if row is None:  # .single() on no rows
        return JSONResponse({"error": "Failed to update recording record"}, 500)
    sb.db.execute("UPDATE recordings SET status = 'processing', updated_at = ? WHERE id = ?", (now_iso(), row["id"]))
    return JSONResponse({"success": True, "recording": {"id": row["id"], "status": "processing"}})


def webhook(sb, event: str, data: dict) -> None:
    """app/api/webhooks/hms for recording events (the HMAC check has nothing to check in-process)."""
    if event == "recording.success":
        values = {"status": "completed", "recording_url": data.get("recording_url") or data.get("location"),
                  "duration": data.get("duration") or 0,
                  "metadata": json.dumps({k: data.get(k) for k in ("size", "resolution", "format")})}
    elif event == "recording.failed":
        values = {"status": "failed", "metadata": json.dumps({"error": data.get("error") or "Unknown error"})}
    else:
        return
    values["updated_at"] = now_iso()
    sb.db.execute(f"UPDATE recordings SET {', '.join(f'{k} = ?' for k in values)} WHERE hms_recording_id = ?",
                  (*values.values(), data["id"]))
    if event == "recording.success" and sb.faults.on("recording_stored_twice"):
        for row in sb.db.query("SELECT * FROM recordings WHERE hms_recording_id = ?", (data["id"],)):
            sb.db.insert("recordings", row | {"id": new_id()})


async def recordings_page(request: Request) -> Response:
    """The page's RecordingsContent, rendered with what its one fetch returns: recordings of the
    sessions you host, newest first."""
    profile = layout_profile(request)
    rows = sandbox_of(request).db.query(
        """SELECT r.*, s.title, s.description FROM recordings r JOIN sessions s ON s.id = r.session_id
           WHERE s.host_id = ? ORDER BY r.created_at DESC""", (profile["id"],))
    return render(request, "recordings.html", {"recordings": [r | {"duration_text": duration_text(r["duration"])}
                                                              for r in rows]}, profile=profile)


def duration_text(seconds: int | None) -> str | None:
    """formatDuration: "1h 2m 3s", "4m 5s", "6s"; None (no badge) while unset or 0."""
    if not seconds:
        return None
    h, m, s = seconds // 3600, seconds % 3600 // 60, seconds % 60
    return f"{h}h {m}m {s}s" if h else f"{m}m {s}s" if m else f"{s}s"


routes = [
    Route("/api/hms/start-recording", start_recording, methods=["POST"]),
    Route("/api/hms/stop-recording", stop_recording, methods=["POST"]),
    Route("/recordings", recordings_page),
]

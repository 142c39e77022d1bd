"""100ms recording jobs an app starts through 100ms (the launched app's lib/hms/server.ts:
POST /v2/recordings/room/<room_id>/start and .../stop), and the webhooks 100ms then sends
(recording.success / recording.failed), for the kulti shape. The shape calls these directly,
as its server would call 100ms; GET /v2/recordings (hms.py) lists the jobs.

100ms records the room itself, so no media reaches the sandbox: a job's duration is the time
between its start and stop, its size unknown (0). Faults: recording_never_completes (no
webhook, the job stays post-processing), recording_not_uploaded (the job fails),
recording_duration_wrong=S (the job and its webhook report S seconds more).
"""

from __future__ import annotations

import asyncio
from typing import Callable

from kulti_sandbox.db import now_iso
from kulti_sandbox.emulations.hms_wire import parse_time
from kulti_sandbox.seed import new_hms_id

Webhook = Callable[[str, dict], None]  # (event type, data) -> the app's webhook handler


def start(sb, room_id: str, started_by: str) -> dict:
    ts = now_iso()
    job = {"hms_recording_id": new_hms_id(), "room_id": room_id, "status": "recording", "started_by": started_by,
           "started_at": ts, "mime_type": "video/mp4", "created_at": ts, "updated_at": ts}
    sb.db.insert("hms_recording_jobs", job)
    return {"id": job["hms_recording_id"], "room_id": room_id, "status": "running"}


def stop(sb, room_id: str, webhook: Webhook) -> dict | None:
    """Stops the room's running job; it is finished (or fails) in the background."""
    job = sb.db.query_one("SELECT * FROM hms_recording_jobs WHERE room_id = ? AND status = 'recording'", (room_id,))
    if job is None:
        return None
    ts = now_iso()
    sb.db.execute("UPDATE hms_recording_jobs SET status = 'processing', stopped_at = ?, updated_at = ? "
                  "WHERE hms_recording_id = ?", (ts, ts, job["hms_recording_id"]))
    sb.hub.spawn(_finish(sb, job["hms_recording_id"], webhook))
    return {"id": job["hms_recording_id"], "room_id": room_id, "status": "stopping"}


async def _finish(sb, job_id: str, webhook: Webhook) -> None:
    await asyncio.sleep(sb.config.recording_processing_s)
    if sb.faults.on("recording_never_completes"):
        return
    job = sb.db.query_one("SELECT * FROM hms_recording_jobs WHERE hms_recording_id = ?", (job_id,))
    if job is None or job["status"] != "processing":
        return
    if sb.faults.on("recording_not_uploaded"):
        _set(sb, job_id, status="failed")
        webhook("recording.failed", {"id": job_id, "room_id": job["room_id"], "error": "recording upload failed"})
        return
    recorded = (parse_time(job["stopped_at"]) - parse_time(job["started_at"])).total_seconds()
    duration = round(recorded + sb.faults.number("recording_duration_wrong"))  # whole seconds, as 100ms gives them
    location = f"s3://sandbox-recordings/{job['room_id']}/{job_id}.mp4"
    _set(sb, job_id, status="completed", duration=duration, file_path=location)
    webhook("recording.success", {"id": job_id, "room_id": job["room_id"], "duration": duration, "size": 0,
                                  "location": location, "format": "mp4", "resolution": "1920x1080"})


def _set(sb, job_id: str, **values) -> None:
    values["updated_at"] = now_iso()
    sb.db.execute(f"UPDATE hms_recording_jobs SET {', '.join(f'{k} = ?' for k in values)} WHERE hms_recording_id = ?",
                  (*values.values(), job_id))

"""Session recording (runbook Part D test 10): the host's page records, the server keeps the file.

The host's browser runs MediaRecorder over the room and POSTs one chunk a second; each is
appended to a file under the sandbox's recordings directory. Stop moves the row to
'processing' at once, so every page sees the recording end when the host clicks; the
page's recorder then flushes its last chunks, the last one marked final. A background
task waits for that, then after `config.recording_processing_s` marks the row 'completed'
(or 'failed' when nothing arrived), the way 100ms finishes a recording some time after
the room stops it. Size and duration come from the bytes really received.
Fault recording_stored_twice: the finished recording is stored a second time (another row).
"""

from __future__ import annotations

import asyncio
import os
import re

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from kulti_sandbox.db import Database, new_id, now_iso
from kulti_sandbox.kulti.api_errors import ApiError, api, json_object, require_user
from kulti_sandbox.kulti.room_hub import UploadState
from kulti_sandbox.kulti.webm import file_duration_s
from kulti_sandbox.seed import new_hms_id
from kulti_sandbox.state import Sandbox, sandbox_of

MAX_CHUNK_BYTES = 16 * 1024 * 1024
CHUNK_TIMESLICE_S = 1.0  # the host page's MediaRecorder timeslice
UPLOAD_GRACE_S = 4.0  # after Stop, how long a silent page is waited for
MIME = re.compile(r"^(video|audio)/(webm|mp4)(;[a-z0-9=.,\- ]{0,80})?$", re.IGNORECASE)
CHUNK_TYPES = ("video/webm", "video/mp4", "audio/webm", "application/octet-stream")


def public_recording(row: dict) -> dict:
    return {key: row[key] for key in ("id", "hms_recording_id", "status", "started_at", "stopped_at",
                                      "duration", "size", "mime_type")} | {
        "file_url": f"/api/recordings/{row['id']}/file" if row["status"] == "completed" else None}


def recordings_state(db: Database, session_id: str) -> dict:
    """The session's recordings, newest first, and the one running now (if any)."""
    rows = db.query("SELECT * FROM recordings WHERE session_id = ? ORDER BY created_at DESC", (session_id,))
    items = [public_recording(r) for r in rows]
    return {"active": next((i for i in items if i["status"] == "recording"), None), "items": items}


def push_recordings(sb: Sandbox, session_id: str) -> None:
    sb.hub.broadcast(session_id, {"type": "recordings", **recordings_state(sb.db, session_id)})


def _session_for(sb: Sandbox, session_id: str, user: dict) -> tuple[dict, str | None]:
    session = sb.db.query_one("SELECT id, host_id, status FROM sessions WHERE id = ?", (session_id,))
    if session is None:
        raise ApiError(404, "No such session")
    if session["host_id"] == user["id"]:
        return session, "host"
    row = sb.db.query_one("SELECT role FROM session_participants WHERE session_id = ? AND user_id = ?",
                          (session_id, user["id"]))
    return session, row["role"] if row else None


def _recording_for_host(sb: Sandbox, request: Request) -> dict:
    user = require_user(request)
    rec = sb.db.query_one("SELECT * FROM recordings WHERE id = ?", (request.path_params["rid"],))
    if rec is None:
        raise ApiError(404, "No such recording")
    _, role = _session_for(sb, rec["session_id"], user)
    if role != "host":
        raise ApiError(403, "Only the session host can record")
    return rec


@api
async def start_recording(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    user = require_user(request)
    session, role = _session_for(sb, request.path_params["id"], user)
    if role != "host":
        raise ApiError(403, "Only the session host can record")
    if delay_ms := sb.faults.number("recording_slow_start"):
        await asyncio.sleep(delay_ms / 1000)
    body = await json_object(request)
    mime = body.get("mime_type", "video/webm")
    if not isinstance(mime, str) or not MIME.match(mime):
        raise ApiError(422, "mime_type must be a WebM or MP4 type, e.g. video/webm;codecs=vp8,opus", "mime_type")
    if session["status"] == "ended":
        raise ApiError(409, "This session has ended")
    if recordings_state(sb.db, session["id"])["active"]:
        raise ApiError(409, "A recording is already running")
    rid, ts = new_id(), now_iso()
    path = sb.recordings_dir / f"{rid}.{'mp4' if 'mp4' in mime else 'webm'}"
    path.touch()
    sb.db.insert("recordings", {
        "id": rid, "session_id": session["id"], "hms_recording_id": new_hms_id(), "started_by": user["id"],
        "status": "recording", "started_at": ts, "file_path": str(path), "mime_type": mime,
        "created_at": ts, "updated_at": ts,
    })
    sb.hub.uploads[rid] = UploadState()
    push_recordings(sb, session["id"])
    row = sb.db.query_one("SELECT * FROM recordings WHERE id = ?", (rid,))
    return JSONResponse({"recording": public_recording(row)}, status_code=201)


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_CHUNK_BYTES:
        raise ApiError(413, f"A chunk may be at most {MAX_CHUNK_BYTES} bytes")
    data = bytearray()
    async for part in request.stream():
        data += part
        if len(data) > MAX_CHUNK_BYTES:
            raise ApiError(413, f"A chunk may be at most {MAX_CHUNK_BYTES} bytes")
    return bytes(data)


@api
async def upload_chunk(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    rec = _recording_for_host(sb, request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in CHUNK_TYPES:
        raise ApiError(415, f"Send the chunk as raw bytes with Content-Type one of {', '.join(CHUNK_TYPES)}")
    seq = request.headers.get("x-chunk-seq", "")
    if not seq.isdigit():
        raise ApiError(400, "Header X-Chunk-Seq (0, 1, 2, ...) is required")
    final = request.headers.get("x-chunk-final") == "1"
    state = sb.hub.uploads.get(rec["id"])
    # Chunks may trail a Stop (the recorder flushes its last second after it): accepted
    # until the page sends its final one, or stops sending for UPLOAD_GRACE_S.
    if state is None or state.final or rec["status"] not in ("recording", "processing"):
        raise ApiError(409, f"The recording is {rec['status']}, not accepting data")
    if int(seq) != state.next_seq:
        raise ApiError(409, f"Expected chunk {state.next_seq}, got {seq}")
    data = await _body(request)
    if not data and not final:
        raise ApiError(400, "The chunk is empty (only the final one, X-Chunk-Final: 1, may be)")
    with open(rec["file_path"], "ab") as f:
        f.write(data)
    state.next_seq += 1
    state.bytes += len(data)
    state.final = final
    state.arrived.set()
    return JSONResponse({"received": state.next_seq, "size": state.bytes})


def received_duration_s(rec: dict, chunks: int) -> float:
    """Length of the media received: from the WebM itself; for other containers, one
    timeslice per chunk is the best estimate."""
    if "webm" in rec["mime_type"]:
        return round(file_duration_s(rec["file_path"]), 1)
    return chunks * CHUNK_TIMESLICE_S


def _measure(rec: dict, chunks: int) -> tuple[float, int]:
    """(duration, size) of what is in the file now."""
    try:
        size = os.path.getsize(rec["file_path"])
    except OSError:
        return 0.0, 0
    return (received_duration_s(rec, chunks) if size else 0.0), size


def stop(sb: Sandbox, rec: dict, page_gone: bool = False) -> dict:
    """recording -> processing at once (for everyone); completion happens in the background."""
    state = sb.hub.uploads.get(rec["id"]) or UploadState(final=True)
    if page_gone:
        state.final = True
    duration, size = _measure(rec, state.next_seq)  # so far; final figures on completion
    ts = now_iso()
    sb.db.execute("""UPDATE recordings SET status = 'processing', stopped_at = ?, duration = ?, size = ?,
                     updated_at = ? WHERE id = ? AND status = 'recording'""",
                  (ts, duration, size, ts, rec["id"]))
    sb.hub.spawn(_finish_processing(sb, rec, state))
    push_recordings(sb, rec["session_id"])
    return sb.db.query_one("SELECT * FROM recordings WHERE id = ?", (rec["id"],))


async def _upload_ended(state: UploadState) -> None:
    while not state.final:
        state.arrived.clear()
        try:
            await asyncio.wait_for(state.arrived.wait(), UPLOAD_GRACE_S)
        except asyncio.TimeoutError:
            return  # the page went quiet: nothing more is coming


async def _finish_processing(sb: Sandbox, rec: dict, state: UploadState) -> None:
    await _upload_ended(state)
    sb.hub.uploads.pop(rec["id"], None)
    await asyncio.sleep(sb.config.recording_processing_s)
    if sb.faults.on("recording_never_completes"):
        return
    duration, size = _measure(rec, state.next_seq)
    duration += sb.faults.number("recording_duration_wrong")
    # Nothing received means nothing to publish: a real pipeline fails such a recording.
    sb.db.execute("""UPDATE recordings SET status = ?, duration = ?, size = ?, updated_at = ?
                     WHERE id = ? AND status = 'processing'""",
                  ("completed" if size else "failed", duration, size, now_iso(), rec["id"]))
    if sb.faults.on("recording_stored_twice"):
        _store_again(sb, rec["id"])
    push_recordings(sb, rec["session_id"])


def _store_again(sb: Sandbox, rid: str) -> None:
    """Fault recording_stored_twice: a second row for the same finished recording."""
    row = sb.db.query_one("SELECT * FROM recordings WHERE id = ?", (rid,))
    sb.db.insert("recordings", row | {"id": new_id(), "hms_recording_id": new_hms_id()})


def stop_active_recording(sb: Sandbox, session_id: str) -> None:
    """The host's page holds the recorder: when the host leaves, the recording ends."""
    rec = sb.db.query_one("SELECT * FROM recordings WHERE session_id = ? AND status = 'recording'", (session_id,))
    if rec:
        stop(sb, rec, page_gone=True)


@api
async def stop_recording(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    rec = _recording_for_host(sb, request)
    if rec["status"] != "recording":
        raise ApiError(409, f"The recording is already {rec['status']}")
    if delay_ms := sb.faults.number("recording_slow_stop"):
        await asyncio.sleep(delay_ms / 1000)
    return JSONResponse({"recording": public_recording(stop(sb, rec))})


@api
async def list_recordings(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    session, role = _session_for(sb, request.path_params["id"], require_user(request))
    if role is None:
        raise ApiError(403, "Join the session to see its recordings")
    return JSONResponse(recordings_state(sb.db, session["id"]))


@api
async def recording_file(request: Request):
    sb = sandbox_of(request)
    user = require_user(request)
    rec = sb.db.query_one("SELECT * FROM recordings WHERE id = ?", (request.path_params["rid"],))
    if rec is None:
        raise ApiError(404, "No such recording")
    if _session_for(sb, rec["session_id"], user)[1] is None:
        raise ApiError(403, "Join the session to see its recordings")
    if rec["status"] != "completed":
        raise ApiError(409, f"The recording is {rec['status']}")
    return FileResponse(rec["file_path"], media_type=rec["mime_type"].split(";")[0])


routes = [
    Route("/api/sessions/{id}/recordings", start_recording, methods=["POST"]),
    Route("/api/sessions/{id}/recordings", list_recordings, methods=["GET"]),
    Route("/api/recordings/{rid}/chunks", upload_chunk, methods=["POST"]),
    Route("/api/recordings/{rid}/stop", stop_recording, methods=["POST"]),
    Route("/api/recordings/{rid}/file", recording_file, methods=["GET"]),
]

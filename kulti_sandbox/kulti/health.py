"""`/api/health` (runbook Part C step 4): status, environment, version, per-service status."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kulti_sandbox.state import Sandbox, sandbox_of

SERVICES = ("database", "sms", "video")


def _database(sb: Sandbox) -> dict:
    started = time.perf_counter()
    sb.db.query_one("SELECT COUNT(*) FROM profiles")
    return {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def service_status(sb: Sandbox) -> dict[str, dict]:
    services = {
        "database": _database(sb),
        "sms": {"status": "ok", "provider": "twilio"},
        "video": {"status": "ok", "provider": "100ms"},
    }
    down = sb.faults.value("health_degraded")
    if down in services:
        services[down] = {"status": "down", "error": f"{down} unreachable"}
    return services


async def health(request: Request) -> Response:
    sb = sandbox_of(request)
    if status := sb.faults.value("health_status"):
        return PlainTextResponse("Internal Server Error", status_code=int(status))
    services = service_status(sb)
    healthy = all(s["status"] == "ok" for s in services.values())
    body = {
        "status": "ok" if healthy else "degraded",
        "environment": sb.config.environment,
        "version": sb.faults.value("wrong_version") or sb.config.version,
        "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "services": services,
    }
    body.pop(sb.faults.value("health_missing_field") or "", None)
    return JSONResponse(body, status_code=200 if healthy else 503)


routes = [Route("/api/health", health)]

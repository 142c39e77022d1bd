"""Security and cache headers on every Kulti response (runbook Part C, steps 6 and 7).

A pure ASGI middleware rather than BaseHTTPMiddleware so WebSockets and streamed
uploads pass through untouched. The service emulations under their own prefixes answer
with their own headers, as the real services would.
"""

from __future__ import annotations

import asyncio
import math

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse

from kulti_sandbox.faults import Faults

EMULATION_PREFIXES = ("/twilio", "/supabase", "/hms", "/sentry", "/__sandbox")

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "media-src 'self' blob: mediastream:; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'"
    ),
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(self), microphone=(self), display-capture=(self), geolocation=()",
}

STATIC_CACHE = "public, max-age=31536000, immutable"
NO_CACHE = "no-store, max-age=0"
PAGE_CACHE = "private, no-cache"
API_CACHED = "public, max-age=600"  # the api_cached fault: a CDN may serve one user's answer to others
STATIC_NOT_CACHED = "no-store"  # the static_not_cached fault


def cache_control_for(path: str, faults: Faults) -> str:
    if path.startswith("/static/"):
        return STATIC_NOT_CACHED if faults.on("static_not_cached") else STATIC_CACHE
    if path.startswith("/api/"):
        return API_CACHED if faults.on("api_cached") else NO_CACHE
    return PAGE_CACHE


def apply_header_faults(headers: MutableHeaders, faults: Faults) -> None:
    """missing_header and header_value, the same on every shape: after the shape's own headers are set."""
    for dropped in (faults.value("missing_header") or "").split(","):
        if dropped.strip() and dropped.strip() in headers:
            del headers[dropped.strip()]
    name, sep, value = (faults.value("header_value") or "").partition(":")
    if sep and name.strip():
        headers[name.strip()] = value.strip()


def page_delay_ms(faults: Faults, path: str) -> float:
    """slow_page's VALUE is MS (every page) or MS@/prefix (pages whose path starts with /prefix only),
    so one budget of a flow can be broken without slowing the pages before it."""
    value = faults.value("slow_page")
    if value is None:
        return 0
    ms, _, prefix = value.partition("@")
    return float(ms) if path.startswith(prefix or "/") else 0


def missing_stylesheet(faults: Faults, path: str) -> PlainTextResponse | None:
    """stylesheet_missing: the pages' CSS files answer 404, as after a deploy that lost its build's stylesheet."""
    if faults.on("stylesheet_missing") and path.endswith(".css"):
        return PlainTextResponse("Not Found", status_code=404)
    return None


class ApiErrorShare:
    """api_errors: VALUE percent of the /api/ calls answer HTTP 500, spread evenly (at 50, every second call;
    at 25, every fourth). The health check is left alone: the fault is the app's API failing, not its health."""

    def __init__(self, faults: Faults):
        self.faults = faults
        self.calls = 0

    def answer(self, path: str) -> PlainTextResponse | None:
        if not self.faults.on("api_errors") or not path.startswith("/api/") or path == "/api/health":
            return None
        self.calls += 1
        share = self.faults.number("api_errors") / 100
        if math.floor(self.calls * share) > math.floor((self.calls - 1) * share):
            return PlainTextResponse("Internal Server Error", status_code=500)
        return None


class KultiHeaders:
    def __init__(self, app, faults: Faults):
        self.app = app
        self.faults = faults
        self.api_errors = ApiErrorShare(faults)

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(EMULATION_PREFIXES):
            await self.app(scope, receive, send)
            return
        await self._delay(path)
        failed = self.api_errors.answer(path) or missing_stylesheet(self.faults, path)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                headers["Cache-Control"] = cache_control_for(path, self.faults)
                apply_header_faults(headers, self.faults)
            await send(message)

        await (failed or self.app)(scope, receive, send_with_headers)

    async def _delay(self, path: str) -> None:
        await fault_delay(self.faults, path, "/static/")


async def fault_delay(faults: Faults, path: str, static_prefix: str) -> None:
    """slow_api on API routes, slow_page on pages, nothing on static assets: every shape's
    header middleware awaits this before answering."""
    if path.startswith("/api/"):
        ms = faults.number("slow_api")
    elif path.startswith(static_prefix):
        ms = 0
    else:
        ms = page_delay_ms(faults, path)
    if ms:
        await asyncio.sleep(ms / 1000)

"""What runs before every page of the launched app: next.config.js's headers and proxy.ts.

Headers: next.config.js sends the same seven on every path (no Content-Security-Policy;
X-Frame-Options SAMEORIGIN; HSTS two years with preload). Cache-Control is what Next.js
sends itself: dynamic pages and API routes are never cached, hashed build assets are.

proxy.ts (Next 16's middleware) sends signed-out visitors of /dashboard, /browse, /profile
and /s/ to /login?redirectTo=<path>, and signed-in visitors of /login and /signup to
/dashboard, both with NextResponse.redirect: 307 and an absolute Location.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse

from kulti_sandbox.faults import Faults
from kulti_sandbox.security import (API_CACHED, EMULATION_PREFIXES, STATIC_NOT_CACHED, ApiErrorShare, apply_header_faults,
                                    fault_delay, missing_stylesheet)
from kulti_sandbox.shapes.kulti_2025_11.auth_cookie import access_claims

SECURITY_HEADERS = {
    "X-DNS-Prefetch-Control": "on",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
    "Referrer-Policy": "origin-when-cross-origin",
    "Permissions-Policy": "camera=*, microphone=*, display-capture=*, geolocation=(), interest-cohort=()",
}
DYNAMIC_CACHE = "private, no-cache, no-store, max-age=0, must-revalidate"
ASSET_CACHE = "public, max-age=31536000, immutable"
STATIC_PREFIX = "/_kulti/static/"  # stands in for /_next/static/

PROTECTED_PREFIXES = ("/dashboard", "/browse", "/profile", "/s/")
AUTH_PAGES = ("/login", "/signup")


def cache_control(path: str, faults: Faults) -> str:
    if path.startswith(STATIC_PREFIX):
        return STATIC_NOT_CACHED if faults.on("static_not_cached") else ASSET_CACHE
    if path.startswith("/api/") and faults.on("api_cached"):
        return API_CACHED
    return DYNAMIC_CACHE


def proxy_redirect(request: Request) -> RedirectResponse | None:
    path = request.url.path
    if path.startswith(STATIC_PREFIX) or path.startswith("/api/webhooks"):
        return None
    protected = path.startswith(PROTECTED_PREFIXES)
    if not protected and path not in AUTH_PAGES:
        return None
    signed_in = access_claims(request) is not None
    if protected and not signed_in:
        query = urlencode({**dict(request.query_params), "redirectTo": path})
        return RedirectResponse(str(request.url.replace(path="/login", query=query)), status_code=307)
    if path in AUTH_PAGES and signed_in:
        return RedirectResponse(str(request.url.replace(path="/dashboard")), status_code=307)
    return None


class Headers:
    def __init__(self, app, faults: Faults):
        self.app = app
        self.faults = faults
        self.api_errors = ApiErrorShare(faults)

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(EMULATION_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                headers["Cache-Control"] = cache_control(path, self.faults)
                apply_header_faults(headers, self.faults)
            await send(message)

        await fault_delay(self.faults, path, STATIC_PREFIX)  # slow_page, slow_api
        failed = self.api_errors.answer(path) or missing_stylesheet(self.faults, path)
        if failed is not None:
            await failed(scope, receive, send_with_headers)
            return
        redirect = proxy_redirect(Request(scope))
        if redirect is not None:
            await redirect(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

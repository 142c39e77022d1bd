"""The `kulti-2025-11` shape: the surface of the launched Kulti (ga1ien/kulti at 12d759c).

Routes, texts, flows and tables follow the real app; the markup, styles and scripts are the
sandbox's own (the app has no licence). See kulti_sandbox/SHAPE-kulti-2025-11.md for what a
test can select on, and kulti_sandbox/README.md ("Shapes") for what is left out.
"""

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kulti_sandbox.emulations import sentry
from kulti_sandbox.shapes.kulti_2025_11 import api, hms_api, pages, recordings, room_socket
from kulti_sandbox.shapes.kulti_2025_11.proxy import Headers
from kulti_sandbox.shapes.kulti_2025_11.schema import SCHEMA
from kulti_sandbox.shapes.kulti_2025_11.seed import seed

HERE = Path(__file__).resolve().parent
SHARED_STATIC = HERE.parent.parent / "static"
SHARED_REPORTER = SHARED_STATIC / "error-reporter.js"
FAVICON = SHARED_STATIC / "favicon.svg"


async def error_reporter(request):
    return FileResponse(SHARED_REPORTER, media_type="text/javascript")


async def page_faults(request):
    # The sandbox's page-script faults (hide_element, console_error) act on this shape's pages too.
    return FileResponse(SHARED_STATIC / "page-faults.js", media_type="text/javascript")


async def sentry_tunnel(request: Request):
    """@sentry/nextjs tunnelRoute "/monitoring" (next.config.js, docs/apps/kulti-2025-11.md §1.3): the
    browser posts envelopes to /monitoring?o=ORG&p=PROJECT on the app's own origin, and Next rewrites
    them to the org's ingest host, /api/PROJECT/envelope/. Here the ingest host is the Sentry emulation."""
    project, org = request.query_params.get("p", ""), request.query_params.get("o", "")
    if not project.isdigit() or not org.isdigit():
        raise HTTPException(404)  # the rewrite only matches with both parameters; Next answers its 404
    scope = {**request.scope, "path_params": {"project_id": int(project)}, "query_string": b""}
    return await sentry.envelope_endpoint(Request(scope, request.receive))


async def favicon(request):
    # Next.js serves app/favicon.ico at /favicon.ico; browsers ask for it on every page.
    return FileResponse(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=0, must-revalidate"})


routes = [
    Route("/favicon.ico", favicon),
    *pages.routes,
    *api.routes,
    *hms_api.routes,
    *recordings.routes,
    *room_socket.routes,
    Route("/monitoring", sentry_tunnel, methods=["POST"]),
    Route("/_kulti/static/error-reporter.js", error_reporter),
    Route("/_kulti/static/page-faults.js", page_faults),
    # The runbook room's WebRTC modules (mesh, signaling, camera), which this shape's room reuses.
    Mount("/_kulti/static/room", app=StaticFiles(directory=SHARED_STATIC / "room"), name="room-static"),
    Mount("/_kulti/static", app=StaticFiles(directory=HERE / "static"), name="static"),
]
exception_handlers = pages.exception_handlers

__all__ = ["Headers", "SCHEMA", "exception_handlers", "routes", "seed"]

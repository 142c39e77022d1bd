"""Every Kulti route, in one list the app factory mounts."""

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from kulti_sandbox.kulti import auth, dashboard, health, pages, profiles, sessions
from kulti_sandbox.kulti.render import templates  # noqa: F401  (templates dir resolved once)

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

routes = [
    *pages.routes,
    *auth.routes,
    *dashboard.routes,
    *sessions.routes,
    *profiles.routes,
    *health.routes,
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]

exception_handlers = pages.exception_handlers

"""Every Kulti route, in one list the app factory mounts."""

from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from kulti_sandbox.kulti import (auth, dashboard, health, pages, profiles, recordings, room_ws, session_room,
                                 sessions)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

routes = [
    *pages.routes,
    *auth.routes,
    *dashboard.routes,
    *sessions.routes,
    *session_room.routes,
    *room_ws.routes,
    *recordings.routes,
    *profiles.routes,
    *health.routes,
    Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
]

exception_handlers = pages.exception_handlers

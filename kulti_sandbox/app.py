"""Assemble the sandbox: the Kulti app, the service emulations under their prefixes, admin."""

from __future__ import annotations

import tempfile
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Mount, Router

from kulti_sandbox import admin
from kulti_sandbox.config import SandboxConfig
from kulti_sandbox.db import Database
from kulti_sandbox.emulations import hms, sentry, supabase, twilio
from kulti_sandbox.faults import Faults
from kulti_sandbox.kulti.room_hub import RoomHub
from kulti_sandbox.shapes import load_shape
from kulti_sandbox.state import Sandbox


def build_sandbox(config: SandboxConfig, faults: Faults | None = None, workdir: Path | None = None) -> Sandbox:
    workdir = workdir or Path(tempfile.mkdtemp(prefix="kulti-sandbox-"))
    shape = load_shape(config.shape)
    db = Database(config.db_path or workdir / "kulti.sqlite3", shape.schema)
    shape.seed(db, config)
    recordings_dir = workdir / "recordings"
    recordings_dir.mkdir()
    sb = Sandbox(config=config, db=db, faults=faults or Faults(), recordings_dir=recordings_dir, workdir=workdir)
    sb.hub = RoomHub(sb)
    return sb


def supabase_cors(routes) -> CORSMiddleware:
    """Supabase's gateway answers browsers from any origin (supabase-js runs in the app's pages,
    on the app's origin): preflights get 200 and every answer Access-Control-Allow-Origin *."""
    return CORSMiddleware(Router(routes=routes), allow_origins=["*"], allow_methods=["*"], allow_headers=["*"],
                          expose_headers=["Content-Range", "Content-Location", "X-Total-Count", "x-sb-error-code"],
                          max_age=86400)


def create_app(sb: Sandbox) -> Starlette:
    shape = load_shape(sb.config.shape)

    @asynccontextmanager
    async def lifespan(app):
        yield
        await sb.hub.close()
        sb.db.close()

    app = Starlette(
        routes=[
            Mount("/twilio", routes=twilio.routes),
            Mount("/supabase", app=supabase_cors(supabase.routes)),
            Mount("/hms", routes=hms.routes),
            Mount("/sentry", routes=sentry.routes),
            Mount("/__sandbox", routes=admin.routes),
            *shape.routes,
        ],
        exception_handlers=shape.exception_handlers,
        lifespan=lifespan,
    )
    app.state.sandbox = sb
    app.add_middleware(shape.headers, faults=sb.faults)
    return app

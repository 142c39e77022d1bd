"""The one object every handler reaches through `request.app.state.sandbox`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.requests import HTTPConnection

from kulti_sandbox.config import SandboxConfig
from kulti_sandbox.db import Database
from kulti_sandbox.faults import Faults


@dataclass
class Sandbox:
    config: SandboxConfig
    db: Database
    faults: Faults
    recordings_dir: Path
    workdir: Path | None = None  # the database and recordings of this run, removed when it stops
    hub: object = None  # kulti.room_hub.RoomHub, set by the app factory
    realtime: object = None  # emulations.realtime_channels.RealtimeHub, made on first use


def sandbox_of(conn: HTTPConnection) -> Sandbox:
    return conn.app.state.sandbox

"""The Kultis the sandbox can serve, chosen with `--shape`.

A shape is Kulti's own surface: its tables, seed data, pages, API routes and response
headers. Everything around it is shared by every shape: the Twilio, Supabase, 100ms and
Sentry emulations, the `/__sandbox` admin API and the fault registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from kulti_sandbox.config import SandboxConfig
from kulti_sandbox.db import AppSchema, Database

SHAPE_NAMES = ("runbook", "kulti-2025-11")


@dataclass(frozen=True)
class Shape:
    name: str
    schema: AppSchema
    seed: Callable[[Database, SandboxConfig], None]
    routes: list
    exception_handlers: dict[Any, Callable]
    headers: type  # ASGI middleware, built as headers(app, faults=...)


def load_shape(name: str) -> Shape:
    if name == "runbook":
        from kulti_sandbox import kulti, seed
        from kulti_sandbox.db import RUNBOOK
        from kulti_sandbox.security import KultiHeaders

        return Shape(name, RUNBOOK, lambda db, cfg: seed.seed(db), kulti.routes, kulti.exception_handlers, KultiHeaders)
    if name == "kulti-2025-11":
        from kulti_sandbox.shapes import kulti_2025_11 as k

        return Shape(name, k.SCHEMA, k.seed, k.routes, k.exception_handlers, k.Headers)
    raise ValueError(f"unknown shape {name!r}; expected one of {', '.join(SHAPE_NAMES)}")

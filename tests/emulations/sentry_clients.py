"""Ways into the Sentry emulation for its tests: an in-process app with its own database, and the
running sandbox's intake and events API (the DSN read from a Kulti page, as the browser reads it).

Test modules import the fixtures they use from here (pytest finds fixtures imported by name).
"""

from __future__ import annotations

import json
import re
import time
import uuid
import warnings
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from kulti_sandbox.config import SandboxConfig
from kulti_sandbox.db import Database
from kulti_sandbox.emulations import sentry
from kulti_sandbox.faults import Faults
from kulti_sandbox.state import Sandbox

with warnings.catch_warnings():  # starlette 1.x nags about httpx; the client still works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CONFIG_RE = re.compile(r'<script type="application/json" id="kulti-config">(.*?)</script>', re.S)


# ---- in process ------------------------------------------------------------------------------

def js_event(user_id: str = "u-1", message: str = "x is undefined", **extra) -> dict:
    """An event as error-reporter.js sends it: frames oldest first, page URL, user context."""
    script = "http://127.0.0.1:8000/static/room/app.js"
    frames = [{"filename": script, "function": "onClick", "lineno": 40, "colno": 3, "in_app": True},
              {"filename": script, "function": "render", "lineno": 12, "colno": 9, "in_app": True}]
    return {"event_id": uuid.uuid4().hex, "timestamp": time.time(), "platform": "javascript", "level": "error",
            "environment": "sandbox", "release": "1.0.0", "sdk": {"name": "kulti.error-reporter", "version": "1.0.0"},
            "exception": {"values": [{"type": "TypeError", "value": message, "stacktrace": {"frames": frames},
                                      "mechanism": {"type": "onerror", "handled": False}}]},
            "user": {"id": user_id, "username": "smoke_host"}, "tags": {"page": "/dashboard"},
            "request": {"url": "http://127.0.0.1:8000/dashboard", "headers": {"User-Agent": "pytest"}}} | extra


def envelope(event: dict, with_length: bool = True, header: dict | None = None) -> bytes:
    payload = json.dumps(event).encode()
    item = {"type": "event", **({"length": len(payload)} if with_length else {})}
    head = header if header is not None else {"event_id": event["event_id"], "sent_at": "2024-05-01T10:00:00Z"}
    return b"\n".join([json.dumps(head).encode(), json.dumps(item).encode(), payload, b""])


@pytest.fixture
def sb(tmp_path) -> Sandbox:
    db = Database(tmp_path / "kulti.sqlite3")
    yield Sandbox(config=SandboxConfig(), db=db, faults=Faults(), recordings_dir=tmp_path)
    db.close()


@pytest.fixture
def client(sb) -> TestClient:
    app = Starlette(routes=[Mount("/sentry", routes=sentry.routes)])
    app.state.sandbox = sb
    return TestClient(app, base_url="http://127.0.0.1:8000")


@pytest.fixture
def urls(sb) -> dict:
    c = sb.config.credentials
    return {"intake": f"/sentry/api/{c.sentry_project_id}/envelope/?sentry_key={c.sentry_public_key}&sentry_version=7",
            "store": f"/sentry/api/{c.sentry_project_id}/store/?sentry_key={c.sentry_public_key}",
            "events": f"/sentry/api/0/projects/{c.sentry_org}/{c.sentry_project}/events/",
            "auth": {"Authorization": f"Bearer {c.sentry_auth_token}"}}


# ---- the running sandbox ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(sandbox):
    env = sandbox.env
    base = f"{env['SENTRY_API_URL']}/projects/{env['SENTRY_ORG']}/{env['SENTRY_PROJECT']}/events/"
    with httpx.Client(base_url=base) as http:
        yield http


@pytest.fixture(scope="module")
def auth(sandbox) -> dict:
    return {"Authorization": f"Bearer {sandbox.env['SENTRY_AUTH_TOKEN']}"}


def page_dsn(sandbox) -> str | None:
    """The DSN as the browser gets it: from the kulti-config JSON on a Kulti page."""
    r = httpx.get(sandbox.url + "/")
    found = CONFIG_RE.search(r.text) if r.status_code == 200 else None
    return json.loads(found.group(1))["sentry"]["dsn"] if found else None


def intake_url(dsn: str, key: str | None = None, project: str | None = None) -> str:
    parts = urlsplit(dsn)
    prefix, _, project_id = parts.path.rpartition("/")
    query = f"?sentry_key={key or parts.username}&sentry_version=7"
    return f"{parts.scheme}://{parts.hostname}:{parts.port}{prefix}/api/{project or project_id}/envelope/{query}"

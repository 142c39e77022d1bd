"""HTML rendering with the page config every script reads (user, Sentry DSN, client faults)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.templating import Jinja2Templates

from kulti_sandbox.faults import Faults
from kulti_sandbox.kulti.current_user import current_user
from kulti_sandbox.state import sandbox_of

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))


def page_config(request: Request, user: dict | None) -> dict:
    sb = sandbox_of(request)
    public_user = None
    if user and user.get("username"):
        public_user = {"id": user["id"], "username": user["username"], "display_name": user["display_name"]}
    return {
        "user": public_user,
        "sentry": {"dsn": sb.config.sentry_dsn, "environment": sb.config.environment, "release": sb.config.version},
        "faults": sb.faults.client_flags(),
        "client_nav": sb.config.client_nav,
        "camera_fps": sb.config.camera_fps,
        "camera_size": sb.config.camera_size,
    }


def _profile_href(sb, user: dict | None) -> str | None:
    if not user or not user.get("username"):
        return None
    return profile_href(sb.faults, user["username"])


def profile_href(faults: Faults, username: str) -> str:
    """The top bar's Profile target (profile_link_wrong: someone else's), for every shape."""
    return "/profile/maya_builds" if faults.on("profile_link_wrong") else f"/profile/{username}"


def settings_href(faults: Faults) -> str:
    """The top bar's Settings target (settings_link_broken: a page that does not exist)."""
    return "/settngs" if faults.on("settings_link_broken") else "/settings"


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200, user=...):
    """Render a page; `user` defaults to whoever is signed in."""
    if user is ...:
        user = current_user(request)
    sb = sandbox_of(request)
    ctx = {
        "user": user,
        "page_config": page_config(request, user),
        "settings_href": settings_href(sb.faults),
        "profile_href": _profile_href(sb, user),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)

"""The launched app's pages, rendered on the server with the data its components show.

Auth redirects for signed-out visitors of /dashboard, /browse, /profile and /s/ happen in
proxy.py before these run; the (dashboard) layout's own checks (no user, or no profile ->
/login, 307 like Next's redirect()) cover the pages proxy.ts leaves out, such as /settings.
"""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from kulti_sandbox.kulti.pages import landing_faults, not_found_faults, settings_account
from kulti_sandbox.kulti.profiles import shown_fields
from kulti_sandbox.kulti.render import profile_href, settings_href
from kulti_sandbox.shapes.kulti_2025_11.auth_cookie import signed_in
from kulti_sandbox.shapes.kulti_2025_11.sessions import browse_sessions
from kulti_sandbox.state import sandbox_of

templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))


def page_config(request: Request, profile: dict | None) -> dict:
    sb = sandbox_of(request)
    cfg = sb.config
    user = {"id": profile["id"], "username": profile["username"]} if profile else None
    return {
        "supabase": {"url": cfg.supabase_url, "anonKey": cfg.credentials.supabase_key("anon")},
        "user": user,
        # instrumentation-client.ts: tunnelRoute "/monitoring", sendDefaultPii, and no Sentry.setUser
        # anywhere (docs/apps/kulti-2025-11.md §10).
        "sentry": {"dsn": cfg.sentry_dsn, "environment": cfg.environment, "release": cfg.version,
                   "tunnel": "/monitoring", "sendUser": False, "sendDefaultPii": True},
        "faults": sb.faults.client_flags(),
        "camera_fps": cfg.camera_fps,
        "camera_size": cfg.camera_size,
    }


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200,
           profile: dict | None = None) -> Response:
    faults = sandbox_of(request).faults
    nav_links = {"profile": profile_href(faults, profile["username"]), "settings": settings_href(faults)} if profile else {}
    ctx = {"page_config": page_config(request, profile), "profile": profile, "nav_links": nav_links, **(context or {})}
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)


def layout_profile(request: Request) -> dict:
    """The (dashboard) layout: a signed-in user with a profile, or a redirect to /login."""
    user = signed_in(request)
    if user is None or user["profile"] is None:
        raise LoginRedirect()
    return user["profile"]


class LoginRedirect(Exception):
    pass


async def landing(request: Request) -> Response:
    landed = landing_faults(sandbox_of(request).faults)
    return render(request, "landing.html", {"landed": landed}, status_code=landed["status"])


async def login(request: Request) -> Response:
    return render(request, "login.html")


async def signup(request: Request) -> Response:
    return render(request, "signup.html", {"invite": request.query_params.get("invite", "")})


async def dashboard(request: Request) -> Response:
    """A client page in the real app: the server sends the shell, the browser fetches "Live Now"
    from PostgREST (static/live-now.js)."""
    faults = sandbox_of(request).faults
    return render(request, "dashboard.html", {
        "create_dialog_broken": faults.on("create_dialog_broken"),
        "title_maxlength": 20 if faults.on("session_title_truncated") else None,
    }, profile=layout_profile(request))


async def browse(request: Request) -> Response:
    profile = layout_profile(request)
    sb = sandbox_of(request)
    sessions = browse_sessions(sb.db)
    if sb.faults.on("session_hidden_from_list"):  # others' sessions are missing
        sessions = [s for s in sessions if s["host_id"] == profile["id"]]
    return render(request, "browse.html", {"sessions": sessions}, profile=profile)


async def profile_page(request: Request) -> Response:
    profile = layout_profile(request)
    sb = sandbox_of(request)
    if sb.faults.on("profile_page_error"):
        return Response("Internal Server Error", 500, media_type="text/plain")
    shown = sb.db.query_one("SELECT * FROM profiles WHERE username = ?", (request.path_params["username"],))
    if shown is None:
        raise HTTPException(404)
    others = shown["id"] != profile["id"]
    if others and sb.faults.on("profile_others_page_error"):
        return Response("Internal Server Error", 500, media_type="text/plain")
    if sb.faults.on("profile_name_wrong"):
        shown = {**shown, "display_name": sb.db.query_one(
            "SELECT display_name FROM profiles WHERE username = 'maya_builds'")["display_name"]}
    if others and sb.faults.on("profile_others_name_wrong"):
        shown = {**shown, "display_name": profile["display_name"]}
    leaked_phone = None
    if others and sb.faults.on("profile_phone_leak"):
        leaked_phone = "+" + sb.db.query_one("SELECT phone FROM auth_users WHERE id = ?", (shown["id"],))["phone"]
    return render(request, "profile.html", {"shown": shown, "leaked_phone": leaked_phone,
                                            "edit_button": not others or
                                            sb.faults.on("profile_edit_button_on_others"),
                                            **shown_fields(sb, shown)}, profile=profile)


async def settings(request: Request) -> Response:
    profile = layout_profile(request)
    return render(request, "settings.html", {"account": settings_account(sandbox_of(request), profile)}, profile=profile)


async def room(request: Request) -> Response:
    """app/s/[roomCode]: any signed-in user (proxy.py sent the others to /login); an unknown
    code goes back to /dashboard (Next's redirect(), 307)."""
    user = signed_in(request)
    session = sandbox_of(request).db.query_one(
        """SELECT s.*, p.display_name AS host_display_name FROM sessions s JOIN profiles p ON p.id = s.host_id
           WHERE s.room_code = ?""", (request.path_params["room_code"],))
    turned_away = sandbox_of(request).faults.on("room_turns_guests_away") and session and \
        session["host_id"] != user["profile"]["id"]
    if session is None or turned_away:
        return RedirectResponse("/dashboard", status_code=307)
    room_data = {"session_id": session["id"], "hms_room_id": session["hms_room_id"], "room_code": session["room_code"]}
    return render(request, "room.html", {"session": session, "room_data": room_data}, profile=user["profile"])


async def not_found(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        return Response("Not Found", 404)  # route handlers have no page; Next answers its 404 text
    user = signed_in(request)
    faults = sandbox_of(request).faults
    return render(request, "not_found.html", not_found_faults(faults),
                  status_code=200 if faults.on("soft_404") else 404, profile=user and user["profile"])


async def to_login(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=307)


routes = [
    Route("/", landing),
    Route("/login", login),
    Route("/signup", signup),
    Route("/dashboard", dashboard),
    Route("/browse", browse),
    Route("/profile/{username}", profile_page),
    Route("/settings", settings),
    Route("/s/{room_code}", room),
]

exception_handlers = {404: not_found, LoginRedirect: to_login}

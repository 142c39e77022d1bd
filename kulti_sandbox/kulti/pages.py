"""The public pages, sign-up/log-in pages, onboarding, settings, and the 404 page."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route

from kulti_sandbox.db import dumps, now_iso
from kulti_sandbox.kulti.api_errors import ApiError, api, json_object, text_field
from kulti_sandbox.kulti.current_user import current_user
from kulti_sandbox.kulti.render import render
from kulti_sandbox.faults import Faults
from kulti_sandbox.state import sandbox_of

USERNAME = re.compile(r"^[a-z0-9_]{3,20}$")


def landing_faults(faults: Faults) -> dict:
    """What the T1/T2 landing faults change, for every shape's landing page: the sign-up and
    log-in targets, whether an image or a link points at nothing, and the HTTP status."""
    swapped = faults.on("landing_links_swapped")
    return {
        "signup_href": "/login" if swapped else "/signup",
        "login_href": "/signup" if swapped else "/login",
        "broken_image": faults.on("broken_image"),
        "broken_link": faults.on("broken_link"),
        "status": int(faults.value("home_page_status") or 200),
    }


async def landing(request: Request):
    landed = landing_faults(sandbox_of(request).faults)
    return render(request, "landing.html", {
        "hero_src": "/static/hero-missing.svg" if landed["broken_image"] else "/static/hero.svg",
        "extra_link": ("/pricing", "Pricing") if landed["broken_link"] else ("/about", "About"),
        "signup_href": landed["signup_href"], "login_href": landed["login_href"],
    }, status_code=landed["status"])


async def about(request: Request):
    return render(request, "about.html")


def _auth_page(mode: str):
    async def page(request: Request):
        user = current_user(request)
        if user is not None:
            return RedirectResponse("/dashboard" if user.get("username") else "/onboarding", status_code=303)
        code_length = 5 if sandbox_of(request).faults.on("code_input_truncated") else 6
        return render(request, "auth.html", {"mode": mode, "next": _safe_next(request), "code_maxlength": code_length},
                      user=None)

    page.__name__ = f"{mode}_page"
    return page


def _safe_next(request: Request) -> str:
    nxt = request.query_params.get("next", "")
    return nxt if nxt.startswith("/") and not nxt.startswith("//") else ""


async def onboarding(request: Request):
    user = current_user(request)
    if user is None:
        return RedirectResponse("/signup", status_code=303)
    if user.get("username"):
        return RedirectResponse("/dashboard", status_code=303)
    return render(request, "onboarding.html", user=None)


@api
async def complete_onboarding(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    user = current_user(request)
    if user is None:
        raise ApiError(401, "Sign in first")
    if user.get("username"):
        raise ApiError(409, "Your profile is already set up")
    body = await json_object(request)
    username = text_field(body, "username", max_len=20, label="Username").lower()
    if not USERNAME.match(username):
        raise ApiError(422, "Username: 3-20 characters, lowercase letters, digits or _", "username")
    display_name = text_field(body, "display_name", min_len=1, max_len=50, label="Display name")
    if sb.db.query_one("SELECT 1 FROM profiles WHERE username = ?", (username,)):
        raise ApiError(409, "That username is taken", "username")
    if sb.faults.on("onboarding_stuck"):
        # Success with nothing stored: the page goes back to an empty onboarding form, no error shown.
        return JSONResponse({"redirect": "/onboarding"}, status_code=201)
    ts = now_iso()
    sb.db.insert("profiles", {"id": user["user_id"], "username": username,
                              "display_name": onboarding_display_name(sb, username, display_name),
                              "social_links": dumps({"github": "", "twitter": "", "website": ""}),
                              "created_at": ts, "updated_at": ts})
    return JSONResponse({"redirect": "/dashboard"}, status_code=201)


def onboarding_display_name(sb, username: str, display_name: str) -> str:
    """profile_field_dropped: the display name entered at onboarding is not stored; the profile is given the
    username as its display name, as a server that drops the field and defaults it would (every shape)."""
    return username if sb.faults.on("profile_field_dropped") else display_name


async def settings(request: Request):
    user = current_user(request)
    if user is None or not user.get("username"):
        return RedirectResponse("/login?next=/settings", status_code=303)
    return render(request, "settings.html", {"account": settings_account(sandbox_of(request), user)}, user=user)


def settings_account(sb, profile: dict) -> dict:
    """settings_other_user: the settings page shows maya_builds' username and display name, for every shape."""
    if not sb.faults.on("settings_other_user"):
        return profile
    other = sb.db.query_one("SELECT username, display_name FROM profiles WHERE username = 'maya_builds'")
    return {**profile, "username": other["username"], "display_name": other["display_name"]}


def not_found_faults(faults) -> dict:
    """What the T12 faults change on the 404 page, for both shapes' templates."""
    return {"no_links": faults.on("not_found_no_links"), "unclear": faults.on("not_found_unclear"),
            "link_broken": faults.on("not_found_link_broken")}


async def not_found(request: Request, exc: HTTPException):
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "Not found"}, status_code=404)
    if request.url.path.startswith("/static/"):
        return PlainTextResponse("Not found", status_code=404)
    faults = sandbox_of(request).faults
    return render(request, "404.html", {"path": request.url.path, **not_found_faults(faults)},
                  status_code=200 if faults.on("soft_404") else 404)


async def http_error(request: Request, exc: HTTPException):
    if exc.status_code == 404:
        return await not_found(request, exc)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
    return render(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                  status_code=exc.status_code)


routes = [
    Route("/", landing),
    Route("/about", about),
    Route("/signup", _auth_page("signup")),
    Route("/login", _auth_page("login")),
    Route("/onboarding", onboarding),
    Route("/api/onboarding", complete_onboarding, methods=["POST"]),
    Route("/settings", settings),
]

exception_handlers = {HTTPException: http_error, 404: not_found}

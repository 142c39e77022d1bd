"""Loopback-only control of the running sandbox: faults and a database snapshot."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from kulti_sandbox.faults import BY_NAME, UnknownFault
from kulti_sandbox.state import sandbox_of

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def _refuse_remote(request: Request) -> JSONResponse | None:
    if request.client is None or request.client.host not in LOOPBACK:
        return JSONResponse({"error": "the sandbox admin API answers loopback only"}, status_code=403)
    return None


def _fault_list(request: Request) -> dict:
    active = sandbox_of(request).faults.active()
    return {
        "active": active,
        "available": [
            {"name": s.name, "test": s.test, "description": s.description, "default": s.default}
            for s in BY_NAME.values()
        ],
    }


async def faults(request: Request) -> JSONResponse:
    if refused := _refuse_remote(request):
        return refused
    sb = sandbox_of(request)
    if request.method == "GET":
        return JSONResponse(_fault_list(request))
    if request.method == "DELETE":
        sb.faults.clear()
        return JSONResponse(_fault_list(request))
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"error": 'body must be JSON: {"name": "...", "value": "..."}'}, status_code=400)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str):
        return JSONResponse({"error": 'body must be JSON: {"name": "...", "value": "..."}'}, status_code=400)
    value = body.get("value")
    try:
        sb.faults.set(body["name"], None if value is None else str(value))
    except UnknownFault as exc:
        return JSONResponse({"error": str(exc)}, status_code=404)
    return JSONResponse(_fault_list(request))


async def fault_one(request: Request) -> JSONResponse:
    if refused := _refuse_remote(request):
        return refused
    name = request.path_params["name"]
    if name not in BY_NAME:
        return JSONResponse({"error": f"unknown fault {name!r}"}, status_code=404)
    sandbox_of(request).faults.clear(name)
    return JSONResponse(_fault_list(request))


async def db_counts(request: Request) -> JSONResponse:
    if refused := _refuse_remote(request):
        return refused
    return JSONResponse(sandbox_of(request).db.counts())


routes = [
    Route("/faults", faults, methods=["GET", "POST", "PUT", "DELETE"]),
    Route("/faults/{name}", fault_one, methods=["DELETE"]),
    Route("/db/counts", db_counts, methods=["GET"]),
]

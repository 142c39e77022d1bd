"""The Kulti API's error shape and JSON body parsing: every bad input gets a clear 4xx."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.field, self.headers = status, message, field, headers or {}

    def response(self) -> JSONResponse:
        body = {"error": self.message}
        if self.field:
            body["field"] = self.field
        return JSONResponse(body, status_code=self.status, headers=self.headers)


async def json_object(request: Request) -> dict:
    """The request body as a JSON object, or a 400 that says what was wrong."""
    if "application/json" not in request.headers.get("content-type", ""):
        raise ApiError(415, "Send the request body as JSON (Content-Type: application/json)")
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "The request body is not valid JSON")
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object")
    return body


def text_field(body: dict, name: str, *, min_len: int = 0, max_len: int, label: str, required: bool = True) -> str:
    value = body.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ApiError(422, f"{label} must be text", name)
    value = value.strip()
    if required and not value:
        raise ApiError(422, f"{label} is required", name)
    if value and len(value) < min_len:
        raise ApiError(422, f"{label} must be at least {min_len} characters", name)
    if len(value) > max_len:
        raise ApiError(422, f"{label} must be at most {max_len} characters", name)
    return value


def api(handler):
    """Turn ApiError raised anywhere in a handler into its JSON response."""

    async def wrapped(request: Request):
        try:
            return await handler(request)
        except ApiError as exc:
            return exc.response()

    wrapped.__name__ = handler.__name__
    return wrapped


def require_user(request: Request) -> dict:
    from kulti_sandbox.kulti.current_user import current_user

    user = current_user(request)
    if user is None or not user.get("username"):
        raise ApiError(401, "Sign in first")
    return user

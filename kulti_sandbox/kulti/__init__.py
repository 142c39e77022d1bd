"""The Kulti stand-in app: pages, JSON API and the session room WebSocket."""

from kulti_sandbox.kulti.routes import exception_handlers, routes

__all__ = ["routes", "exception_handlers"]

"""Emulation stub: replaced by the real module."""

routes = []

"""Part C steps 6 and 7's judgements: Cache-Control read as a cache reads it, the landing page's own
assets found in its HTML, and each security header's severity (SECURITY only for a real exposure)."""

from __future__ import annotations

import httpx
import pytest

from fixtures.budgets import load_budgets
from fixtures.deployment.assets import static_assets
from fixtures.deployment.cache_control import CacheControl
from fixtures.deployment.security_headers import (CSP, FRAME_OPTIONS, HSTS, NOSNIFF, Answer, check_header)
from fixtures.severity import PART_BROKEN, SECURITY

YEAR = load_budgets()["c.hsts_max_age"].min
STATIC_FLOOR = load_budgets()["c.static_max_age"].min
GOOD = {HSTS: "max-age=31536000; includeSubDomains", FRAME_OPTIONS: "DENY", NOSNIFF: "nosniff",
        CSP: "default-src 'self'; frame-ancestors 'none'"}


def answers(**changed) -> list[Answer]:
    """A page and an API answer; `changed` (name with _ for -) replaces or, given None, drops a header."""
    headers = dict(GOOD)
    for name, value in changed.items():
        name = name.replace("_", "-")
        if value is None:
            headers.pop(name)
        else:
            headers[name] = value
    return [Answer("GET /", httpx.Headers(headers)), Answer("GET /api/health", httpx.Headers(headers))]


@pytest.mark.parametrize("header", [HSTS, FRAME_OPTIONS, NOSNIFF, CSP])
def test_the_runbook_headers_pass(header):
    check = check_header(header, answers(), YEAR)
    assert check.ok and check.impact is None and "on the pages and the API" in check.expected


@pytest.mark.parametrize("value, impact", [
    (None, SECURITY), ("max-age=0", SECURITY), ("includeSubDomains", SECURITY), ("max-age=abc", SECURITY),
    ("max-age=86400; includeSubDomains", PART_BROKEN), ("max-age=63072000; includeSubDomains; preload", None),
    ('max-age="31536000"', None)])
def test_hsts_off_is_an_exposure_and_short_is_a_departure(value, impact):
    check = check_header(HSTS, answers(Strict_Transport_Security=value), YEAR)
    assert check.impact == impact and check.ok is (impact is None)
    if impact:
        assert check.measured.startswith("GET /: ") and "GET /api/health: " in check.measured


@pytest.mark.parametrize("xfo, csp, impact", [
    ("SAMEORIGIN", None, PART_BROKEN),  # the launched app: only its own pages may frame it
    (None, "frame-ancestors 'none'", PART_BROKEN),  # CSP still forbids framing
    ("ALLOWALL", "frame-ancestors 'self'", PART_BROKEN),
    ("ALLOWALL", None, SECURITY), (None, None, SECURITY), (None, "frame-ancestors *", SECURITY),
    (None, "default-src 'self'", SECURITY), ("deny", None, None)])
def test_frame_options_is_an_exposure_only_when_nothing_forbids_framing(xfo, csp, impact):
    check = check_header(FRAME_OPTIONS, answers(X_Frame_Options=xfo, Content_Security_Policy=csp), YEAR)
    assert check.impact == impact


def test_the_worst_answer_decides_the_severity_and_every_answer_is_listed():
    mixed = [Answer("GET /", httpx.Headers({FRAME_OPTIONS: "SAMEORIGIN"})),
             Answer("GET /api/x", httpx.Headers({}))]
    check = check_header(FRAME_OPTIONS, mixed, YEAR)
    assert check.impact == SECURITY
    assert check.measured == "GET /: SAMEORIGIN; GET /api/x: missing (and no CSP frame-ancestors: any site can frame it)"


@pytest.mark.parametrize("value, ok", [("nosniff", True), ("NoSniff ", True), (None, False), ("sniff", False)])
def test_nosniff_missing_is_a_departure(value, ok):
    check = check_header(NOSNIFF, answers(X_Content_Type_Options=value), YEAR)
    assert check.ok is ok and check.impact == (None if ok else PART_BROKEN)


@pytest.mark.parametrize("value, ok", [("default-src 'self'", True), (None, False), ("", False), ("  ", False)])
def test_csp_missing_is_a_departure(value, ok):
    check = check_header(CSP, answers(Content_Security_Policy=value), YEAR)
    assert check.ok is ok and check.impact == (None if ok else PART_BROKEN)


@pytest.mark.parametrize("header, cached", [
    ("public, max-age=31536000, immutable", True), ("max-age=31536000", True), ("max-age=86400", False),
    ("private, max-age=31536000", False), ("no-store", False), ("public, max-age=31536000, no-cache", False),
    (None, False), ("immutable", False), ("max-age=forever", False)])
def test_a_static_asset_is_cached_for_a_year_at_the_cdn(header, cached):
    assert CacheControl.parse(header).cached_at_the_cdn_for(STATIC_FLOOR) is cached


@pytest.mark.parametrize("header, reusable", [
    ("no-store, max-age=0", False), ("private, no-cache, no-store, max-age=0, must-revalidate", False),
    (None, False), ("public, max-age=600", True), ("s-maxage=60", True), ("private, max-age=60", True),
    ("public", True), ("public, no-cache", False), ("max-age=0, s-maxage=0", False)])
def test_an_api_answer_is_cached_when_a_cache_may_hand_it_out_unasked(header, reusable):
    assert CacheControl.parse(header).reusable_without_asking is reusable


def test_the_landing_pages_own_scripts_and_stylesheets_are_found_once_in_order():
    html = """<html><head><link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/_next/static/a.css">
      <link rel="preconnect" href="https://fonts.example"><link rel="Stylesheet" href="https://cdn.example/x.css">
      <script src="/_next/static/chunks/main.js"></script><script>inline()</script>
      <script src="chunks/rel.js"></script><script src="/_next/static/chunks/main.js"></script></head>
      <body><img src="/hero.svg"></body></html>"""
    assert static_assets(html, "https://kulti.example/") == [
        "https://kulti.example/_next/static/a.css", "https://kulti.example/_next/static/chunks/main.js",
        "https://kulti.example/chunks/rel.js"]

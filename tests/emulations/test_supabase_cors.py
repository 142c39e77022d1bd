"""supabase-js calls Supabase from the app's pages, on the app's own origin: the gateway must
answer the browser's CORS preflight and mark every answer readable from any origin."""

from __future__ import annotations

import httpx

APP_ORIGIN = "http://localhost:3901"


def test_a_preflight_from_the_apps_origin_is_allowed(sandbox):
    r = httpx.options(f"{sandbox.env['SUPABASE_URL']}/auth/v1/otp", headers={
        "Origin": APP_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "apikey, authorization, content-type, x-client-info, x-supabase-api-version"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] in ("*", APP_ORIGIN)
    allowed = r.headers["access-control-allow-headers"].lower()
    assert all(h in allowed for h in ("apikey", "authorization", "x-supabase-api-version"))


def test_answers_carry_the_allow_origin_header_and_expose_the_row_count(sandbox):
    key = sandbox.env["SUPABASE_ANON_KEY"]
    r = httpx.get(f"{sandbox.env['SUPABASE_URL']}/rest/v1/sessions", params={"select": "id"},
                  headers={"Origin": APP_ORIGIN, "apikey": key, "Authorization": f"Bearer {key}", "Prefer": "count=exact"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] in ("*", APP_ORIGIN)
    assert "content-range" in r.headers["access-control-expose-headers"].lower()

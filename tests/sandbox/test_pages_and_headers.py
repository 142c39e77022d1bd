"""Runbook Part C on the sandbox: health, security and cache headers, a real 404."""

from __future__ import annotations

import re
import time

import httpx
import pytest

from kulti_sandbox.security import SECURITY_HEADERS

PAGES = ["/", "/signup", "/login", "/sessions", "/about", "/api/health", "/static/app.css", "/does-not-exist"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(sandbox, path):
    r = httpx.get(sandbox.url + path)
    for name in SECURITY_HEADERS:
        assert name in r.headers, f"{path} lacks {name}"
    assert r.headers["X-Frame-Options"] == "DENY" and r.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in r.headers["Strict-Transport-Security"]


def test_static_assets_are_cached_and_the_api_is_not(sandbox):
    assert "max-age=31536000" in httpx.get(sandbox.url + "/static/app.css").headers["Cache-Control"]
    assert "no-store" in httpx.get(sandbox.url + "/api/health").headers["Cache-Control"]


def test_health_reports_status_environment_version_timestamp_and_services(sandbox):
    body = httpx.get(sandbox.url + "/api/health").json()
    assert body["status"] == "ok" and body["environment"] == "sandbox" and body["version"] == "1.0.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["timestamp"])
    assert {k: v["status"] for k, v in body["services"].items()} == {"database": "ok", "sms": "ok", "video": "ok"}


def test_unknown_page_is_a_real_404_with_navigation(sandbox):
    r = httpx.get(sandbox.url + "/invalid-page")
    assert r.status_code == 404
    assert 'data-testid="not-found-home-link"' in r.text and 'data-testid="not-found-sessions-link"' in r.text


def test_landing_page_links_and_images_all_resolve(sandbox):
    html = httpx.get(sandbox.url + "/").text
    targets = set(re.findall(r'(?:href|src)="(/[^"]*)"', html))
    assert "/signup" in targets and "/login" in targets
    for target in targets:
        assert httpx.get(sandbox.url + target).status_code == 200, target


def test_the_admin_api_refuses_unknown_faults_and_bad_bodies(sandbox):
    assert httpx.post(sandbox.url + "/__sandbox/faults", json={"name": "no_such_fault"}).status_code == 404
    assert httpx.post(sandbox.url + "/__sandbox/faults", content=b"{").status_code == 400


def test_a_kept_alive_connection_gets_whole_answers_at_once(sandbox):
    """TCP_NODELAY on the server's connections: without it the last chunk of every answer on a
    reused connection waited for the client's delayed ACK, ~40 ms a request (browsers reuse)."""
    with httpx.Client(base_url=sandbox.url) as client:
        client.get("/static/app.css")
        times = []
        for _ in range(7):
            started = time.perf_counter()
            client.get("/static/app.css")
            times.append(time.perf_counter() - started)
    # The fastest of seven: the delayed ACK costs every request its ~40 ms, a busy machine only some
    # (a median of 25 ms was missed once with four workers on two cores).
    assert min(times) < 0.025, times

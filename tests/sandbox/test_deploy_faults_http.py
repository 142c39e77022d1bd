"""Part C's faults over HTTP on both shapes: wrong header values, several headers dropped, static
assets not cached, the API cached, and a health route that errors or leaves a field out."""

from __future__ import annotations

import httpx
import pytest


RUNBOOK_ASSET, KULTI_ASSET = "/static/app.css", "/_kulti/static/kulti.css"


@pytest.fixture
def shapes(sandbox, kulti):
    return {"runbook": sandbox, "kulti-2025-11": kulti}


@pytest.mark.parametrize("shape", ["runbook", "kulti-2025-11"])
def test_header_value_replaces_one_header_on_pages_and_api(shapes, shape):
    sb = shapes[shape]
    sb.set_fault("header_value", "X-Frame-Options:ALLOWALL")
    for path in ("/", "/api/health"):
        headers = httpx.get(sb.url + path).headers
        assert headers["X-Frame-Options"] == "ALLOWALL" and headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("shape", ["runbook", "kulti-2025-11"])
def test_missing_header_drops_a_comma_separated_list(shapes, shape):
    sb = shapes[shape]
    sb.set_fault("missing_header", "X-Frame-Options,Strict-Transport-Security")
    headers = httpx.get(sb.url + "/").headers
    assert "X-Frame-Options" not in headers and "Strict-Transport-Security" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("shape, asset", [("runbook", RUNBOOK_ASSET), ("kulti-2025-11", KULTI_ASSET)])
def test_static_not_cached_leaves_pages_and_api_alone(shapes, shape, asset):
    sb = shapes[shape]
    before = httpx.get(sb.url + asset).headers["Cache-Control"]
    assert "max-age=31536000" in before and "immutable" in before
    sb.set_fault("static_not_cached")
    assert httpx.get(sb.url + asset).headers["Cache-Control"] == "no-store"
    assert "max-age=31536000" not in httpx.get(sb.url + "/").headers["Cache-Control"]


def test_api_cached_on_the_launched_shape_only_touches_the_api(kulti):
    probe = {"code": "SMOKE-NO-SUCH-CODE"}
    assert "no-store" in httpx.post(kulti.url + "/api/invites/validate", json=probe).headers["Cache-Control"]
    kulti.set_fault("api_cached")
    try:
        r = httpx.post(kulti.url + "/api/invites/validate", json=probe)
        assert r.status_code == 200 and r.headers["Cache-Control"].startswith("public, max-age=")
        assert "no-store" in httpx.get(kulti.url + "/").headers["Cache-Control"]
    finally:
        kulti.clear_faults()


def test_health_status_answers_an_error_without_json(sandbox):
    sandbox.set_fault("health_status", "500")
    r = httpx.get(sandbox.url + "/api/health")
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize("field", ["environment", "version", "services"])
def test_health_missing_field_leaves_out_only_that_field(sandbox, field):
    sandbox.set_fault("health_missing_field", field)
    body = httpx.get(sandbox.url + "/api/health").json()
    assert field not in body and body["status"] == "ok" and len(body) == 4

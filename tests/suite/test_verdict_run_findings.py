"""The run-level findings without a browser: the API error rate over every test's calls (5xx only, rated by
the incident plan, Part E's trigger past 20 %), the health check before the run, and the console errors the
allow-list suppressed listed in the summary."""

from __future__ import annotations

import pytest

from fixtures.api_calls import p95, timed_seconds
from fixtures.verdict import decide, render_markdown, render_text
from tests.suite.test_verdict_model import result

OK = {"status": "ok", "services": {"database": {"status": "ok"}}}


def calls(n: int, status: int = 200, seconds: float = 0.1, path: str = "/api/dashboard") -> list[dict]:
    return [{"who": "host", "method": "GET", "path": path, "status": status, "seconds": seconds}] * n


def run_of(*results_calls: tuple[str, list[dict]], health=(200, OK), selected=None):
    results = []
    for rid, made in results_calls:
        r = result(rid)
        r["api_calls"] = made
        results.append(r)
    return decide(results, "http://app", "1.0", "run", 0.0, 1.0, selected=selected or {r["id"] for r in results},
                  health=health)


@pytest.mark.parametrize("server_errors, severity, go, trigger", [
    (0, None, True, None),
    (1, "P3", True, None),  # 1 of 100: past 0.5 %, below the plan's 2 %
    (5, "P2", True, None),
    (15, "P1", False, "Escalated, if sustained: 'Error rate sustained > 10% for 15 minutes'"),
    (25, "P0", False, "Immediate: 'Error rate > 20%'"),
])
def test_the_api_error_rate_is_rated_by_the_incident_plan_and_fires_part_e_past_20_percent(
        server_errors, severity, go, trigger):
    v = run_of(("T4", calls(100 - server_errors) + calls(server_errors, 500)))
    failures = [f for f in v.failures if f.test == "B"]
    assert v.go is go and [f.severity for f in failures] == ([severity] if severity else [])
    assert (trigger in v.rollback) if trigger else not any("Error rate" in t for t in v.rollback)


def test_4xx_answers_are_counted_and_not_rated():
    v = run_of(("T12", calls(50) + calls(50, 404)))
    assert v.go and v.api["client_errors"] == 50 and v.api["error_rate_pct"] == 0
    assert "API error rate: 0% (0 5xx of 100; 50 4xx, not rated)" in render_text(v)


def test_the_run_reports_p95_max_and_slowest_endpoints_per_run_and_per_test():
    v = run_of(("T4", calls(19, seconds=0.1) + calls(1, seconds=0.9, path="/api/slow")), ("T5", calls(2, seconds=0.2)))
    assert v.api["p95_s"] == 0.2 and v.api["max_s"] == 0.9 and v.api["slowest"][0]["endpoint"] == "GET /api/slow"
    assert v.api["per_test"]["T4"]["calls"] == 20 and v.api["per_test"]["T5"]["max_s"] == 0.2
    md = render_markdown(v)
    assert "## API calls" in md and "| T4 | 20 | 0.100 s | 0.900 s | 0 | 0 |" in md


@pytest.mark.parametrize("health, finding", [
    ((200, OK), False),
    ((503, {"status": "degraded", "services": {"database": {"status": "down", "error": "gone"}}}), True),
    ((500, {}), True),
    ((None, {}), False),  # the app has no health route (its profile says so)
])
def test_the_health_check_before_the_run_is_a_finding_when_not_ok(health, finding):
    v = run_of(("T1", []), health=health)
    found = [f for f in v.failures if f.step == "before the run: GET /api/health"]
    assert bool(found) is finding and v.go is not finding
    if finding:
        assert found[0].severity == "P1" and f"HTTP {health[0]}" in found[0].measured


def test_the_health_finding_is_left_to_part_c_when_it_runs():
    v = run_of(("C", []), ("T1", []), health=(503, {"status": "degraded"}))
    assert not [f for f in v.failures if f.step == "before the run: GET /api/health"]


def test_suppressed_console_errors_are_listed_in_every_output():
    r = result("T1")
    r["console_suppressed"] = ["[visitor] console.error: ResizeObserver loop ()"] * 2
    v = decide([r], "http://app", "1.0", "run", 0.0, 1.0, selected={"T1"})
    assert v.go and v.console_suppressed == [{"test": "T1", "message": r["console_suppressed"][0], "count": 2}]
    assert "## Console errors suppressed" in render_markdown(v) and "(2x) [visitor]" in render_text(v)
    assert v.as_dict()["console_suppressed"][0]["count"] == 2


@pytest.mark.parametrize("end", [-1, float("nan"), None])
def test_a_call_without_a_response_end_is_a_measurement_error(end):
    with pytest.raises(RuntimeError, match="measurement error"):
        timed_seconds({"responseEnd": end}, "GET /api/x")


def test_p95_is_the_nearest_rank():
    assert p95([0.1] * 19 + [0.9]) == 0.1 and p95([0.1] * 18 + [0.9] * 2) == 0.9 and p95([0.3]) == 0.3

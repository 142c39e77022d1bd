"""Part B T+15 on both shapes: "API calls: <1s" is held per test against the pages' own API calls timed in
the browser; "API error rate: <0.5%" is judged over the run, rated by the incident plan and, past 20%, Part
E's immediate trigger. And the run-level findings: /api/health unwell before the run.
"""

from __future__ import annotations

import re

import pytest

from tests.suite.fault_rows import FaultRow, assert_fault_fails_check
from tests.suite.suite_run import run_against

pytestmark = pytest.mark.browser

KULTI = "kulti-2025-11"
SHAPES = {"runbook": {}, KULTI: {"shape": KULTI, "profile": KULTI}}
# The test on each shape whose flow makes API calls of its own: the runbook shape's dashboard reads
# /api/dashboard; the launched app's dashboard reads PostgREST, its session creation /api/sessions/create.
API_TEST = {"runbook": ("dashboard and not logout", "T4"), KULTI: ("session_creation", "T5")}


@pytest.mark.parametrize("shape", SHAPES)
def test_a_slow_api_fails_the_api_call_budget(start_sandbox, shape):
    selection, test_id = API_TEST[shape]
    row = FaultRow("slow_api", "1100", selection, test_id, "budget", "API call (slowest of", severity="P2")
    assert_fault_fails_check(start_sandbox, row, **SHAPES[shape])


def _run(start_sandbox, shape: str, *fault: str, selection: str):
    kind = SHAPES[shape]
    sandbox = start_sandbox(*(("--shape", kind["shape"]) if kind else ()), "--fault", "=".join(fault))
    return run_against(sandbox, "-m", "critical", "-k", selection, "-n", "0", "--smoke-no-html",
                       *(("--app-profile", kind["profile"]) if kind else ()), alone=False)


@pytest.mark.parametrize("shape", SHAPES)
def test_half_the_api_calls_failing_fires_part_e_error_rate_trigger(start_sandbox, shape):
    run = _run(start_sandbox, shape, "api_errors", "50", selection=API_TEST[shape][0])
    verdict = run.verdict
    assert run.exit_code != 0 and verdict["verdict"] == "NO-GO", run.output[-3000:]
    [rate] = run.failures_of("B")
    assert rate["expected"].startswith("API error rate: <0.5%") and rate["severity"] == "P0", rate
    assert rate["rollback_trigger"] == "Immediate: 'Error rate > 20%'"
    assert verdict["api"]["server_errors"] >= 1 and verdict["api"]["error_rate_pct"] > 20
    assert re.search(r"Part E rollback triggers matched: .*Immediate: 'Error rate > 20%'", run.output)


def test_an_unhealthy_health_check_before_the_run_is_a_no_go_finding(start_sandbox):
    # The launched app has no /api/health (its profile lists it as absent): this row is the runbook shape's.
    sandbox = start_sandbox("--fault", "health_degraded=database")
    run = run_against(sandbox, "-m", "critical", "-k", "site_accessibility", "-n", "0", "--smoke-no-html",
                      alone=False)
    assert run.exit_code != 0 and run.verdict["verdict"] == "NO-GO", run.output[-3000:]
    [health] = run.failures_of("C")
    assert health["step"] == "before the run: GET /api/health" and health["severity"] == "P1"
    assert "HTTP 503" in health["measured"] and "database (down" in health["measured"]
    assert run.verdict["results"]["T1"] == "passed"


@pytest.mark.parametrize("shape", SHAPES)
def test_100ms_not_knowing_the_sessions_room_is_a_product_failure(start_sandbox, shape):
    # A 404 for the session's own room is the app's room wrong, not a service the suite could not read.
    row = FaultRow("hms_room_unknown", None, "join_session", "T6", "functional", "The session's room is known to 100ms",
                   severity="P0", measured="100ms answered 404")
    assert_fault_fails_check(start_sandbox, row, **SHAPES[shape])


# T1 "Layout renders correctly": what an unstyled or misplaced home page fails, with its severity.
LAYOUT_ROWS = [
    FaultRow("stylesheet_missing", None, "site_accessibility", "T1", "functional",
             "Layout renders correctly: the stylesheet applied", severity="P2"),
    FaultRow("landing_layout_broken", "below_fold", "site_accessibility", "T1", "functional",
             "Layout renders correctly: the hero shows in the first screen", severity="P3"),
    FaultRow("landing_layout_broken", "overflow", "site_accessibility", "T1", "functional",
             "Layout renders correctly: no horizontal scrolling", severity="P3"),
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("row", LAYOUT_ROWS, ids=[r.id for r in LAYOUT_ROWS])
def test_each_layout_check_fails_on_its_fault(start_sandbox, row, shape):
    assert_fault_fails_check(start_sandbox, row, **SHAPES[shape])


def test_external_links_are_listed_as_not_checked_with_their_count(start_sandbox):
    # The launched app's footer links to twitter.com and braintied.com: a closed network cannot follow them.
    sandbox = start_sandbox("--shape", KULTI)
    run = run_against(sandbox, "-m", "critical", "-k", "site_accessibility", "-n", "0", "--smoke-no-html",
                      "--app-profile", KULTI, alone=False)
    # Run beside other rows: its GO is not asserted (a page load budget may fail on a busy machine).
    [links] = [n for n in run.verdict["not_checked"] if n["expectation"].startswith("No broken links")]
    assert links["expectation"] == "No broken links: 2 external link(s)" and links["test"] == "T1"
    assert links["why"].startswith("not checked (closed network): https://twitter.com/kulti.club")

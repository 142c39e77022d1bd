"""Proof of the critical run: GO on a healthy sandbox, and for every critical assertion a sandbox
fault that breaks exactly it turns the verdict NO-GO, failing the right test with the right message.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.suite.critical_rows import RUNBOOK_ROWS
from tests.suite.fault_rows import assert_fault_fails_check, on_one_shape
from tests.suite.suite_run import run_expecting_go
from tests.suite.test_verdict_on_faults_kulti import ROWS as KULTI_ROWS
from tests.suite.test_verdict_on_faults_kulti_front_door import ROWS as KULTI_FRONT_DOOR_ROWS

pytestmark = pytest.mark.browser

SECRET_SETTINGS = ("TWILIO_AUTH_TOKEN", "SUPABASE_SERVICE_ROLE_KEY", "HMS_MANAGEMENT_TOKEN", "SENTRY_AUTH_TOKEN")


def test_a_healthy_sandbox_gets_go_with_every_measurement_within_budget(start_sandbox):
    sandbox = start_sandbox()
    run = run_expecting_go(sandbox, "-m", "critical")
    verdict = run.verdict
    assert run.exit_code == 0, run.output[-3000:]
    assert verdict["verdict"] == "GO" and verdict["failures"] == []
    assert [t for t, state in verdict["results"].items() if state == "passed"] == \
        ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9"]
    assert all(m["within"] for m in verdict["metrics"]) and len(verdict["metrics"]) >= 25
    assert "SMOKE TEST RESULTS" in run.output
    assert re.search(r"^GO( \(DEGRADED\))?: every critical test passed", run.output, re.M)  # DEGRADED on a busy machine
    assert (run.reports / "allure-report" / "index.html").exists()
    assert _sessions_tagged(sandbox, verdict["run_id"]) == [], "the run left its test session behind"
    for path in run.reports.rglob("*"):  # production safety: no secret in anything the run wrote
        if path.is_file():
            content = path.read_bytes()
            leaked = [name for name in SECRET_SETTINGS if sandbox.env[name].encode() in content]
            assert not leaked, f"{path} contains {leaked}"


def _sessions_tagged(sandbox, run_id: str) -> list[dict]:
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.get(f"{sandbox.env['SUPABASE_URL']}/rest/v1/sessions", params={"title": f"like.*[{run_id}]*"},
                  headers={"apikey": key, "Authorization": f"Bearer {key}"})
    r.raise_for_status()
    return r.json()


@pytest.mark.parametrize("row", on_one_shape(RUNBOOK_ROWS, "runbook", KULTI_ROWS + KULTI_FRONT_DOOR_ROWS))
def test_each_critical_check_fails_on_the_fault_that_breaks_it(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row)

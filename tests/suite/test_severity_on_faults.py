"""Severity per expectation, end to end: a cosmetic fault is a P3 finding that lets the flow go on
and matches no rollback trigger; two broken critical flows derive "Multiple critical features broken"."""

from __future__ import annotations

import json

import pytest

from tests.suite.suite_run import run_against

pytestmark = pytest.mark.browser


def test_a_cosmetic_fault_is_p3_the_flow_goes_on_and_no_rollback_is_triggered(start_sandbox):
    sandbox = start_sandbox("--fault", "chat_panel_left")
    run = run_against(sandbox, "-m", "critical", "-k", "chat_messaging", "-n", "0", "--smoke-no-html")
    verdict = run.verdict
    assert verdict["verdict"] == "NO-GO" and verdict["headline"].startswith("NO-GO (P3: "), run.output[-3000:]
    assert verdict["rollback"] == []
    assert [(f["severity"], f["expected"]) for f in verdict["failures"]] == [("P3", "Chat visible on right side")]
    t9 = _result_json(run, "T9")
    assert t9["steps"][-1] == "Database verification: messages stored"  # the flow was walked to its end


def test_two_broken_critical_flows_match_multiple_critical_features_broken(start_sandbox):
    sandbox = start_sandbox("--fault", "video_absent", "--fault", "chat_not_stored")
    run = run_against(sandbox, "-m", "critical", "-k", "video_streaming or chat_messaging", "-n", "0",
                      "--smoke-no-html")
    verdict = run.verdict
    assert verdict["headline"].startswith("NO-GO (P1: "), run.output[-3000:]
    assert "Escalated: 'Multiple critical features broken': T7, T9" in verdict["rollback"]
    assert "Escalated: 'Multiple critical features broken': T7, T9" in run.output


def _result_json(run, test_id: str) -> dict:
    """The runbook result of `test_id` as the Allure results carry it (its steps, in order)."""
    for path in (run.reports / "allure-results").glob("*-result.json"):
        data = json.loads(path.read_text())
        if any(label["name"] == "runbook" and label["value"] == test_id for label in data.get("labels", [])):
            return {"steps": [s["name"] for s in data.get("steps", [])]}
    raise AssertionError(f"no Allure result for {test_id}")


def test_a_page_slower_than_its_warn_level_but_within_budget_is_go_degraded(start_sandbox):
    # Home page budget < 3 s, warn at 2 s (budgets.toml t1.page_load): 2.3 s of delay lands between.
    sandbox = start_sandbox("--fault", "slow_page=2300")
    run = run_against(sandbox, "-m", "critical", "-k", "site_accessibility", "-n", "0", "--smoke-no-html")
    verdict = run.verdict
    assert run.exit_code == 0 and verdict["verdict"] == "GO", run.output[-3000:]
    assert verdict["headline"] == "GO (DEGRADED)"
    assert [m["metric"] for m in verdict["degraded"]] == ["t1.page_load"]
    assert "GO (DEGRADED): every selected critical test passed" in run.output
    assert "| Home page load |" in (run.reports / "summary.md").read_text()
    assert "DEGRADED" in _allure_tags(run, "T1")


def _allure_tags(run, test_id: str) -> list[str]:
    for path in (run.reports / "allure-results").glob("*-result.json"):
        data = json.loads(path.read_text())
        labels = data.get("labels", [])
        if any(label["name"] == "runbook" and label["value"] == test_id for label in labels):
            return [label["value"] for label in labels if label["name"] == "tag"]
    raise AssertionError(f"no Allure result for {test_id}")

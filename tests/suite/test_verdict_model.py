"""The verdict model without a browser: which tests decide, severity per finding, the derived Part E
trigger, the headline, and DEGRADED between pass and fail."""

from __future__ import annotations

import pytest

from fixtures.budgets import Budget, Measurement
from fixtures.severity import COSMETIC, FLOW_BROKEN, PART_BROKEN
from fixtures.verdict import decide, render_markdown, render_text


def finding(impact, expected="something", category="functional") -> dict:
    return {"category": category, "step": "1. step", "expected": expected, "measured": "not so",
            "severity": impact.severity, "severity_reason": impact.why, "rollback_trigger": impact.rollback}


def result(test: str, *findings: dict, metrics: list[dict] | None = None) -> dict:
    return {"id": test, "nodeid": f"smoke/{test}", "outcome": "failed" if findings else "passed",
            "category": findings[0]["category"] if findings else "passed", "step": "", "expected": "",
            "measured": "", "steps": [], "metrics": metrics or [], "duration_s": 1.0, "browser": "chromium",
            "not_in_app": [], "findings": list(findings)}


def verdict(results: list[dict], selected: set[str] | None = None):
    return decide(results, "http://app", "1.0", "run", 0.0, 1.0, selected=selected)


def test_tests_the_run_did_not_select_do_not_decide_and_are_shown_as_not_selected():
    v = verdict([result("T1"), result("T3")], selected={"T1", "T3"})
    assert v.go and v.results["T7"] == "not selected" and v.results["T8"] == "not selected"
    assert "every selected critical test passed (2 of 8 selected)" in v.reasons
    assert "· Test 7: Video Streaming - not selected" in render_text(v)


def test_a_selected_critical_test_that_did_not_run_is_no_go():
    v = verdict([result("T1")], selected={"T1", "T3"})
    assert not v.go and v.results["T3"] == "not run"


def test_an_important_test_failing_is_listed_but_never_turns_go_into_no_go():
    v = verdict([result("T1"), result("T8", finding(FLOW_BROKEN["T8"]))], selected={"T1", "T8"})
    assert v.go and v.results["T8"] == "failed" and v.failures[0].severity == "P1"
    assert "failed, not deciding GO: T8 Screen Sharing" in v.reasons


def test_a_cosmetic_finding_is_reported_as_p3_with_no_rollback_trigger():
    v = verdict([result("T1", finding(COSMETIC, "All images load"))], selected={"T1"})
    assert not v.go and v.headline.startswith("NO-GO (P3: ")
    assert v.rollback == []
    assert "Part E rollback triggers matched: none (Part E 'Do Not Rollback': investigate instead)" in render_text(v)


def test_the_headline_names_the_most_severe_finding():
    v = verdict([result("T1", finding(COSMETIC)), result("T7", finding(PART_BROKEN), finding(FLOW_BROKEN["T7"]))],
                selected={"T1", "T7"})
    assert v.headline == f"NO-GO (P1: {FLOW_BROKEN['T7'].why})"
    assert render_markdown(v).startswith(f"# Smoke test results: **NO-GO (P1: ")


def test_two_critical_flows_broken_derive_multiple_critical_features_broken():
    v = verdict([result("T7", finding(FLOW_BROKEN["T7"])), result("T9", finding(FLOW_BROKEN["T9"]))],
                selected={"T7", "T9"})
    assert "Escalated: 'Multiple critical features broken': T7, T9" in v.rollback


def test_two_critical_tests_with_only_lesser_findings_are_not_multiple_critical_features_broken():
    v = verdict([result("T7", finding(PART_BROKEN)), result("T9", finding(COSMETIC))], selected={"T7", "T9"})
    assert not any("Multiple critical" in t for t in v.rollback)


def _metric(value: float, budget: Budget) -> dict:
    return Measurement(budget=budget, value=value, label="Home page load").as_dict()


def test_a_value_past_its_warn_level_within_the_budget_is_go_degraded():
    budget = Budget("t1.page_load", "s", "line 764", max=3.0, warn=2.0)
    v = verdict([result("T1", metrics=[_metric(2.4, budget)])], selected={"T1"})
    assert v.go and v.headline == "GO (DEGRADED)" and v.degraded[0]["measured"] == 2.4
    assert "Degraded (within budget, past its warn level" in render_text(v)
    assert "## Degraded" in render_markdown(v)
    assert verdict([result("T1", metrics=[_metric(1.9, budget)])], selected={"T1"}).headline == "GO"


@pytest.mark.parametrize("spec", [dict(max=3.0, warn=3.5), dict(min=24.0, warn=20.0), dict(min=1.0, max=2.0, warn=1.5)])
def test_a_warn_level_outside_a_one_sided_limit_is_refused(spec):
    with pytest.raises(ValueError, match="warn"):
        Budget("x.y", "s", "line 1", **spec)

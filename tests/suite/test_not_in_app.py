"""The verdict's "not in this app" list: each expectation once, the run's own first, never a failure."""

from __future__ import annotations

from fixtures.apps import load_profile
from fixtures.verdict import decide, render_markdown, render_text

KULTI = load_profile("kulti-2025-11")


def result(test: str, *absent_features: str) -> dict:
    return {"id": test, "nodeid": f"smoke/{test}", "outcome": "passed", "category": "passed", "step": "", "expected": "",
            "measured": "", "steps": [], "metrics": [], "duration_s": 1.0, "browser": "chromium",
            "not_in_app": [KULTI.lacks(f).as_dict() for f in absent_features]}


def test_each_lacking_expectation_is_listed_once_in_runbook_order_with_the_runs_own_first():
    results = [result("T7", "guest_media"), result("T6", "participant_count", "joining_text"),
               result("T6", "participant_count")]
    v = decide(results, "http://app", "unknown", "run", 0.0, 1.0, critical=("T6", "T7"), app_profile=KULTI.name,
               run_not_in_app=[KULTI.lacks("health_route").as_dict()])
    assert v.go
    assert [(a["test"], a["line"]) for a in v.not_in_app] == [("C", 610), ("T6", 1021), ("T6", 1027), ("T7", 1071)]
    text = render_text(v)
    assert "Not in this app (profile kulti-2025-11" in text and 'C "/api/health answers' in text
    assert "GO: every critical test passed" in text
    assert "| T7 | User 2 grants camera permission" in render_markdown(v)


def test_a_run_of_an_app_that_lacks_nothing_shows_no_such_section():
    v = decide([result("T1")], "http://app", "1.0", "run", 0.0, 1.0, critical=("T1",))
    assert v.not_in_app == [] and "Not in this app" not in render_text(v)

"""App profiles: the suite tests an app through the profile that describes it, stops early when
pointed at another app, and reports what the app lacks by design without failing on it."""

from __future__ import annotations

import pytest

from tests.suite.suite_run import run_against, run_expecting_go, run_suite

KULTI = "kulti-2025-11"


def test_a_profile_pointed_at_another_app_stops_before_any_browser_naming_the_mismatch(start_sandbox):
    runbook_app = start_sandbox()
    run = run_against(runbook_app, "-m", "critical", "--app-profile", KULTI)
    assert run.exit_code == 4, run.output[-2000:]
    assert f"does not look like app profile '{KULTI}'" in run.output
    assert "it looks like app profile 'runbook'" in run.output and "Traceback" not in run.output
    assert run.wall_s < 15


def test_the_runbook_profile_refuses_the_launched_app_too(start_sandbox):
    launched_app = start_sandbox("--shape", KULTI)
    run = run_against(launched_app, "-m", "critical", "--app-profile", "runbook", alone=False)
    assert run.exit_code == 4, run.output[-2000:]
    assert "does not look like app profile 'runbook'" in run.output
    assert f"it looks like app profile '{KULTI}'" in run.output


def test_an_unknown_profile_is_a_usage_error_naming_the_setting():
    run = run_suite("-m", "critical", env={"SMOKE_APP_PROFILE": "kulti-2099"}, alone=False)
    assert run.exit_code == 4
    assert "--app-profile / SMOKE_APP_PROFILE: unknown app profile 'kulti-2099'; known: runbook, kulti-2025-11" \
        in run.output


def test_an_app_that_signs_up_with_invites_needs_the_invite_code_setting(start_sandbox):
    launched_app = start_sandbox("--shape", KULTI)
    run = run_against(launched_app, "-m", "critical", "--app-profile", KULTI, env_extra={"SMOKE_INVITE_CODE": ""},
                      alone=False)
    assert run.exit_code == 4, run.output[-2000:]
    assert "SMOKE_INVITE_CODE: is missing" in run.output


@pytest.mark.browser
def test_the_launched_app_gets_go_and_the_verdict_lists_what_it_lacks(start_sandbox):
    launched_app = start_sandbox("--shape", KULTI)
    run = run_expecting_go(launched_app, "-m", "critical", "--app-profile", KULTI)
    verdict = run.verdict
    assert run.exit_code == 0 and verdict["verdict"] == "GO", run.output[-3000:]
    assert [t for t, state in verdict["results"].items() if state == "passed"] == \
        ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T9"]
    assert verdict["app_profile"] == KULTI and all(m["within"] for m in verdict["metrics"])
    lacking = {(a["test"], a["line"]) for a in verdict["not_in_app"]}
    assert {("C", 610), ("T2", 807), ("T4", 897), ("T6", 1027), ("T7", 1071)} <= lacking
    assert "Not in this app (profile kulti-2025-11" in run.output
    assert "| T6 | Participant count shows" in (run.reports / "summary.md").read_text()

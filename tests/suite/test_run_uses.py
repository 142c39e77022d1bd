"""The three uses, one command each: the rollback run checks the version it rolled back to, the
synthetic run never sends an SMS nor signs anyone up, and a marker no test carries (or a selection
pytest cannot read) is refused."""

from __future__ import annotations

import httpx
import pytest

from tests.suite.suite_run import run_against, run_expecting_go, run_suite

pytestmark = pytest.mark.browser


def test_an_unknown_marker_is_a_usage_error_naming_the_known_ones():
    run = run_suite("-m", "rolback")
    assert run.exit_code == 4 and "unknown marker rolback" in run.output and "rollback" in run.output
    assert "Traceback" not in run.output and run.wall_s < 15


@pytest.mark.parametrize("selection", [("-m", "critical and"), ("-m", "critical", "-k", "login and")],
                         ids=["marker", "keyword"])
def test_a_malformed_selection_is_a_usage_error_naming_the_option(selection):
    run = run_suite(*selection, alone=False)
    option, text = selection[-2:]
    assert run.exit_code == 4 and f"{option} {text!r} is not a selection pytest can read" in run.output
    assert "Traceback" not in run.output and "INTERNALERROR" not in run.output and run.wall_s < 15


def test_a_rollback_run_without_the_version_it_rolled_back_to_is_refused():
    run = run_suite("-m", "rollback", alone=False)
    assert run.exit_code == 4 and "give it, e.g. --expect-version 0.9.9" in run.output
    assert "Traceback" not in run.output


def test_a_rollback_to_the_wrong_version_is_no_go_naming_both_versions(start_sandbox):
    sandbox = start_sandbox()  # reports its own version, 1.0.0: not the one rolled back to
    run = run_against(sandbox, "-m", "rollback", "-k", "site_accessibility or environment_configuration",
                      "--expect-version", "0.9.9", "-n", "0", "--smoke-no-html")
    verdict = run.verdict
    assert run.exit_code == 1 and verdict["verdict"] == "NO-GO", run.output[-3000:]
    assert verdict["results"]["C"] == "failed" and verdict["results"]["T1"] == "passed"
    [wrong] = verdict["failures"]
    assert wrong["expected"] == "Reported version is 0.9.9 (--expect-version)"
    assert wrong["measured"] == "reported 1.0.0, expected 0.9.9"
    assert verdict["headline"].startswith("NO-GO (P1: ")


def test_expect_version_with_its_check_not_selected_is_listed_as_not_checked(start_sandbox):
    run = run_against(start_sandbox(), "-m", "critical", "-k", "site_accessibility", "--expect-version", "0.9.9",
                      "-n", "0", "--smoke-no-html")
    verdict = run.verdict
    assert verdict["verdict"] == "GO", run.output[-3000:]
    assert verdict["not_checked"][0]["expectation"] == "Reported version is 0.9.9 (--expect-version)"
    assert "the run did not select Part C step 4" in run.output


def test_a_rollback_run_selects_the_abbreviated_tests_and_is_go_on_the_expected_version(start_sandbox):
    sandbox = start_sandbox()
    run = run_expecting_go(sandbox, "-m", "rollback", "--expect-version", "1.0.0", "--smoke-no-html")
    verdict = run.verdict
    selected = {t for t, state in verdict["results"].items() if state != "not selected"}
    assert selected == {"C", "T1", "T3", "T4", "T7"}
    assert run.exit_code == 0 and verdict["verdict"] == "GO", run.output[-3000:]
    assert verdict["results"]["C"] == "passed" and verdict["not_checked"] == []


def test_a_synthetic_run_against_a_deployment_needs_the_fixed_test_code(start_sandbox):
    sandbox = start_sandbox()
    run = run_against(sandbox, "-m", "synthetic", alone=False)  # the sandbox's settings: SMS mode
    assert run.exit_code == 4 and "set SMOKE_OTP_MODE=fixed and SMOKE_FIXED_OTP" in run.output


def test_a_synthetic_run_signs_nobody_up_sends_no_sms_and_reports_otp_delivery_as_not_measured():
    run = run_suite("-m", "synthetic", "-k", "site_accessibility or user_login or test_dashboard", "--smoke-no-html")
    verdict = run.verdict
    assert run.exit_code == 0 and verdict["verdict"] == "GO", run.output[-3000:]
    assert verdict["results"]["T2"] == "not selected" and verdict["results"]["T3"] == "passed"
    assert {"test": "T3", "expectation": "OTP delivery < 30s", "why": "not measured (fixed code)"}.items() <= \
        verdict["not_checked"][0].items()
    assert not any(m["metric"].endswith("otp_delivery") for m in verdict["metrics"])
    assert "T3 OTP delivery < 30s: not measured (fixed code)" in run.output

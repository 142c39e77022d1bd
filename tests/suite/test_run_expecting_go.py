"""A run that must be GO is run once more only when it missed nothing but the figures this machine moves by
itself (suite_run.MACHINE_BOUND_FIGURES): any other failure stands on the first run."""

from __future__ import annotations

import json

from fixtures.sandbox_process import SandboxProcess
from tests.suite.suite_run import SuiteRun, missed_only_machine_bound_figures, otp_cooldown_s


def _run(tmp_path, verdict: str, missed: list[str], failures: list[str]) -> SuiteRun:
    metrics = [{"metric": "t3.page_load", "within": "t3.page_load" not in missed}] + \
        [{"metric": m, "within": False} for m in missed if m != "t3.page_load"]
    (tmp_path / "verdict.json").write_text(json.dumps({
        "verdict": verdict, "metrics": metrics, "failures": [{"category": c} for c in failures]}))
    return SuiteRun(1, "", tmp_path, 1.0)


def test_a_voice_late_on_a_busy_machine_is_run_again(tmp_path):
    run = _run(tmp_path, "NO-GO", ["t7.audio_latency"], ["budget"])
    assert missed_only_machine_bound_figures(run) == ["t7.audio_latency"]


def test_a_page_over_its_budget_beside_it_stands(tmp_path):
    assert missed_only_machine_bound_figures(_run(tmp_path, "NO-GO", ["t7.audio_latency", "t3.page_load"],
                                                  ["budget", "budget"])) == []


def test_a_functional_failure_beside_it_stands(tmp_path):
    assert missed_only_machine_bound_figures(_run(tmp_path, "NO-GO", ["t7.audio_latency"], ["budget", "functional"])) == []


def test_a_go_run_is_not_run_again(tmp_path):
    assert missed_only_machine_bound_figures(_run(tmp_path, "GO", [], [])) == []
    assert missed_only_machine_bound_figures(_run(tmp_path, "GO (DEGRADED)", [], [])) == []


def test_a_run_without_a_verdict_is_not_run_again(tmp_path):
    assert missed_only_machine_bound_figures(SuiteRun(4, "usage error", tmp_path, 1.0)) == []


def test_a_retry_waits_out_the_sandboxs_otp_cooldown_as_it_was_started():
    # The retry signs the same people in again: a sandbox started with the default refuses them for 60 s.
    assert otp_cooldown_s(SandboxProcess(args=("--shape", "kulti-2025-11"))) == 60
    assert otp_cooldown_s(SandboxProcess(args=("--otp-cooldown", "0", "--client-nav"))) == 0

"""Run the smoke suite as QA would - `pytest smoke ...` in a process of its own - and read its verdict."""

from __future__ import annotations

import atexit
import json
import os
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from fixtures.sandbox_process import SandboxProcess
from kulti_sandbox.config import SandboxConfig
from tests.suite.run_turns import room_slot, turn
from tests.suite.warm_start import WarmStarter

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 300
# Where runs write their reports: pytest's own temporary directory when the tests set it
# (tests/conftest.py), which pytest prunes to its last three sessions; a CI run makes ~800.
REPORTS_ROOT: Path | None = None
# Figures this 2-core machine moves past their budgets by itself: with both cores busy encoding, decoding and
# reading a healthy room, a receiver's jitter buffer grows to 150-240 ms and the voice reads 220-236 ms (3 of
# 6 critical runs on a quiet machine, 2026-12-02; the runbook's budget is 200). A run expected to be GO that
# misses only these is run once more (run_expecting_go): a second miss is a finding.
MACHINE_BOUND_FIGURES = frozenset({"t7.audio_latency", "t7.video_latency", "t7.av_sync", "t7.audio_concealment"})
MACHINE_SETTINGS = {"SMOKE_CHROMIUM_PATH"}
STARTER = WarmStarter()  # this process's runs start from it (warm_start.py); stopped when the process ends
atexit.register(STARTER.stop)


@dataclass
class SuiteRun:
    exit_code: int
    output: str
    reports: Path
    wall_s: float

    @property
    def verdict(self) -> dict:
        return json.loads((self.reports / "verdict.json").read_text())

    def failures_of(self, test_id: str) -> list[dict]:
        return [f for f in self.verdict["failures"] if f["test"] == test_id]


def run_suite(*args: str, env: dict[str, str] | None = None, base_url: str | None = None,
              alone: bool = True, room: int = 0) -> SuiteRun:
    """`alone=False` only for runs that must fail or be refused (fault rows, usage errors) and assert no
    timing: see run_turns.py. A run alone first drains the machine of every row. `room`: a run beside
    others that opens a live room takes that many room slots first (run_turns.room_slot)."""
    reports = Path(tempfile.mkdtemp(prefix="kulti-smoke-reports-", dir=REPORTS_ROOT))
    cmd = ["smoke", "-p", "no:cacheprovider", "--smoke-reports", str(reports), *args]
    if base_url:
        cmd += ["--base-url", base_url]
    # The target's settings come from `env` alone; the machine's own (which Chromium) stay.
    child_env = {k: v for k, v in os.environ.items()
                 if not k.startswith(("TWILIO_", "SUPABASE_", "HMS_", "SENTRY_", "SMOKE_")) or k in MACHINE_SETTINGS}
    child_env.update(env or {})
    with room_slot(room) if room and not alone else nullcontext(), turn(alone):
        started = time.monotonic()
        with tempfile.NamedTemporaryFile(prefix="kulti-smoke-run-output-") as output:
            exit_code = STARTER.run(cmd, ROOT, child_env, Path(output.name), RUN_TIMEOUT_S)
            text = Path(output.name).read_text(errors="replace")
    return SuiteRun(exit_code, text, reports, time.monotonic() - started)


def missed_only_machine_bound_figures(run: SuiteRun) -> list[str]:
    """The figures a run not GO missed, when they are all MACHINE_BOUND_FIGURES and nothing else failed;
    else []."""
    if not (run.reports / "verdict.json").is_file() or run.verdict["verdict"].startswith("GO"):
        return []
    missed = [m["metric"] for m in run.verdict["metrics"] if not m["within"]]
    only_budgets = all(f["category"] == "budget" for f in run.verdict["failures"])
    return missed if missed and only_budgets and set(missed) <= MACHINE_BOUND_FIGURES else []


def otp_cooldown_s(sandbox: SandboxProcess) -> int:
    """How long the sandbox refuses a second OTP for one number (its --otp-cooldown, Supabase's 60 s unless told)."""
    args = list(sandbox.args)
    return int(args[args.index("--otp-cooldown") + 1]) if "--otp-cooldown" in args else SandboxConfig.otp_cooldown_s


def run_expecting_go(sandbox: SandboxProcess, *args: str, **kwargs) -> SuiteRun:
    """run_against for a run that must be GO, run once more when it missed only figures this machine moves by
    itself (MACHINE_BOUND_FIGURES); what the first run missed is printed, so a CI log shows every retry.
    The second run waits out the sandbox's OTP cooldown first: it signs the same people in, and a retry of the
    launched app's shape (60 s) found every sign-in refused (CI of 532b217)."""
    run = run_against(sandbox, *args, **kwargs)
    missed = missed_only_machine_bound_figures(run)
    if missed:
        cooldown = otp_cooldown_s(sandbox)
        print(f"\n[suite_run] a run expected GO missed only machine-bound figures {missed}: running it once more"
              f" after the sandbox's {cooldown} s OTP cooldown", file=sys.stderr)
        time.sleep(cooldown)
        run = run_against(sandbox, *args, **kwargs)
    return run


def run_against(sandbox: SandboxProcess, *args: str, env_extra: dict[str, str] | None = None,
                alone: bool = True, room: int = 0) -> SuiteRun:
    """The deployment path: --base-url plus settings from the environment, as for production."""
    settings = {k: v for k, v in sandbox.env.items() if k != "KULTI_BASE_URL"} | (env_extra or {})
    return run_suite("--smoke-env-file", os.devnull, *args, env=settings, base_url=sandbox.url, alone=alone, room=room)

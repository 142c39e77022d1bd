"""Wall time of the whole runbook, `pytest smoke` (all twelve tests and the deployment checks), against
the sandbox it starts itself, compared with the least it could take.

Usage: python bench/full_run.py [--runs 1] [-- extra pytest args]
Target (issue #11): within 1.3x of (the recording hold + the slowest other chain). The hold is the
runbook's "continue for 30 seconds" (SMOKE_RECORDING_HOLD_S, 30 by default); a chain is what one
xdist worker ran, its tests' own durations summed (Allure start/stop stamps), with the hold taken
out of the chain that held it. The least the run can take is then the hold plus the slowest chain
of everything else: a run near it spends its time on the tests, not on waiting or starting.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.3


def one_run(extra: list[str], hold_s: float) -> dict:
    reports = Path(tempfile.mkdtemp(prefix="kulti-bench-full-"))
    env = {**os.environ, "SMOKE_RECORDING_HOLD_S": f"{hold_s:g}"}
    started = time.time()
    subprocess.run([sys.executable, "-m", "pytest", "smoke", "-q", "-p", "no:cacheprovider", "--smoke-reports",
                    str(reports), *extra], cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.time() - started
    verdict = json.loads((reports / "verdict.json").read_text())
    chains: dict[str, float] = defaultdict(float)
    held_in = None
    for path in (reports / "allure-results").glob("*-result.json"):
        result = json.loads(path.read_text())
        labels = {label["name"]: label["value"] for label in result.get("labels", [])}
        worker = labels.get("thread", "?")
        chains[worker] += (result["stop"] - result["start"]) / 1000
        if labels.get("runbook") == "T10":
            held_in = worker
    others = {w: busy - (hold_s if w == held_in else 0.0) for w, busy in chains.items()}
    least = hold_s + max(others.values())
    return {"wall": wall, "least": least, "ratio": wall / least, "chains": dict(chains), "verdict": verdict}


def voice(verdict: dict) -> str:
    """T7's audio latency each way (ms): the figure a busy machine moves first."""
    return ", ".join(f"{m['measured']:.0f}" for m in verdict["metrics"] if m["metric"] == "t7.audio_latency") or "-"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--hold", type=float, default=float(os.environ.get("SMOKE_RECORDING_HOLD_S", 30)),
                   help="the recording hold in seconds (default 30, the runbook's)")
    p.add_argument("extra", nargs="*", help="extra pytest arguments (after --)")
    args = p.parse_args()
    print(f"{'run':<5}{'wall (s)':>10}{'least (s)':>11}{'ratio':>7}  chains (s)  T7 voice (ms)  verdict")
    ok = True
    for i in range(1, args.runs + 1):
        r = one_run(args.extra, args.hold)
        v = r["verdict"]
        states = {state for state in v["results"].values()}
        chains = ", ".join(f"{busy:.1f}" for busy in sorted(r["chains"].values(), reverse=True))
        print(f"{i:<5}{r['wall']:>10.1f}{r['least']:>11.1f}{r['ratio']:>7.2f}  {chains:<10}  {voice(v):<13}  "
              f"{v['headline']}; results: {', '.join(sorted(states))}")
        ok &= r["ratio"] <= TARGET_RATIO and v["verdict"] == "GO"
    print(f"target: ratio <= {TARGET_RATIO} with the hold at {args.hold:g} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

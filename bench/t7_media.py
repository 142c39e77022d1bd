"""Test 7's figures from known media, per app shape: `pytest smoke -k video_streaming` against the
sandbox it starts, N times per profile, each run's T7 measurements read from verdict.json.

Usage: python bench/t7_media.py [--runs 3] [--profiles runbook,kulti-2025-11]
Prints one line per run and figure (the worst direction of the run) and the run's verdict, so a
healthy sandbox's margins to the budgets (video latency < 2 s, audio latency < 200 ms, A/V sync
-90..+185 ms, concealment < 5 %, preview < 3 s) can be read off.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("t7.preview_shown", "t7.video_latency", "t7.audio_latency", "t7.av_sync", "t7.audio_concealment",
           "t7.frame_rate")


def one_run(profile: str) -> dict:
    reports = Path(tempfile.mkdtemp(prefix="kulti-bench-t7-"))
    subprocess.run([sys.executable, "-m", "pytest", "smoke", "-k", "video_streaming", "-q", "-p", "no:cacheprovider",
                    "--smoke-no-html", "--app-profile", profile, "--smoke-reports", str(reports)],
                   cwd=ROOT, capture_output=True, text=True)
    return json.loads((reports / "verdict.json").read_text())


def worst(verdict: dict, key: str) -> tuple[float, str] | None:
    """The value farthest from inside its budget over the run's directions, with its unit."""
    found = [m for m in verdict["metrics"] if m["metric"] == key]
    if not found:
        return None
    low, high = found[0]["min"], found[0]["max"]
    if low is not None and high is not None:  # a range: farthest from its middle
        pick = max(found, key=lambda m: abs(m["measured"] - (low + high) / 2))
    elif high is not None:
        pick = max(found, key=lambda m: m["measured"])
    else:
        pick = min(found, key=lambda m: m["measured"])
    return pick["measured"], pick["unit"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", default="runbook,kulti-2025-11")
    args = parser.parse_args()
    print(f"{'profile':15} {'run':>3}  " + "  ".join(f"{k.split('.')[1]:>17}" for k in FIGURES) + "  verdict")
    for profile in args.profiles.split(","):
        for run in range(1, args.runs + 1):
            verdict = one_run(profile)
            cells = []
            for key in FIGURES:
                got = worst(verdict, key)
                cells.append(f"{got[0]:>12.3f} {got[1]:<4}" if got else f"{'-':>17}")
            failed = "; ".join(f["expected"][:60] for f in verdict["failures"])
            print(f"{profile:15} {run:>3}  " + "  ".join(cells) + f"  {verdict['verdict']}{'; ' + failed if failed else ''}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()

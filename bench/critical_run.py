"""Wall time of the QA command `pytest smoke -m critical` against the sandbox it starts itself.

Usage: python bench/critical_run.py [--runs 3] [-- extra pytest args, e.g. -n 0]
Target from issue #3: under 20 s on the 2-core machine. Each run's verdict is printed too:
a fast NO-GO is not a result. The wall time is split, from the Allure results' start/stop
stamps, into start-up (command to first test), tests (first start to last stop) and finish
(verdict, Allure report, stopping the sandbox and the workers).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 20.0


def one_run(extra: list[str]) -> dict:
    reports = Path(tempfile.mkdtemp(prefix="kulti-bench-"))
    started = time.time()
    subprocess.run([sys.executable, "-m", "pytest", "smoke", "-m", "critical", "-q", "-p", "no:cacheprovider",
                    "--smoke-reports", str(reports), *extra], cwd=ROOT, capture_output=True, text=True)
    ended = time.time()
    verdict = json.loads((reports / "verdict.json").read_text())
    results = [json.loads(p.read_text()) for p in (reports / "allure-results").glob("*-result.json")]
    first = min(r["start"] for r in results) / 1000
    last = max(r["stop"] for r in results) / 1000
    return {"wall": ended - started, "startup": first - started, "tests": last - first, "finish": ended - last,
            "verdict": verdict["verdict"] + "".join(f"; {f['test']} {f['expected']}: {f['measured']}"
                                                    for f in verdict["failures"])}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("extra", nargs="*", help="extra pytest arguments (after --)")
    args = p.parse_args()
    results = [one_run(args.extra) for _ in range(args.runs)]
    walls = [r["wall"] for r in results]
    print(f"{'run':<6}{'wall (s)':>10}{'start-up':>10}{'tests':>8}{'finish':>8}  verdict")
    for i, r in enumerate(results, 1):
        print(f"{i:<6}{r['wall']:>10.1f}{r['startup']:>10.1f}{r['tests']:>8.1f}{r['finish']:>8.1f}  {r['verdict']}")
    print(f"min {min(walls):.1f} s, median {statistics.median(walls):.1f} s, max {max(walls):.1f} s "
          f"(target < {TARGET_S:g} s)")
    return 0 if all(r["verdict"] == "GO" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Wall time of the QA command `pytest smoke -m critical` against the sandbox it starts itself.

Usage: python bench/critical_run.py [--runs 3] [-- extra pytest args, e.g. -n 0]
Target from issue #3: under 20 s on the 2-core machine. Each run's verdict is printed too:
a fast NO-GO is not a result.
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


def one_run(extra: list[str]) -> tuple[float, str]:
    reports = tempfile.mkdtemp(prefix="kulti-bench-")
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "pytest", "smoke", "-m", "critical", "-q", "-p", "no:cacheprovider",
                    "--smoke-reports", reports, *extra], cwd=ROOT, capture_output=True, text=True)
    wall = time.monotonic() - started
    verdict = json.loads((Path(reports) / "verdict.json").read_text())
    return wall, verdict["verdict"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("extra", nargs="*", help="extra pytest arguments (after --)")
    args = p.parse_args()
    results = [one_run(args.extra) for _ in range(args.runs)]
    walls = [w for w, _ in results]
    print(f"{'run':<6}{'wall (s)':>10}  verdict")
    for i, (wall, verdict) in enumerate(results, 1):
        print(f"{i:<6}{wall:>10.1f}  {verdict}")
    print(f"min {min(walls):.1f} s, median {statistics.median(walls):.1f} s, max {max(walls):.1f} s "
          f"(target < {TARGET_S:g} s)")
    return 0 if all(v == "GO" for _, v in results) else 1


if __name__ == "__main__":
    sys.exit(main())

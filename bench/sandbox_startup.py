"""Measure the sandbox's start time (launch to "ready" line) and idle memory (RSS after settling).

Usage: python bench/sandbox_startup.py [--runs 5] [--idle 2]
Budgets from issue #2: ready in under 3 s, under 150 MB idle.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

START_BUDGET_S = 3.0
RSS_BUDGET_MB = 150.0


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def one_run(idle_s: float) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kulti_sandbox", "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    ready_s = time.perf_counter() - started
    if "ready at" not in line:
        raise RuntimeError(f"sandbox did not start: {line!r}")
    time.sleep(idle_s)  # let it settle: we measure idle memory, not start-up peaks
    memory = rss_mb(proc.pid)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=10)
    return ready_s, memory


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--idle", type=float, default=2.0)
    args = p.parse_args()
    results = [one_run(args.idle) for _ in range(args.runs)]
    ready = [r[0] for r in results]
    memory = [r[1] for r in results]
    print(f"{'metric':<22}{'min':>8}{'median':>8}{'max':>8}{'budget':>8}")
    print(f"{'ready (s)':<22}{min(ready):8.2f}{statistics.median(ready):8.2f}{max(ready):8.2f}{START_BUDGET_S:8.1f}")
    print(f"{'idle RSS (MB)':<22}{min(memory):8.1f}{statistics.median(memory):8.1f}{max(memory):8.1f}{RSS_BUDGET_MB:8.0f}")
    ok = max(ready) < START_BUDGET_S and max(memory) < RSS_BUDGET_MB
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""What one fault row costs the machine: the README's test command is CPU-bound on 2 cores, and
~370 rows each run `pytest smoke` once, so their CPU seconds, not their wall time alone, set how
long `python3 -m pytest tests` takes.

Usage: python bench/row_cost.py [--runs 2]

For each kind of run it prints wall seconds and the machine's CPU seconds over the run (all
processes: pytest, the sandbox, Node, Chromium; from /proc/stat), as the rows run them: one
process (-n 0), no HTML report, against a sandbox the suite starts. `start-up` is a collect-only
run: what every row pays before any test. Run it with nothing else on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = {  # name: (pytest arguments, extra environment)
    "start-up (collect only)": (["--collect-only", "-q"], {}),
    "deploy (Part C, httpx)": (["-m", "deploy"], {}),
    "front door (T1)": (["-k", "site_accessibility"], {}),
    "room (T9 chat)": (["-k", "chat_messaging"], {}),
    "room + recording (T10, 4 s hold)": (["-k", "recording"], {"SMOKE_RECORDING_HOLD_S": "4"}),
}


def machine_cpu_s() -> float:
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system = (int(f) for f in fields[:3])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def one_run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    cmd = [sys.executable, "-m", "pytest", "smoke", "-p", "no:cacheprovider", "-n", "0", "--smoke-no-html", *args]
    cpu0, wall0 = machine_cpu_s(), time.monotonic()
    done = subprocess.run(cmd, cwd=ROOT, env=os.environ | env, capture_output=True, text=True)
    wall, cpu = time.monotonic() - wall0, machine_cpu_s() - cpu0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout[-2000:]}")
    return wall, cpu


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=2)
    runs = p.parse_args().runs
    print(f"{'run':<36}{'wall (s)':>10}{'CPU (s)':>10}   (median of {runs})")
    for name, (args, env) in KINDS.items():
        results = [one_run(args, env) for _ in range(runs)]
        wall = statistics.median(r[0] for r in results)
        cpu = statistics.median(r[1] for r in results)
        print(f"{name:<36}{wall:10.1f}{cpu:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

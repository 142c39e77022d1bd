"""CPU seconds of the project's suite runs started cold (`python -m pytest smoke ...` in a new interpreter) and
warm (forked from tests/suite/warm_start.py's starter, which has imported pytest and the libraries already).

Usage: python bench/warm_start.py [--runs 5]
Two runs, alternating cold and warm so drift on a shared machine reaches both: collection only (the start-up a
fault row pays before its first test) and Test 1 against a sandbox (a page row). CPU is the run's own and what it
waited for (its browser, Playwright's driver): RUSAGE_CHILDREN for cold, wait4's for warm.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.sandbox_process import SandboxProcess  # noqa: E402
from tests.suite.warm_start import WarmStarter  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    cpu, started = children_cpu(), time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env, capture_output=True)
    return time.monotonic() - started, children_cpu() - cpu, done.returncode


def warm(starter: WarmStarter, args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    with tempfile.NamedTemporaryFile() as output:
        started = time.monotonic()
        code = starter.run(args, ROOT, env, Path(output.name), 300)
    return time.monotonic() - started, starter.last_cpu_s, code


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5)
    runs = p.parse_args().runs
    sandbox = SandboxProcess().start()
    starter = WarmStarter()
    env = {**os.environ, **{k: v for k, v in sandbox.env.items() if k != "KULTI_BASE_URL"}}
    common = ["smoke", "-p", "no:cacheprovider", "--smoke-env-file", os.devnull, "--base-url", sandbox.url, "-n", "0",
              "--smoke-no-html", "--smoke-evidence", "failures"]
    cases = {"collect only": [*common, "-m", "critical", "--collect-only", "-q"],
             "T1 (a page row)": [*common, "-m", "critical", "-k", "site_accessibility", "-q"]}
    try:
        starter.run(["--version"], ROOT, env, Path(os.devnull), 60)  # the starter's own start is paid once per worker
        print(f"{'run':<18}{'start':>6}{'wall (s)':>10}{'CPU (s)':>9}   (median of {runs})")
        for name, args in cases.items():
            got: dict[str, list[tuple[float, float, int]]] = {"cold": [], "warm": []}
            for _ in range(runs):
                got["cold"].append(cold(args, env))
                got["warm"].append(warm(starter, args, env))
            for how, results in got.items():
                codes = sorted({c for _, _, c in results})
                print(f"{name:<18}{how:>6}{statistics.median(w for w, _, _ in results):>10.2f}"
                      f"{statistics.median(c for _, c, _ in results):>9.2f}   exit {codes}")
    finally:
        starter.stop()
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

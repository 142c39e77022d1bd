"""The headless shell against the full browser: what a fault row and an open room cost with each.

Chromium is most of the CPU of the README's test command (a CPU-bound run on two cores), and Playwright
runs headless tests in Chromium's headless shell, not in the full browser (fixtures/browsers.py). Each run
here starts the same fault rows with one build and then the other (SMOKE_CHROMIUM_PATH), alternating,
and reads their wall time and CPU (every process they started, from the kernel's accounting of reaped
children); then one open two-person room's steady Chromium CPU with each (bench/room_cpu.py).

With --slice it times instead a slice of the README's test command on its four workers, the launched
app's front-door rows and Test 8's room rows (62 tests), with each build in turn: full, shell, shell, full.

Usage: python bench/headless_shell.py [--runs 2] [--slice]
Run it with nothing else on the machine; compare the two builds' figures as ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.room_cpu import one_room  # noqa: E402
from fixtures.browsers import chromium_executable, headless_shell  # noqa: E402

# A front-door row (two failed text checks wait out the UI wait), a chat room and a known-media room.
ROWS = "dashboard_wrong_username-T4 or chat_wrong_sender-T9 or audio_one_way-T7"
SLICE = ("tests/suite/test_verdict_on_faults_kulti_front_door.py", "tests/suite/test_verdict_on_faults_t8.py")


def builds() -> dict[str, str]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        playwright_path = p.chromium.executable_path
    full = chromium_executable(playwright_path) or playwright_path
    shell = headless_shell(playwright_path)
    if not shell:
        sys.exit("bench: no headless shell found (bash scripts/install.sh installs chromium-headless-shell)")
    return {"full browser": full, "headless shell": shell}


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tests_run(executable: str, *args: str) -> tuple[float, float]:
    """Wall s and CPU s of `pytest tests ... args` with Chromium `executable`; every test must pass."""
    env = {**os.environ, "SMOKE_CHROMIUM_PATH": executable}
    cpu0, t0 = children_cpu_s(), time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", *args, "-q", "-p", "no:cacheprovider"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    wall, cpu = time.monotonic() - t0, children_cpu_s() - cpu0
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed with {executable}:\n{done.stdout[-3000:]}")
    return wall, cpu


def rows_run(executable: str) -> tuple[float, float]:
    """The ROWS in one process, each proven as the README's test command proves it."""
    return tests_run(executable, "tests/suite/test_verdict_on_faults.py", "-k", ROWS, "-n", "0")


def slice_run(executable: str) -> float:
    """Wall s of the SLICE on the README's command's workers."""
    return tests_run(executable, *SLICE)[0]


def slices(chosen: dict[str, str]) -> int:
    walls = {name: [] for name in chosen}
    for name in ("full browser", "headless shell", "headless shell", "full browser"):
        walls[name].append(slice_run(chosen[name]))
        print(f"{name:<15} slice wall {walls[name][-1]:6.1f} s", flush=True)
    full, shell = (statistics.mean(walls[name]) for name in ("full browser", "headless shell"))
    print(f"mean: full browser {full:.1f} s, headless shell {shell:.1f} s, shell / full {shell / full:.2f}")
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--slice", action="store_true", help="time a slice of the README's test command instead")
    options = p.parse_args()
    runs = options.runs
    chosen = builds()
    if options.slice:
        return slices(chosen)
    rows = {name: [] for name in chosen}
    rooms = {name: [] for name in chosen}
    for i in range(runs):
        for name, executable in (chosen.items() if i % 2 == 0 else reversed(chosen.items())):
            rows[name].append(rows_run(executable))
            rooms[name].append(one_room((), executable)["total"])
            wall, cpu = rows[name][-1]
            print(f"run {i + 1} {name:<15} rows: wall {wall:5.1f} s, CPU {cpu:5.1f} s; room: {rooms[name][-1]:.2f} CPU s a second",
                  flush=True)
    print(f"\n{'median of ' + str(runs):<18}{'rows wall s':>12}{'rows CPU s':>12}{'room CPU s/s':>14}")
    med = {name: (statistics.median(w for w, _ in rows[name]), statistics.median(c for _, c in rows[name]),
                  statistics.median(rooms[name])) for name in chosen}
    for name, (wall, cpu, room) in med.items():
        print(f"{name:<18}{wall:12.1f}{cpu:12.1f}{room:14.2f}")
    (fw, fc, fr), (sw, sc, sr) = med["full browser"], med["headless shell"]
    print(f"{'shell / full':<18}{sw / fw:12.2f}{sc / fc:12.2f}{sr / fr:14.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

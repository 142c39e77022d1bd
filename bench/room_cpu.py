"""What an open two-person room costs the machine each second, by camera setting.

A room row (tests/suite/fault_rows.py) keeps its room open for most of its time, and two room chains run
side by side through the README's test command, so a room's steady cost is most of the CI's CPU.
Each room here is the sandbox's, with both pages carrying the suite's own probes (known media, page
clock, getStats), signed in through the API; after 4 s to settle, Chromium's CPU is read from /proc
over 15 s.

Usage: python bench/room_cpu.py [--runs 2]
Run it with nothing else on the machine.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fixtures.browsers import MEDIA_ARGS, QUIET_ARGS, chromium_path, launch_as_a_user, prepare_context  # noqa: E402
from fixtures.sandbox_process import SandboxProcess  # noqa: E402
from tests.sandbox.room_harness import open_two_user_room  # noqa: E402

CAMERAS = {  # name: the sandbox's camera options
    "960x540 at 30 fps (default)": (),
    "960x540 at 10 fps (T7 rows)": ("--camera-fps", "10"),
    "480x270 at 10 fps": ("--camera-fps", "10", "--camera-size", "480x270"),
    "480x270 at 5 fps (other room rows)": ("--camera-fps", "5", "--camera-size", "480x270"),
}
SETTLE_S, SAMPLE_S = 4, 15
TICK = os.sysconf("SC_CLK_TCK")


def chromium_cpu_s() -> collections.Counter:
    """CPU seconds so far of every Chromium process, by kind."""
    out = collections.Counter()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_text()
            if "chromium" not in cmd and "chrome" not in cmd:
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kind = next((k for k in ("renderer", "gpu-process", "utility") if f"--type={k}" in cmd),
                    "other" if "--type=" in cmd else "browser")
        out[kind] += (int(fields[11]) + int(fields[12])) / TICK
    return out


def one_room(camera: tuple[str, ...], executable: str | None = None) -> dict[str, float]:
    """CPU s a second of one room's Chromium, by kind; `executable`: that build, else the suite's choice."""
    sandbox = SandboxProcess(args=("--otp-cooldown", "0", *camera)).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**launch_as_a_user(executable or chromium_path(p.chromium.executable_path)),
                                        args=[*MEDIA_ARGS, *QUIET_ARGS, "--no-sandbox"])
            open_two_user_room(browser, sandbox, "CPU of a room",
                               prepare=lambda u: prepare_context(u.context, u.username.removeprefix("smoke_")))
            time.sleep(SETTLE_S)
            before, t0 = chromium_cpu_s(), time.monotonic()
            time.sleep(SAMPLE_S)
            after, seconds = chromium_cpu_s(), time.monotonic() - t0
            browser.close()
    finally:
        sandbox.stop()
    per_s = {kind: (after[kind] - before.get(kind, 0.0)) / seconds for kind in after}
    return {"total": sum(per_s.values()), **per_s}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=2)
    runs = p.parse_args().runs
    print(f"{'camera':<34}{'total':>8}{'renderer':>10}{'gpu':>7}{'utility':>9}   CPU s a second, median of {runs}")
    for name, camera in CAMERAS.items():
        results = [one_room(camera) for _ in range(runs)]
        med = {k: statistics.median(r.get(k, 0.0) for r in results) for k in ("total", "renderer", "gpu-process", "utility")}
        print(f"{name:<34}{med['total']:8.2f}{med['renderer']:10.2f}{med['gpu-process']:7.2f}{med['utility']:9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

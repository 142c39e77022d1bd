"""How busy the whole machine is while a command runs: tells a CPU-bound run (every core busy,
only less CPU per test makes it shorter) from one that waits (idle cores, scheduling can help).

Usage: python bench/machine_busy.py [--every 5] -- bash .ci/run

Samples /proc/stat every `--every` seconds while the command runs and prints the command's exit
code, its wall time, the mean share of all cores busy, and how many samples were under 80%.
Everything on the machine counts, so run it with nothing else going on.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time


def _cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all cores, from the first line of /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:9]]
    return fields[3] + fields[4], sum(fields)  # idle + iowait


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples (default 5)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to measure after --, e.g. -- bash .ci/run")
    if args.every <= 0:
        parser.error("--every must be a positive number of seconds")

    started = time.monotonic()
    child = subprocess.Popen(command)
    shares = []
    before = _cpu_times()
    while child.poll() is None:
        try:
            child.wait(timeout=args.every)
        except subprocess.TimeoutExpired:
            pass
        now = _cpu_times()
        idle, total = now[0] - before[0], now[1] - before[1]
        if total > 0:
            shares.append(1 - idle / total)
        before = now
    wall = time.monotonic() - started
    mean = sum(shares) / len(shares) if shares else float("nan")
    low = sum(share < 0.8 for share in shares)
    print(f"exit {child.returncode}, wall {wall:.0f} s, all cores busy {mean:.0%} on average "
          f"({len(shares)} samples of {args.every:g} s, {low} under 80%)", file=sys.stderr)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())

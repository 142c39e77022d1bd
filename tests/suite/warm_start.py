"""`python -m pytest smoke ...` for the project's tests, forked from an interpreter that has imported pytest.

A CI makes ~350 suite runs; each started Python and imported pytest, its plugins, Playwright, Allure, httpx,
Twilio and pydantic again: ~0.9 of the ~1.3 CPU s a run spends before its first test, on a machine whose CI is
CPU-bound (bench/warm_start.py). One warm starter per worker imports those once and forks a child for each run.
The child is the same `python -m pytest` (runpy, same arguments, environment and working directory, its output
to a file) from a process that has run nothing yet, so no run's state reaches the next. Only third-party modules
are preloaded: the project's own (fixtures/, smoke/) are imported by each run, so pytest rewrites their asserts
as usual and an edit is always seen.

Run as a script it is the starter: one JSON request a line on stdin, replies on stdout.
"""

from __future__ import annotations

import gc
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT_S = 60  # the starter's own imports; on a starved CI machine seconds, never a minute


def _preload() -> None:
    import importlib

    import _pytest.config
    for name in _pytest.config.default_plugins:
        importlib.import_module(f"_pytest.{name}")
    # Not the plugins pytest loads from their entry points (xdist, pytest_playwright, pytest_base_url,
    # allure_pytest): it rewrites their asserts, so it must import them itself.
    for name in ("pytest", "pluggy", "execnet", "playwright.sync_api", "allure", "allure_commons", "httpx",
                 "twilio.rest", "pydantic", "pydantic_settings", "dotenv", "pygments", "pygments.lexers.python",
                 "pygments.formatters.terminal", "requests", "unittest", "pdb", "doctest", "slugify", "greenlet",
                 "zoneinfo"):
        importlib.import_module(name)


def _run_child(request: dict, keep_fds: tuple[int, ...]) -> None:
    """In the forked child: become `python -m pytest <args>` and exit with its status. Never returns."""
    import runpy
    import traceback

    code = 70
    try:
        for fd in keep_fds:
            os.close(fd)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        out = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = request["cwd"]  # where `python -m` puts the working directory
        sys.argv = ["-m", *request["args"]]  # runpy puts pytest's __main__ in argv[0], as `python -m` does
        try:
            runpy.run_module("pytest", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # noqa: BLE001 - the child must never return into the starter's loop
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)


def _serve() -> None:
    requests, replies = os.dup(0), os.dup(1)
    os.dup2(os.open(os.devnull, os.O_RDWR), 0)
    os.dup2(2, 1)  # nothing but replies may reach the reply pipe
    _preload()
    # What the starter imported stays as it is in every child: out of the collector's sight, each run's garbage
    # collections (five at its end) do not walk it, nor copy its pages by touching them.
    gc.freeze()
    os.write(replies, b'{"ready": true}\n')
    pending = b""
    while True:
        while b"\n" not in pending:
            chunk = os.read(requests, 65536)
            if not chunk:
                return
            pending += chunk
        line, pending = pending.split(b"\n", 1)
        pid = os.fork()
        if pid == 0:
            _run_child(json.loads(line), (requests, replies))
        os.write(replies, json.dumps({"pid": pid}).encode() + b"\n")
        _, status, usage = os.wait4(pid, 0)
        done = {"exit": os.waitstatus_to_exitcode(status), "cpu_s": usage.ru_utime + usage.ru_stime}
        os.write(replies, json.dumps(done).encode() + b"\n")


class WarmStarter:
    """One starter process, started on first use; run() is subprocess.run for `python -m pytest`."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self._buffer = b""
        self.last_cpu_s = 0.0  # the last run's CPU seconds, with what it started and waited for

    def run(self, args: list[str], cwd: Path, env: dict[str, str], output: Path, timeout: float) -> int:
        """`python -m pytest *args` in `cwd` with exactly `env`, stdout and stderr to `output`; its exit
        status. Raises subprocess.TimeoutExpired (the run stopped) as subprocess.run does."""
        self._ensure_started()
        request = {"args": args, "cwd": str(cwd), "env": env, "output": str(output)}
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        pid = self._reply(deadline)["pid"]
        try:
            done = self._reply(deadline)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)  # as subprocess.run stops a run out of time
            self._reply(time.monotonic() + 30)  # the starter has reaped it
            raise subprocess.TimeoutExpired([sys.executable, "-m", "pytest", *args], timeout) from None
        self.last_cpu_s = done["cpu_s"]
        return done["exit"]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def _ensure_started(self) -> None:
        if self.process and self.process.poll() is None:
            return
        self.process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._buffer = b""
        if not self._reply(time.monotonic() + START_TIMEOUT_S).get("ready"):
            raise RuntimeError("the warm starter did not start")

    def _reply(self, deadline: float) -> dict:
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise subprocess.TimeoutExpired("warm starter", left)
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError(f"the warm starter ended (exit {self.process.wait()})")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)


if __name__ == "__main__":
    _serve()

"""Build and serve a local checkout of the real Kulti app the way production does, against our sandbox.

Usage: python3 bench/real_kulti.py [CHECKOUT] [--port 3901] [--sandbox-port 54329] [--rebuild]
                                   [--pytest "ARGS"] [--keep]

CHECKOUT is a clone of github.com/ga1ien/kulti (the launched app is commit 12d759c). Steps, each
timed: start the sandbox; `npm ci --ignore-scripts` when node_modules is missing or older than
package-lock.json; `next build` (Turbopack, offline: Google Fonts mocked) unless `.next/` already
holds a build of this commit with the same baked-in settings; `next start`; measure `/`, `/login`,
`/signup`, `/api/health`, `/dashboard`, the security headers and a static asset's Cache-Control.

The app bakes NEXT_PUBLIC_SUPABASE_URL/ANON_KEY and NEXT_PUBLIC_APP_URL into its build, so the
sandbox runs on a fixed port with a fixed JWT secret and the app on a fixed port: a second run
reuses the build. A busy port falls back to a free one, and that forces a rebuild.

Nothing leaves the machine: NODE_OPTIONS loads real_kulti_egress_guard.cjs, which refuses DNS for
every non-loopback host (the app's hard-coded Sentry DSN, 100ms and Anthropic) and the report
lists what was refused.

--pytest "ARGS" runs `python3 -m pytest smoke --base-url APP ARGS` with the sandbox's env file as
environment variables (for when the suite has an app profile for the real Kulti) and reports its
exit code. --keep leaves both servers running until Ctrl-C. Logs stay in a temporary directory.
With no CHECKOUT (as in CI, which cannot fetch the app) it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OFFLINE_ONLY_ERRORS = [r"/monitoring\?o="]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.sandbox_process import SandboxProcess, SandboxStartError  # noqa: E402
from real_kulti_build import (Checkout, FontServer, NotAKultiCheckout, StepFailed, app_env,  # noqa: E402
                              build_stamp, run_logged)
from real_kulti_serve import NextServer, egress_lines, free_port, measure, port_is_free  # noqa: E402

SHAPE = "kulti-2025-11"
# A sandbox-only secret, fixed so the anon key baked into the build stays valid across runs.
SANDBOX_JWT_SECRET = "kulti-smoke-real-app-sandbox-jwt-secret-not-a-real-one"
NPM_CI_TIMEOUT_S = 600
BUILD_TIMEOUT_S = 1200  # ~70 s alone; the 2 cores are shared
TAIL_LINES = 30


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/real_kulti.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("checkout", nargs="?", help="path of a Kulti checkout (a clone of ga1ien/kulti)")
    p.add_argument("--port", type=int, default=3901, help="port of next start (default 3901)")
    p.add_argument("--sandbox-port", type=int, default=54329, help="port of the sandbox (default 54329)")
    p.add_argument("--rebuild", action="store_true", help="build even when .next/ looks current")
    p.add_argument("--pytest", metavar="ARGS", help="run the smoke suite against the app with these extra args")
    p.add_argument("--keep", action="store_true", help="keep both servers running until Ctrl-C")
    return p.parse_args(argv)


class Run:
    def __init__(self, checkout: Checkout, args: argparse.Namespace):
        self.checkout, self.args = checkout, args
        self.workdir = Path(tempfile.mkdtemp(prefix="real-kulti-"))
        self.egress_log = self.workdir / "egress-refused.log"
        self.sandbox: SandboxProcess | None = None
        self.server: NextServer | None = None
        self.env: dict[str, str] = {}
        self.pytest_rc: int | None = None
        self.keeping = False  # with --keep, Ctrl-C is the normal end of a run

    def step(self, name: str, action, announce: str | None = None) -> None:
        if announce:
            print(f"  {name:<9}     ...  {announce}", flush=True)
        started = time.monotonic()
        try:
            note = action()
        except StepFailed as exc:
            exc.step, exc.seconds = name, time.monotonic() - started
            raise
        print(f"  {name:<9}{time.monotonic() - started:7.1f} s  {note}", flush=True)

    def execute(self) -> int:
        c = self.checkout
        print(f"real_kulti: checkout {c.path} at {c.commit[:12] if c.commit else 'no git commit'}"
              f" (package.json: next {c.next_version}); logs in {self.workdir}", flush=True)
        self.step("sandbox", self.start_sandbox)
        self.step("npm ci", self.npm_ci, announce="checking node_modules")
        self.step("build", self.build, announce=f"checking .next/ (log: {self.workdir / 'build.log'})")
        self.step("start", self.start_app)
        self.step("measure", self.measure)
        for line in egress_lines(self.egress_log):
            print(line)
        if self.args.pytest is not None:
            self.step("pytest", self.run_suite, announce="suite output follows")
        if self.args.keep:
            print(f"  --keep: app {self.server.url}, sandbox {self.sandbox.url}; Ctrl-C stops both", flush=True)
            self.keeping = True
            while True:
                time.sleep(3600)
        return self.pytest_rc or 0

    def start_sandbox(self) -> str:
        notes, port = [], self.args.sandbox_port
        if not port_is_free(port):
            notes.append(f"port {port} busy: a free one instead, which forces a rebuild")
            port = 0
        extra = ["--port", str(port), "--supabase-jwt-secret", SANDBOX_JWT_SECRET]
        if sandbox_offers_shapes():
            extra += ["--shape", SHAPE]
            notes.append(f"shape {SHAPE}")
        else:
            notes.append(f"--shape {SHAPE} not offered by this sandbox: started without it")
        try:
            self.sandbox = SandboxProcess(args=tuple(extra)).start()
        except SandboxStartError as exc:
            raise StepFailed(str(exc)) from None
        return f"{self.sandbox.url} ({'; '.join(notes)})"

    def npm_ci(self) -> str:
        reason = self.checkout.npm_ci_reason()
        if reason is None:
            return "skipped: node_modules matches package-lock.json"
        log = self.workdir / "npm-ci.log"
        run_logged(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], self.checkout.path, None, log,
                   NPM_CI_TIMEOUT_S, "npm ci --ignore-scripts")
        return f"{reason}: installed (log: {log})"

    def build(self) -> str:
        port, note = self.args.port, ""
        if not port_is_free(port):
            port, note = free_port(), f"; port {self.args.port} busy, app on {port}"
        self.app_port = port
        self.env = app_env(self.sandbox.env, f"http://127.0.0.1:{port}", self.egress_log)
        stamp = build_stamp(self.checkout, self.env)
        if not self.args.rebuild and self.checkout.build_is_current(stamp):
            return f"skipped: .next/ holds a build of this commit with the same baked-in settings{note}"
        self.checkout.write_stamp(None)
        fonts = FontServer(self.workdir)
        try:
            env = {**self.env, "NEXT_FONT_GOOGLE_MOCKED_RESPONSES": str(fonts.write_mock())}
            run_logged([self.checkout.next_bin(), "build"], self.checkout.path, env, self.workdir / "build.log",
                       BUILD_TIMEOUT_S, "next build")
        finally:
            fonts.stop()
        self.checkout.write_stamp(stamp)
        return f"next {stamp['next']} build done (Google Fonts mocked with {fonts.source}){note}"

    def start_app(self) -> str:
        self.server = NextServer(self.checkout.next_bin(), self.checkout.path, self.app_port, self.env,
                                 self.workdir / "next-start.log")
        ready = self.server.wait_ready()
        return f"{self.server.url} answered / after {ready:.1f} s (log: {self.server.log})"

    def measure(self) -> str:
        lines = measure(self.server.url, self.checkout.path)
        return "first requests after start, one each:\n" + "\n".join(lines)

    def run_suite(self) -> str:
        # localhost, not 127.0.0.1: Next.js writes its redirects to localhost, and a browser that
        # followed one to another origin would lose the login cookie on the way.
        app_url = self.server.url.replace("127.0.0.1", "localhost")
        cmd = [sys.executable, "-m", "pytest", "smoke", "--base-url", app_url, "--app-profile", "kulti-2025-11",
               *shlex.split(self.args.pytest)]
        print(f"  $ {shlex.join(cmd)}", flush=True)
        print(f"  console allow-list: {OFFLINE_ONLY_ERRORS} (the app's Sentry tunnel forwards to sentry.io, which "
              "this closed network cannot reach: its 500s belong to the bench, not to the app)", flush=True)
        env = {**os.environ, **self.sandbox.env, "SMOKE_CONSOLE_ALLOWLIST": json.dumps(OFFLINE_ONLY_ERRORS)}
        self.pytest_rc = subprocess.run(cmd, cwd=ROOT, env=env).returncode
        return f"pytest exited with {self.pytest_rc}"

    def stop(self) -> None:
        if self.server:
            self.server.stop()
        if self.sandbox:
            self.sandbox.stop()


def sandbox_offers_shapes() -> bool:
    result = subprocess.run([sys.executable, "-m", "kulti_sandbox", "--help"], capture_output=True, text=True,
                            cwd=ROOT, timeout=30)
    return "--shape" in result.stdout


def report_failure(exc: StepFailed) -> None:
    print(f"FAILED at step {getattr(exc, 'step', '?')} after {getattr(exc, 'seconds', 0):.1f} s: {exc}")
    if exc.log and exc.log.exists():
        tail = exc.log.read_text(errors="replace").splitlines()[-TAIL_LINES:]
        print(f"--- last {len(tail)} lines of {exc.log} ---")
        print("\n".join(tail))


def _stop_on_sigterm(signum, frame):
    # A CI cancel or `kill` sends SIGTERM: stop both servers as Ctrl-C does, never leave them orphaned.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if args.checkout is None:
        print("real_kulti: no CHECKOUT given, so nothing was built or measured; pass the path of a Kulti "
              "checkout (git clone https://github.com/ga1ien/kulti; git checkout 12d759c), "
              "e.g. python3 bench/real_kulti.py ../kulti-checkout")
        return 0
    try:
        checkout = Checkout.open(args.checkout)
    except NotAKultiCheckout as exc:
        print(f"real_kulti: error: {exc}", file=sys.stderr)
        return 2
    run = Run(checkout, args)
    started = time.monotonic()
    try:
        rc = run.execute()
    except StepFailed as exc:
        report_failure(exc)
        rc = 1
    except KeyboardInterrupt:
        rc = (run.pytest_rc or 0) if run.keeping else 130
        print("real_kulti: stop requested (Ctrl-C or SIGTERM)" + ("" if run.keeping else " before the run ended"))
    finally:
        t = time.monotonic()
        run.stop()
        print(f"  {'stop':<9}{time.monotonic() - t:7.1f} s  next start and the sandbox stopped")
    verdict = "OK" if rc == 0 else f"exit {rc}"
    print(f"real_kulti: {verdict} after {time.monotonic() - started:.1f} s")
    return rc


if __name__ == "__main__":
    sys.exit(main())

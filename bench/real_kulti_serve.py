"""`next start` in its own process group, and what the script measures of the served app."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

from real_kulti_build import StepFailed

READY_TIMEOUT_S = 60
PAGES = ("/", "/login", "/signup", "/api/health", "/dashboard")
SECURITY_HEADERS = ("Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options",
                    "Content-Security-Policy")
# The DSN the browser SDK is initialised with; its org/project/region are the tunnel's query.
SENTRY_DSN = re.compile(r"https://\w+@o(\d+)\.ingest\.(?:([a-z]{2})\.)?sentry\.io/(\d+)")
STATIC_ASSET = re.compile(r"""["'](/_next/static/[^"'?#]+\.(?:js|css))["']""")


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NextServer:
    """`next start`, never `next dev`: dev-server timings are compile times, not the app's."""

    def __init__(self, next_bin: str, cwd: Path, port: int, env: dict[str, str], log: Path):
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self._out = open(log, "wb")
        # Own session, hence own process group: stop() kills next and every worker it forked.
        self.process = subprocess.Popen([next_bin, "start", "-p", str(port), "-H", "127.0.0.1"], cwd=cwd, env=env,
                                        stdout=self._out, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self) -> float:
        """Seconds until `/` answers at all (any status): the server is up, the page is measured later."""
        started = time.monotonic()
        while time.monotonic() - started < READY_TIMEOUT_S:
            if self.process.poll() is not None:
                raise StepFailed(f"next start exited with {self.process.returncode} before answering", self.log)
            try:
                httpx.get(self.url + "/", timeout=5)
                return time.monotonic() - started
            except httpx.TransportError:
                time.sleep(0.2)
        raise StepFailed(f"{self.url}/ did not answer within {READY_TIMEOUT_S} s", self.log)

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self._out.close()


def timed_get(client: httpx.Client, path: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = client.get(path)
    return response, (time.perf_counter() - started) * 1000


def measure(base_url: str, checkout: Path) -> list[str]:
    """The report's table: pages, security headers of `/`, Cache-Control of one static asset."""
    lines = [f"  {'path':<14}{'status':>7}{'ms':>9}  location"]
    with httpx.Client(base_url=base_url, follow_redirects=False, timeout=15) as client:
        home = None
        for path in PAGES:
            response, ms = timed_get(client, path)
            home = home or response
            location = response.headers.get("location", "")
            lines.append(f"  {path:<14}{response.status_code:>7}{ms:>9.1f}  {location}")
        lines.append("  security headers of /:")
        for name in SECURITY_HEADERS:
            value = home.headers.get(name)
            lines.append(f"    {name:<27} {'present: ' + value if value is not None else 'ABSENT'}")
        lines.append(static_asset_line(client, home.text))
        lines.append(sentry_tunnel_line(client, checkout))
    return lines


def static_asset_line(client: httpx.Client, html: str) -> str:
    found = STATIC_ASSET.search(html)
    if not found:
        return "  static asset: none referenced by / (no /_next/static/... .js or .css in its HTML)"
    response, ms = timed_get(client, found.group(1))
    cache = response.headers.get("cache-control", "ABSENT")
    return f"  static asset {found.group(1)}\n    {response.status_code}, {ms:.1f} ms, Cache-Control: {cache}"


def sentry_tunnel_line(client: httpx.Client, checkout: Path) -> str:
    """POST one empty envelope to the tunnel route (`tunnelRoute: "/monitoring"` in next.config.js):
    next start forwards it to sentry.io, which the egress guard must refuse, fast."""
    source = checkout / "instrumentation-client.ts"
    found = SENTRY_DSN.search(source.read_text()) if source.exists() else None
    if not found:
        return "  sentry tunnel: not probed (no sentry.io DSN in instrumentation-client.ts)"
    org, region, project = found.groups()
    query = f"o={org}&p={project}" + (f"&r={region}" if region else "")
    started = time.perf_counter()
    try:
        response = client.post(f"/monitoring?{query}", content=b"{}\n", timeout=30)
        outcome = f"{response.status_code}"
    except httpx.TransportError as exc:
        outcome = f"{type(exc).__name__}"
    return f"  sentry tunnel POST /monitoring?{query}: {outcome} in {(time.perf_counter() - started) * 1000:.0f} ms"


def egress_lines(egress_log: Path) -> list[str]:
    hosts = egress_log.read_text().split() if egress_log.exists() else []
    if not hosts:
        return ["  outbound lookups refused: none"]
    counts = {h: hosts.count(h) for h in dict.fromkeys(hosts)}
    return ["  outbound lookups refused (build and server; nothing left the machine):",
            *(f"    {host} x{n}" for host, n in counts.items())]

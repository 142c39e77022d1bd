"""Preparing a real Kulti checkout for `next start`: what it is, its env, npm ci, fonts, build stamp.

Nothing here copies the app's code: it is read from the checkout and built in place.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

GUARD_JS = Path(__file__).with_name("real_kulti_egress_guard.cjs")
STAMP_NAME = "real-kulti-stamp.json"  # inside the checkout's .next/, next to the build it describes

# What next/font/google requests for the app's `Inter({subsets: ["latin"]})` and
# `JetBrains_Mono({subsets: ["latin"]})`: variable fonts with no weight given ask for their whole
# wght axis (next/font's getFontAxes + getGoogleFontsUrl, next 16.0.3). Turbopack reads the mock
# module's keys literally, so a catch-all Proxy does not work.
GOOGLE_FONT_CSS_URLS = {
    "https://fonts.googleapis.com/css2?family=Inter:wght@100..900&display=swap": ("Inter", "100 900"),
    "https://fonts.googleapis.com/css2?family=JetBrains+Mono:wght@100..800&display=swap": ("JetBrains Mono", "100 800"),
}

# Values for settings the app requires but whose services cannot be pointed at the sandbox:
# the 100ms REST base URL and the Anthropic client are hard-coded, so their calls are refused by
# the egress guard. Present so modules that read them at import time load, as in production.
PLACEHOLDER_SECRETS = {
    "NEXT_PUBLIC_HMS_APP_ID": "sandbox-hms-app-id",
    "HMS_APP_ACCESS_KEY": "sandbox-hms-access-key",
    "HMS_APP_SECRET": "sandbox-hms-app-secret-not-a-real-one",
    "HMS_TEMPLATE_ID": "sandbox-hms-template-id",
    "ANTHROPIC_API_KEY": "sk-ant-sandbox-not-a-real-key",
}
# Never inherited from the caller's shell: a Sentry auth token would make the build upload source
# maps; a DSN or proxy setting would send traffic somewhere we did not choose.
NEVER_INHERITED = ("SENTRY_AUTH_TOKEN", "SENTRY_DSN", "NEXT_PUBLIC_SENTRY_DSN", "SENTRY_ORG", "SENTRY_PROJECT",
                   "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NODE_OPTIONS")


class StepFailed(Exception):
    def __init__(self, message: str, log: Path | None = None):
        super().__init__(message)
        self.log = log


class NotAKultiCheckout(Exception):
    pass


@dataclass
class Checkout:
    path: Path
    commit: str | None
    next_version: str

    @classmethod
    def open(cls, arg: str) -> "Checkout":
        path = Path(arg).resolve()
        if not path.is_dir():
            raise NotAKultiCheckout(f"CHECKOUT {arg!r}: no such directory")
        try:
            package = json.loads((path / "package.json").read_text())
        except (OSError, ValueError):
            raise NotAKultiCheckout(f"CHECKOUT {arg!r}: no readable package.json, not a Next.js app") from None
        deps = {**package.get("dependencies", {}), **package.get("devDependencies", {})}
        if "next" not in deps:
            raise NotAKultiCheckout(f"CHECKOUT {arg!r}: package.json does not depend on next, not a Next.js app")
        return cls(path, _git_commit(path), deps["next"])

    @property
    def dist(self) -> Path:
        return self.path / ".next"

    def next_bin(self) -> str:
        return str(self.path / "node_modules" / ".bin" / "next")

    def installed_next(self) -> str:
        try:
            return json.loads((self.path / "node_modules" / "next" / "package.json").read_text())["version"]
        except (OSError, ValueError, KeyError):
            return "not installed"

    def npm_ci_reason(self) -> str | None:
        """Why node_modules must be (re)installed, or None when it matches package-lock.json."""
        installed = self.path / "node_modules" / ".package-lock.json"  # written by npm at each install
        if not installed.exists():
            return "node_modules missing"
        if (self.path / "package-lock.json").stat().st_mtime > installed.stat().st_mtime:
            return "package-lock.json is newer than node_modules"
        return None

    def stamp(self) -> dict | None:
        try:
            return json.loads((self.dist / STAMP_NAME).read_text())
        except (OSError, ValueError):
            return None

    def build_is_current(self, wanted: dict) -> bool:
        return (self.dist / "BUILD_ID").exists() and self.stamp() == wanted

    def write_stamp(self, stamp: dict | None) -> None:
        """None removes it: a build that fails half-way must not look current next time."""
        path = self.dist / STAMP_NAME
        if stamp is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(json.dumps(stamp, indent=1) + "\n")


def _git_commit(path: Path) -> str | None:
    """HEAD of the checkout, or None when it is not the top of a git work tree of its own."""
    git = subprocess.run(["git", "-C", str(path), "rev-parse", "--show-toplevel", "HEAD"], capture_output=True, text=True)
    lines = git.stdout.split()
    if git.returncode != 0 or len(lines) != 2 or Path(lines[0]).resolve() != path:
        return None
    return lines[1]


def app_env(sandbox_env: dict[str, str], app_url: str, egress_log: Path) -> dict[str, str]:
    """The environment of `next build` and `next start`: the caller's, minus Sentry and proxies."""
    env = {k: v for k, v in os.environ.items() if k not in NEVER_INHERITED}
    env.update(PLACEHOLDER_SECRETS)
    env.update({
        # Baked into the client bundle at build time (NEXT_PUBLIC_*), read again by the server.
        "NEXT_PUBLIC_SUPABASE_URL": sandbox_env["SUPABASE_URL"],
        "NEXT_PUBLIC_SUPABASE_ANON_KEY": sandbox_env["SUPABASE_ANON_KEY"],
        "SUPABASE_SERVICE_ROLE_KEY": sandbox_env["SUPABASE_SERVICE_ROLE_KEY"],
        # next.config.js inlines it through `env:` at build time.
        "NEXT_PUBLIC_APP_URL": app_url,
        "NEXT_TELEMETRY_DISABLED": "1",
        "NODE_OPTIONS": f"--require {GUARD_JS}",
        "KULTI_EGRESS_LOG": str(egress_log),
    })
    return env


def build_stamp(checkout: Checkout, env: dict[str, str]) -> dict:
    """Everything a build bakes in: a change to any of it needs a new build."""
    baked = {k: env[k] for k in sorted(env) if k.startswith("NEXT_PUBLIC_")}
    return {"commit": checkout.commit, "next": checkout.installed_next(), "baked_env": baked}


def run_logged(cmd: list[str], cwd: Path, env: dict[str, str] | None, log: Path, timeout_s: float, what: str) -> None:
    with open(log, "wb") as out:
        try:
            rc = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                timeout=timeout_s, start_new_session=True).returncode
        except subprocess.TimeoutExpired:
            raise StepFailed(f"{what} did not finish within {timeout_s:.0f} s", log) from None
    if rc != 0:
        raise StepFailed(f"{what} exited with {rc}", log)


def system_font() -> Path | None:
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        fonts = sorted(root.rglob("*.ttf")) if root.is_dir() else []
        if fonts:
            return fonts[0]
    return None


class FontServer:
    """next/font under Turbopack fetches the font files named in the mocked CSS over HTTP, even when
    the CSS itself is mocked: serve one local font file on loopback for the length of the build."""

    def __init__(self, workdir: Path):
        self.dir = workdir / "fonts"
        self.dir.mkdir(exist_ok=True)
        font = system_font()
        # Glyphs do not matter for a smoke run; without a system font the bytes are a stand-in
        # the browser will refuse, falling back to the metric-matched fallback next/font emits.
        data = font.read_bytes() if font else b"kulti-smoke: placeholder, not a font\n"
        self.source = str(font) if font else "a placeholder (no system .ttf found)"
        (self.dir / "font.ttf").write_bytes(data)
        handler = partial(_QuietHandler, directory=str(self.dir))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def write_mock(self) -> Path:
        font_url = f"http://127.0.0.1:{self.server.server_address[1]}/font.ttf"
        entries = {url: _font_css(family, weights, font_url) for url, (family, weights) in GOOGLE_FONT_CSS_URLS.items()}
        mock = self.dir / "google-fonts-mock.cjs"
        mock.write_text("// NEXT_FONT_GOOGLE_MOCKED_RESPONSES, written by bench/real_kulti.py\n"
                        f"module.exports = {json.dumps(entries, indent=1)};\n")
        return mock

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _font_css(family: str, weights: str, font_url: str) -> str:
    # The `/* latin */` comment is how next/font finds the faces of the requested subset to preload.
    return (f"/* latin */\n@font-face {{\n  font-family: '{family}';\n  font-style: normal;\n"
            f"  font-weight: {weights};\n  font-display: swap;\n  src: url({font_url}) format('truetype');\n"
            "  unicode-range: U+0000-00FF;\n}\n")

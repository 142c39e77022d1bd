"""Which Chromium a run starts: headless, the headless shell Playwright itself runs headless tests in;
--headed, the full browser; SMOKE_CHROMIUM_PATH over both; a --browser-channel as Playwright finds it;
no other browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import browsers
from tests.suite.suite_run import run_suite


def _file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


@pytest.fixture
def playwright_builds(tmp_path, monkeypatch):
    """Playwright's two builds of one revision, laid out as `playwright install chromium` leaves them;
    no system Chromium."""
    monkeypatch.delenv("SMOKE_CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(browsers, "SYSTEM_HEADLESS_SHELL", ())
    full = _file(tmp_path / "chromium-1255" / "chrome-linux64" / "chrome")
    shell = _file(tmp_path / "chromium_headless_shell-1255" / "chrome-headless-shell-linux64" / "chrome-headless-shell")
    return full, shell


def test_headless_runs_start_playwrights_headless_shell_and_headed_runs_its_full_browser(playwright_builds):
    full, shell = playwright_builds
    assert browsers.chromium_path(str(full)) == str(shell)
    assert browsers.chromium_path(str(full), headless=False) == str(full)


def test_without_playwrights_shell_the_systems_shell_is_started(playwright_builds, tmp_path, monkeypatch):
    full, shell = playwright_builds
    shell.unlink()
    system_shell = _file(tmp_path / "usr" / "bin" / "chromium-headless-shell")
    monkeypatch.setattr(browsers, "SYSTEM_HEADLESS_SHELL", (str(system_shell),))
    assert browsers.chromium_path(str(full)) == str(system_shell)


def test_with_no_shell_anywhere_headless_runs_start_the_full_browser(playwright_builds):
    full, shell = playwright_builds
    shell.unlink()
    assert browsers.chromium_path(str(full)) == str(full)


def test_smoke_chromium_path_is_started_headless_and_headed(playwright_builds, tmp_path, monkeypatch):
    full, _ = playwright_builds
    chosen = _file(tmp_path / "opt" / "chromium")
    monkeypatch.setenv("SMOKE_CHROMIUM_PATH", str(chosen))
    assert browsers.chromium_path(str(full)) == str(chosen)
    assert browsers.chromium_path(str(full), headless=False) == str(chosen)


def test_a_smoke_chromium_path_that_is_no_file_is_a_usage_error(playwright_builds, tmp_path, monkeypatch):
    full, _ = playwright_builds
    monkeypatch.setenv("SMOKE_CHROMIUM_PATH", str(tmp_path / "missing"))
    with pytest.raises(pytest.UsageError, match="SMOKE_CHROMIUM_PATH=.*missing is not a file"):
        browsers.chromium_path(str(full))


def test_headed_and_headless_launches_name_their_build_and_a_channel_is_left_to_playwright(playwright_builds):
    full, shell = playwright_builds
    chosen = {name: browsers.launch_args(given, str(full)) for name, given in
              {"headless": {}, "headed": {"headless": False}, "channel": {"channel": "chrome"}}.items()}
    started = {name: args.get("env", {}).get("SMOKE_CHROMIUM_BINARY", args.get("executable_path"))
               for name, args in chosen.items()}  # through setpriv when root (launch_as_a_user)
    assert started == {"headless": str(shell), "headed": str(full), "channel": None}
    assert all("--use-fake-ui-for-media-stream" in args["args"] for args in chosen.values())


def test_another_browser_than_chromium_is_a_usage_error_naming_the_option():
    run = run_suite("-m", "critical", "--browser", "firefox", alone=False)
    assert run.exit_code == 4 and "--browser firefox: the suite drives Chromium only" in run.output
    assert "Traceback" not in run.output and run.wall_s < 15

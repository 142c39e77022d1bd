"""Fixtures for the project's own tests: one sandbox process per test session, faults reset per test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from fixtures.sandbox_process import SandboxProcess
from tests import room_chains
from tests.suite import suite_run


# Each of a run's ~900 sandboxes and suite runs is a new Python process: with bytecode caching off (as some
# machines set it) each compiled the project's modules and rewrote the suite's asserts again, 0.2-0.4 CPU s
# apiece. The cache goes to the checkout's own __pycache__ (ignored by git).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# Likewise Playwright's Node driver, started by each of them: Node keeps the code it compiled here
# (https://nodejs.org/api/module.html#module-compile-cache), ~0.15 CPU s less per start.
os.environ.setdefault("NODE_COMPILE_CACHE", str(Path(tempfile.gettempdir()) / f"kulti-smoke-node-cache-{os.getuid()}"))


@pytest.fixture(scope="session")
def sandbox():
    # Cooldown off so tests may ask for several OTPs per number; its own test turns it on.
    proc = SandboxProcess(args=("--otp-cooldown", "0")).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="session", autouse=True)
def _suite_reports_under_pytest_tmp(tmp_path_factory):
    suite_run.REPORTS_ROOT = tmp_path_factory.mktemp("suite-runs")


# The long-lived sandboxes a test may share with others: the session's, and tests/sandbox's `kulti`.
SHARED_SANDBOXES = ("sandbox", "kulti")


@pytest.fixture(autouse=True)
def _no_faults_left_behind(request):
    yield
    for name in SHARED_SANDBOXES:
        if name in request.fixturenames:
            request.getfixturevalue(name).clear_faults()


@pytest.fixture
def start_sandbox():
    """Start an extra sandbox with its own arguments; stopped after the test."""
    started: list[SandboxProcess] = []

    def start(*args: str) -> SandboxProcess:
        proc = SandboxProcess(args=args).start()
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()


def pytest_addoption(parser):
    parser.addoption("--both-shapes", action="store_true",
                     help="prove every fault row both sandbox shapes have on both (the default run proves "
                          "each on one: tests/suite/fault_rows.py on_shape)")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Rows on their second shape are left out unless --both-shapes (listed as deselected).
    On several workers, a sandbox or emulation module runs whole on one worker: its module-scoped
    room or sign-ins must not meet another module's test (a logout, a fault) in between. Live rooms
    go to two chains (room_chains.py). Other fault rows, each on its own sandbox, are spread one by one."""
    if not config.getoption("--both-shapes"):
        second = [item for item in items if item.get_closest_marker("second_shape")]
        if second:
            config.hook.pytest_deselected(items=second)
            items[:] = [item for item in items if not item.get_closest_marker("second_shape")]
    chains = room_chains.assign(items)
    for item in items:
        module = item.nodeid.split("::")[0]
        if item in chains:
            item.add_marker(pytest.mark.xdist_group(chains[item]))
        elif module.startswith(("tests/sandbox/", "tests/emulations/")) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(module))

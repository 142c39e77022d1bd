"""Fixtures for the project's own tests: one sandbox process per test session, faults reset per test."""

from __future__ import annotations

import pytest

from fixtures.sandbox_process import SandboxProcess
from tests import room_chains
from tests.suite import run_turns, suite_run


@pytest.fixture(scope="session")
def sandbox():
    # Cooldown off so tests may ask for several OTPs per number; its own test turns it on.
    proc = SandboxProcess(args=("--otp-cooldown", "0")).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="session", autouse=True)
def _suite_reports_under_pytest_tmp(tmp_path_factory):
    suite_run.REPORTS_ROOT = tmp_path_factory.mktemp("suite-runs")


RUNS_ALONE = "runs-alone"

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


def pytest_configure(config):
    config.addinivalue_line("markers", "runs_alone: runs the suite with the machine to itself (a GO run, "
                                       "a timed refusal): all such tests run in one phase, on one worker")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """On several workers, a sandbox or emulation module runs whole on one worker: its module-scoped
    room or sign-ins must not meet another module's test (a logout, a fault) in between. Live rooms
    go to two chains (room_chains.py). The tests that run the suite alone form one group, run back to
    back (run_turns.hold_phase). Other fault rows, each on its own sandbox, are spread one by one."""
    chains = room_chains.assign(items)
    for item in items:
        module = item.nodeid.split("::")[0]
        if item.get_closest_marker("runs_alone"):
            item.add_marker(pytest.mark.xdist_group(RUNS_ALONE))
        elif item in chains:
            item.add_marker(pytest.mark.xdist_group(chains[item]))
        elif module.startswith(("tests/sandbox/", "tests/emulations/")) and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(module))


def pytest_runtest_setup(item):
    """The machine is this worker's from the first test that runs alone to the last of them (xdist
    hands a group to one worker whole, in order): one drain of the other workers' rows, not one a run."""
    if item.get_closest_marker("runs_alone"):
        run_turns.hold_phase()
    else:
        run_turns.release_phase()


def pytest_sessionfinish(session):
    run_turns.release_phase()

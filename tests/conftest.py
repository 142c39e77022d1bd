"""Fixtures for the project's own tests: one sandbox process per test session, faults reset per test."""

from __future__ import annotations

import pytest

from fixtures.sandbox_process import SandboxProcess


@pytest.fixture(scope="session")
def sandbox():
    # Cooldown off so tests may ask for several OTPs per number; its own test turns it on.
    proc = SandboxProcess(args=("--otp-cooldown", "0")).start()
    yield proc
    proc.stop()


@pytest.fixture(autouse=True)
def _no_faults_left_behind(request):
    yield
    if "sandbox" in request.fixturenames:
        request.getfixturevalue("sandbox").clear_faults()


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

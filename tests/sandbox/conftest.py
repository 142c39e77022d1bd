"""Shared by the sandbox test modules: signed-in API clients for the reserved users, and the launched
app's shape (kulti-2025-11) one per module (its faults cleared after each test: tests/conftest.py)."""

from __future__ import annotations

import pytest

from fixtures.sandbox_process import SandboxProcess
from tests.sandbox.kulti_client import sign_in
from tests.suite.run_turns import turn

HOST, GUEST = "+15555550100", "+15555550101"


@pytest.fixture(scope="module")
def host(sandbox):
    return sign_in(sandbox, HOST)


@pytest.fixture(scope="module")
def guest(sandbox):
    return sign_in(sandbox, GUEST)


@pytest.fixture(scope="module")
def kulti():
    # No OTP cooldown: a module signs the same reserved users in many times within a minute.
    proc = SandboxProcess(args=("--shape", "kulti-2025-11", "--otp-cooldown", "0")).start()
    yield proc
    proc.stop()


@pytest.fixture(autouse=True)
def _browser_tests_share_the_machine(request):
    """A sandbox browser test checks behaviour, not speed: it may run beside a fault row, never beside
    a suite run that must pass (tests/suite/run_turns.py)."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    with turn(alone=False):
        yield

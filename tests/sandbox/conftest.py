"""Signed-in API clients for the reserved users, shared by the sandbox test modules."""

from __future__ import annotations

import pytest

from tests.sandbox.kulti_client import sign_in
from tests.suite.run_turns import turn

HOST, GUEST = "+15555550100", "+15555550101"


@pytest.fixture(scope="module")
def host(sandbox):
    return sign_in(sandbox, HOST)


@pytest.fixture(scope="module")
def guest(sandbox):
    return sign_in(sandbox, GUEST)


@pytest.fixture(autouse=True)
def _browser_tests_share_the_machine(request):
    """A sandbox browser test checks behaviour, not speed: it may run beside a fault row, never beside
    a suite run that must pass (tests/suite/run_turns.py)."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    with turn(alone=False):
        yield

"""Signed-in API clients for the reserved users, shared by the sandbox test modules."""

from __future__ import annotations

import pytest

from tests.sandbox.kulti_client import sign_in

HOST, GUEST = "+15555550100", "+15555550101"


@pytest.fixture(scope="module")
def host(sandbox):
    return sign_in(sandbox, HOST)


@pytest.fixture(scope="module")
def guest(sandbox):
    return sign_in(sandbox, GUEST)

"""The emulation tests' own hook: async tests (the official Realtime client is asyncio) each on a loop of
their own."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Each async test on an event loop of its own, in a thread of its own: on a worker where a
    Playwright test ran before, the main thread already runs Playwright's loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, pyfuncitem.obj(**args)).result()
    return True

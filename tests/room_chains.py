"""Live rooms in two chains: every test that opens a room (a fault row of T6-T10, a sandbox module
on media_browser) joins one of two xdist groups, so two workers take the rooms one after another
while the other workers take everything else.

Before, rooms were spread over all four workers and waited for one of the two room slots
(suite/run_turns.py): a worker waiting for a slot ran nothing, so two of four often stood idle
while the rows that only wait (a page check's 10 s, Sentry's ingestion) queued behind them.
xdist's loadgroup hands out the largest groups first, so the chains start at once and run all along.
The slots stay, for rooms that run outside the chains (a run alone, a single module picked by hand).
"""

from __future__ import annotations

import pytest

from tests.suite.fault_rows import ROOM_TESTS

CHAINS = ("room-chain-1", "room-chain-2")
# Wall seconds of one row alone on this machine (a 4 s recording hold), to balance the chains:
# T10 20, T8 15, T9 13 measured on 2026-12-01; T7 16 since it reads two known-media windows
# (mic_silent row 16.3 s beside a T9 row's 10.5 s); T6 taken as T9's.
ROW_S = {"T10": 20.0, "T8": 15.0, "T7": 16.0, "T6": 13.0, "T9": 13.0}
ROOM_MODULE_TEST_S = 3.0  # a test in a sandbox room module: the room is already open


def _room_row(item: pytest.Item) -> str | None:
    """The runbook test of a fault row that opens a room, else None."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    row = params.get("row")
    test_id = getattr(row, "test_id", None) or params.get("test_id")
    return test_id if test_id in ROOM_TESTS else None


def _units(items: list[pytest.Item]) -> list[tuple[float, list[pytest.Item]]]:
    """What must stay on one worker, with its cost: a fault row alone, a room module whole."""
    units, modules = [], {}
    for item in items:
        if test_id := _room_row(item):
            units.append((ROW_S[test_id], [item]))
        elif "media_browser" in getattr(item, "fixturenames", ()):
            modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    units += [(ROOM_MODULE_TEST_S * len(tests), tests) for tests in modules.values()]
    return units


def assign(items: list[pytest.Item]) -> dict[pytest.Item, str]:
    """Each room test's chain: the costliest units first, each to the chain with less so far
    (deterministic, as every xdist worker must collect the same groups)."""
    load = dict.fromkeys(CHAINS, 0.0)
    chain_of = {}
    for cost, tests in sorted(_units(items), key=lambda unit: (-unit[0], unit[1][0].nodeid)):
        chain = min(CHAINS, key=lambda c: (load[c], c))
        load[chain] += cost
        chain_of.update(dict.fromkeys(tests, chain))
    return chain_of

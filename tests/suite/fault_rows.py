"""One fault row: a sandbox with one fault, the test(s) it breaks run alone, and the verdict naming
the right test, category and the check's own expected text: NO-GO for a critical test, GO with the
failure listed for an important one (important tests never decide GO), NO-GO for the deploy checks."""

from __future__ import annotations

import re
import zlib
from typing import NamedTuple

import pytest

from fixtures.verdict import DECIDING

from tests.suite.run_turns import ROOM_SLOTS
from tests.suite.suite_run import run_against

ROOM_TESTS = {"T6", "T7", "T8", "T9", "T10"}  # their runs open a live room (run_turns.room_slot)
# A row's room asks for 10 frames a second or fewer (the sandbox's --camera-fps) unless its check judges the
# camera's rate or its fault changes it: a 30 fps room keeps 1.3 cores busy, and three of them on two cores starved
# each other's steps (three Test 9 rows took 56-59 s each at 30 fps, 30-31 s at 10; 11 s alone). Those
# checks come last in their tests (T7 step 6, T8 step 6, T10's hold), so a slower camera fails none of the
# checks before them; T7's and T8's floors (24 and 12 fps) would fail on it by themselves.
CAMERA_RATE_CHECKS = ("Received frame rate", "Received video bitrate", "No freezing observed",
                      "Session continues with video only", "frame rate of user 1's camera")
CAMERA_RATE_FAULTS = {"low_framerate", "recording_framerate_drop"}
LIGHT_CAMERA = ("--camera-fps", "10")
# Lighter still, a quarter of the picture at 5 fps (the sandbox's --camera-size), but for Test 7, which reads
# the known media's blocks in every frame received and must not meet an encoder that halves an already small
# picture under load. A row's room is open for most of its time, and two rooms' steady cost was the better
# part of the CI's CPU: 0.64 CPU s a second at 960x540 and 10 fps, 0.38 at 480x270 and 5 (bench/room_cpu.py).
LIGHTEST_CAMERA = ("--camera-fps", "5", "--camera-size", "480x270")
PICTURE_READ_TESTS = {"T7"}


KULTI = "kulti-2025-11"
SHAPES = ("runbook", KULTI)


class FaultRow(NamedTuple):
    fault: str | None  # None: no fault; the run's own arguments make the check fail (assert_fault_fails_check)
    value: str | None
    selection: str  # pytest -k expression of the smoke test(s) to run
    test_id: str  # the runbook test that must fail
    category: str  # functional | budget
    expected: str  # a part of the failing check's "Expected:" text
    severity: str | None = None  # when given, the failure this row proves carries this severity
    measured: str | None = None  # when given, a part of that failure's "Measured:" text

    @property
    def id(self) -> str:
        return f"{self.fault or 'no-fault'}-{self.test_id}" + (f"-{self.value}" if self.value else "")


def camera_args(row: FaultRow) -> tuple[str, ...]:
    """The sandbox's camera options for a row: as light as its check allows."""
    if row.test_id not in ROOM_TESTS or row.fault in CAMERA_RATE_FAULTS or row.expected.startswith(CAMERA_RATE_CHECKS):
        return ()
    return LIGHT_CAMERA if row.test_id in PICTURE_READ_TESTS else LIGHTEST_CAMERA


def assert_fault_fails_check(start_sandbox, row: FaultRow, shape: str | None = None, profile: str | None = None,
                             extra_args: tuple[str, ...] = (), env: dict[str, str] | None = None,
                             sandbox_args: tuple[str, ...] = (), room_to_itself: bool = False) -> None:
    """`row.fault` None: the sandbox runs without a fault, and `extra_args` (say, --expect-version) make
    the check fail. `env`: settings for this run on top of the sandbox's (e.g. a shorter SMOKE_RECORDING_HOLD_S).
    `sandbox_args`: the sandbox's own options for this row (say, --client-nav). `room_to_itself`: no other
    room beside this row's (a figure read from known media; run_turns.py)."""
    shape_args = ("--shape", shape) if shape else ()
    fault_args = ("--fault", f"{row.fault}={row.value}" if row.value else row.fault) if row.fault else ()
    sandbox = start_sandbox(*shape_args, *sandbox_args, *camera_args(row), *fault_args)
    profile_args = ("--app-profile", profile) if profile else ()
    # One process (-n 0): each row runs one or two tests, where starting workers would double
    # the time; the checks are the same code either way, and the GO runs use the workers.
    # No HTML report: the GO runs prove it is built; a row only needs the verdict. Screenshots only where
    # a step failed, no trace (test_evidence_option.py proves both kinds): a screenshot of every page at
    # every step and the trace's DOM snapshots cost a page row about 1 of its 8 CPU s.
    marker = "deploy" if row.test_id == "C" else "critical" if row.test_id in DECIDING else "important"
    # A row must fail: it may share the machine with another row (run_turns.py). It keeps the default
    # SMOKE_UI_WAIT_S (10 s): with 8 s, two T10 rows' Start/Stop clicks ran out of wait on three busy
    # workers before their own check.
    run = run_against(sandbox, "-m", marker, "-k", row.selection, "-n", "0", "--smoke-no-html",
                      "--smoke-evidence", "failures", *profile_args,
                      *extra_args, env_extra=env, alone=False,
                      room=(ROOM_SLOTS if room_to_itself else 1) if row.test_id in ROOM_TESTS else 0)
    verdict = run.verdict
    decides = row.test_id in DECIDING
    assert (run.exit_code != 0) is decides and verdict["verdict"] == ("NO-GO" if decides else "GO"), run.output[-3000:]
    assert verdict["results"][row.test_id] == "failed", run.output[-3000:]
    failures = run.failures_of(row.test_id)
    assert any(f["category"] == row.category and row.expected in f["expected"]
               and row.severity in (None, f["severity"]) and (row.measured or "") in f["measured"]
               for f in failures), \
        [(f["category"], f["step"], f["expected"], f["measured"], f["severity"]) for f in failures]
    assert all(f["severity"] for f in failures if f["category"] != "environment")
    assert re.search("✗ Part C: " if row.test_id == "C" else rf"✗ Test {row.test_id[1:]}: ", run.output)
    assert not (run.reports / "allure-report").exists()


def same_check(row: FaultRow) -> tuple:
    """What a row proves: two rows agreeing on these prove one check (their -k selections may differ)."""
    return row.fault, row.value, row.test_id, row.category, row.expected, row.severity, row.measured


def on_one_shape(rows: list[FaultRow], shape: str, other_shapes_rows: list[FaultRow]) -> list:
    """`rows` as parameters of `shape`'s test. A row proving the same check as one of the other shape's
    rows (69 of the critical checks) is proven on one of the two in the default run,
    chosen by a checksum of the check, so each profile meets about half; on the other shape it is marked
    `second_shape`, which only `--both-shapes` runs. Every such row ran on both shapes before: 69 runs of a
    CI over its 40 minutes (issue #11)."""
    others = {same_check(row) for row in other_shapes_rows}
    proven_on = {same_check(row): SHAPES[zlib.crc32(repr(same_check(row)).encode()) % 2]
                 for row in rows if same_check(row) in others}
    return [pytest.param(row, id=row.id, marks=[pytest.mark.second_shape] if proven_on.get(same_check(row), shape) != shape else [])
            for row in rows]


def on_shape(rows: list[FaultRow], shape: str, shared: list[FaultRow], ids: list[str] | None = None) -> list:
    """`rows` as parameters of `shape`'s test. A row of `shared` (a fault both shapes have, read through
    each profile) is proven on one shape in the default run, the two shapes taking turns down the list, so
    each shape's profile meets about half of them; on the other shape it is marked `second_shape`, which
    only `--both-shapes` runs (tests/conftest.py). Two rooms per shared fault made the CI run 100 minutes
    long (its limit is 90) and starved the rooms that ran."""
    proven_on = {row: SHAPES[i % 2] for i, row in enumerate(shared)}
    return [pytest.param(row, id=row_id, marks=[pytest.mark.second_shape] if proven_on.get(row, shape) != shape else [])
            for row, row_id in zip(rows, ids or [row.id for row in rows])]

"""run_turns.py: no more than ROOM_SLOTS live rooms at once, and a freed slot is taken; the phase of the runs
alone keeps every other row out until it ends, and a run alone outside it is refused on a worker."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.suite import run_turns

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def own_locks(tmp_path, monkeypatch):
    monkeypatch.setattr(run_turns, "LOCKS", tmp_path)  # not the slots of a run going on beside this one


def test_a_third_room_waits_until_one_of_two_slots_is_free():
    inside, most, release = [], [], threading.Event()
    lock = threading.Lock()

    def room():
        with run_turns.room_slot():
            with lock:
                inside.append(1)
                most.append(len(inside))
            release.wait(10)
            with lock:
                inside.pop()

    rooms = [threading.Thread(target=room) for _ in range(3)]
    for r in rooms:
        r.start()
    for r in rooms:
        r.join(0.5)
    assert len(inside) == run_turns.ROOM_SLOTS == 2  # the third is still waiting
    release.set()
    for r in rooms:
        r.join(10)
    assert not any(r.is_alive() for r in rooms) and max(most) == 2 and len(most) == 3


ROW_PY = """import sys, time
from pathlib import Path
from tests.suite import run_turns
run_turns.LOCKS = Path(sys.argv[1])
with run_turns.turn(alone=False):
    print("entered", flush=True)
"""


def test_the_phase_keeps_other_workers_rows_out_until_released_and_its_own_runs_go_straight_in(tmp_path):
    run_turns.hold_phase()
    try:
        with run_turns.turn(alone=True), run_turns.turn(alone=False):  # the phase's own runs: no wait
            pass
        row = subprocess.Popen([sys.executable, "-c", ROW_PY, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        with pytest.raises(subprocess.TimeoutExpired):
            row.wait(2)  # another worker's row waits for the phase
    finally:
        run_turns.release_phase()
    assert row.communicate(timeout=20)[0] == "entered\n"


def test_a_run_alone_on_a_worker_outside_the_phase_is_refused_naming_the_marker(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw9")
    with pytest.raises(RuntimeError, match="runs_alone"):
        with run_turns.turn(alone=True):
            pass

"""Room slots (run_turns.py): no more than ROOM_SLOTS live rooms at once, and a freed slot is taken."""

from __future__ import annotations

import threading

import pytest

from tests.suite import run_turns


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

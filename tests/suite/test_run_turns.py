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


def test_a_room_that_takes_every_slot_waits_for_the_rooms_inside_and_keeps_new_ones_out():
    order, first_in, release = [], threading.Event(), threading.Event()

    def one_slot_room(name, hold):
        with run_turns.room_slot():
            order.append(f"{name} in")
            first_in.set()
            hold.wait(10)
            order.append(f"{name} out")

    def whole_room():
        with run_turns.room_slot(run_turns.ROOM_SLOTS):
            order.append("whole in")
            order.append("whole out")

    first = threading.Thread(target=one_slot_room, args=("first", release))
    first.start()
    first_in.wait(5)
    whole = threading.Thread(target=whole_room)
    whole.start()
    whole.join(0.5)
    assert order == ["first in"]  # the room to itself waits for the room already in
    release.set()
    first.join(10)
    whole.join(10)
    assert order == ["first in", "first out", "whole in", "whole out"]


def test_a_run_alone_waits_for_a_room_module_to_end_and_one_inside_the_module_is_refused():
    alone_in = threading.Event()

    def run_alone():
        with run_turns.turn(alone=True):
            alone_in.set()

    with run_turns.room_turn():
        elsewhere = threading.Thread(target=run_alone)
        elsewhere.start()
        assert not alone_in.wait(0.5)  # the module's room is still open
        with run_turns.turn(alone=False):
            pass  # covered by the module's own turn, though a run alone waits at the gate
        with pytest.raises(RuntimeError, match="would wait for its own room"):
            with run_turns.turn(alone=True):
                pass
    assert alone_in.wait(5)
    elsewhere.join(5)

"""The room's measurement windows and the front door take turns (fixtures/measurement_window.py).

Each side runs in a thread here, as on two workers: flock locks belong to the open file, so two opens in one
process exclude each other as two processes do."""

from __future__ import annotations

import importlib
import inspect
import threading
import types
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from fixtures.login_broker import _DIR
from fixtures.measurement_window import CallHeld, after_the_call, front_door_test, lock_paths, waits_for_the_call, window

STILL_WAITING_S = 0.4  # long enough for a lock that is free to be taken many times over


class Side(threading.Thread):
    """Enters `held` when started, stays inside until released."""

    def __init__(self, held: AbstractContextManager):
        super().__init__(daemon=True)
        self.held, self.inside, self.release = held, threading.Event(), threading.Event()

    def run(self) -> None:
        with self.held:
            self.inside.set()
            self.release.wait(10)

    def leave(self) -> None:
        self.release.set()
        self.join(5)


@pytest.fixture
def locks(tmp_path):
    return tmp_path / "measurement-window.lock", tmp_path / "measurement-window.turn"


@pytest.mark.parametrize("first, then", [(front_door_test, window), (window, front_door_test)],
                         ids=["a window waits for the front-door test running",
                              "a front-door test waits while a window is open"])
def test_one_side_waits_while_the_other_holds_the_machine(locks, first, then):
    holding = Side(first(*locks))
    holding.start()
    assert holding.inside.wait(5)
    waiting = Side(then(*locks))
    waiting.start()
    assert not waiting.inside.wait(STILL_WAITING_S), f"{then.__name__} went in while {first.__name__} held it"
    holding.leave()
    assert waiting.inside.wait(5), f"{then.__name__} stayed out after {first.__name__} ended"
    waiting.leave()


def test_a_waiting_window_opens_before_the_next_front_door_test(locks):
    first = Side(front_door_test(*locks))
    first.start()
    assert first.inside.wait(5)
    room = Side(window(*locks))
    room.start()
    assert not room.inside.wait(STILL_WAITING_S)
    following = Side(front_door_test(*locks))  # the worker's next test, started while the window waits
    following.start()
    assert not following.inside.wait(STILL_WAITING_S), "the next front-door test went before the waiting window"
    first.leave()
    assert room.inside.wait(5)
    assert not following.inside.wait(STILL_WAITING_S), "the next front-door test ran inside the window"
    room.leave()
    assert following.inside.wait(5)
    following.leave()


def test_front_door_tests_do_not_wait_for_each_other(locks):
    one, other = Side(front_door_test(*locks)), Side(front_door_test(*locks))
    one.start()
    other.start()
    assert one.inside.wait(5) and other.inside.wait(5)
    one.leave()
    other.leave()


def test_no_lock_where_nothing_runs_side_by_side(tmp_path):
    """One process (-n 0, every fault row) or a run that is not the smoke suite: no lock to wait on."""
    def config(worker: bool, directory) -> types.SimpleNamespace:
        stash = {_DIR: directory} if directory else {}
        return types.SimpleNamespace(stash=stash, **({"workerinput": {}} if worker else {}))

    assert lock_paths(config(worker=False, directory=tmp_path)) is None
    assert lock_paths(config(worker=True, directory=None)) is None
    assert lock_paths(config(worker=True, directory=tmp_path)) == (tmp_path / "measurement-window.lock",
                                                                   tmp_path / "measurement-window.turn")


def test_a_front_door_test_beside_the_call_waits_until_t7_has_measured_it(tmp_path):
    room = CallHeld(tmp_path / "call-measured.lock")
    room.take()  # the room's first test
    room.take()  # ... and the next one, before T7: still the one hold
    t11 = Side(after_the_call(room.path))
    t11.start()
    assert not t11.inside.wait(STILL_WAITING_S), "a front-door test went in while the call was still to be measured"
    room.give_back()  # T7 ended
    assert t11.inside.wait(5), "the front-door test stayed out after T7 ended"
    t12 = Side(after_the_call(room.path))
    t12.start()
    assert t12.inside.wait(5), "front-door tests after the call wait for each other"
    t11.leave()
    t12.leave()


def _smoke_tests() -> dict[str, list[types.SimpleNamespace]]:
    """Each smoke test function as an item shows it to the fixture (its markers, the fixtures it names), by
    runbook id: read from the modules, as collecting the suite would start a run."""
    tests: dict[str, list[types.SimpleNamespace]] = {}
    for path in sorted(Path("smoke").glob("test_*.py")):
        module = importlib.import_module(f"smoke.{path.stem}")
        module_marks = getattr(module, "pytestmark", [])
        module_marks = module_marks if isinstance(module_marks, list) else [module_marks]
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("test_"):
                continue
            marks = [*getattr(function, "pytestmark", []), *module_marks]  # the function's own come first

            def closest(marker_name, marks=marks):
                return next((m for m in marks if m.name == marker_name), None)
            item = types.SimpleNamespace(get_closest_marker=closest,
                                         fixturenames=list(inspect.signature(function).parameters))
            tests.setdefault(closest("runbook").args[0], []).append(item)
    return tests


def test_only_the_important_front_door_tests_that_open_pages_wait_for_the_call():
    tests = _smoke_tests()
    waiting = sorted(rid for rid, items in tests.items() if any(waits_for_the_call(item) for item in items))
    assert waiting == ["T11", "T12"]  # never T1-T4 (the critical run), the deployment checks (no pages) or the room

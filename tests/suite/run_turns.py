"""Turns for the project's own suite runs when the tests run on several workers.

A fault row proves a check fails; the CPU another row uses cannot make it pass, so rows share the
machine. A run that must pass (GO, DEGRADED, a measured value within budget) runs alone: on this
2-core machine a second browser beside it costs frames and milliseconds the budgets count.

Two flock(2) locks across processes: `runs` held shared by each row and exclusively by a run alone;
`gate` taken by a run alone while it waits, so rows arriving meanwhile queue behind it instead of
keeping it waiting for ever.

Room slots: a live room (two browsers sending and decoding camera, microphone, screen) keeps about
1.3 cores busy, so at most ROOM_SLOTS rooms run at once (a fault row of T6-T10, a sandbox room
module). Three rooms on two cores stretched every step, and the media ran on through the stretch:
24 T8 rows cost 30 CPU s each on three workers against 20 alone. The other workers take the rows
that mostly wait (a page check waiting out its 10 s, Sentry's ingestion). A slot is taken before
a turn and never while holding one, so a run alone never waits on a room that waits on it.

A room module (tests/sandbox, media_browser) streams between its tests too, so it holds a shared
turn for its whole life (room_turn): a GO run beside such a room read 201 ms of audio latency
against the 200 ms budget (official CI of 554b9f1). A run that measures media from known media
takes every slot (room_slot(ROOM_SLOTS)): beside another room its delayed picture stalled for the
whole 3 s window (the same CI, both video_delay rows of the launched app's shape).
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

LOCKS = Path(tempfile.gettempdir()) / f"kulti-smoke-turns-{os.getuid()}"
ROOM_SLOTS = 2
SLOT_POLL_S = 0.1  # how often a room waiting for a slot looks again (scheduling, not a measurement)


@contextmanager
def _locked(name: str, mode: int) -> Iterator[None]:
    LOCKS.mkdir(exist_ok=True)
    with open(LOCKS / name, "a") as f:
        fcntl.flock(f, mode)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# Whether this thread holds a room module's turn (its tests run inside it).
_in_room_module = threading.local()


@contextmanager
def room_turn() -> Iterator[None]:
    """A shared turn for a room module's whole life."""
    with turn(alone=False):
        _in_room_module.held = True
        try:
            yield
        finally:
            _in_room_module.held = False


@contextmanager
def turn(alone: bool) -> Iterator[None]:
    if getattr(_in_room_module, "held", False):
        if alone:
            raise RuntimeError("a suite run alone inside a room module would wait for its own room to end")
        yield  # the module's turn covers it; asking again could queue behind a run alone waiting for it
        return
    if alone:
        with _locked("gate", fcntl.LOCK_EX), _locked("runs", fcntl.LOCK_EX):
            yield
    else:
        with _locked("gate", fcntl.LOCK_EX):
            pass  # wait behind any run that asked to be alone
        with _locked("runs", fcntl.LOCK_SH):
            yield


@contextmanager
def room_slot(slots: int = 1) -> Iterator[None]:
    """One room slot, or (slots=ROOM_SLOTS) all of them: then no other room runs beside. All are taken
    in order, blocking, so two such runs never hold one each; a one-slot room never waits holding one."""
    LOCKS.mkdir(exist_ok=True)
    if slots > 1:
        with ExitStack() as held:
            for i in range(ROOM_SLOTS):
                held.enter_context(_locked(f"room-{i}", fcntl.LOCK_EX))
            yield
        return
    with ExitStack() as files:
        slot_files = [files.enter_context(open(LOCKS / f"room-{i}", "a")) for i in range(ROOM_SLOTS)]
        while True:
            for slot in slot_files:
                try:
                    fcntl.flock(slot, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                try:
                    yield
                finally:
                    fcntl.flock(slot, fcntl.LOCK_UN)
                return
            time.sleep(SLOT_POLL_S)

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
"""

from __future__ import annotations

import fcntl
import os
import tempfile
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


@contextmanager
def turn(alone: bool) -> Iterator[None]:
    if alone:
        with _locked("gate", fcntl.LOCK_EX), _locked("runs", fcntl.LOCK_EX):
            yield
    else:
        with _locked("gate", fcntl.LOCK_EX):
            pass  # wait behind any run that asked to be alone
        with _locked("runs", fcntl.LOCK_SH):
            yield


@contextmanager
def room_slot() -> Iterator[None]:
    LOCKS.mkdir(exist_ok=True)
    with ExitStack() as files:
        slots = [files.enter_context(open(LOCKS / f"room-{i}", "a")) for i in range(ROOM_SLOTS)]
        while True:
            for slot in slots:
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

"""Turns for the project's own suite runs when the tests run on several workers.

A fault row proves a check fails; the CPU another row uses cannot make it pass, so rows share the
machine. A run that must pass (GO, DEGRADED, a measured value within budget) runs alone: on this
2-core machine a second browser beside it costs frames and milliseconds the budgets count.

Two flock(2) locks across processes: `runs` held shared by each row and exclusively by a run alone;
`gate` taken by a run alone while it waits, so rows arriving meanwhile queue behind it instead of
keeping it waiting for ever.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCKS = Path(tempfile.gettempdir()) / f"kulti-smoke-turns-{os.getuid()}"


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

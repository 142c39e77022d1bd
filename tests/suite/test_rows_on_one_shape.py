"""Each critical check that both sandbox shapes prove with the same fault runs on exactly one of them
by default (fault_rows.on_one_shape); the rows only one shape has all run."""

from __future__ import annotations

from collections import Counter

from tests.suite.critical_rows import RUNBOOK_ROWS
from tests.suite.fault_rows import KULTI, on_one_shape, same_check
from tests.suite.test_verdict_on_faults_kulti import ROWS as KULTI_ROWS
from tests.suite.test_verdict_on_faults_kulti_front_door import ROWS as KULTI_FRONT_DOOR_ROWS


def test_a_check_both_shapes_prove_runs_once_and_every_other_row_runs():
    kulti = KULTI_ROWS + KULTI_FRONT_DOOR_ROWS
    params = on_one_shape(RUNBOOK_ROWS, "runbook", kulti) + on_one_shape(kulti, KULTI, RUNBOOK_ROWS)
    rows = Counter(same_check(p.values[0]) for p in params)
    runs = Counter(same_check(p.values[0]) for p in params if not p.marks)
    both = [check for check, n in rows.items() if n == 2]
    assert len(both) >= 60 and all(runs[check] == 1 for check in both)
    assert all(runs[check] == 1 for check, n in rows.items() if n == 1)
    on_runbook = sum(1 for p in params[:len(RUNBOOK_ROWS)] if not p.marks and rows[same_check(p.values[0])] == 2)
    assert 0.3 < on_runbook / len(both) < 0.7  # each profile meets a good part of them

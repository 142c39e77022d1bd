"""The budgets file: every runbook number with its source, and how values are compared."""

from __future__ import annotations

import pytest

from fixtures.budgets import load_budgets

BUDGETS = load_budgets()


def test_every_budget_names_its_runbook_line():
    assert all("line" in b.source and (b.min is not None or b.max is not None) for b in BUDGETS.values())


@pytest.mark.parametrize("fps, within", [(23.9, False), (24.0, True), (30.0, True), (30.6, True), (31.0, False),
                                         (60.0, False)])
def test_frame_rate_is_compared_in_whole_frames_per_second(fps, within):
    assert BUDGETS["t7.frame_rate"].allows(fps) is within


@pytest.mark.parametrize("seconds, within", [(2.99, True), (3.0, False), (3.01, False)])
def test_an_upper_time_budget_is_exclusive(seconds, within):
    assert BUDGETS["t1.page_load"].allows(seconds) is within  # "< 3 s"


@pytest.mark.parametrize("kbps, within", [(499.9, False), (500.0, True), (2000.0, True), (2000.1, False)])
def test_a_range_includes_its_ends(kbps, within):
    assert BUDGETS["t7.video_bitrate"].allows(kbps) is within

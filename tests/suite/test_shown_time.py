"""Times read as the user reads them (fixtures/shown_time.py): both shapes' formats, the browser's
zone, the 24-hour dial and the tolerance."""

from __future__ import annotations

import pytest

from fixtures.shown_time import SHOWN_TIME_TOLERANCE_S, instant, shown_seconds, shown_time_problem

AT = instant("2026-12-01T14:40:30Z")


@pytest.mark.parametrize("text, seconds", [
    ("14:05", 14 * 3600 + 300),  # the runbook room's chat (HH:MM)
    ("12/1/2026, 2:05:07 PM", 14 * 3600 + 307),  # the runbook dashboard (toLocaleString, en-US)
    ("2:05\u202fPM", 14 * 3600 + 300),  # the launched app (toLocaleTimeString h:mm, a narrow space)
    ("12:30 AM", 1800), ("12:30 PM", 45000),
    ("Live", None), ("13:05 PM", None), ("25:00", None),
])
def test_the_time_of_day_is_read_from_each_format(text, seconds):
    assert shown_seconds(text) == seconds


def test_a_time_shown_on_the_browsers_clock_within_the_tolerance_passes():
    assert shown_time_problem("2:40 PM", AT, "UTC") is None
    assert shown_time_problem("15:40", AT, "Europe/Berlin") is None
    assert shown_time_problem("23:59", instant("2026-12-02T00:00:30Z"), "UTC") is None  # across midnight
    assert SHOWN_TIME_TOLERANCE_S < 30 * 60  # a half-hour zone mistake still fails


def test_hours_off_or_no_time_at_all_is_said_in_the_users_words():
    assert shown_time_problem("5:40 PM", AT, "UTC") == "shows '5:40 PM', expected 14:40 (UTC): -180 min"
    assert shown_time_problem("14:40", AT, "Europe/Berlin") == "shows '14:40', expected 15:40 (Europe/Berlin): +60 min"
    assert shown_time_problem("", AT, "UTC") == "shows '': no time of day; expected 14:40 (UTC)"

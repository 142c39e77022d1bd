"""SMOKE_RECORDING_HOLD_S: runbook T10's "Continue session for 30 seconds", a named setting validated
before any browser starts."""

from __future__ import annotations

import pytest

from fixtures.settings import SettingsError, load_settings
from tests.suite.test_bad_configuration import GOOD


def test_the_hold_is_the_runbooks_30_seconds_by_default():
    assert load_settings(values=GOOD).smoke_recording_hold_s == 30


def test_a_shorter_hold_is_honoured():
    assert load_settings(values=GOOD | {"SMOKE_RECORDING_HOLD_S": "4"}).smoke_recording_hold_s == 4


@pytest.mark.parametrize("bad", ["0", "-5", "601", "thirty"])
def test_a_bad_hold_is_refused_naming_the_setting(bad):
    with pytest.raises(SettingsError) as error:
        load_settings(values=GOOD | {"SMOKE_RECORDING_HOLD_S": bad})
    assert "SMOKE_RECORDING_HOLD_S: must be the seconds T10 holds a recording" in str(error.value)
    assert "thirty" not in str(error.value)  # values are never echoed

"""SMOKE_RECORDING_COMPLETION_S: how long T10 waits for a stopped recording to complete before it
"never completes", validated before any browser starts."""

from __future__ import annotations

import pytest

from fixtures.settings import SettingsError, load_settings
from tests.suite.test_bad_configuration import GOOD


def test_the_wait_is_a_minute_by_default():
    assert load_settings(values=GOOD).smoke_recording_completion_s == 60


def test_a_shorter_wait_is_honoured():
    assert load_settings(values=GOOD | {"SMOKE_RECORDING_COMPLETION_S": "15"}).smoke_recording_completion_s == 15


@pytest.mark.parametrize("bad", ["0", "-5", "1801", "a minute"])
def test_a_bad_wait_is_refused_naming_the_setting(bad):
    with pytest.raises(SettingsError) as error:
        load_settings(values=GOOD | {"SMOKE_RECORDING_COMPLETION_S": bad})
    assert "SMOKE_RECORDING_COMPLETION_S: must be the seconds T10 waits for a stopped recording" in str(error.value)
    assert "a minute" not in str(error.value)  # values are never echoed

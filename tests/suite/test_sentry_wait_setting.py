"""SMOKE_SENTRY_WAIT_S: how long T12 waits for its thrown error to show in Sentry, validated before any
browser starts (the fault row sentry_not_reported-T12 shows a run honouring it)."""

from __future__ import annotations

import pytest

from fixtures.settings import SettingsError, load_settings
from tests.suite.test_bad_configuration import GOOD


def test_the_wait_is_a_minute_by_default():
    assert load_settings(values=GOOD).smoke_sentry_wait_s == 60


def test_a_shorter_wait_is_honoured():
    assert load_settings(values=GOOD | {"SMOKE_SENTRY_WAIT_S": "15"}).smoke_sentry_wait_s == 15


@pytest.mark.parametrize("bad", ["0", "-5", "601", "a minute"])
def test_a_bad_wait_is_refused_naming_the_setting(bad):
    with pytest.raises(SettingsError) as error:
        load_settings(values=GOOD | {"SMOKE_SENTRY_WAIT_S": bad})
    assert "SMOKE_SENTRY_WAIT_S: must be the seconds T12 waits for its error to show in Sentry" in str(error.value)
    assert "a minute" not in str(error.value)  # values are never echoed

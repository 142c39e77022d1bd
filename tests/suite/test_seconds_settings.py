"""The settings that are a number of seconds, validated before any browser starts: each has its default,
a shorter value is honoured, and a bad value is refused naming the setting, never echoing the value.
Runs honouring them: SMOKE_UI_WAIT_S below; SMOKE_RECORDING_HOLD_S, SMOKE_RECORDING_COMPLETION_S and
SMOKE_SENTRY_WAIT_S in the T10 and T12 fault rows (their failures name the wait)."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from fixtures.settings import SettingsError, load_settings
from tests.suite.test_bad_configuration import GOOD


class Seconds(NamedTuple):
    name: str
    default: float
    shorter: str
    bad: tuple[str, ...]  # the last one is a word, which the error must not echo
    hint: str  # the start of what the error says the setting must be


SECONDS = [
    # Runbook T10's "Continue session for 30 seconds" (line 1296).
    Seconds("SMOKE_RECORDING_HOLD_S", 30, "4", ("0", "-5", "601", "thirty"), "must be the seconds T10 holds a recording"),
    Seconds("SMOKE_RECORDING_COMPLETION_S", 60, "15", ("0", "-5", "1801", "a minute"),
            "must be the seconds T10 waits for a stopped recording"),
    Seconds("SMOKE_SENTRY_WAIT_S", 60, "15", ("0", "-5", "601", "a minute"),
            "must be the seconds T12 waits for its error to show in Sentry"),
    Seconds("SMOKE_UI_WAIT_S", 10, "3", ("0", "0.5", "121", "ten"), "must be the seconds a check waits"),
]
BY_NAME = pytest.mark.parametrize("setting", SECONDS, ids=[s.name for s in SECONDS])


@BY_NAME
def test_each_has_its_default(setting):
    assert getattr(load_settings(values=GOOD), setting.name.lower()) == setting.default


@BY_NAME
def test_a_shorter_value_is_honoured(setting):
    assert getattr(load_settings(values=GOOD | {setting.name: setting.shorter}), setting.name.lower()) == \
        float(setting.shorter)


@pytest.mark.parametrize("setting, bad", [(s, bad) for s in SECONDS for bad in s.bad],
                         ids=[f"{s.name}={bad}" for s in SECONDS for bad in s.bad])
def test_a_bad_value_is_refused_naming_the_setting(setting, bad):
    with pytest.raises(SettingsError) as error:
        load_settings(values=GOOD | {setting.name: bad})
    assert f"{setting.name}: {setting.hint}" in str(error.value)
    assert setting.bad[-1] not in str(error.value)  # values are never echoed

"""SMOKE_UI_WAIT_S: how long a check waits for something to show before calling it missing. Validated
before any browser starts, and honoured by every wait of a run (a worker's too)."""

from __future__ import annotations

import pytest

from fixtures.settings import SettingsError, load_settings
from tests.suite.suite_run import run_against
from tests.suite.test_bad_configuration import GOOD


def test_a_check_waits_10_seconds_by_default():
    assert load_settings(values=GOOD).smoke_ui_wait_s == 10


@pytest.mark.parametrize("bad", ["0", "0.5", "121", "ten"])
def test_a_bad_wait_is_refused_naming_the_setting(bad):
    with pytest.raises(SettingsError) as error:
        load_settings(values=GOOD | {"SMOKE_UI_WAIT_S": bad})
    assert "SMOKE_UI_WAIT_S: must be the seconds a check waits" in str(error.value)
    assert "ten" not in str(error.value)  # values are never echoed


@pytest.mark.browser
def test_a_missing_element_is_called_missing_after_the_wait_set(start_sandbox):
    sandbox = start_sandbox("--fault", "hide_element=landing-login")
    run = run_against(sandbox, "-m", "critical", "-k", "site_accessibility", "-n", "1", "--smoke-no-html",
                      env_extra={"SMOKE_UI_WAIT_S": "3"}, alone=False)
    [failure] = run.failures_of("T1")
    assert (failure["expected"], failure["measured"]) == ("Log In button visible", "not visible after 3 s")

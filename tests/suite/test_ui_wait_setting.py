"""SMOKE_UI_WAIT_S: how long a check waits for something to show before calling it missing, honoured by
every wait of a run (a worker's too). Its validation: test_seconds_settings.py."""

from __future__ import annotations

import pytest

from tests.suite.suite_run import run_against


@pytest.mark.browser
def test_a_missing_element_is_called_missing_after_the_wait_set(start_sandbox):
    sandbox = start_sandbox("--fault", "hide_element=landing-login")
    run = run_against(sandbox, "-m", "critical", "-k", "site_accessibility", "-n", "1", "--smoke-no-html",
                      env_extra={"SMOKE_UI_WAIT_S": "3"}, alone=False)
    [failure] = run.failures_of("T1")
    assert (failure["expected"], failure["measured"]) == ("Log In button visible", "not visible after 3 s")

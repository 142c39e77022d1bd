"""Settings that change how the suite runs: fixed-code OTPs (scheduled runs) and the console allow-list."""

from __future__ import annotations

import httpx
import pytest

from tests.suite.suite_run import run_against

pytestmark = pytest.mark.browser

FIXED_CODE = "246810"


def test_fixed_otp_mode_signs_up_and_in_without_any_sms(start_sandbox):
    # Supabase "test phone numbers": the sandbox sends no SMS for these, the suite reads none.
    sandbox = start_sandbox(*[arg for phone in ("+15555550100", "+15555550101", "+15555550199")
                              for arg in ("--test-otp", f"{phone}={FIXED_CODE}")])
    run = run_against(sandbox, "-m", "critical", "-k", "signup or login",
                      env_extra={"SMOKE_OTP_MODE": "fixed", "SMOKE_FIXED_OTP": FIXED_CODE})
    assert run.verdict["results"]["T2"] == "passed" and run.verdict["results"]["T3"] == "passed", run.output[-3000:]
    env = sandbox.env
    sms = httpx.get(f"{env['TWILIO_API_BASE_URL']}/2010-04-01/Accounts/{env['TWILIO_ACCOUNT_SID']}/Messages.json",
                    auth=(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"])).json()["messages"]
    assert sms == []


def test_console_messages_on_the_allow_list_are_not_failures(start_sandbox):
    sandbox = start_sandbox("--fault", "console_error=/")
    run = run_against(sandbox, "-m", "critical", "-k", "site_accessibility",
                      env_extra={"SMOKE_CONSOLE_ALLOWLIST": '["Failed to load feature flags"]'})
    assert run.verdict["results"]["T1"] == "passed", run.output[-3000:]

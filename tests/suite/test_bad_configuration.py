"""Bad settings, a reports directory that cannot be made and an unreachable target stop the run early,
naming the problem, with no traceback."""

from __future__ import annotations

import socket

from tests.suite.suite_run import run_suite

GOOD = {
    "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "t" * 32,
    "SMOKE_PHONE_HOST": "+15555550100", "SMOKE_PHONE_GUEST": "+15555550101", "SMOKE_PHONE_SIGNUP": "+15555550199",
    "SUPABASE_URL": "https://example.supabase.co", "SUPABASE_SERVICE_ROLE_KEY": "s" * 40,
    "HMS_MANAGEMENT_TOKEN": "h" * 40, "SENTRY_AUTH_TOKEN": "sntrys_secretvalue", "SENTRY_ORG": "kulti",
    "SENTRY_PROJECT": "kulti-web",
}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_missing_settings_are_each_named_before_any_browser_starts():
    run = run_suite("-m", "critical", "--smoke-env-file", "/nonexistent.env", base_url="https://staging.example")
    assert run.exit_code == 4
    for name in ("TWILIO_ACCOUNT_SID", "SMOKE_PHONE_HOST", "SUPABASE_SERVICE_ROLE_KEY", "HMS_MANAGEMENT_TOKEN",
                 "SENTRY_AUTH_TOKEN", "SENTRY_ORG"):
        assert f"{name}: is missing" in run.output
    assert "Traceback" not in run.output and "see .env.example" in run.output
    assert run.wall_s < 10


def test_malformed_settings_are_named_without_echoing_their_values():
    env = {**GOOD, "TWILIO_ACCOUNT_SID": "not-a-sid", "SMOKE_PHONE_GUEST": "555-0101"}
    run = run_suite("-m", "critical", "--smoke-env-file", "/nonexistent.env", env=env,
                    base_url="https://staging.example", alone=False)
    assert run.exit_code == 4
    assert "TWILIO_ACCOUNT_SID: must be AC followed by 32 lowercase hex digits" in run.output
    assert "SMOKE_PHONE_GUEST: must be an E.164 phone number" in run.output
    assert "not-a-sid" not in run.output and "Traceback" not in run.output


def test_fixed_otp_mode_needs_its_code():
    run = run_suite("-m", "critical", "--smoke-env-file", "/nonexistent.env", env={**GOOD, "SMOKE_OTP_MODE": "fixed"},
                    base_url="https://staging.example", alone=False)
    assert run.exit_code == 4
    assert "SMOKE_FIXED_OTP must be the 6-digit test code when SMOKE_OTP_MODE=fixed" in run.output


def test_an_unreachable_target_ends_the_run_within_10_s_saying_so():
    url = f"http://127.0.0.1:{closed_port()}"
    run = run_suite("-m", "critical", "--smoke-env-file", "/nonexistent.env", env=GOOD, base_url=url)
    assert run.exit_code == 4
    assert f"cannot reach the target {url}" in run.output and "Traceback" not in run.output
    assert run.wall_s < 10


def test_a_reports_directory_that_cannot_be_made_is_named_before_anything_starts(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    run = run_suite("-m", "critical", "--smoke-reports", str(a_file / "reports"), alone=False)
    assert run.exit_code == 4
    assert f"--smoke-reports {a_file / 'reports'}: cannot write the reports there" in run.output
    assert "Traceback" not in run.output and "INTERNALERROR" not in run.output and run.wall_s < 15

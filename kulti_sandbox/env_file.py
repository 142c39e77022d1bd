"""The settings a suite needs to reach this sandbox, in the same names it reads for production."""

from __future__ import annotations

import os
from pathlib import Path

from kulti_sandbox import config as c
from kulti_sandbox.config import SandboxConfig


def env_settings(cfg: SandboxConfig) -> dict[str, str]:
    cr = cfg.credentials
    return {
        "KULTI_BASE_URL": cfg.url,
        "TWILIO_ACCOUNT_SID": cr.twilio_account_sid,
        "TWILIO_AUTH_TOKEN": cr.twilio_auth_token,
        "TWILIO_API_KEY": cr.twilio_api_key_sid,  # the names the Twilio CLI reads
        "TWILIO_API_SECRET": cr.twilio_api_key_secret,
        "TWILIO_API_BASE_URL": cfg.twilio_base_url,
        "SMOKE_PHONE_HOST": c.REGISTERED_HOST_PHONE,
        "SMOKE_PHONE_GUEST": c.REGISTERED_GUEST_PHONE,
        "SMOKE_PHONE_SIGNUP": c.UNREGISTERED_SIGNUP_PHONE,
        "SUPABASE_URL": cfg.supabase_url,
        "SUPABASE_SERVICE_ROLE_KEY": cr.supabase_key("service_role"),
        "SUPABASE_ANON_KEY": cr.supabase_key("anon"),
        "HMS_API_URL": cfg.hms_api_url,
        "HMS_MANAGEMENT_TOKEN": cr.hms_management_token(),
        "SENTRY_API_URL": f"{cfg.sentry_url}/api/0",
        "SENTRY_AUTH_TOKEN": cr.sentry_auth_token,
        "SENTRY_ORG": cr.sentry_org,
        "SENTRY_PROJECT": cr.sentry_project,
        **({"SMOKE_INVITE_CODE": cfg.smoke_invite_code} if cfg.shape == "kulti-2025-11" else {}),
        **({"SMOKE_OTP_MODE": "fixed", "SMOKE_FIXED_OTP": cfg.reserved_test_otp} if cfg.reserved_test_otp else {}),
    }


def write_env_file(path: Path, cfg: SandboxConfig) -> None:
    lines = [f"{k}={v}\n" for k, v in env_settings(cfg).items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    # Holds live credentials: readable by the owner only. Renamed into place so a reader
    # waiting for the file never sees half of it.
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("# written by python -m kulti_sandbox; removed when it stops\n")
        f.writelines(lines)
    os.replace(partial, path)

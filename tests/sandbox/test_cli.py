"""`python -m kulti_sandbox`: clear errors for bad arguments, env file, faults at start, clean stop."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys

import httpx
import pytest


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kulti_sandbox", *args], capture_output=True, text=True, timeout=20)


@pytest.mark.parametrize("args, message", [
    (["--fault", "no_such_fault"], "--fault: unknown fault 'no_such_fault'"),
    (["--test-otp", "15555550100=12"], "--test-otp '15555550100=12': expected +E164PHONE=6DIGITS"),
    (["--otp-cooldown", "-1"], "--otp-cooldown must be 0 or more seconds"),
    (["--port", "notaport"], "argument --port: invalid int value"),
    (["--client-nav", "--shape", "kulti-2025-11"], "--client-nav: only for --shape runbook"),
    (["--camera-fps", "0"], "--camera-fps 0: expected 1 to 30 frames a second"),
    (["--camera-fps", "60"], "--camera-fps 60: expected 1 to 30 frames a second"),
    (["--camera-size", "480"], "--camera-size '480': expected WIDTHxHEIGHT from 160x90 to 1920x1080"),
    (["--camera-size", "3840x2160"], "--camera-size '3840x2160': expected WIDTHxHEIGHT from 160x90 to 1920x1080"),
])
def test_bad_arguments_stop_with_a_message_naming_the_setting(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_port_in_use_is_named_in_the_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("--port", str(port))
    assert result.returncode == 2 and f"--port {port}: cannot bind" in result.stderr


def test_env_file_is_private_complete_and_removed_on_ctrl_c(tmp_path):
    env_file = tmp_path / "sandbox.env"
    proc = subprocess.Popen([sys.executable, "-m", "kulti_sandbox", "--port", "0", "--env-file", str(env_file),
                             "--fault", "wrong_version=0.9.9"], stdout=subprocess.PIPE, text=True)
    ready = proc.stdout.readline()
    assert "Kulti sandbox ready at http://127.0.0.1:" in ready and "wrong_version=0.9.9" in ready
    assert stat.S_IMODE(os.stat(env_file).st_mode) == 0o600
    env = dict(line.split("=", 1) for line in env_file.read_text().split("\n") if "=" in line and not line.startswith("#"))
    for key in ("KULTI_BASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_BASE_URL", "SUPABASE_URL",
                "SUPABASE_SERVICE_ROLE_KEY", "HMS_API_URL", "HMS_MANAGEMENT_TOKEN", "SENTRY_API_URL",
                "SENTRY_AUTH_TOKEN", "SENTRY_ORG", "SENTRY_PROJECT", "SMOKE_PHONE_HOST", "SMOKE_PHONE_GUEST",
                "SMOKE_PHONE_SIGNUP"):
        assert env.get(key), key
    assert httpx.get(env["KULTI_BASE_URL"] + "/api/health").json()["version"] == "0.9.9"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0
    assert not env_file.exists()


def test_a_stopped_sandbox_leaves_no_database_recordings_or_env_file_behind(tmp_path):
    env_file = tmp_path / "sandbox.env"
    workdirs = tmp_path / "tmp"
    workdirs.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "kulti_sandbox", "--port", "0", "--env-file", str(env_file)],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(workdirs)})
    assert "Kulti sandbox ready" in proc.stdout.readline()
    [workdir] = workdirs.iterdir()
    assert (workdir / "kulti.sqlite3").exists() and (workdir / "recordings").is_dir()
    proc.send_signal(signal.SIGTERM)  # how a service manager or CI stops it
    assert proc.wait(timeout=10) == 0
    assert not list(workdirs.iterdir()) and not env_file.exists()


def test_the_suites_sandbox_process_removes_its_log_and_settings_when_stopped():
    from fixtures.sandbox_process import SandboxProcess

    proc = SandboxProcess().start()
    assert (proc.workdir / "sandbox.log").exists()
    proc.stop()
    assert not proc.workdir.exists()


def test_the_admin_api_answers_loopback_only(tmp_path):
    # In-process, so the caller's address can be set to a remote one.
    from kulti_sandbox.app import build_sandbox, create_app
    from kulti_sandbox.config import SandboxConfig
    from starlette.testclient import TestClient

    app = create_app(build_sandbox(SandboxConfig(), workdir=tmp_path))
    remote = TestClient(app, client=("203.0.113.5", 40000))
    local = TestClient(app, client=("127.0.0.1", 40000))
    assert remote.get("/__sandbox/faults").status_code == 403
    assert remote.post("/__sandbox/faults", json={"name": "soft_404"}).status_code == 403
    assert local.get("/__sandbox/faults").status_code == 200


def test_a_fixed_supabase_jwt_secret_gives_the_same_keys_on_every_start(tmp_path):
    # An app build bakes the anon key in (NEXT_PUBLIC_SUPABASE_ANON_KEY): a restart must not invalidate it.
    import jwt

    secret = "sandbox-fixed-jwt-secret-for-app-builds"
    keys = []
    for run in range(2):
        env_file = tmp_path / f"sandbox{run}.env"
        proc = subprocess.Popen([sys.executable, "-m", "kulti_sandbox", "--port", "0", "--env-file", str(env_file),
                                 "--supabase-jwt-secret", secret], stdout=subprocess.PIPE, text=True)
        assert "ready at" in proc.stdout.readline()
        env = dict(line.split("=", 1) for line in env_file.read_text().split("\n") if "=" in line and not line.startswith("#"))
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
        keys.append((env["SUPABASE_ANON_KEY"], env["SUPABASE_SERVICE_ROLE_KEY"]))
    assert keys[0] == keys[1]
    assert jwt.decode(keys[0][0], secret, algorithms=["HS256"])["role"] == "anon"


def test_a_short_supabase_jwt_secret_is_refused():
    result = run_cli("--supabase-jwt-secret", "too-short")
    assert result.returncode == 2
    assert "--supabase-jwt-secret must be at least 32 characters" in result.stderr and "Traceback" not in result.stderr

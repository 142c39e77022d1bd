"""The login broker: one sign-in per reserved user per run, shared by both workers."""

from __future__ import annotations

import multiprocessing
import stat
import time
from pathlib import Path

import pytest

from fixtures.expect import ExpectationFailed
from fixtures.login_broker import LoginBroker

STATE = {"cookies": [{"name": "kulti_session", "value": "x"}], "origins": []}


def broker(tmp_path: Path, provided=(), wait_s: float = 2.0) -> LoginBroker:
    return LoginBroker(tmp_path, set(provided), wait_s)


def test_the_first_caller_signs_in_and_the_next_reuses_it(tmp_path):
    calls = []
    first = broker(tmp_path).obtain("guest", lambda: calls.append(1) or STATE)
    again = broker(tmp_path).obtain("guest", lambda: calls.append(1) or STATE)
    assert first == again == STATE and calls == [1]


def test_published_state_is_private_to_the_user_running_the_suite(tmp_path):
    broker(tmp_path).publish("host", STATE)
    assert stat.S_IMODE((tmp_path / "host.json").stat().st_mode) & 0o077 == 0


def _sign_in_slowly(directory: str, log: str) -> None:
    def sign_in():
        with open(log, "a") as f:
            f.write("signed in\n")
        time.sleep(0.3)
        return STATE
    LoginBroker(Path(directory), set(), 5).obtain("guest", sign_in)


def test_two_workers_at_once_make_one_sign_in(tmp_path):
    log = tmp_path / "log.txt"
    workers = [multiprocessing.Process(target=_sign_in_slowly, args=(str(tmp_path), str(log))) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    assert log.read_text() == "signed in\n"


def test_with_the_login_test_in_the_run_others_wait_for_its_sign_in(tmp_path):
    waiting = broker(tmp_path, provided=["host"])
    with pytest.raises(ExpectationFailed, match="no sign-in within 0.2 s"):
        LoginBroker(tmp_path, {"host"}, 0.2).obtain("host", lambda: pytest.fail("must not sign in itself"))
    waiting.publish("host", STATE)
    assert waiting.obtain("host", lambda: pytest.fail("must not sign in itself")) == STATE


def test_a_failed_login_test_releases_the_waiters_at_once(tmp_path):
    waiting = broker(tmp_path, provided=["host"], wait_s=30)
    waiting.publish_failure("host", "test_user_login did not sign in")
    started = time.monotonic()
    with pytest.raises(ExpectationFailed, match="test_user_login did not sign in"):
        waiting.obtain("host", lambda: STATE)
    assert time.monotonic() - started < 1


def test_a_logged_out_user_is_not_handed_out_again(tmp_path):
    b = broker(tmp_path)
    b.obtain("guest", lambda: STATE)
    b.withdraw("guest")
    with pytest.raises(ExpectationFailed, match="logged out"):
        b.obtain("guest", lambda: STATE)


def test_would_wait_only_until_the_login_test_has_settled(tmp_path):
    b = broker(tmp_path, provided=["host"])
    assert b.would_wait("host") and not b.would_wait("guest")
    b.publish_failure("host", "failed")
    assert not b.would_wait("host")

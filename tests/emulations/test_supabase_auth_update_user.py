"""GoTrue's PUT /auth/v1/user through the official supabase client's `auth.update_user(...)`, as the
launched Kulti's /api/auth/complete-phone-signup calls it (email, then password, then a refresh)."""

from __future__ import annotations

import pytest
from supabase_auth.errors import AuthApiError, AuthWeakPasswordError

from fixtures.sandbox_process import SandboxProcess
from tests.emulations.supabase_auth_client import Auth, fresh_number


@pytest.fixture(scope="module")
def sandbox():
    proc = SandboxProcess(args=("--shape", "kulti-2025-11", "--otp-cooldown", "0")).start()
    yield proc
    proc.stop()


@pytest.fixture
def user(sandbox) -> Auth:
    auth = Auth(sandbox)
    auth.sign_in(fresh_number())
    return auth


def test_email_waits_for_confirmation_and_password_takes_effect(user):
    changed = user.client.auth.update_user({"email": "New.User@Example.com"}).user
    assert changed.email == "" and changed.new_email == "new.user@example.com" and changed.email_change_sent_at
    assert user.client.auth.update_user({"password": "s3cret-pass"}).user.id == changed.id
    refreshed = user.client.auth.refresh_session()
    assert refreshed.session and refreshed.user.new_email == "new.user@example.com"


def test_data_is_merged_into_user_metadata(user):
    user.client.auth.update_user({"data": {"a": 1, "b": 2}})
    assert user.client.auth.update_user({"data": {"b": None, "c": 3}}).user.user_metadata == {"a": 1, "c": 3}


def test_refusals(user, sandbox):
    with pytest.raises(AuthWeakPasswordError) as weak:
        user.client.auth.update_user({"password": "123"})
    assert weak.value.status == 422 and weak.value.reasons == ["length"]
    user.client.auth.update_user({"password": "first-pass"})
    with pytest.raises(AuthApiError) as same:
        user.client.auth.update_user({"password": "first-pass"})
    assert (same.value.status, same.value.code) == (422, "same_password")
    with pytest.raises(AuthApiError) as bad:
        user.client.auth.update_user({"email": "not-an-email"})
    assert (bad.value.status, bad.value.code) == (400, "validation_failed")
    user.client.auth.update_user({"email": "one@example.com"})
    with pytest.raises(AuthApiError) as soon:
        user.client.auth.update_user({"email": "two@example.com"})
    assert (soon.value.status, soon.value.code) == (429, "over_email_send_rate_limit")


def test_phone_change_sends_a_code(user):
    number = fresh_number()
    changed = user.client.auth.update_user({"phone": number}).user
    assert changed.new_phone == number.lstrip("+") and changed.phone != changed.new_phone
    assert user.code(number)


def test_signed_out_is_refused(sandbox):
    with pytest.raises(Exception):
        Auth(sandbox).client.auth.update_user({"data": {"x": 1}})

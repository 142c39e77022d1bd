"""Phone-OTP sign-up and log-in against the running sandbox, SMS read back from the Twilio emulation."""

from __future__ import annotations

import httpx
import pytest

from tests.emulations.twilio_numbers import handsets
from tests.sandbox.kulti_client import latest_otp, request_otp, sign_in

HOST = "+15555550100"
_numbers = handsets(first_area_code=600)


def fresh_number() -> str:
    """A number the Twilio emulation delivers to that no other test uses."""
    return next(_numbers)


def test_login_sends_a_six_digit_code_and_opens_a_session_that_survives_reload(sandbox):
    client = sign_in(sandbox, HOST)
    assert len(latest_otp(sandbox, HOST)) == 6
    for _ in range(2):  # a reload is the same request again
        assert client.get("/dashboard").status_code == 200


def test_signup_creates_an_unconfirmed_user_then_confirms_it_and_goes_to_onboarding(sandbox):
    phone = fresh_number()
    client = httpx.Client(base_url=sandbox.url)
    assert request_otp(client, phone, "signup").status_code == 200
    r = client.post("/api/auth/verify", json={"phone": phone, "code": latest_otp(sandbox, phone)})
    assert r.json()["redirect"] == "/onboarding"
    assert client.get("/dashboard").headers["location"] == "/onboarding"
    r = client.post("/api/onboarding", json={"username": f"new_{phone[-4:]}", "display_name": "New User"})
    assert r.status_code == 201 and r.json()["redirect"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("phone", ["", "12345", "+0123456789", "+1555abc0100", "+1" + "5" * 20])
def test_malformed_phone_is_refused_with_a_field_error_and_nothing_changes(sandbox, phone):
    before = sandbox.db_counts()
    r = request_otp(httpx.Client(base_url=sandbox.url), phone, "signup")
    assert r.status_code == 422 and r.json()["field"] == "phone"
    assert sandbox.db_counts() == before


def test_login_with_an_unknown_number_says_to_sign_up_and_sends_nothing(sandbox):
    before = sandbox.db_counts()
    r = request_otp(httpx.Client(base_url=sandbox.url), fresh_number(), "login")
    assert r.status_code == 404 and "Sign up" in r.json()["error"]
    assert sandbox.db_counts() == before


def test_wrong_code_is_rejected(sandbox):
    client = httpx.Client(base_url=sandbox.url)
    request_otp(client, HOST).raise_for_status()
    wrong = f"{(int(latest_otp(sandbox, HOST)) + 1) % 10**6:06d}"
    r = client.post("/api/auth/verify", json={"phone": HOST, "code": wrong})
    assert r.status_code == 401 and "Invalid or expired code" in r.json()["error"]
    assert "kulti_session" not in r.cookies


def test_expired_code_is_rejected(start_sandbox):
    sb = start_sandbox("--otp-expiry", "0", "--otp-cooldown", "0")
    client = httpx.Client(base_url=sb.url)
    request_otp(client, HOST).raise_for_status()
    r = client.post("/api/auth/verify", json={"phone": HOST, "code": latest_otp(sb, HOST)})
    assert r.status_code == 401


def test_a_second_request_within_the_cooldown_gets_a_plain_429(start_sandbox):
    sb = start_sandbox("--otp-cooldown", "60")
    client = httpx.Client(base_url=sb.url)
    assert request_otp(client, HOST).status_code == 200
    r = request_otp(client, HOST)
    assert r.status_code == 429
    assert 55 <= int(r.headers["Retry-After"]) <= 60
    assert "you can only request this after" in r.json()["error"]


def test_a_fixed_test_code_logs_in_without_any_sms(start_sandbox):
    sb = start_sandbox("--test-otp", f"{HOST}=123456")
    client = httpx.Client(base_url=sb.url)
    assert request_otp(client, HOST).status_code == 200
    r = client.post("/api/auth/verify", json={"phone": HOST, "code": "123456"})
    assert r.status_code == 200 and "kulti_session" in r.cookies
    env = sb.env
    sms = httpx.get(f"{env['TWILIO_API_BASE_URL']}/2010-04-01/Accounts/{env['TWILIO_ACCOUNT_SID']}/Messages.json",
                    auth=(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"])).json()["messages"]
    assert sms == []


def test_logout_ends_the_session(sandbox):
    client = sign_in(sandbox, HOST)
    assert client.post("/logout").status_code == 303
    assert client.get("/dashboard").headers["location"].startswith("/login")


@pytest.mark.parametrize("body", [{"phone": HOST}, {"phone": HOST, "code": "12345"}, {"phone": HOST, "code": 123456},
                                  {"code": "123456"}])
def test_verify_refuses_malformed_input(sandbox, body):
    before = sandbox.db_counts()
    r = httpx.post(f"{sandbox.url}/api/auth/verify", json=body)
    assert r.status_code == 422, r.text
    assert sandbox.db_counts() == before


@pytest.mark.parametrize("content", [b"not json", b"[1, 2]", b'{"phone": "+15555550100", "intent": "hack"}'])
def test_otp_endpoint_refuses_bodies_that_are_not_the_expected_object(sandbox, content):
    before = sandbox.db_counts()
    r = httpx.post(f"{sandbox.url}/api/auth/otp", content=content, headers={"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500 and r.json()["error"]
    assert sandbox.db_counts() == before

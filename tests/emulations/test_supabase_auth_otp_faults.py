"""The sandbox's OTP faults on GoTrue's user API, so the suite's fault rows hold for the shape of
the launched Kulti (supabase-js straight to Supabase) too."""

from __future__ import annotations

import time

import pytest

from tests.emulations.supabase_auth_client import (
    HOST, OTP_EXPIRED, Auth, api_error, fresh_number,
)


@pytest.fixture
def auth(sandbox) -> Auth:
    return Auth(sandbox)


def elapsed(call) -> float:
    start = time.monotonic()
    call()
    return time.monotonic() - start


def test_fault_sms_delay_hands_the_sms_to_twilio_late(auth):
    auth.sandbox.set_fault("sms_delay", "1.5")
    phone = fresh_number()
    auth.client.auth.sign_in_with_otp({"phone": phone})
    assert auth.sms(phone) == []
    time.sleep(2.5)
    assert len(auth.sms(phone)) == 1


def test_fault_sms_never_sent_answers_success_without_an_sms(auth):
    auth.sandbox.set_fault("sms_never_sent")
    phone = fresh_number()
    auth.client.auth.sign_in_with_otp({"phone": phone})
    assert auth.sms(phone) == []


def test_fault_otp_five_digits_sends_a_five_digit_code_that_verifies(auth):
    auth.sandbox.set_fault("otp_five_digits")
    assert len(auth.sign_in(HOST).session.access_token) and len(auth.code(HOST)) == 5


def test_fault_otp_rejected_refuses_the_right_code(auth):
    auth.sandbox.set_fault("otp_rejected")
    auth.client.auth.sign_in_with_otp({"phone": HOST})
    assert api_error(lambda: auth.client.auth.verify_otp({"phone": HOST, "token": auth.code(HOST), "type": "sms"})) == OTP_EXPIRED


@pytest.mark.parametrize("fault", ["slow_otp_request", "slow_otp_verify"])
def test_fault_slow_otp_request_and_verify_take_their_time(auth, fault):
    auth.client.auth.sign_in_with_otp({"phone": HOST})
    auth.sandbox.set_fault(fault, "2000")
    took = elapsed(lambda: auth.client.auth.verify_otp({"phone": HOST, "token": auth.code(HOST), "type": "sms"}))
    took_request = elapsed(lambda: auth.client.auth.sign_in_with_otp({"phone": HOST}))
    assert (took if fault == "slow_otp_verify" else took_request) >= 2.0
    assert (took_request if fault == "slow_otp_verify" else took) < 1.0  # far below: a busy machine slows every call


def test_fault_phone_validation_off_lets_a_malformed_number_reach_twilio(auth):
    auth.sandbox.set_fault("phone_validation_off")
    status, code, message = api_error(lambda: auth.client.auth.sign_in_with_otp({"phone": "+1555abc0100"}))
    assert (status, code) == (422, "sms_send_failed")  # Twilio refused it: an SMS was attempted
    assert message == ("Error sending confirmation OTP to provider: Invalid 'To' Phone Number: +1555abcXXXX "
                       "More information: https://www.twilio.com/docs/errors/21211")


def test_fault_signup_user_not_saved_signs_in_but_leaves_the_user_unconfirmed(auth):
    auth.sandbox.set_fault("signup_user_not_saved")
    phone = fresh_number()
    signed_in = auth.sign_in(phone)
    assert signed_in.session and signed_in.user.phone_confirmed_at is None
    assert "phone_confirmed_at" not in auth.admin_user(phone)

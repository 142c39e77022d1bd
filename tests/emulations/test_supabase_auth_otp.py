"""GoTrue's phone OTP user API in the Supabase emulation, driven by the official supabase client
as the launched Kulti's browser drives it with supabase-js: request a code, read the SMS from the
Twilio emulation (twilio library), verify, use and refresh the session, sign out.

Error answers are checked as the client parses them (AuthApiError status and code) and, where
the exact body matters to a fetch() caller, as raw HTTP. Each test uses numbers of its own.
"""

from __future__ import annotations

import re
import time

import httpx
import jwt
import pytest

from tests.emulations.supabase_auth_client import (
    HOST, MISSING_KEY, OTP_EXPIRED, Auth, api_error, fresh_number,
)


@pytest.fixture
def auth(sandbox) -> Auth:
    return Auth(sandbox)


# --- the whole story -------------------------------------------------------------------------

def test_sign_up_sign_in_refresh_and_sign_out_with_the_official_client(auth):
    phone = fresh_number()
    sent = auth.client.auth.sign_in_with_otp({"phone": phone, "options": {"data": {"plan": "beta"}}})
    assert sent.message_id is None  # GoTrue answers {} to a sign-up
    assert len(auth.code(phone)) == 6
    assert "phone_confirmed_at" not in auth.admin_user(phone)  # created unconfirmed by the request

    signed_in = auth.client.auth.verify_otp({"phone": phone, "token": auth.code(phone), "type": "sms"})
    session, user = signed_in.session, signed_in.user
    assert session.token_type == "bearer" and session.expires_in == 3600
    assert session.expires_at == pytest.approx(time.time() + 3600, abs=5)
    assert re.fullmatch(r"[a-z2-7]{12}", session.refresh_token)
    assert user.phone == phone.lstrip("+") and user.phone_confirmed_at and user.last_sign_in_at
    assert user.confirmed_at == user.phone_confirmed_at and user.user_metadata == {"plan": "beta"}
    assert [i.provider for i in user.identities] == ["phone"]
    claims = jwt.decode(session.access_token, options={"verify_signature": False})
    assert list(claims) == ["iss", "sub", "aud", "exp", "iat", "email", "phone", "app_metadata", "user_metadata",
                            "role", "aal", "amr", "session_id", "is_anonymous"]
    assert claims["iss"] == f"{auth.url}/auth/v1" and claims["sub"] == user.id
    assert claims["aud"] == claims["role"] == "authenticated" and claims["aal"] == "aal1"
    assert claims["amr"][0]["method"] == "otp" and claims["exp"] == session.expires_at
    assert claims["app_metadata"] == {"provider": "phone", "providers": ["phone"]}

    assert auth.client.auth.get_user().user.id == user.id
    refreshed = auth.client.auth.refresh_session().session
    assert refreshed.refresh_token != session.refresh_token
    assert jwt.decode(refreshed.access_token, options={"verify_signature": False})["session_id"] == claims["session_id"]

    auth.client.auth.sign_out()
    assert api_error(lambda: auth.client.auth.refresh_session(refreshed.refresh_token)) == (
        400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found")
    r = auth.raw("GET", "user", bearer=refreshed.access_token)  # still unexpired, but its session is gone
    assert (r.status_code, r.json()) == (403, {"code": "session_not_found",
                                               "message": "Session from session_id claim in JWT does not exist"})


def test_otp_answers_as_gotrue_to_a_fetch_like_supabase_js(auth):
    body = {"phone": fresh_number(), "data": {}, "create_user": True, "gotrue_meta_security": {}, "channel": "sms"}
    r = auth.raw("POST", "otp", json=body)
    assert (r.status_code, r.headers["content-type"], r.content) == (200, "application/json", b"{}")


def test_a_refresh_token_is_rotated_and_its_reuse_hands_back_the_current_one(auth):
    first = auth.sign_in(HOST).session
    second = auth.client.auth.refresh_session(first.refresh_token).session
    again = auth.client.auth.refresh_session(first.refresh_token).session  # the client lost the answer
    assert again.refresh_token == second.refresh_token


# --- request errors ---------------------------------------------------------------------------

def test_a_second_code_within_the_cooldown_is_over_sms_send_rate_limit(start_sandbox):
    auth = Auth(start_sandbox("--otp-cooldown", "60"))
    auth.sign_in(HOST)  # a verified code keeps its cooldown, as GoTrue's confirmation_sent_at does
    status, code, message = api_error(lambda: auth.client.auth.sign_in_with_otp({"phone": HOST}))
    assert (status, code) == (429, "over_sms_send_rate_limit")
    assert re.fullmatch(r"For security purposes, you can only request this after 5\d seconds\.", message)
    r = auth.raw("POST", "otp", json={"phone": HOST}, versioned=False)  # the error body before 2024-01-01
    assert r.headers["x-sb-error-code"] == "over_sms_send_rate_limit"
    assert list(r.json()) == ["code", "error_code", "msg"] and r.json()["code"] == 429


def test_an_unknown_number_without_create_user_is_otp_disabled_and_nothing_is_stored(auth):
    before = auth.sandbox.db_counts()
    call = lambda: auth.client.auth.sign_in_with_otp({"phone": fresh_number(), "options": {"should_create_user": False}})  # noqa: E731
    assert api_error(call) == (422, "otp_disabled", "Signups not allowed for otp")
    assert auth.sandbox.db_counts() == before
    assert auth.client.auth.sign_in_with_otp({"phone": HOST, "options": {"should_create_user": False}})


@pytest.mark.parametrize("phone", ["abc", "+0123456789", "+1" + "5" * 20, "+1555abc0100"])
def test_a_malformed_number_is_validation_failed(auth, phone):
    before = auth.sandbox.db_counts()
    assert api_error(lambda: auth.client.auth.sign_in_with_otp({"phone": phone})) == (
        400, "validation_failed", "Invalid phone number format (E.164 required)")
    assert auth.sandbox.db_counts() == before


@pytest.mark.parametrize("content, message", [
    (b"<html>", "Could not parse request body as JSON: invalid character '<' looking for beginning of value"),
    (b'{"phone": 15555550100}', "Could not parse request body as JSON: json: cannot unmarshal number into Go "
                                "struct field OtpParams.phone of type string"),
])
def test_a_body_go_cannot_decode_is_bad_json(auth, content, message):
    r = auth.raw("POST", "otp", content=content)
    assert (r.status_code, r.json()) == (400, {"code": "bad_json", "message": message})


def test_no_api_key_is_refused_by_the_gateway_on_every_endpoint(auth):
    for method, path in (("POST", "otp"), ("POST", "verify"), ("POST", "token?grant_type=refresh_token"),
                         ("GET", "user"), ("POST", "logout")):
        r = auth.raw(method, path, key=None)
        assert (r.status_code, r.json()) == (401, MISSING_KEY), path


@pytest.mark.parametrize("body, status, code, message", [
    ({"phone": HOST, "channel": "whatsapp"}, 400, "validation_failed", "Invalid channel, supported values are 'sms' "
     "or 'whatsapp'. 'whatsapp' is only supported if Twilio or Twilio Verify is used as the provider."),
    ({"email": "a@example.com"}, 422, "email_provider_disabled", "Email logins are disabled"),
    ({"email": "a@example.com", "create_user": False}, 422, "otp_disabled", "Signups not allowed for otp"),
    ({"email": "a@example.com", "phone": HOST}, 400, "validation_failed",
     "Only an email address or phone number should be provided"),
    ({}, 400, "validation_failed", "One of email or phone must be set"),
    ({"phone": HOST, "code_challenge": "x" * 43}, 400, "validation_failed",
     "PKCE flow requires code_challenge_method and code_challenge"),
    ({"phone": "+15555557999", "code_challenge": "x" * 43, "code_challenge_method": "s256"}, 400,
     "validation_failed", "PKCE not supported for phone signups"),
])
def test_otp_requests_kultis_project_does_not_serve(auth, body, status, code, message):
    r = auth.raw("POST", "otp", json=body)
    assert (r.status_code, r.json()) == (status, {"code": code, "message": message})


# --- verify errors ----------------------------------------------------------------------------

def test_a_wrong_code_is_otp_expired_and_five_of_them_kill_the_code(auth):
    phone = fresh_number()
    auth.client.auth.sign_in_with_otp({"phone": phone})
    wrong = f"{(int(auth.code(phone)) + 1) % 10**6:06d}"
    for _ in range(5):
        assert api_error(lambda: auth.client.auth.verify_otp({"phone": phone, "token": wrong, "type": "sms"})) == OTP_EXPIRED
    right = {"phone": phone, "token": auth.code(phone), "type": "sms"}
    assert api_error(lambda: auth.client.auth.verify_otp(right)) == OTP_EXPIRED


def test_an_expired_code_and_a_number_never_sent_one_are_otp_expired(start_sandbox):
    auth = Auth(start_sandbox("--otp-expiry", "0", "--otp-cooldown", "0"))
    auth.client.auth.sign_in_with_otp({"phone": HOST})
    time.sleep(0.01)
    assert api_error(lambda: auth.client.auth.verify_otp({"phone": HOST, "token": auth.code(HOST), "type": "sms"})) == OTP_EXPIRED
    assert api_error(lambda: auth.client.auth.verify_otp({"phone": fresh_number(), "token": "123456", "type": "sms"})) == OTP_EXPIRED


def test_a_test_number_gets_no_sms_and_its_fixed_code_signs_in(start_sandbox):
    auth = Auth(start_sandbox("--test-otp", f"{HOST}=123456"))
    assert auth.client.auth.sign_in_with_otp({"phone": HOST}).message_id == "test-otp"  # HOST is confirmed
    assert auth.sms(HOST) == []
    assert auth.client.auth.verify_otp({"phone": HOST, "token": "123456", "type": "sms"}).session


@pytest.mark.parametrize("body, message", [
    ({"phone": HOST, "token": "123456"}, "Verify requires a verification type"),
    ({"phone": HOST, "type": "sms"}, "Verify requires either a token or a token hash"),
    ({"token_hash": "x", "phone": HOST, "type": "sms"}, "Only the token_hash and type should be provided"),
])
def test_verify_input_errors_are_validation_failed(auth, body, message):
    r = auth.raw("POST", "verify", json=body)
    assert (r.status_code, r.json()) == (400, {"code": "validation_failed", "message": message})


# --- tokens -----------------------------------------------------------------------------------

@pytest.mark.parametrize("token, code, message", [
    ("nope", "validation_failed", "Refresh token is not valid"),
    ("abcdefghijkl", "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"),
])
def test_an_unusable_refresh_token_is_refused(auth, token, code, message):
    assert api_error(lambda: auth.client.auth.refresh_session(token)) == (400, code, message)


@pytest.mark.parametrize("query, body, status, code, message", [
    ("grant_type=password", {"phone": HOST, "password": "guess"}, 400, "invalid_credentials", "Invalid login credentials"),
    ("grant_type=password", {"email": "a@example.com", "password": "x"}, 422, "email_provider_disabled",
     "Email logins are disabled"),
    ("grant_type=password", {"password": "x"}, 400, "validation_failed", "missing email or phone"),
    ("grant_type=pkce", {}, 400, "validation_failed", "grant_type=pkce is not emulated by the sandbox"),
    ("grant_type=magic", {}, 400, "invalid_credentials", "unsupported_grant_type"),
])
def test_token_grants_other_than_refresh(auth, query, body, status, code, message):
    r = auth.raw("POST", f"token?{query}", json=body)
    assert (r.status_code, r.json()) == (status, {"code": code, "message": message})


def test_reusing_an_old_refresh_token_after_the_reuse_interval_revokes_the_session(auth):
    first = auth.sign_in(HOST).session
    second = auth.client.auth.refresh_session(first.refresh_token).session
    third = auth.client.auth.refresh_session(second.refresh_token).session
    time.sleep(10.5)  # hosted Supabase's 10 s reuse interval: within it the reuse would be allowed
    assert api_error(lambda: auth.client.auth.refresh_session(first.refresh_token)) == (
        400, "refresh_token_already_used", "Invalid Refresh Token: Already Used")
    # GoTrue revokes the session's tokens then, stamping them now: the newest still works for one
    # more interval, as it does on GoTrue (RevokeTokenFamily sets updated_at = now()).
    assert auth.client.auth.refresh_session(third.refresh_token).session


@pytest.mark.parametrize("authorization, status, code, message", [
    (None, 403, "bad_jwt", "invalid claim: missing sub claim"),  # the anon key stands in, and has no sub
    ("Basic c2VjcmV0", 401, "no_authorization", "This endpoint requires a valid Bearer token"),
    ("Bearer not.a.jwt", 403, "bad_jwt", "invalid JWT: unable to parse or verify signature, token is malformed: "
                                         "could not parse token"),
])
def test_get_user_refuses_what_is_not_a_user_access_token(auth, authorization, status, code, message):
    headers = {"apikey": auth.anon, "X-Supabase-Api-Version": "2024-01-01"}
    if authorization is not None:
        headers["Authorization"] = authorization
    r = httpx.get(f"{auth.url}/auth/v1/user", headers=headers)
    assert (r.status_code, r.json()) == (status, {"code": code, "message": message})


def test_a_forged_access_token_is_bad_jwt(auth):
    token = auth.sign_in(HOST).session.access_token
    assert api_error(lambda: auth.client.auth.get_user(token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")))[:2] == (
        403, "bad_jwt")


def test_logout_scopes_end_this_session_or_the_others(sandbox):
    phone = fresh_number()
    first, second = Auth(sandbox), Auth(sandbox)
    one = first.sign_in(phone).session
    two = second.sign_in(phone).session
    r = first.raw("POST", "logout?scope=local", bearer=one.access_token)
    assert (r.status_code, r.content) == (204, b"")
    assert api_error(lambda: first.client.auth.refresh_session(one.refresh_token))[1] == "refresh_token_not_found"
    three = first.sign_in(phone).session
    assert first.raw("POST", "logout?scope=others", bearer=three.access_token).status_code == 204
    assert api_error(lambda: second.client.auth.refresh_session(two.refresh_token))[1] == "refresh_token_not_found"
    assert first.client.auth.refresh_session(three.refresh_token).session
    r = first.raw("POST", "logout?scope=all", bearer=three.access_token)
    assert (r.status_code, r.json()) == (400, {"code": "validation_failed", "message": 'Unsupported logout scope "all"'})

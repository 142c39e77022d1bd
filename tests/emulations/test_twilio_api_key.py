"""Twilio API key authentication: `Client(api_key_sid, api_key_secret, account_sid)`, the way
Twilio recommends teams authenticate (the key and its secret as HTTP Basic username and
password, the account only in the URL), against the key the sandbox provisions and writes to
its env file as TWILIO_API_KEY / TWILIO_API_SECRET."""

from __future__ import annotations

import re

import httpx
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from kulti_sandbox.config import TWILIO_FROM_NUMBER
from tests.emulations.twilio_numbers import handsets

_numbers = handsets(first_area_code=350)
OTHER_ACCOUNT = "AC" + "1" * 32


def key_client(sandbox, key: str, secret: str, account_sid: str) -> Client:
    c = Client(key, secret, account_sid)
    c.api.base_url = sandbox.env["TWILIO_API_BASE_URL"]  # read for every request (see test_twilio.py)
    return c


@pytest.fixture(scope="module")
def account_sid(sandbox) -> str:
    return sandbox.env["TWILIO_ACCOUNT_SID"]


@pytest.fixture(scope="module")
def key(sandbox) -> tuple[str, str]:
    return sandbox.env["TWILIO_API_KEY"], sandbox.env["TWILIO_API_SECRET"]


def test_the_env_file_names_a_standard_api_key(key):
    sid, secret = key
    assert re.fullmatch(r"SK[0-9a-f]{32}", sid) and re.fullmatch(r"[A-Za-z0-9]{32}", secret)


def test_an_api_key_sends_reads_and_deletes(sandbox, key, account_sid):
    client = key_client(sandbox, *key, account_sid)
    to = next(_numbers)
    sent = client.messages.create(to=to, from_=TWILIO_FROM_NUMBER, body="Your Kulti code is 424242")
    assert sent.account_sid == account_sid and sent.uri.startswith(f"/2010-04-01/Accounts/{account_sid}/")
    assert client.messages(sent.sid).fetch().status == "delivered"
    assert [m.sid for m in client.messages.list(to=to)] == [sent.sid]
    assert client.messages(sent.sid).delete() is True


def _auth_error(message: str) -> dict:
    return {"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.", "message": message,
            "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}


@pytest.mark.parametrize("which, message", [
    ("wrong-secret", "Authenticate"),
    ("unknown-key", "Authentication Error - invalid username"),
])
def test_a_wrong_key_is_401_20003(sandbox, key, account_sid, which, message):
    sid, secret = key
    creds = (sid, "x" * 32) if which == "wrong-secret" else ("SK" + "0" * 32, secret)
    with pytest.raises(TwilioRestException) as err:
        key_client(sandbox, *creds, account_sid).messages.create(to=next(_numbers), from_=TWILIO_FROM_NUMBER,
                                                                 body="hi")
    assert (err.value.status, err.value.code) == (401, 20003)
    r = httpx.get(f"{sandbox.env['TWILIO_API_BASE_URL']}/2010-04-01/Accounts/{account_sid}/Messages.json",
                  auth=creds)
    assert r.status_code == 401 and r.headers["www-authenticate"] == 'Basic realm="Twilio API"'
    assert r.json() == _auth_error(message)


def test_the_key_opens_its_own_account_only(sandbox, key):
    with pytest.raises(TwilioRestException) as err:
        key_client(sandbox, *key, OTHER_ACCOUNT).messages.create(to=next(_numbers), from_=TWILIO_FROM_NUMBER,
                                                                 body="hi")
    assert (err.value.status, err.value.code) == (401, 20003)

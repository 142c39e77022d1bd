"""The SMS inbox rides out a connection the API closes under it: polls and deletes go on on a new one."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import requests
from twilio.base.exceptions import TwilioRestException

from fixtures.services.otp_inbox import OtpInbox

PHONE = "+15555550100"
RESET = requests.ConnectionError(("Connection aborted.", ConnectionResetError(104, "Connection reset by peer")))


class Messages:
    """What twilio-python's `client.messages` offers the inbox, answering from a script of outcomes."""

    def __init__(self, lists: list, deletes: list | None = None):
        self.lists, self.deletes, self.deleted = lists, deletes or [], []

    def list(self, **_):
        outcome = self.lists.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def __call__(self, sid):
        def delete():
            outcome = self.deletes.pop(0) if self.deletes else None
            if isinstance(outcome, Exception):
                raise outcome
            self.deleted.append(sid)
        return SimpleNamespace(delete=delete)


def inbox_with(messages: Messages) -> OtpInbox:
    inbox = OtpInbox(SimpleNamespace(smoke_otp_mode="sms"))
    inbox._client = SimpleNamespace(messages=messages)
    return inbox


def sms(body: str):
    return SimpleNamespace(body=body, sid="SM1", date_sent=datetime.now(timezone.utc), date_created=None)


def test_a_poll_on_a_connection_the_api_closed_is_made_again():
    requested = time.time() - 1
    inbox = inbox_with(Messages([RESET, [sms("Your Kulti code is 123456")]]))
    assert inbox.wait_for_otp(PHONE, requested, timeout_s=5).code == "123456"


def test_a_connection_closed_at_every_poll_is_reported_once_the_wait_is_over():
    inbox = inbox_with(Messages([RESET] * 100))
    with pytest.raises(requests.ConnectionError):
        inbox.wait_for_otp(PHONE, time.time(), timeout_s=0.5)


def test_a_delete_on_a_closed_connection_is_sent_again_and_a_404_then_means_it_was_done():
    messages = Messages([], deletes=[RESET, None])
    inbox_with(messages).delete("SM1")
    assert messages.deleted == ["SM1"]
    gone = TwilioRestException(404, "/Messages/SM1.json", "not found")
    inbox_with(Messages([], deletes=[RESET, gone])).delete("SM1")
    with pytest.raises(TwilioRestException):
        inbox_with(Messages([], deletes=[RESET, TwilioRestException(500, "/Messages/SM1.json")])).delete("SM1")

"""The Twilio Messaging emulation, driven by the real twilio-python client where it can be.

Happy paths go through `twilio.rest.Client`; exact error bodies, headers and the paging
envelope are checked on the wire with httpx. Every test texts numbers of its own, so
tests sharing the session sandbox never see each other's messages.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from kulti_sandbox.config import TWILIO_FROM_NUMBER
from tests.emulations.twilio_numbers import handsets

SID = re.compile(r"^SM[0-9a-f]{32}$")
RFC2822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} "
                     r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$")
MESSAGE_FIELDS = {
    "body", "num_segments", "direction", "from", "to", "date_updated", "price", "error_message", "uri",
    "account_sid", "num_media", "status", "messaging_service_sid", "sid", "date_sent", "date_created",
    "error_code", "price_unit", "api_version", "subresource_uris",
}
PAGE_FIELDS = {"end", "first_page_uri", "next_page_uri", "page", "page_size", "previous_page_uri",
               "messages", "start", "uri"}
SERVICE_SID = "MG" + "0" * 32


_numbers = handsets(first_area_code=200)


def new_number() -> str:
    """A deliverable number no other test texts."""
    return next(_numbers)


@pytest.fixture(scope="module")
def creds(sandbox) -> tuple[str, str]:
    return sandbox.env["TWILIO_ACCOUNT_SID"], sandbox.env["TWILIO_AUTH_TOKEN"]


@pytest.fixture(scope="module")
def client(sandbox, creds) -> Client:
    c = Client(*creds)
    # twilio-python 9: `Client.api` is created once and cached; it is a `Domain` whose
    # `base_url` attribute (set to "https://api.twilio.com" in ApiBase.__init__) is read by
    # `Domain.absolute_url` for every request, and by `Page.next_page_url` to follow
    # `next_page_uri`. Setting it points create/fetch/list/paging at the sandbox.
    c.api.base_url = sandbox.env["TWILIO_API_BASE_URL"]
    return c


@pytest.fixture(scope="module")
def api(sandbox, creds) -> httpx.Client:
    """Raw HTTP at the API root, authenticated like the client library."""
    with httpx.Client(base_url=sandbox.env["TWILIO_API_BASE_URL"], auth=creds) as http:
        yield http


@pytest.fixture(scope="module")
def messages_path(creds) -> str:
    return f"/2010-04-01/Accounts/{creds[0]}/Messages.json"


def send(client: Client, to: str, body: str = "hello"):
    return client.messages.create(to=to, from_=TWILIO_FROM_NUMBER, body=body)


def error_body(code: int, message: str, status: int) -> dict:
    return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}


# --- Create, fetch, delete ---------------------------------------------------------------

def test_create_answers_queued_message(client, creds):
    to = new_number()
    before = datetime.now(timezone.utc).replace(microsecond=0)
    m = send(client, to, "Your Kulti code is 123456")
    assert SID.match(m.sid)
    assert (m.status, m.direction, m.to, m.from_) == ("queued", "outbound-api", to, TWILIO_FROM_NUMBER)
    assert m.body == "Your Kulti code is 123456"
    assert m.date_sent is None and m.price is None and m.error_code is None and m.error_message is None
    assert before <= m.date_created <= datetime.now(timezone.utc) and m.date_updated == m.date_created
    assert (m.num_segments, m.num_media, m.price_unit, m.api_version) == ("1", "0", "USD", "2010-04-01")
    assert m.account_sid == creds[0] and m.messaging_service_sid is None
    assert m.uri == f"/2010-04-01/Accounts/{creds[0]}/Messages/{m.sid}.json"
    assert m.subresource_uris == {"media": f"/2010-04-01/Accounts/{creds[0]}/Messages/{m.sid}/Media.json"}


def test_create_on_the_wire(api, messages_path):
    r = api.post(messages_path, data={"To": new_number(), "From": TWILIO_FROM_NUMBER, "Body": "hi"})
    assert r.status_code == 201 and r.headers["content-type"] == "application/json; charset=utf-8"
    m = r.json()
    assert set(m) == MESSAGE_FIELDS
    assert RFC2822.match(m["date_created"]) and RFC2822.match(m["date_updated"]) and m["date_sent"] is None
    assert m["num_segments"] == "1" and m["num_media"] == "0" and m["error_code"] is None


def test_read_back_is_delivered(client):
    m = send(client, new_number())
    got = client.messages(m.sid).fetch()
    assert (got.sid, got.status, got.body) == (m.sid, "delivered", m.body)
    assert got.date_sent == got.date_created == m.date_created
    assert got.price == "-0.00790" and got.price_unit == "USD"


def test_messaging_service_send_starts_accepted(client, api, messages_path):
    r = api.post(messages_path, data={"To": new_number(), "MessagingServiceSid": SERVICE_SID, "Body": "hi"})
    m = r.json()
    assert r.status_code == 201
    assert (m["status"], m["from"], m["num_segments"], m["messaging_service_sid"]) == \
        ("accepted", None, "0", SERVICE_SID)
    got = client.messages(m["sid"]).fetch()
    assert (got.status, got.from_, got.num_segments) == ("delivered", TWILIO_FROM_NUMBER, "1")


def test_from_holding_a_service_sid_sends_through_the_service(api, messages_path):
    r = api.post(messages_path, data={"To": new_number(), "From": SERVICE_SID, "Body": "hi"})
    assert r.status_code == 201
    assert (r.json()["status"], r.json()["messaging_service_sid"]) == ("accepted", SERVICE_SID)


@pytest.mark.parametrize("body, segments", [
    ("a" * 160, "1"), ("a" * 161, "2"), ("a" * 306, "2"), ("a" * 307, "3"),
    ("[" * 80, "1"), ("[" * 81, "2"),  # GSM-7 extension characters count twice
    ("ł" * 70, "1"), ("ł" * 71, "2"),  # outside GSM-7: UCS-2, 70 a message, 67 a part
    ("😀" * 35, "1"), ("😀" * 36, "2"),  # an emoji is two UCS-2 units
])
def test_num_segments(client, body, segments):
    assert send(client, new_number(), body).num_segments == segments


def test_delete(client, api, creds):
    m = send(client, new_number())
    assert client.messages(m.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        client.messages(m.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    again = api.delete(f"/2010-04-01/Accounts/{creds[0]}/Messages/{m.sid}.json")
    assert again.status_code == 404


def test_delete_on_the_wire_is_204_without_body(client, api, creds):
    m = send(client, new_number())
    r = api.delete(f"/2010-04-01/Accounts/{creds[0]}/Messages/{m.sid}.json")
    assert r.status_code == 204 and r.content == b""


def test_fetch_unknown_sid_is_20404(api, creds):
    path = f"/2010-04-01/Accounts/{creds[0]}/Messages/SM{'f' * 32}.json"
    r = api.get(path)
    assert r.status_code == 404
    assert r.json() == error_body(20404, f"The requested resource {path} was not found", 404)


def test_unknown_resource_under_the_api_is_20404(api, creds):
    path = f"/2010-04-01/Accounts/{creds[0]}/Calls.json"
    r = api.get(path)
    assert r.status_code == 404 and r.json()["code"] == 20404 and path in r.json()["message"]


# --- Create refusals ---------------------------------------------------------------------

@pytest.mark.parametrize("fields, code, message", [
    ({"From": TWILIO_FROM_NUMBER, "Body": "hi"}, 21604, "A 'To' phone number is required."),
    ({"To": "+15555550123", "Body": "hi"}, 21603, "A 'From' phone number is required."),
    ({"To": "+15555550123", "From": TWILIO_FROM_NUMBER}, 21602, "Message body is required."),
    ({"To": "+15555550123", "From": TWILIO_FROM_NUMBER, "Body": ""}, 21602, "Message body is required."),
    ({"To": "12345", "From": TWILIO_FROM_NUMBER, "Body": "hi"}, 21211, "Invalid 'To' Phone Number: 1XXXX"),
    ({"To": "+1 555 555 0123", "From": TWILIO_FROM_NUMBER, "Body": "hi"}, 21211,
     "Invalid 'To' Phone Number: +1 555 555 XXXX"),
    ({"To": "+15555550123", "From": "+15005550007", "Body": "hi"}, 21606,
     "The From phone number +15005550007 is not a valid, SMS-capable inbound phone number "
     "or short code for your account."),
    ({"To": "+15555550123", "From": TWILIO_FROM_NUMBER, "Body": "x" * 1601}, 21617,
     "The concatenated message body exceeds the 1600 character limit."),
])
def test_create_refusals(api, messages_path, fields, code, message):
    r = api.post(messages_path, data=fields)
    assert r.status_code == 400
    assert r.json() == error_body(code, message, 400)


def test_create_refusal_through_the_client(client):
    with pytest.raises(TwilioRestException) as err:
        client.messages.create(to="not-a-number", from_=TWILIO_FROM_NUMBER, body="hi")
    assert (err.value.status, err.value.code) == (400, 21211)


def test_refused_create_stores_nothing(sandbox, api, messages_path):
    before = sandbox.db_counts()["twilio_messages"]
    api.post(messages_path, data={"To": "12345", "From": TWILIO_FROM_NUMBER, "Body": "hi"})
    assert sandbox.db_counts()["twilio_messages"] == before


# --- Authentication ----------------------------------------------------------------------

def _auth_error(message: str) -> dict:
    return {"code": 20003, "detail": "Your AccountSid or AuthToken was incorrect.", "message": message,
            "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}


@pytest.mark.parametrize("auth, message", [
    (None, "Authentication Error - No credentials provided"),
    (("AC" + "0" * 32, "whatever"), "Authentication Error - invalid username"),
    ("wrong-token", "Authenticate"),
])
def test_bad_credentials_are_401_20003(sandbox, creds, messages_path, auth, message):
    if auth == "wrong-token":
        auth = (creds[0], "0" * 32)
    r = httpx.get(sandbox.env["TWILIO_API_BASE_URL"] + messages_path, auth=auth)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Basic realm="Twilio API"'
    assert r.json() == _auth_error(message)


def test_good_credentials_for_another_account_are_refused(api):
    r = api.get(f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json")
    assert r.status_code == 401 and r.json() == _auth_error("Authenticate")
    posted = api.post(f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json",
                      data={"To": new_number(), "From": TWILIO_FROM_NUMBER, "Body": "hi"})
    assert posted.status_code == 401


def test_wrong_token_through_the_client(sandbox, creds):
    c = Client(creds[0], "0" * 32)
    c.api.base_url = sandbox.env["TWILIO_API_BASE_URL"]
    with pytest.raises(TwilioRestException) as err:
        c.messages.create(to=new_number(), from_=TWILIO_FROM_NUMBER, body="hi")
    assert (err.value.status, err.value.code) == (401, 20003)


# --- List: filters -----------------------------------------------------------------------

def test_list_filters_by_recipient_newest_first(client):
    mine, other = new_number(), new_number()
    sent = [send(client, mine, f"m{i}") for i in range(3)]
    send(client, other, "not mine")
    got = client.messages.list(to=mine)
    assert [m.sid for m in got] == [m.sid for m in reversed(sent)]
    assert all(m.to == mine and m.status == "delivered" for m in got)


def test_list_filters_by_sender(client, api, messages_path):
    to = new_number()
    send(client, to)
    api.post(messages_path, data={"To": to, "MessagingServiceSid": SERVICE_SID, "Body": "hi"})
    assert len(client.messages.list(to=to, from_=TWILIO_FROM_NUMBER)) == 2  # the pool gives the same number
    assert client.messages.list(to=to, from_="+15005550009") == []


def test_date_sent_after_and_before(client):
    to = new_number()
    old = send(client, to, "old")
    time.sleep(1.1)  # twilio-python sends whole seconds: put the two messages in different ones
    since = datetime.now(timezone.utc)
    new = send(client, to, "new")
    assert [m.sid for m in client.messages.list(to=to, date_sent_after=since)] == [new.sid]
    old_sent = client.messages(old.sid).fetch().date_sent
    # Both bounds are inclusive ("on and before" / "on and after" in Twilio's reference).
    assert [m.sid for m in client.messages.list(to=to, date_sent_before=old_sent)] == [old.sid]
    assert [m.sid for m in client.messages.list(to=to, date_sent_after=old_sent)] == [new.sid, old.sid]
    assert client.messages.list(to=to, date_sent_after=since + timedelta(minutes=5)) == []


def test_date_sent_by_day(api, client, messages_path):
    to = new_number()
    m = send(client, to)
    today = client.messages(m.sid).fetch().date_sent.date()
    yesterday = today - timedelta(days=1)

    def sids(**params):
        r = api.get(messages_path, params={"To": to, **params})
        assert r.status_code == 200
        return [x["sid"] for x in r.json()["messages"]]

    assert sids(DateSent=today.isoformat()) == [m.sid]
    assert sids(**{"DateSent>": today.isoformat()}) == [m.sid]
    assert sids(**{"DateSent<": today.isoformat()}) == [m.sid]  # the whole named day counts
    assert sids(**{"DateSent<": yesterday.isoformat()}) == []
    assert sids(DateSent=yesterday.isoformat()) == []


def test_invalid_date_filter_is_400(api, messages_path):
    r = api.get(messages_path, params={"DateSent": ">=2019-08-08"})
    assert r.status_code == 400
    assert r.json() == error_body(20001, "Invalid date value.", 400)


# --- List: paging ------------------------------------------------------------------------

def test_list_pages_through_several_pages(client):
    to = new_number()
    sent = [send(client, to, f"m{i}").sid for i in range(7)]
    newest_first = list(reversed(sent))
    assert [m.sid for m in client.messages.list(to=to, page_size=3)] == newest_first
    assert [m.sid for m in client.messages.list(to=to, limit=5, page_size=2)] == newest_first[:5]
    assert [m.sid for m in client.messages.stream(to=to, page_size=2)] == newest_first
    assert [m.sid for m in client.messages.list(to=to, limit=4)] == newest_first[:4]


def test_page_objects_follow_next_page(client):
    to = new_number()
    for i in range(5):
        send(client, to, f"m{i}")
    first = client.messages.page(to=to, page_size=2)
    second = first.next_page()
    third = second.next_page()
    assert [len(list(p)) for p in (first, second, third)] == [2, 2, 1]
    assert third.next_page_url is None and third.next_page() is None


def test_paging_envelope_on_the_wire(api, client, messages_path):
    to = new_number()
    sent = [send(client, to, f"m{i}").sid for i in range(5)]
    page0 = api.get(messages_path, params={"To": to, "PageSize": 2}).json()
    assert set(page0) == PAGE_FIELDS
    assert (page0["page"], page0["page_size"], page0["start"], page0["end"]) == (0, 2, 0, 1)
    assert page0["previous_page_uri"] is None
    assert page0["uri"] == page0["first_page_uri"] == f"{messages_path}?To=%2B{to[1:]}&PageSize=2&Page=0"
    assert [m["sid"] for m in page0["messages"]] == sent[:-3:-1]
    # Twilio's token is "PA" + the SID of the page's last message, nothing more.
    assert page0["next_page_uri"].endswith(f"&Page=1&PageToken=PA{page0['messages'][-1]['sid']}")

    page1 = api.get(page0["next_page_uri"]).json()  # relative to the API root, as on Twilio
    assert (page1["page"], page1["start"], page1["end"]) == (1, 2, 3)
    assert [m["sid"] for m in page1["messages"]] == [sent[2], sent[1]]
    assert page1["uri"] == page0["next_page_uri"]
    assert page1["previous_page_uri"].endswith(f"&Page=0&PageToken=PB{sent[2]}")
    back = api.get(page1["previous_page_uri"]).json()
    assert [m["sid"] for m in back["messages"]] == [m["sid"] for m in page0["messages"]]

    page2 = api.get(page1["next_page_uri"]).json()
    assert [m["sid"] for m in page2["messages"]] == [sent[0]]
    assert page2["next_page_uri"] is None and (page2["start"], page2["end"]) == (4, 4)


def test_page_size_defaults_to_50_and_allows_1000(api, messages_path):
    to = new_number()
    assert api.get(messages_path, params={"To": to}).json()["page_size"] == 50
    assert api.get(messages_path, params={"To": to, "PageSize": 1000}).json()["page_size"] == 1000
    empty = api.get(messages_path, params={"To": to}).json()
    assert empty["messages"] == [] and empty["next_page_uri"] is None


def test_page_size_above_1000_is_refused_not_capped(client, api, messages_path):
    r = api.get(messages_path, params={"PageSize": 1001})
    assert (r.status_code, r.json()) == (400, error_body(20007, "Page size too large", 400))
    # twilio-python raises its plain TwilioException for a page it cannot fetch, with the response.
    with pytest.raises(TwilioException) as err:
        client.messages.list(to=new_number(), page_size=5000)
    _, response = err.value.args
    assert (response.status_code, json.loads(response.text)["code"]) == (400, 20007)


@pytest.mark.parametrize("token", ["PASM" + "0" * 31, "PXSM" + "0" * 32, "PA" + "0" * 34, "PASM1_2_3.0"])
def test_malformed_page_token_is_refused(api, messages_path, token):
    r = api.get(messages_path, params={"PageSize": 2, "Page": 1, "PageToken": token})
    assert (r.status_code, r.json()["code"]) == (400, 20001)


def test_deleting_while_streaming_keeps_paging(client):
    """The smoke suite cleans up its OTP messages this way: delete each as it streams by."""
    to = new_number()
    for i in range(5):
        send(client, to, f"m{i}")
    deleted = [m.sid for m in client.messages.stream(to=to, page_size=2) if m.delete()]
    assert len(deleted) == 5
    assert client.messages.list(to=to) == []


# --- In-process helpers ------------------------------------------------------------------

def test_send_sms_and_sent_messages_in_process(tmp_path):
    from kulti_sandbox.app import build_sandbox
    from kulti_sandbox.config import SandboxConfig
    from kulti_sandbox.emulations.twilio import send_sms, sent_messages
    from kulti_sandbox.emulations.twilio_shapes import TwilioApiError

    sb = build_sandbox(SandboxConfig(db_path=tmp_path / "kulti.sqlite3"), workdir=tmp_path)
    try:
        to = new_number()
        created = send_sms(sb, to, "Your code is 654321")
        assert created["status"] == "queued"
        [seen] = sent_messages(sb, to=to)
        assert (seen["sid"], seen["status"], seen["body"]) == (created["sid"], "delivered", "Your code is 654321")
        with pytest.raises(TwilioApiError) as err:
            send_sms(sb, "bogus", "hi")
        assert err.value.code == 21211
    finally:
        sb.db.close()

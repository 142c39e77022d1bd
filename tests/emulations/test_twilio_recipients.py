"""Which `To` numbers the Twilio emulation delivers to (+1 NPA 555 01XX, the fictional block)
and how it refuses the rest, each as Twilio does, seen through the official client.

Refusals store nothing, so they are sent to the shared sandbox. The suite's reserved numbers
are texted on a sandbox of their own (in process): the shared one's other tests read those
numbers' SMS for their codes.
"""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from kulti_sandbox import config, seed
from kulti_sandbox.config import TWILIO_FROM_NUMBER
from kulti_sandbox.env_file import env_settings
from kulti_sandbox.shapes.kulti_2025_11.seed import SEED_USERS as KULTI_SEED_USERS
from tests.emulations.twilio_numbers import handsets

_numbers = handsets(first_area_code=300)
UNREACHABLE = ("The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: "
               f"{TWILIO_FROM_NUMBER} via SMS.")
REGION = "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}."


@pytest.fixture(scope="module")
def client(sandbox) -> Client:
    c = Client(sandbox.env["TWILIO_ACCOUNT_SID"], sandbox.env["TWILIO_AUTH_TOKEN"])
    c.api.base_url = sandbox.env["TWILIO_API_BASE_URL"]
    return c


@pytest.mark.parametrize("to, code, message", [
    # Too short, too long, or a NANP area code or exchange that cannot start with 0 or 1.
    ("+1555", 21211, "Invalid 'To' Phone Number: +XXXX"),
    ("+1202555012", 21211, "Invalid 'To' Phone Number: +120255XXXX"),
    ("+120255501234", 21211, "Invalid 'To' Phone Number: +12025550XXXX"),
    ("+11025550100", 21211, "Invalid 'To' Phone Number: +1102555XXXX"),
    # The 555 exchange outside the fictional 01XX block is no number at all.
    ("+15555555555", 21211, "Invalid 'To' Phone Number: +1555555XXXX"),
    ("+14155552671", 21211, "Invalid 'To' Phone Number: +1415555XXXX"),
    # A real-looking number: the sandbox has no route to real phones.
    ("+14158675309", 21612, UNREACHABLE.format(to="+14158675309")),
    # Outside the US and Canada: the sandbox account's geographic permissions stop there.
    ("+447700900123", 21408, REGION.format(to="+447700900123")),
    # Twilio's test-credential magic recipients answer their documented errors.
    ("+15005550001", 21211, "Invalid 'To' Phone Number: +1500555XXXX"),
    ("+15005550002", 21612, UNREACHABLE.format(to="+15005550002")),
    ("+15005550003", 21408, REGION.format(to="+15005550003")),
    ("+15005550004", 21610, "Attempt to send to unsubscribed recipient"),
    ("+15005550009", 21614, "To number: +15005550009, is not a mobile number"),
])
def test_undeliverable_numbers_are_refused_as_twilio_refuses_them(client, to, code, message):
    with pytest.raises(TwilioRestException) as err:
        client.messages.create(to=to, from_=TWILIO_FROM_NUMBER, body="Your Kulti code is 123456")
    assert (err.value.status, err.value.code) == (400, code)
    assert err.value.msg == f"Unable to create record: {message}"
    assert client.messages.list(to=to) == []


@pytest.mark.parametrize("area_code", ["202", "415", "555", "999"])
def test_the_fictional_block_is_delivered_in_any_area_code(client, area_code):
    to = f"+1{area_code}55501{next(_numbers)[-2:]}"
    sent = client.messages.create(to=to, from_=TWILIO_FROM_NUMBER, body="hello")
    assert client.messages(sent.sid).fetch().status == "delivered"
    client.messages(sent.sid).delete()


def reserved_numbers() -> set[str]:
    """Every number the suite signs in or up with against a sandbox (the env file's), and the
    seeded users' of both shapes."""
    env = env_settings(config.SandboxConfig())
    seeded = {phone for phone, *_ in (*seed.SEED_USERS, *KULTI_SEED_USERS)}
    return {env["SMOKE_PHONE_HOST"], env["SMOKE_PHONE_GUEST"], env["SMOKE_PHONE_SIGNUP"], *seeded}


def test_the_suites_reserved_numbers_are_delivered(tmp_path):
    from kulti_sandbox.app import build_sandbox
    from kulti_sandbox.emulations.twilio import send_sms, sent_messages

    sb = build_sandbox(config.SandboxConfig(db_path=tmp_path / "kulti.sqlite3"), workdir=tmp_path)
    try:
        numbers = reserved_numbers()
        assert {"+15555550100", "+15555550101", "+15555550199", "+15555550142"} <= numbers
        for to in numbers:
            send_sms(sb, to, "Your Kulti verification code is 123456.")
            assert [m["status"] for m in sent_messages(sb, to=to)] == ["delivered"]
    finally:
        sb.db.close()

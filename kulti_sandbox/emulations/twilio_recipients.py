"""Which `To` numbers the sandbox's carrier delivers to, and how Twilio refuses the others.

The sandbox reaches no real phone. Its handsets are the North American numbers whose
exchange and line are 555-0100 to 555-0199, in any area code (+1 NPA 555 01XX): the block
the NANP administrator reserves for fictional use, so no real subscriber can have one. The
suite's reserved numbers (+1 555 555 0100, 0101, 0199, and the seeded +1 555 555 0142) are
among them. Every other number is refused at create time with the error Twilio gives for it:

- not E.164 at all, or +1 with the wrong length or an area code or exchange starting with 0
  or 1: 21211 "Invalid 'To' Phone Number" (twilio.com/docs/api/errors/21211: "too few digits
  for the destination country; US numbers have 10 digits after the country code");
- the 555 exchange outside the fictional block, e.g. +1 555 555 5555: 21211 as well. Twilio
  documents "there is no ... 555 US exchange" (twilio.com/docs/api/errors/13224), and
  codeforamerica/vita-min#2028 saw 555-555-5555 answered with 21211;
- Twilio's test-credential magic recipients (twilio.com/docs/iam/test-credentials, "Test SMS
  messages"): +15005550001 21211, +15005550002 21612, +15005550003 21408, +15005550004 21610,
  +15005550009 21614, so a client's handling of each refusal can be tried here;
- any other +1 number, a real one: 21612, no route from the sandbox to it;
- outside +1: 21408, the sandbox account's geographic permissions cover the US and Canada only.

Message texts are the ones real responses carry, as client code and bug reports quote them
(aloha/laravel-twilio#145 for 21614; for 21612, tests run against the magic +15005550002).
Twilio now words 21211 "Invalid 'To' Phone Number: ..." and masks the number's last four
digits ("+1403555XXXX"); the older "The 'To' number ... is not a valid phone number." is gone.
"""

from __future__ import annotations

import re

from kulti_sandbox.emulations.twilio_shapes import E164, TwilioApiError

FICTIONAL_HANDSET = re.compile(r"^\+1[2-9]\d{2}55501\d{2}$")  # +1 NPA 555 01XX
NANP = re.compile(r"^\+1([2-9]\d{2})([2-9]\d{2})(\d{4})$")  # +1 NPA NXX XXXX


def _invalid(to: str, sender: str) -> TwilioApiError:
    masked = to[:-4] + "XXXX" if len(to) > 4 else to
    return TwilioApiError(400, 21211, f"Invalid 'To' Phone Number: {masked}")


def _unreachable(to: str, sender: str) -> TwilioApiError:
    return TwilioApiError(400, 21612, f"The 'To' phone number: {to}, is not currently reachable using the "
                                      f"'From' phone number: {sender} via SMS.")


def _no_region_permission(to: str, sender: str) -> TwilioApiError:
    return TwilioApiError(400, 21408, "Permission to send an SMS has not been enabled for the region "
                                      f"indicated by the 'To' number: {to}.")


def _unsubscribed(to: str, sender: str) -> TwilioApiError:
    return TwilioApiError(400, 21610, "Attempt to send to unsubscribed recipient")


def _not_mobile(to: str, sender: str) -> TwilioApiError:
    return TwilioApiError(400, 21614, f"To number: {to}, is not a mobile number")


MAGIC_RECIPIENTS = {
    "+15005550001": _invalid,
    "+15005550002": _unreachable,
    "+15005550003": _no_region_permission,
    "+15005550004": _unsubscribed,
    "+15005550009": _not_mobile,
}


def refusal(to: str, sender: str) -> TwilioApiError | None:
    """Why Twilio would not send to `to` from `sender` (a number or a service's), or None."""
    if FICTIONAL_HANDSET.match(to):
        return None
    if to in MAGIC_RECIPIENTS:
        return MAGIC_RECIPIENTS[to](to, sender)
    if not E164.match(to):
        return _invalid(to, sender)
    if not to.startswith("+1"):
        return _no_region_permission(to, sender)
    shape = NANP.match(to)
    if shape is None or shape.group(2) == "555":
        return _invalid(to, sender)
    return _unreachable(to, sender)

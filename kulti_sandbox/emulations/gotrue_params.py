"""Request bodies read as GoTrue reads them: encoding/json into a Go struct (retrieveRequestParams
in supabase/auth internal/api/helpers.go), and phone numbers as internal/api/phone.go checks them.

Go's decoder ignores unknown fields (supabase-js' `gotrue_meta_security`, supabase-py's
`options`), leaves a field at its default when it is null, and refuses a value of the wrong
JSON type with 400 `bad_json` naming the struct field. The texts of its syntax errors are
approximated: the first bad character, or the end of input.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kulti_sandbox.emulations.supabase_auth import GoTrueError
from kulti_sandbox.state import Sandbox

# Go type of each field, as Go names it in its unmarshal errors.
STRING, BOOL, OBJECT = "string", "bool", "map[string]interface {}"
_PYTHON_FOR_GO = {STRING: str, BOOL: bool, OBJECT: dict}

E164_DIGITS = re.compile(r"^[1-9][0-9]{1,14}$")  # phone.go e164Format, after formatPhoneNumber
INVALID_PHONE = "Invalid phone number format (E.164 required)"


def _json_kind(value: Any) -> str:
    """The JSON kind as Go's UnmarshalTypeError words it."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _syntax_error(text: str) -> str:
    stripped = text.lstrip()
    if not stripped:
        return "unexpected end of JSON input"
    first = stripped[0]
    if first not in '{["-0123456789tfn':
        return f"invalid character '{first}' looking for beginning of value"
    return "unexpected end of JSON input" if first in "{[\"" else "invalid character in literal"


def go_params(body: bytes, struct: str, fields: dict[str, str]) -> dict[str, Any]:
    """The fields of `struct` that the body sets (nulls left out); GoTrueError 400 bad_json otherwise."""
    text = body.decode("utf-8", "replace")
    try:
        value = json.loads(text)
    except ValueError:
        raise GoTrueError(400, "bad_json", f"Could not parse request body as JSON: {_syntax_error(text)}")
    if value is None:
        return {}  # Go unmarshals null into a struct as a no-op
    if not isinstance(value, dict):
        raise GoTrueError(400, "bad_json", "Could not parse request body as JSON: json: cannot unmarshal "
                                           f"{_json_kind(value)} into Go value of type api.{struct}")
    params = {}
    for name, go_type in fields.items():
        given = value.get(name)
        if given is None:
            continue
        if not isinstance(given, _PYTHON_FOR_GO[go_type]) or (go_type != BOOL and isinstance(given, bool)):
            raise GoTrueError(400, "bad_json", "Could not parse request body as JSON: json: cannot unmarshal "
                                               f"{_json_kind(given)} into Go struct field {struct}.{name} of type {go_type}")
        params[name] = given
    return params


def phone_digits(sb: Sandbox, phone: str) -> str:
    """validatePhone: '+' and spaces dropped, then E.164 digits, else 400 validation_failed.
    Under the `phone_validation_off` fault any number passes (and an SMS is attempted)."""
    digits = phone.removeprefix("+").replace(" ", "")
    if not E164_DIGITS.match(digits) and not sb.faults.on("phone_validation_off"):
        raise GoTrueError(400, "validation_failed", INVALID_PHONE)
    return digits

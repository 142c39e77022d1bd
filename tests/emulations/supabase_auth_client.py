"""The official supabase client for one user of a test sandbox, with what the GoTrue OTP tests
read around it: the SMS in the Twilio emulation (twilio library) and raw HTTP as supabase-js sends it."""

from __future__ import annotations

import re

import httpx
import pytest
from supabase import ClientOptions, create_client
from supabase_auth.errors import AuthApiError
from twilio.rest import Client as TwilioClient

from tests.emulations.twilio_numbers import handsets

HOST = "+15555550100"  # seeded, confirmed
OTP_EXPIRED = (403, "otp_expired", "Token has expired or is invalid")
MISSING_KEY = {"message": "No API key found in request", "hint": "No `apikey` request header or url param was found."}
_numbers = handsets(first_area_code=400)


def fresh_number() -> str:
    """A number the Twilio emulation delivers to that no other test uses."""
    return next(_numbers)


class Auth:
    """The official client for one user, plus what a test reads around it: SMS and raw HTTP."""

    def __init__(self, sandbox):
        self.sandbox, env = sandbox, sandbox.env
        self.url, self.anon = env["SUPABASE_URL"], env["SUPABASE_ANON_KEY"]
        # 30 s, not httpx's 5: a sandbox sharing two cores with the room chains once took longer to
        # answer an OTP request (ReadTimeout in a CI run of f4051e6); what is tested is the answer.
        self.client = create_client(self.url, self.anon, ClientOptions(
            auto_refresh_token=False, httpx_client=httpx.Client(timeout=30)))
        self.twilio = TwilioClient(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"])
        self.twilio.api.base_url = env["TWILIO_API_BASE_URL"]

    def sms(self, phone: str) -> list[str]:
        return [m.body for m in self.twilio.messages.list(to=phone, limit=20)]

    def code(self, phone: str) -> str:
        return re.search(r"code is (\d+)\.", self.sms(phone)[0]).group(1)

    def sign_in(self, phone: str):
        self.client.auth.sign_in_with_otp({"phone": phone})
        return self.client.auth.verify_otp({"phone": phone, "token": self.code(phone), "type": "sms"})

    def raw(self, method: str, path: str, key: str | None = "anon", bearer: str | None = None, **kw) -> httpx.Response:
        """As supabase-js' fetch sends it: apikey, Bearer (the anon key unless signed in), API version."""
        headers = {"X-Supabase-Api-Version": "2024-01-01"} if kw.pop("versioned", True) else {}
        if key:
            headers.update(apikey=self.anon, Authorization=f"Bearer {bearer or self.anon}")
        return httpx.request(method, f"{self.url}/auth/v1/{path}", headers=headers, **kw)

    def admin_user(self, phone: str) -> dict:
        key = self.sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
        users = httpx.get(f"{self.url}/auth/v1/admin/users", params={"per_page": 1000},
                          headers={"apikey": key, "Authorization": f"Bearer {key}"}).json()["users"]
        return next(u for u in users if u["phone"] == phone.lstrip("+"))


def api_error(call) -> tuple[int, str | None, str]:
    with pytest.raises(AuthApiError) as caught:
        call()
    return caught.value.status, caught.value.code, caught.value.message

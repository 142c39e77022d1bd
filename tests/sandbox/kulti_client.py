"""A signed-in HTTP client for the sandbox's Kulti API, reading OTPs from the Twilio emulation."""

from __future__ import annotations

import re

import httpx

from fixtures.sandbox_process import SandboxProcess


def latest_otp(sandbox: SandboxProcess, phone: str) -> str:
    env = sandbox.env
    r = httpx.get(f"{env['TWILIO_API_BASE_URL']}/2010-04-01/Accounts/{env['TWILIO_ACCOUNT_SID']}/Messages.json",
                  params={"To": phone, "PageSize": 1}, auth=(env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"]))
    r.raise_for_status()
    messages = r.json()["messages"]
    assert messages, f"no SMS to {phone}"
    return re.search(r"\b(\d{5,6})\b", messages[0]["body"]).group(1)


def request_otp(client: httpx.Client, phone: str, intent: str = "login") -> httpx.Response:
    return client.post("/api/auth/otp", json={"phone": phone, "intent": intent})


def sign_in(sandbox: SandboxProcess, phone: str, intent: str = "login") -> httpx.Client:
    client = httpx.Client(base_url=sandbox.url, follow_redirects=False)
    request_otp(client, phone, intent).raise_for_status()
    r = client.post("/api/auth/verify", json={"phone": phone, "code": latest_otp(sandbox, phone)})
    r.raise_for_status()
    return client


def create_session(client: httpx.Client, title: str = "Test Session", **fields) -> dict:
    body = {"title": title, "description": "Automated smoke test session", "tags": ["testing", "smoke-test"],
            "category": "Development", **fields}
    r = client.post("/api/sessions", json=body)
    assert r.status_code == 201, r.text
    return r.json()

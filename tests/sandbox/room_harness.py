"""Two signed-in Chromium users in one session room, for the room tests (and a WS client).

The browser is launched from pytest-playwright's `browser_type` with fake camera,
microphone and screen; both users are contexts of it. Test modules import the fixtures
they use from here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from websockets.sync.client import connect

from fixtures.browsers import MEDIA_ARGS, QUIET_ARGS, chromium_path, launch_as_a_user
from fixtures.sandbox_process import SandboxProcess
from tests.sandbox.kulti_client import latest_otp
from tests.suite.run_turns import ROOM_SLOTS, room_slot, room_turn

HOST_PHONE, GUEST_PHONE = "+15555550100", "+15555550101"
PROBE = Path(__file__).with_name("room_probe.js")
SHOTS = Path("/tmp/room-shots")
VIEWPORT = {"width": 1400, "height": 900}


def wait_until(page: Page, js: str, timeout: float = 10.0):
    """Evaluate `js` (may be async) until it is truthy; returns that value.

    Playwright's wait_for_function does not await a promise (a promise is truthy), so
    probes that read getStats() are polled from here instead.
    """
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(js)):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {js}")
        time.sleep(0.1)
    return value


def by_testid(page: Page, testid: str, **attrs: str):
    extra = "".join(f'[data-{k.replace("_", "-")}="{v}"]' for k, v in attrs.items())
    return page.locator(f'[data-testid="{testid}"]{extra}')


@dataclass
class RoomUser:
    username: str
    context: BrowserContext
    page: Page

    def find(self, testid: str, **attrs: str):
        return by_testid(self.page, testid, **attrs)

    def open_room(self, url: str) -> None:
        self.page.goto(url)
        expect(self.find("connection-status")).to_have_attribute("data-state", "connected")

    def inbound(self, kind: str) -> list[dict]:
        return [s for s in self.page.evaluate("window.__roomProbe.inbound()") if s["kind"] == kind]

    def outbound(self, kind: str) -> list[dict]:
        return [s for s in self.page.evaluate("window.__roomProbe.outbound()") if s["kind"] == kind]

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}-{self.username}.png"
        self.page.screenshot(path=str(path))
        return path


@dataclass
class TwoUserRoom:
    sandbox: SandboxProcess
    session_id: str
    host: RoomUser
    guest: RoomUser

    @property
    def url(self) -> str:
        return f"{self.sandbox.url}/session/{self.session_id}"

    @property
    def users(self) -> tuple[RoomUser, RoomUser]:
        return self.host, self.guest

    def reopen(self) -> None:
        """Reload both pages (host first), e.g. after switching a fault on or off."""
        for user in self.users:
            user.open_room(self.url)
        for user in self.users:
            expect(user.find("participant-status", online="true")).to_have_count(2)


def sign_in_context(context: BrowserContext, sandbox: SandboxProcess, phone: str) -> None:
    """Log in through the API from inside the context, so the cookie lands in its jar."""
    r = context.request.post(f"{sandbox.url}/api/auth/otp", data={"phone": phone, "intent": "login"})
    assert r.ok, r.text()
    r = context.request.post(f"{sandbox.url}/api/auth/verify", data={"phone": phone, "code": latest_otp(sandbox, phone)})
    assert r.ok, r.text()


def new_user(browser, sandbox: SandboxProcess, phone: str, username: str) -> RoomUser:
    context = browser.new_context(viewport=VIEWPORT, permissions=["camera", "microphone"])
    context.grant_permissions(["camera", "microphone"], origin=sandbox.url)
    context.add_init_script(path=str(PROBE))
    sign_in_context(context, sandbox, phone)
    return RoomUser(username, context, context.new_page())


def create_room(host: RoomUser, guest: RoomUser, sandbox: SandboxProcess, title: str) -> str:
    r = host.context.request.post(f"{sandbox.url}/api/sessions", data={
        "title": title, "description": "Room test", "tags": ["testing"], "category": "Development"})
    assert r.status == 201, r.text()
    sid = r.json()["id"]
    assert guest.context.request.post(f"{sandbox.url}/api/sessions/{sid}/join").ok
    return sid


@pytest.fixture(scope="module")
def media_browser(browser_type, request):
    # A room module counts as one of the machine's rooms, and keeps its turn until its browser closes
    # (tests/suite/run_turns.py); one that sets ROOM_TO_ITSELF has the rooms' share to itself.
    slots = ROOM_SLOTS if getattr(request.module, "ROOM_TO_ITSELF", False) else 1
    with room_slot(slots), room_turn():
        browser = browser_type.launch(**launch_as_a_user(chromium_path(browser_type.executable_path)),
                                      args=[*MEDIA_ARGS, *QUIET_ARGS, "--no-sandbox"])
        yield browser
        browser.close()


def open_two_user_room(browser, sandbox: SandboxProcess, title: str,
                       prepare: Callable[[RoomUser], None] | None = None) -> TwoUserRoom:
    """Host and guest signed in, in a new room, both pages in it. `prepare` runs on each user before
    their page first loads (more init scripts, say)."""
    host = new_user(browser, sandbox, HOST_PHONE, "smoke_host")
    guest = new_user(browser, sandbox, GUEST_PHONE, "smoke_guest")
    for user in (host, guest):
        if prepare:
            prepare(user)
    room = TwoUserRoom(sandbox, create_room(host, guest, sandbox, title), host, guest)
    room.reopen()
    return room


@pytest.fixture(scope="module")
def two_user_room(media_browser, sandbox, request) -> TwoUserRoom:
    room = open_two_user_room(media_browser, sandbox, f"Room test {request.module.__name__}")
    yield room
    for user in room.users:
        user.context.close()


# --- a bare WebSocket client, for the protocol and the server-side faults --------------


class RoomSocket:
    def __init__(self, ws):
        self.ws = ws

    def send(self, message: dict | str) -> None:
        self.ws.send(message if isinstance(message, str) else json.dumps(message))

    def next(self, type_: str, timeout: float = 3.0) -> dict:
        """The next message of this type, skipping others."""
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.01, deadline - time.monotonic())))
            if message["type"] == type_:
                return message

    def nothing_of(self, type_: str, within: float) -> bool:
        try:
            self.next(type_, within)
        except TimeoutError:
            return True
        return False


@contextmanager
def room_socket(sandbox: SandboxProcess, client, session_id: str, origin: str | None = None):
    url = sandbox.url.replace("http://", "ws://") + f"/ws/session/{session_id}"
    headers = {"Cookie": f"kulti_session={client.cookies['kulti_session']}"} if client else {}
    if origin:
        headers["Origin"] = origin
    with connect(url, additional_headers=headers) as ws:
        yield RoomSocket(ws)

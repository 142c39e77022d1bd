"""The host's page tells of a recording's start and stop whichever comes first: the answer to the
host's own click, or the room's news of it. On a busy machine the answer overtook the news (official
CI of 0ee255e) and the host's page, already thinking it recorded, told nobody; the runbook's T10
checks that notice on the host's page too.

The host's room socket runs through a route that holds the room's recording news back until the
test lets it go, after the click's answer is in: the order the busy machine made, every time.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import WebSocketRoute, expect

from tests.sandbox.room_harness import RoomUser, media_browser, open_two_user_room  # noqa: F401

pytestmark = pytest.mark.browser

NEWS = "recordings"  # the room message that carries the recording state


class HeldNews:
    """The server's recording news to one page, held while `holding` and sent on `release()`."""

    def __init__(self) -> None:
        self.holding = False
        self.held: list[str | bytes] = []
        self.socket: WebSocketRoute | None = None

    def route(self, socket: WebSocketRoute) -> None:
        self.socket = socket
        server = socket.connect_to_server()  # the page's own messages go through untouched
        server.on_message(self._from_server)

    def _from_server(self, message: str | bytes) -> None:
        if self.holding and json.loads(message).get("type") == NEWS:
            self.held.append(message)
        else:
            self.socket.send(message)

    def release(self) -> None:
        self.holding = False
        for message in self.held:
            self.socket.send(message)
        self.held.clear()


@pytest.fixture(scope="module")
def room(media_browser, sandbox, request):  # noqa: F811
    news = HeldNews()

    def prepare(user: RoomUser) -> None:
        if user.username == "smoke_host":
            user.page.route_web_socket(lambda url: True, news.route)

    room = open_two_user_room(media_browser, sandbox, f"Room test {request.module.__name__}", prepare)
    yield room, news
    for user in room.users:
        user.context.close()


def answer_then_news(button, label: str, news: HeldNews) -> None:
    """Click, see the answer on the button, then let the room's news in."""
    news.holding = True
    button.click()
    expect(button).to_have_text(label)
    news.release()


def test_the_host_is_told_of_start_and_stop_when_the_answer_comes_before_the_news(room):
    room, news = room
    button = room.host.find("recording-button")
    notice = room.host.find("room-notification")
    answer_then_news(button, "Stop Recording", news)
    expect(notice).to_have_text("This session is being recorded")
    answer_then_news(button, "Start Recording", news)
    expect(notice).to_have_text("Recording stopped")

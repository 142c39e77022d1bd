"""A two-user sandbox room whose pages send and read known media (fixtures/probes/known_media.py),
for test_known_media*.py: the room, and one window's figures for each direction."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fixtures.probes import known_media, page_clock, webrtc_stats
from fixtures.probes.known_media import KnownMedia, KnownMediaResults, clock_shift_ms
from fixtures.probes.page_clock import PageClock
from tests.sandbox.room_harness import RoomUser, TwoUserRoom, open_two_user_room, wait_until

IDENTITY = {"smoke_host": 1, "smoke_guest": 2}
# Received RMS over a window: the known tones read about -16 dBFS, what a silent microphone's codec
# sends between them about -80; quiet speech is about -45.
AUDIBLE_DB = -50.0
# A picture no fault holds back: the sandbox adds no delay, so what a healthy room's median shows is
# the machine (100-200 ms alone; 545-1136 ms in the official CI of 554b9f1, two rooms and two more
# browsers on two cores). The delay faults hold it 2 s and more.
UNDELAYED_VIDEO_MS = 1500
# Both kinds arriving (audio: packets, which a muted microphone sends too).
MEDIA_FLOWING_JS = """async () => { const rows = await window.__roomProbe.inbound();
  return rows.some((s) => s.kind === 'video' && s.framesDecoded > 15) && rows.some((s) => s.kind === 'audio' && s.bytesReceived > 0); }"""


def prepare(user: RoomUser) -> None:
    page_clock.install(user.context)
    known_media.install(user.context, IDENTITY[user.username])  # before webrtc_stats: it wraps on top
    webrtc_stats.install(user.context)


@pytest.fixture(scope="module")
def room(media_browser, sandbox, request):
    room = open_two_user_room(media_browser, sandbox, f"Known media {request.module.__name__}", prepare)
    yield room
    for user in room.users:
        user.context.close()


@dataclass(frozen=True)
class Direction:
    """What `receiver` got from `sender` over one window."""
    sender: str
    receiver: str
    identity: int  # the sender's
    got: KnownMediaResults
    jitter_buffer_ms: float | None  # the receiver's audio jitter buffer over the window (getStats), for comparison

    def __str__(self) -> str:
        return f"{self.sender} -> {self.receiver}"


def measure(room: TwoUserRoom, media_timeout_s: float = 15, flowing: dict[str, str] | None = None) -> list[Direction]:
    """Both users' windows at once, once media flows both ways (or as `flowing` says, by username:
    a page whose user receives less); clock shifts taken out. `room`: anything with two `users`."""
    for user in room.users:
        wait_until(user.page, (flowing or {}).get(user.username, MEDIA_FLOWING_JS), timeout=media_timeout_s)
    ways = (room.users, room.users[::-1])  # (receiver, sender)
    shifts = {receiver.username: {IDENTITY[sender.username]: clock_shift_ms(PageClock(sender.page), PageClock(receiver.page))}
              for receiver, sender in ways}
    probes = {user.username: KnownMedia(user.page) for user in room.users}
    before = {user.username: user.inbound("audio") for user in room.users}
    for name, probe in probes.items():
        probe.start_window(shifts_ms=shifts[name])
    results = {name: probe.results() for name, probe in probes.items()}
    return [Direction(sender.username, receiver.username, IDENTITY[sender.username], results[receiver.username],
                      jitter_buffer_ms(before[receiver.username], receiver.inbound("audio")))
            for receiver, sender in ways]


def jitter_buffer_ms(before: list[dict], after: list[dict]) -> float | None:
    """Mean time a received audio sample spent in the jitter buffer between two getStats snapshots
    (inbound-rtp jitterBufferDelay / jitterBufferEmittedCount, https://www.w3.org/TR/webrtc-stats/)."""
    delay = sum(s["jitterBufferDelay"] for s in after) - sum(s["jitterBufferDelay"] for s in before)
    count = sum(s["jitterBufferEmittedCount"] for s in after) - sum(s["jitterBufferEmittedCount"] for s in before)
    return delay / count * 1000 if count > 0 else None

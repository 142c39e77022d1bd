"""Each known-media fault of the sandbox room moves the figure it names, read from known media
(fixtures/probes/known_media.py, issue #12 T7), and leaves the others where a healthy room has them
(test_known_media.py). One room for the module; each test switches its fault on and reloads both
pages (client faults are read on load); tests/conftest.py switches it off after."""

from __future__ import annotations

import pytest

from tests.sandbox.known_media_room import AUDIBLE_DB, UNDELAYED_VIDEO_MS, measure, room  # noqa: F401
from tests.sandbox.room_harness import media_browser  # noqa: F401

pytestmark = pytest.mark.browser
# Its figures are the sandbox's own (latencies, tones heard): beside another room a starved machine heard
# 1 of the guest's tones and read 1.1 s of healthy video latency (CI runs of 554b9f1 and 983b9ac).
ROOM_TO_ITSELF = True

HOST = 1


def with_fault(room, name: str, value: str | None = None) -> None:
    room.sandbox.set_fault(name, value)
    room.reopen()


def video_as_healthy(way) -> None:
    video = way.got.video_from(way.identity)
    assert video.readable_share >= 0.9 and video.latency_ms.median < UNDELAYED_VIDEO_MS, (str(way), video)


def test_mic_silent_sends_silence_and_no_tones_while_the_video_goes_on(room):
    with_fault(room, "mic_silent")
    for way in measure(room):
        assert way.got.tones_from(way.identity) is None, str(way)
        assert [a.level_db < AUDIBLE_DB for a in way.got.audio] == [True], (str(way), way.got.audio)
        video_as_healthy(way)


def test_audio_delay_makes_the_audio_that_much_later(room):
    with_fault(room, "audio_delay", "600")
    for way in measure(room):
        tones = way.got.tones_from(way.identity)
        # At least the fault's 600 ms. Not "at most 1.6 s": a starved CI machine read 5.25 s once, its delaying
        # worker's timers late; a tone later than the probe's matching limit (6 s) is not heard at all.
        assert tones.heard >= 5 and 600 <= tones.latency_ms.median, (str(way), tones)
        # The receiver's lip sync holds the video back towards the audio, a little each second.
        assert way.got.video_from(way.identity).latency_ms.median < 1000, str(way)
        assert way.got.av_sync_ms(way.identity) > 0, str(way)


def test_video_delay_makes_the_video_that_much_later(room):
    with_fault(room, "video_delay", "2500")
    for way in measure(room, media_timeout_s=25):
        video = way.got.video_from(way.identity)
        assert video.readable_share >= 0.9 and video.latency_ms.median > 2000, (str(way), video)
        assert way.got.av_sync_ms(way.identity) < -1000, (str(way), way.got.tones_from(way.identity), way.jitter_buffer_ms)


def test_audio_echo_lets_the_host_hear_itself_and_nobody_else(room):
    with_fault(room, "audio_echo")
    host_hears, guest_hears = measure(room)
    echo = host_hears.got.echo
    # Any tone of the host's own coming back is the echo (each carries its sender's identity); a busy machine
    # lets fewer through a window (3 in the official CI of 554b9f1).
    assert echo.heard >= 2 and echo.latency_ms.median > 0, echo
    assert guest_hears.got.echo is None
    assert host_hears.got.tones_from(host_hears.identity).heard >= 5  # the guest's own voice is still in the mix


def test_preview_frozen_stops_the_own_preview_but_not_what_is_sent(room):
    with_fault(room, "preview_frozen")
    for way in measure(room):
        [preview] = way.got.previews
        assert preview.frames == 0 and preview.shown_age_ms > 1000, (way.receiver, preview)
        video_as_healthy(way)


def test_audio_dropouts_leave_gaps_the_receiver_conceals(room):
    with_fault(room, "audio_dropouts", "20")
    before = {user.username: user.inbound("audio") for user in room.users}
    for way in measure(room):  # a window of media both ways: the voice still comes through, at its level
        # (its tones' onsets, which a starved machine's concealment smears on top of the fault's, are
        # not: 1 of 11 read in a CI run of f4051e6)
        assert way.got.audio_from(way.identity).level_db > AUDIBLE_DB, str(way)
    for user in room.users:
        after = user.inbound("audio")
        concealed = sum(s["concealedSamples"] for s in after) - sum(s["concealedSamples"] for s in before[user.username])
        received = sum(s["totalSamplesReceived"] for s in after) - sum(s["totalSamplesReceived"] for s in before[user.username])
        assert received > 0 and concealed / received >= 0.1, (user.username, concealed, received)

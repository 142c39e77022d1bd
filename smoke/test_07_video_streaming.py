"""Test 7: Video Streaming - camera and microphone work both ways between two participants."""

from __future__ import annotations

import re

import allure
import pytest

from fixtures.evidence import current, measure, present, step
from fixtures.expect import expect_text, expect_that, expect_visible, one_wait
from fixtures.participant import Participant, participant
from fixtures.probes.known_media import WINDOW_MS as KNOWN_MEDIA_WINDOW_MS
from fixtures.probes.known_media import KnownMediaResults, clock_shift_ms
from fixtures.probes.known_media_chart import latency_svg
from fixtures.probes.webrtc_stats import InboundSample
from fixtures.room_setup import both_in_room
from fixtures.severity import COSMETIC, PART_BROKEN

pytestmark = [
    pytest.mark.critical,
    pytest.mark.rollback,
    pytest.mark.synthetic,
    pytest.mark.runbook("T7"),
    pytest.mark.xdist_group("room"),
]

EXACTLY_TWO = re.compile(r"^\s*2\s*$")


def test_video_streaming(cast, runbook_record, kulti_data, app, measurement_window):
    host_page, guest_page = both_in_room(cast, kulti_data)
    user1 = participant("user 1", "host", host_page, kulti_data.profile_for_phone(cast.people["host"].phone), app,
                        runbook_record)
    user2 = participant("user 2", "guest", guest_page, kulti_data.profile_for_phone(cast.people["guest"].phone), app,
                        runbook_record)

    two_way = present(app, "guest_media")  # else only user 1 (the host) publishes
    # Who sees whom: both ways in the runbook; the host's media to the guest where guests only watch.
    receivers = ((user1, user2), (user2, user1)) if two_way else ((user2, user1),)

    # From the first step: the call settles on a quiet machine before its windows (a receiver's jitter buffer
    # grown while the front door loaded pages beside it gave the delay back only slowly).
    with measurement_window():
        # Both pages joined in Test 6: their previews are what each page has shown since, so the two users'
        # checks share one UI wait (a page missing its preview kept the room waiting 10 s per user).
        with one_wait():
            with step("1. User 1 - Grant camera permission"):
                _camera_starts(user1)
            with step("2. User 1 - Observe own video preview"):
                _preview_plays(user1)
            with step("3. User 2 - Grant camera permission: same as User 1"):
                if two_way:
                    _camera_starts(user2)
                    _preview_plays(user2)

        with step("4. User 1 - Observe User 2's video"):
            for viewer, sender in receivers:
                room, other = viewer.room, sender.username
                expect_visible(room.remote_video_of(**sender.shown_as), f"{other}'s video visible to {viewer.who}")
                measure("t7.remote_video_rendering",
                        viewer.stats.first_remote_frame_s(f"{other}'s video reaches {viewer.who}"),
                        f"Remote video rendering ({viewer.who} sees {other})")
                expect_that(room.video_playing(room.remote_video_of(**sender.shown_as)),
                            f"{other}'s video is playing for {viewer.who}", "no frames shown")
            # Media flows now. getStats' window spans both known-media windows (the picture's here, the voice's
            # in step 5): 6 s of frames, so a decoder catching up on frames queued before it started (a 3 s window
            # read 31.3 fps from a 30 fps camera once) moves the rate by less than one frame per second.
            for viewer, _ in receivers:
                viewer.stats.start_sample(2 * KNOWN_MEDIA_WINDOW_MS)
            seen = _known_media_window((user1, user2), receivers)
            for viewer, sender in receivers:
                video, other = seen[viewer.who].video_from(sender.identity), sender.username
                expect_that(video is not None and video.readable > 0,
                            f"User 2 video visible: {viewer.who} sees the picture {other}'s camera sends",
                            _pictures_seen(seen[viewer.who]))
                measure("t7.video_latency", video.latency_ms.p95 / 1000,
                        f"Video latency ({other} -> {viewer.who}, 95th percentile of {video.latency_ms.count} frames)")
            if present(app, "participant_count"):
                with one_wait():  # one room, two pages showing it: one wait for both counts
                    for user in (user1, user2):
                        expect_text(user.room.participant_count, EXACTLY_TWO,
                                    f"Participant count correct on {user.who}'s page", impact=COSMETIC)

        with step("5. User 1 - Speak and observe User 2 (and back)"):
            # A second window for the voice: a receiver's jitter buffer grows on the bursts of a call's start
            # and gives the delay back over seconds (a healthy call read 190 ms falling to 130 in its first
            # window after the join), so the voice is timed once the call has settled, as a user speaks.
            got = _known_media_window((user1, user2), receivers)
            samples = {viewer.who: (viewer, viewer.stats.sampled()) for viewer, _ in receivers}
            _attach_latency_chart(got, receivers)
            for viewer, sender in receivers:
                heard, audio, other = got[viewer.who].tones_from(sender.identity), got[viewer.who].audio_from(sender.identity), sender.username
                level = current().metrics.budgets["t7.audio_level"]
                expect_that(heard is not None and heard.latency_ms.count > 0 and audio is not None
                            and audio.level_db is not None and level.allows(audio.level_db),
                            f"Audio working bidirectionally: {viewer.who} hears {other}'s voice "
                            f"(User 2 hears audio, level {level.describe()})",
                            _voices_heard(got[viewer.who]))
                voices = _shown(samples[viewer.who][1], viewer.room.remote_track_ids(), "audio")
                # The receiver's own smoothing, for whoever reads a late figure: the network or this machine.
                buffered = "".join(f"; jitter buffer {v.jitter_buffer_ms:.0f} ms" for v in voices[:1] if v.jitter_buffer_ms)
                measure("t7.audio_latency", heard.latency_ms.median,
                        f"Audio latency ({other} -> {viewer.who}, median of {heard.latency_ms.count} tones{buffered})")
                sync = got[viewer.who].av_sync_ms(sender.identity)  # step 4's "Video synced with audio", with the voice
                expect_that(sync is not None, f"Video synced with audio ({other} -> {viewer.who})",
                            f"no picture of {other} in the voice's window: {_pictures_seen(got[viewer.who])}")
                measure("t7.av_sync", sync, f"Video synced with audio: audio behind video ({other} -> {viewer.who}, medians)")
                for voice in voices:
                    if voice.concealment is not None:  # packet loss is its usual cause, shown beside it
                        lost = "no packets" if voice.packet_loss is None else f"{voice.packet_loss:.1%} of packets"
                        measure("t7.audio_concealment", voice.concealment * 100,
                                f"Audio quality clear: concealed samples ({other} -> {viewer.who}; {lost} lost)")
            for user in (user1, user2):  # a page that receives its own voice back, sender or not
                echo = got[user.who].echo
                expect_that(echo is None, f"No echo: {user.who} never hears their own voice come back",
                            f"{echo.heard if echo else 0} of {user.who}'s own tones came back, "
                            f"{echo.latency_ms.median if echo else 0:.0f} ms after they were sent", impact=PART_BROKEN)

    with step("6. Check session metrics"):
        # The previews first: their finding is noted and the test goes on; a frozen camera stops it.
        for user in (user1, user2) if two_way else (user1,):
            _preview_never_froze(user, seen[user.who])
        for who, (viewer, rows) in samples.items():
            cameras = _shown(rows, viewer.room.remote_track_ids(), "video")
            expect_that(bool(cameras), f"{who} receives the other camera", "no inbound camera stream")
            camera = cameras[0]
            # The window's figures are recorded before a freeze stops the test: a camera at a third of its
            # frame rate also freezes now and then, and its report must still name the frame rate.
            measure("t7.frame_rate", camera.decoded_fps(), f"Received frame rate ({who})")
            measure("t7.video_bitrate", camera.kbps, f"Received video bitrate ({who})")
            frozen = current().metrics.budgets["t7.frozen"]
            expect_that((camera.frames or 0) > 0 and frozen.allows(camera.frozen_s or 0),
                        f"No freezing observed ({who}: frozen {frozen.describe()} of the window)",
                        f"{camera.frames or 0} frames decoded in the window, {camera.freezes or 0} freeze(s), "
                        f"{camera.frozen_s or 0:.1f} s frozen")


def _camera_starts(user: Participant) -> None:
    measure("t7.camera_initialization", user.stats.camera_ready_s(f"{user.who}'s camera starts"),
            f"Camera initialization ({user.who})")


def _preview_plays(user: Participant) -> None:
    expect_visible(user.room.local_video, f"{user.who}'s own preview shows", impact=PART_BROKEN)
    expect_that(user.room.video_playing(user.room.local_video), f"{user.who}'s preview is playing", "no frames shown",
                impact=PART_BROKEN)
    measure("t7.preview_shown", user.media.preview_shown_s(f"Preview shows within 3 seconds ({user.who})"),
            f"Preview shows ({user.who}: camera asked for to its first frame shown)")


def _preview_never_froze(user: Participant, got: KnownMediaResults) -> None:
    """Step 2's "No freezing observed", over the window: the own preview's longest still picture."""
    frozen = current().metrics.budgets["t7.frozen"]
    shown = max(got.previews, key=lambda p: p.frames, default=None)
    expect_that(shown is not None and frozen.allows(shown.longest_still_ms / 1000),
                f"No freezing observed ({user.who}'s own preview: one picture on show {frozen.describe()} at most)",
                f"{shown.frames} frames shown in {got.window_ms / 1000:.1f} s, one picture on show for "
                f"{shown.longest_still_ms / 1000:.1f} s" if shown else "no preview of the own camera on the page",
                impact=PART_BROKEN)


def _known_media_window(users: tuple[Participant, ...], receivers) -> dict[str, KnownMediaResults]:
    """One window on every user's page at once (receivers read the others' media, senders their own
    preview), each sender's clock shift taken out; results by `who`."""
    shifts = {user.who: {sender.identity: clock_shift_ms(sender.clock, viewer.clock)
                         for viewer, sender in receivers if viewer is user} for user in users}
    for user in users:
        user.media.start_window(shifts_ms=shifts[user.who])
    return {user.who: user.media.results() for user in users}


def _attach_latency_chart(got: dict[str, KnownMediaResults], receivers) -> None:
    series = {}
    for viewer, sender in receivers:
        video, tones = got[viewer.who].video_from(sender.identity), got[viewer.who].tones_from(sender.identity)
        if video:
            series[f"video, {sender.who} -> {viewer.who}"] = video.timeline
        if tones:
            series[f"audio, {sender.who} -> {viewer.who}"] = tones.timeline
    if series:
        allure.attach(latency_svg(series, "Known media latency over the window (ms)"),
                      name="Media latency over the window", attachment_type=allure.attachment_type.SVG)


def _pictures_seen(got: KnownMediaResults) -> str:
    return "; ".join(f"track {v.track[:8]}: {v.frames} frames, {v.readable} readable, from identity {v.sender}"
                     for v in got.video) or "no remote video track received"


def _voices_heard(got: KnownMediaResults) -> str:
    return "; ".join(f"track {a.track[:8]}: level {a.level_db if a.level_db is None else round(a.level_db)} dBFS, "
                     f"tones heard by identity {({i: t.heard for i, t in a.tones.items()})}" for a in got.audio) \
        or "no remote audio track received"


def _shown(rows: list[InboundSample], shown_tracks: dict[str, list[str]], kind: str) -> list[InboundSample]:
    """Inbound streams of `kind` that the page actually plays in its remote camera tiles."""
    return [r for r in rows if r.kind == kind and r.track in shown_tracks[kind]]

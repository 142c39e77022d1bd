"""Test 7: Video Streaming - camera and microphone work both ways between two participants."""

from __future__ import annotations

import re

import pytest

from fixtures.evidence import current, measure, present, step
from fixtures.expect import expect_text, expect_that, expect_visible
from fixtures.participant import Participant, participant
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


def test_video_streaming(cast, runbook_record, kulti_data, app):
    host_page, guest_page = both_in_room(cast, kulti_data)
    user1 = participant("user 1", "host", host_page, kulti_data.profile_for_phone(cast.people["host"].phone), app,
                        runbook_record)
    user2 = participant("user 2", "guest", guest_page, kulti_data.profile_for_phone(cast.people["guest"].phone), app,
                        runbook_record)

    two_way = present(app, "guest_media")  # else only user 1 (the host) publishes
    # Who sees whom: both ways in the runbook; the host's media to the guest where guests only watch.
    receivers = ((user1, user2), (user2, user1)) if two_way else ((user2, user1),)

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
        for viewer, _ in receivers:  # media flows now: measure it while the checks go on
            viewer.stats.start_sample()
        if present(app, "participant_count"):
            for user in (user1, user2):
                expect_text(user.room.participant_count, EXACTLY_TWO, f"Participant count correct on {user.who}'s page",
                            impact=COSMETIC)

    with step("5. User 1 - Speak and observe User 2 (and back)"):
        samples = {viewer.who: (viewer, viewer.stats.sampled()) for viewer, _ in receivers}
        for who, (viewer, rows) in samples.items():
            voices = _shown(rows, viewer.room.remote_track_ids(), "audio")
            expect_that(voices and all((v.audio_energy or 0) > 0 for v in voices),
                        f"Audio working bidirectionally: {who} hears the other participant",
                        f"received audio energy {[round(v.audio_energy or 0, 6) for v in voices] or 'no audio track'}")

    with step("6. Check session metrics"):
        for who, (viewer, rows) in samples.items():
            cameras = _shown(rows, viewer.room.remote_track_ids(), "video")
            expect_that(bool(cameras), f"{who} receives the other camera", "no inbound camera stream")
            camera = cameras[0]
            frozen = current().metrics.budgets["t7.frozen"]
            expect_that((camera.frames or 0) > 0 and frozen.allows(camera.frozen_s or 0),
                        f"No freezing observed ({who}: frozen {frozen.describe()} of the window)",
                        f"{camera.frames or 0} frames decoded in the window, {camera.freezes or 0} freeze(s), "
                        f"{camera.frozen_s or 0:.1f} s frozen")
            measure("t7.frame_rate", camera.decoded_fps(), f"Received frame rate ({who})")
            measure("t7.video_bitrate", camera.kbps, f"Received video bitrate ({who})")


def _camera_starts(user: Participant) -> None:
    measure("t7.camera_initialization", user.stats.camera_ready_s(f"{user.who}'s camera starts"),
            f"Camera initialization ({user.who})")


def _preview_plays(user: Participant) -> None:
    expect_visible(user.room.local_video, f"{user.who}'s own preview shows", impact=PART_BROKEN)
    expect_that(user.room.video_playing(user.room.local_video), f"{user.who}'s preview is playing", "no frames shown",
                impact=PART_BROKEN)


def _shown(rows: list[InboundSample], shown_tracks: dict[str, list[str]], kind: str) -> list[InboundSample]:
    """Inbound streams of `kind` that the page actually plays in its remote camera tiles."""
    return [r for r in rows if r.kind == kind and r.track in shown_tracks[kind]]

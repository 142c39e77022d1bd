"""Test 7 measured from known media (fixtures/probes/known_media.py), proven on both shapes: each
fault bends what the connection carries (kulti_sandbox/static/room/media-faults.js, media.js) and
fails exactly the check that reads it. On the launched app's shape the guest only watches, so the
figures are the host's media reaching the guest, and the echo is the host's own voice coming back.

video_delay=1200 holds the picture back past the sync limit (sound 90 ms before the picture) while
its latency stays inside 2 s: the sync check catches it. Not less: on a busy machine (two rooms at
once) the voice itself came 500-670 ms late, and 400 ms of picture delay then read as in sync.
Rows must fail, so such a machine may add failures beside the one a row proves, never hide it; but a
delayed picture beside another room stalled for the whole 3 s window and hid it (both video_delay rows
in the official CI of 554b9f1), so those rows have the rooms' share of the machine to itself.
Every row holds on both shapes; the default run proves each on one (fault_rows.on_shape).
"""

from __future__ import annotations

import pytest

from tests.suite.fault_rows import KULTI, FaultRow, assert_fault_fails_check, on_shape

pytestmark = pytest.mark.browser

FAULTS_WITH_THE_ROOMS_TO_THEMSELVES = {"video_delay"}
ROWS = [
    FaultRow("mic_silent", None, "video_streaming", "T7", "functional", "Audio working bidirectionally"),
    FaultRow("audio_delay", "600", "video_streaming", "T7", "budget", "Audio latency"),
    # 2.1 s, past the 2 s budget by the path's own ~50 ms and more: with 2.5 s a busy machine's receiver
    # sometimes showed no frame at all in the 3 s window (official CI of f4051e6, a local run of 8feaea2).
    FaultRow("video_delay", "2100", "video_streaming", "T7", "budget", "Video latency"),
    FaultRow("video_delay", "1200", "video_streaming", "T7", "budget", "Video synced with audio"),
    FaultRow("audio_echo", None, "video_streaming", "T7", "functional", "No echo"),
    FaultRow("preview_frozen", None, "video_streaming", "T7", "functional", "No freezing observed (user 1's own preview"),
    FaultRow("preview_slow", "3500", "video_streaming", "T7", "budget", "Preview shows"),
    FaultRow("audio_dropouts", "20", "video_streaming", "T7", "budget", "Audio quality clear: concealed samples"),
]


@pytest.mark.parametrize("row", on_shape(ROWS, "runbook", shared=ROWS))
def test_each_known_media_check_fails_on_its_fault(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row, room_to_itself=row.fault in FAULTS_WITH_THE_ROOMS_TO_THEMSELVES)


@pytest.mark.parametrize("row", on_shape(ROWS, KULTI, shared=ROWS))
def test_each_known_media_check_fails_on_the_launched_apps_shape(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row, shape=KULTI, profile=KULTI, room_to_itself=row.fault in FAULTS_WITH_THE_ROOMS_TO_THEMSELVES)

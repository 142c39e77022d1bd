"""Test 10 (Recording) proven on both shapes: each row's fault breaks exactly one check; T10 is
important, so the verdict stays GO with T10 failed and the check listed.

BOTH rows and the hold row hold on either shape; the default run proves each on one
(fault_rows.on_shape), `--both-shapes` on both.

Rows not about the hold run with a 4 s hold (SMOKE_RECORDING_HOLD_S): what they break happens
before or after it; and wait 15 s for a recording to complete (SMOKE_RECORDING_COMPLETION_S), which the
"never completes" rows' failures show. The frame-rate row holds for the runbook's 30 s.

Checks of smoke/test_10_recording.py without a row of their own yet: '"Being Recorded" message
displayed (user 2), in those words' (its wording), 'Recording appears in session page; status shows
"Processing"', "Verify recording file uploaded" (100ms: completed with an asset), the host's
"Recording indicator disappears" never happening (only its budget has a row), and "user 2 receives
user 1's camera before recording" (a T7 prerequisite first). "Notification sent to all participants
(user 2)" has a row, but it hides every page's notifications, so the host's "Notification sent
(user 1)" fails first. The kulti shape shows user 2 nothing of a recording (ABSENT), so its rows
leave user 2's checks out.
"""

from __future__ import annotations

import pytest

from tests.suite.fault_rows import KULTI, FaultRow, assert_fault_fails_check, on_shape

pytestmark = pytest.mark.browser

# A stopped recording completes in the sandbox's 2 s; 15 s of wait (60 by default) leaves a busy machine room
# and spares the two "never completes" rows 45 s each of a room chain.
SHORT_HOLD = {"SMOKE_RECORDING_HOLD_S": "4", "SMOKE_RECORDING_COMPLETION_S": "15"}

BOTH = [
    FaultRow("recording_slow_start", "3500", "recording", "T10", "budget", "Recording start"),
    FaultRow("recording_slow_stop", "2500", "recording", "T10", "budget", "Recording stop"),
    FaultRow("recording_duration_wrong", "10", "recording", "T10", "budget", "duration"),
    FaultRow("recording_never_completes", None, "recording", "T10", "functional", "Recording completes",
             measured="after 15 s (SMOKE_RECORDING_COMPLETION_S)"),
    FaultRow("recording_not_uploaded", None, "recording", "T10", "functional", "Recording completes",
             measured="after 15 s (SMOKE_RECORDING_COMPLETION_S)"),
    FaultRow("hide_element", None, "recording", "T10", "functional", "Red recording indicator appears"),
    FaultRow("audio_absent", None, "recording", "T10", "functional", "Audio/video continue normally: user 2 hears"),
    FaultRow("hide_element", "duration", "recording", "T10", "functional", "Recording duration shown"),
    FaultRow("hide_element", "button", "recording", "T10", "functional", "Recording button visible"),
    FaultRow("recording_stop_label_missing", None, "recording", "T10", "functional",
             'Button changes to "Stop Recording"'),
    FaultRow("recording_start_label_missing", None, "recording", "T10", "functional",
             'Button changes back to "Start Recording"'),
    FaultRow("recording_indicator_lapses", None, "recording", "T10", "functional",
             "Recording active indicator remains"),
    FaultRow("recording_video_stops", None, "recording", "T10", "functional",
             "Audio/video continue normally: user 2 receives user 1's camera during the hold"),
    FaultRow("recording_stop_not_notified", None, "recording", "T10", "functional",
             "Notification sent (recording stopped)"),
    FaultRow("recording_stored_twice", None, "recording", "T10", "functional", "One recording stored for the session"),
    FaultRow("recording_not_listed_by_hms", None, "recording", "T10", "functional",
             "Verify recording session created (100ms lists it for the room)"),
    # A muted microphone still sends comfort noise: some energy, no voice (any energy > 0 passed it).
    FaultRow("mic_silent", None, "recording", "T10", "functional", "Audio/video continue normally: user 2 hears",
             measured="dBFS over the hold"),
]
RUNBOOK_ONLY = [  # the launched app shows user 2 nothing of a recording (ABSENT being_recorded_notice)
    FaultRow("recording_indicator_missing", None, "recording", "T10", "functional",
             "Recording indicator visible (user 2)"),
    FaultRow("hide_element", "recording-notice", "recording", "T10", "functional",
             '"Being Recorded" message displayed (user 2)'),
    FaultRow("hide_element", "participant-recording-badge", "recording", "T10", "functional",
             "Recording status shows in participants list"),
    FaultRow("hide_element", "room-notification", "recording", "T10", "functional",
             "Notification sent to all participants (user 2)"),
    FaultRow("recording_indicator_stays", None, "recording", "T10", "functional",
             "Recording indicator disappears (user 2)"),
    # The list's text stays "Processing" while its data-status says completed: the status a user reads is checked.
    FaultRow("recording_status_text_stuck", None, "recording", "T10", "functional", "Recording completes",
             measured="status 'Processing' after 15 s"),
    # The same element as the row above (every page's notifications), told apart by its selector:
    # the host's is the first check it fails.
    FaultRow("hide_element", 'css:[data-testid="room-notification"]', "recording", "T10", "functional",
             "Notification sent (user 1)"),
]
KULTI_ONLY = [  # the host's toasts are the app's only notification
    FaultRow("hide_element", "css:.toast", "recording", "T10", "functional", "Notification sent (user 1)"),
]
HOLD = [FaultRow("recording_framerate_drop", "6", "recording", "T10", "budget", "frame rate of user 1's camera")]

# hide_element rows without a value hide the shape's own recording indicator
INDICATOR = {"runbook": "recording-indicator", KULTI: "css:div.rounded-full:has(> svg.lucide-circle)"}


DURATION = {"runbook": "recording-duration", KULTI: "css:.bottom-3"}  # the listed duration
BUTTON = {"runbook": "recording-button", KULTI: 'css:button[title="Start Recording"]'}  # the host's, idle
BY_SHAPE = {None: INDICATOR, "duration": DURATION, "button": BUTTON}


def _row(row: FaultRow, shape: str) -> FaultRow:
    if row.fault != "hide_element" or row.value not in BY_SHAPE:
        return row
    return row._replace(value=BY_SHAPE[row.value][shape])


@pytest.mark.parametrize("row", on_shape(BOTH + RUNBOOK_ONLY, "runbook", shared=BOTH))
def test_fault_fails_check_runbook(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, _row(row, "runbook"), env=SHORT_HOLD)


@pytest.mark.parametrize("row", on_shape(BOTH + KULTI_ONLY, KULTI, shared=BOTH))
def test_fault_fails_check_kulti(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, _row(row, KULTI), shape=KULTI, profile=KULTI, env=SHORT_HOLD)


@pytest.mark.parametrize("row", on_shape(HOLD, "runbook", shared=HOLD))
def test_hold_fault_fails_check_runbook(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row)


@pytest.mark.parametrize("row", on_shape(HOLD, KULTI, shared=HOLD))
def test_hold_fault_fails_check_kulti(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row, shape=KULTI, profile=KULTI)

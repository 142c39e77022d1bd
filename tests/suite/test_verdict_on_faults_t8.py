"""Test 8 (screen sharing, an important test) proven on both shapes with their profiles: each row's
fault breaks one check, the run stays GO (important tests never decide it) and the verdict lists T8
as failed on that check. Rows run one T8 alone each (-m important -k screen_sharing)."""

from __future__ import annotations

import pytest

from tests.suite.fault_rows import KULTI, FaultRow, assert_fault_fails_check, on_shape

pytestmark = pytest.mark.browser

T8 = "screen_sharing"

# Both shapes: the share starting, reaching user 2 in 1080p, and stopping with the call going on (each
# proven on one of them in the default run: fault_rows.on_shape).
SHARED = [
    FaultRow("slow_share_start", "5000", T8, "T8", "budget", "Screen share initiation"),
    FaultRow("slow_share_start", "15000", T8, "T8", "functional", "Screen sharing starts"),
    FaultRow("screen_forward_delay", "5000", T8, "T8", "budget", "Screen visibility latency"),
    FaultRow("screen_not_forwarded", None, T8, "T8", "functional", "Screen visible to user 2"),
    FaultRow("screen_low_res", "480", T8, "T8", "functional", "Screen quality: 1080p or higher"),
    FaultRow("share_indicator_stays", None, T8, "T8", "functional", "Indicator disappears (user 2's page)"),
    FaultRow("share_stop_kills_camera", None, T8, "T8", "functional",
             "Session continues with video only (user 2 still receives"),
    FaultRow("screen_keeps_flowing", None, T8, "T8", "functional", "Screen share stops cleanly"),
]

RUNBOOK_ONLY = [
    FaultRow("hide_element", "screen-share-video", T8, "T8", "functional", "Screen visible in session (user 1's page)"),
    FaultRow("share_texts_wrong", "button", T8, "T8", "functional", 'Share button changes to "Stop Sharing"'),
    FaultRow("share_texts_wrong", "indicator", T8, "T8", "functional", '"Screen Sharing Active" indicator'),
    FaultRow("control_not_passed", None, T8, "T8", "functional", 'Indicator shows "User 2 has control"'),
    FaultRow("cursor_not_synced", None, T8, "T8", "functional", "Cursor position synced: user 1 sees"),
    FaultRow("cursor_mirrored", None, T8, "T8", "functional", "Cursor position synced (where user 2 points)"),
    FaultRow("cursor_delay", "1500", T8, "T8", "budget", "Control operation latency"),
]

KULTI_ONLY = [
    FaultRow("hide_element", "css:.screen-main video", T8, "T8", "functional",
             "Screen visible in session (user 1's page)"),
]

RUNBOOK_ROWS = SHARED + RUNBOOK_ONLY
KULTI_ROWS = SHARED + KULTI_ONLY


@pytest.mark.parametrize("row", on_shape(RUNBOOK_ROWS, "runbook", shared=SHARED))
def test_each_screen_sharing_check_fails_on_its_fault(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row)


@pytest.mark.parametrize("row", on_shape(KULTI_ROWS, KULTI, shared=SHARED))
def test_each_screen_sharing_check_fails_on_its_fault_on_the_launched_apps_shape(start_sandbox, row):
    assert_fault_fails_check(start_sandbox, row, shape=KULTI, profile=KULTI)

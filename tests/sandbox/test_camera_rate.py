"""`--camera-fps N` and `--camera-size WxH`: both shapes' rooms ask the camera for N frames a second of WxH
(30 of 960x540 unless told), a lighter room for the fault rows whose test does not judge the camera's rate
(tests/suite/fault_rows.py)."""

from __future__ import annotations

import pytest

from fixtures.sandbox_process import SandboxProcess

pytestmark = pytest.mark.browser

# Each shape's copy of the rooms' shared media module, opened from one of that shape's pages.
MEDIA_MODULE = {"runbook": "/static/room/media.js", "kulti-2025-11": "/_kulti/static/room/media.js"}
CAMERA_RATE_JS = """async (module) => {
  const { captureCamera } = await import(module);
  const media = await captureCamera({}, true);
  const [camera] = media.stream.getVideoTracks();
  const { frameRate, width, height } = camera.getSettings();
  media.stream.getTracks().forEach((track) => track.stop());
  return [frameRate, width, height];
}"""


@pytest.fixture(scope="module", params=list(MEDIA_MODULE))
def ten_fps(request):
    proc = SandboxProcess(args=("--shape", request.param, "--camera-fps", "10", "--camera-size", "480x270")).start()
    yield request.param, proc
    proc.stop()


def test_the_rooms_ask_the_camera_for_the_rate_and_size_given(ten_fps, page):
    shape, sandbox = ten_fps
    page.goto(sandbox.url + "/")
    assert page.evaluate(CAMERA_RATE_JS, MEDIA_MODULE[shape]) == [10, 480, 270]


def test_thirty_of_960_by_540_unless_told(sandbox, page):
    page.goto(sandbox.url + "/")
    assert page.evaluate(CAMERA_RATE_JS, MEDIA_MODULE["runbook"]) == [30, 960, 540]

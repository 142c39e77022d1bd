"""A probe that is missing, or a page that broke, is the suite's own error (an environment finding),
never a product failure such as "camera not started" (P1, with a rollback trigger). Only the wait
running out is the product's."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from fixtures.expect import ExpectationFailed, set_ui_wait, ui_wait_ms
from fixtures.probes import webrtc_stats
from fixtures.probes.webrtc_stats import WebRtcStats

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("probe", ["camera_ready_s", "first_remote_frame_s"])
def test_a_page_without_the_probe_is_an_error_not_a_missing_camera(browser, probe):
    context = browser.new_context()  # no init scripts: window.__smokeRtc is undefined
    page = context.new_page()
    page.set_content("<p>a page the probe never reached</p>")
    with pytest.raises(PlaywrightError) as raised:
        getattr(WebRtcStats(page), probe)("the camera starts")
    assert not isinstance(raised.value, ExpectationFailed)
    assert "TypeError" in str(raised.value)  # the probe is not there to ask
    context.close()


@pytest.fixture
def one_second_wait():
    before = ui_wait_ms()
    set_ui_wait(1)
    yield
    set_ui_wait(before / 1000)


def test_the_wait_running_out_is_the_products_failure(browser, one_second_wait):
    context = browser.new_context()
    webrtc_stats.install(context)
    page = context.new_page()
    page.set_content("<p>a page that never asks for the camera</p>")
    with pytest.raises(ExpectationFailed, match="camera not started within 1 s"):
        WebRtcStats(page).camera_ready_s("the camera starts")
    context.close()

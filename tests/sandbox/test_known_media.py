"""The known media probe (fixtures/probes/known_media*.js, issue #12 T7) in real Chromium: the decoder
on a loopback connection in a blank page, then both directions of a healthy sandbox room.

Budgets here are the brief's for a healthy room, not the runbook's (fixtures/budgets.toml judges the
smoke run): most frames read, video under 500 ms, audio under 200 ms, no echo, a level far above a
silent microphone's. Windows are 3 s, as the suite's."""

from __future__ import annotations

import pytest

from fixtures.probes import known_media, webrtc_stats
from fixtures.probes.known_media import KnownMedia
from tests.sandbox.known_media_room import AUDIBLE_DB, UNDELAYED_VIDEO_MS, measure, room  # noqa: F401
from tests.sandbox.room_harness import media_browser, wait_until  # noqa: F401

pytestmark = pytest.mark.browser
# Its figures are the sandbox's own (latencies, tones heard): beside another room a starved machine heard
# 1 of the guest's tones and read 1.1 s of healthy video latency (CI runs of 554b9f1 and 983b9ac).
ROOM_TO_ITSELF = True

LOOPBACK_IDENTITY = 3
BLANK = "http://localhost:8999/known-media"  # localhost is a secure context: getUserMedia exists there
# Sends the page's own camera and microphone to itself: one RTCPeerConnection to another, the received
# audio played by an element (Chrome feeds a received track to Web Audio only while one plays it).
LOOPBACK_JS = """async (video) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video, audio: true });
  const [a, b] = [new RTCPeerConnection(), new RTCPeerConnection()];
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  b.ontrack = (e) => { if (e.track.kind === 'audio') { const el = new Audio(); el.srcObject = new MediaStream([e.track]); el.play(); } };
  stream.getTracks().forEach((t) => a.addTrack(t, stream));
  await a.setLocalDescription(); await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(); await a.setRemoteDescription(b.localDescription);
  window.__loop = b;
}"""
LOOP_FLOWING_JS = """async () => { let ok = 0; (await window.__loop.getStats()).forEach((s) => {
  if (s.type === 'inbound-rtp' && (s.framesDecoded > 15 || s.totalAudioEnergy > 0)) ok += 1; }); return ok === 2; }"""
CONTRACT_JS = """async () => {
  const md = navigator.mediaDevices;
  const both = await md.getUserMedia({ video: { frameRate: { ideal: 10, max: 10 } }, audio: true });
  const audioOnly = await md.getUserMedia({ audio: true });
  const videoOnly = await md.getUserMedia({ video: true });
  const [camera] = videoOnly.getVideoTracks();
  camera.stop();
  let refused = null;
  try { await md.getUserMedia({}); } catch (err) { refused = err.name; }
  const drawn = () => window.__smokeKnownCamera.sent().frames;
  const before = drawn();
  await new Promise((r) => setTimeout(r, 1000));
  return { fps: drawn() - before, both: both.getTracks().map((t) => [t.kind, t.label]), audioOnly: audioOnly.getTracks().map((t) => t.kind),
           videoOnly: videoOnly.getTracks().map((t) => t.kind), stopped: camera.readyState, refused };
}"""


HIDDEN_JS = """Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'hidden' });
const pulse = BaseAudioContext.prototype.createConstantSource;
window.__pulses = 0;
BaseAudioContext.prototype.createConstantSource = function () { window.__pulses += 1; return pulse.call(this); };"""


def open_blank(browser, hidden: bool = False):
    context = browser.new_context()
    if hidden:  # what a page in a background tab says of itself; and a count of audio-clock pulses
        context.add_init_script(script=HIDDEN_JS)
    known_media.install(context, LOOPBACK_IDENTITY)
    webrtc_stats.install(context)
    context.route(BLANK, lambda route: route.fulfill(body="<!doctype html><title>known media</title>",
                                                     content_type="text/html"))
    page = context.new_page()
    page.goto(BLANK)
    return page


@pytest.fixture
def blank_page(media_browser):
    page = open_blank(media_browser)
    yield page
    page.context.close()


def test_a_hidden_page_paces_the_camera_and_the_tones_by_the_audio_clock(media_browser):
    """Chrome runs a hidden page's timers once a second: there the camera is drawn, and the tones
    scheduled, on AudioScheduledSourceNode `ended` events instead (known_media_code.js `every`)."""
    page = open_blank(media_browser, hidden=True)
    try:
        got = page.evaluate("""async () => {
          await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
          const before = window.__smokeKnownCamera.sent();
          await new Promise((r) => setTimeout(r, 1000));
          const after = window.__smokeKnownCamera.sent();
          return [document.visibilityState, after.frames - before.frames, after.tones.length, window.__pulses];
        }""")
    finally:
        page.context.close()
    hidden, frames, tones, pulses = got
    # More than the one a second the page's own timers would draw, never more than the 30 fps asked for: a
    # starved CI machine drew 9 in that second (a local run of 0ae9334).
    assert hidden == "hidden" and 6 <= frames <= 33 and tones >= 5, got
    assert pulses >= frames, got  # each frame waited for one


def test_getusermedia_answers_with_the_known_camera_and_microphone_and_keeps_its_contract(blank_page):
    got = blank_page.evaluate(CONTRACT_JS)
    assert got["both"] == [["audio", "Known media microphone 3"], ["video", "Known media camera 3"]]
    assert (got["audioOnly"], got["videoOnly"]) == (["audio"], ["video"])
    assert got["stopped"] == "ended"
    assert got["refused"] == "TypeError"  # no kind asked: the browser's own answer
    assert 6 <= got["fps"] <= 12  # the frame rate asked for (low_framerate asks so), drawn as asked
    camera = blank_page.evaluate("() => window.__smokeRtc.camera()")
    assert camera["readyAt"] >= camera["requestedAt"] > 0  # webrtc_stats.js, wrapped on top, still times it


def loopback_window(page, video):
    """One known-media window of the page's own camera (getUserMedia `video` constraints) and microphone,
    sent to itself."""
    page.evaluate(LOOPBACK_JS, video)
    wait_until(page, LOOP_FLOWING_JS)
    probe = KnownMedia(page)
    probe.start_window()
    return probe.results()


def test_a_loopback_connection_reads_nearly_every_frame_and_tone_with_small_latencies(blank_page):
    got = loopback_window(blank_page, True)
    video = got.video_from(LOOPBACK_IDENTITY)
    assert video.readable_share >= 0.95, video
    assert video.frames >= 60  # of 90 sent in 3 s: the encoder drops some on a busy machine
    assert 0 < video.latency_ms.median < 150 and video.latency_ms.p95 < 300, video.latency_ms
    tones = got.echo  # the page hears its own tones: here that is the loopback, not an echo
    assert tones.heard >= 8 and tones.unmatched <= 1, tones
    assert 0 < tones.latency_ms.median < 400, tones.latency_ms
    assert got.audio[0].level_db > AUDIBLE_DB


def test_the_camera_gives_the_size_asked_and_its_smaller_frames_read_as_well(blank_page):
    # A lighter room asks for less (the sandbox's --camera-size): the picture is drawn to that size, blocks and all.
    asked = {"width": {"ideal": 480}, "height": {"ideal": 270}}
    sizes = blank_page.evaluate("""async (asked) => {
      const md = navigator.mediaDevices;
      const size = (s) => { const t = s.getVideoTracks()[0].getSettings(); return [t.width, t.height]; };
      const one = await md.getUserMedia({ video: { height: 360 } });
      const oneSide = size(one); one.getTracks().forEach((t) => t.stop());
      const big = await md.getUserMedia({ video: { width: { ideal: 1920 }, height: { ideal: 1080 } } });
      const capped = size(big); big.getTracks().forEach((t) => t.stop());
      return { oneSide, capped };
    }""", asked)
    assert sizes == {"oneSide": [640, 360], "capped": [960, 540]}, sizes  # one side keeps 16:9; never above 960x540
    video = loopback_window(blank_page, asked).video_from(LOOPBACK_IDENTITY)
    assert video.readable_share >= 0.95 and video.frames >= 60, video
    assert blank_page.evaluate("() => window.__loop.getReceivers().find((r) => r.track.kind === 'video').track.getSettings().width") == 480


def test_a_healthy_room_carries_both_users_known_media_both_ways(room):
    for way in measure(room):
        got = way.got
        video, tones = got.video_from(way.identity), got.tones_from(way.identity)
        assert video.readable_share >= 0.9, (str(way), video)
        assert video.latency_ms.median < UNDELAYED_VIDEO_MS, (str(way), video.latency_ms)
        assert tones.heard >= 5, (str(way), tones)
        # Under 200 ms, unless a busy machine grew the receiver's jitter buffer past it: then what the
        # tones say is that buffer plus the capture, codec and playout around it (~100 ms, and up to
        # 190 ms on a starved machine: 637 ms over a 450 ms buffer in a CI run of 2da42b1).
        budget = max(200, way.jitter_buffer_ms + 250)
        assert way.jitter_buffer_ms < tones.latency_ms.median < budget, (str(way), tones.latency_ms, way.jitter_buffer_ms)
        assert got.echo is None, (str(way), got.echo)
        assert got.audio_from(way.identity).level_db > AUDIBLE_DB, str(way)
        # The receiver holds the video back towards its audio a little each second, so a jitter buffer a
        # busy machine grew moves the audio behind by up to that buffer (435 ms over a 600 ms buffer in a
        # CI run of f4051e6); the faults' figures (video_delay: below -1000) stay far outside this.
        assert abs(got.av_sync_ms(way.identity)) < max(300, way.jitter_buffer_ms), (str(way), way.jitter_buffer_ms)
        [preview] = got.previews
        # Frames presented, not sent: a busy 2-core machine composites a headless page at 14-30 fps.
        assert preview.frames >= 15 and preview.shown_age_ms < 1000, (way.receiver, preview)

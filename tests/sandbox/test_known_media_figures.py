"""The known media's figures from what the pages report (fixtures/probes/known_media.py), and their
picture (known_media_chart.py): no browser, the page's answers written out by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from fixtures.probes.known_media import Spread, parse
from fixtures.probes.known_media_chart import latency_svg

HOST, GUEST = 1, 2
START = 1_800_000_000_000.0


def onsets(*times: float) -> list[dict]:
    return [{"at": START + t, "symbol": 0} for t in times]


def page_answer(video_points, tones, previews=()) -> dict:
    """What window.__smokeKnownMedia.results() gives on the guest's page (participant 2)."""
    return {
        "window": {"start": START, "end": START + 3000}, "participant": GUEST,
        "sent": {"identity": GUEST, "calls": 1, "frames": 900, "tones": [START - 500, START + 100, START + 400]},
        "tracks": [
            {"track": "v1", "kind": "video", "live": True, "error": None, "frames": len(video_points) + 1,
             "readable": len(video_points), "unreadable": 1, "points": video_points},
            {"track": "a1", "kind": "audio", "live": True, "levelDb": -19.0, "toneLevelDb": -12.0,
             "betweenLevelDb": -90.0, "seconds": 3.0, "tones": tones},
        ],
        "previews": list(previews),
    }


def test_a_clock_shift_is_taken_out_of_both_kinds_and_kept_apart_from_the_raw_figures():
    # The host's page clock runs 5 s behind the guest's (a clock step between the contexts starting):
    # read raw, every latency from the host is 5 s too long.
    video = [[START + 100 * i, 5040.0 + i, HOST] for i in range(10)]
    tones = {str(HOST): {"onsets": onsets(200, 600), "unmatched": 0,
                         "points": [[START + 200, 5120.0], [START + 600, 5130.0]]}}
    got = parse(page_answer(video, tones), {HOST: 5000.0})
    assert got.video_from(HOST).raw_latency_ms.median == 5044.5
    assert got.video_from(HOST).latency_ms.median == 44.5
    assert got.tones_from(HOST).latency_ms.median == 125.0
    assert got.av_sync_ms(HOST) == 125.0 - 44.5  # the voice lags the picture; no shift in a difference
    assert got.shifts_ms == {HOST: 5000.0}
    assert got.video_from(HOST).timeline[0] == (0.0, 40.0)


def test_frames_from_another_sender_or_misread_do_not_count_towards_the_sender():
    video = [[START + i, 40.0, HOST] for i in range(9)] + [[START + 9, 9999.0, 5]]
    got = parse(page_answer(video, {}), {})
    figures = got.video_from(HOST)
    assert (figures.frames, figures.readable, figures.latency_ms.count) == (11, 10, 9)
    assert figures.latency_ms.max == 40.0
    assert got.video_from(5) is None


def test_own_tones_heard_on_schedule_are_echo_and_the_track_belongs_to_the_other_sender():
    tones = {str(GUEST): {"onsets": onsets(10, 300, 700, 1000), "unmatched": 1,
                          "points": [[START + 10, 310.0], [START + 300, 305.0], [START + 1000, 306.0]]},
             str(HOST): {"onsets": onsets(50, 350, 650), "unmatched": 0,
                         "points": [[START + 50, 90.0], [START + 350, 92.0], [START + 650, 91.0]]}}
    got = parse(page_answer([], tones), {})
    assert got.echo.heard == 4 and got.echo.unmatched == 1 and got.echo.latency_ms.median == 306.0
    assert got.audio[0].sender(GUEST) == HOST
    assert got.audio_from(HOST).level_db == -19.0
    assert got.sent_tones == 2  # the ones scheduled inside the window


def test_stray_onsets_on_the_own_frequencies_that_fit_no_run_of_tones_are_no_echo():
    tones = {str(GUEST): {"onsets": onsets(1619), "unmatched": 1, "points": []}}
    got = parse(page_answer([], tones), {})
    assert got.echo is None
    assert got.tones_from(GUEST).heard == 1  # still there to look at


def test_a_preview_that_presented_nothing_reads_as_no_frames_and_an_old_picture():
    previews = [{"frames": 0, "readable": 0, "points": [], "paused": False, "shownAgeMs": 4200.0}]
    [preview] = parse(page_answer([], {}, previews), {}).previews
    assert (preview.frames, preview.age_ms.count, preview.shown_age_ms) == (0, 0, 4200.0)


def test_spread_is_median_95th_percentile_by_nearest_rank_and_max():
    assert Spread.of(list(range(1, 101))) == Spread(100, 50.5, 95, 100)
    assert Spread.of([7.0]) == Spread(1, 7.0, 7.0, 7.0)
    assert Spread.of([]) == Spread(0, None, None, None)


def test_the_latency_picture_is_svg_with_a_line_per_series_and_the_budget():
    svg = latency_svg({"video, host -> guest": [(0.0, 40.0), (0.5, 60.0), (1.0, 45.0)],
                       "audio, host -> guest": [(0.2, 120.0), (0.8, 130.0)]},
                      "T7 latency <over> the window", budget_ms=200)
    root = ET.fromstring(svg)  # well-formed, the title escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}polyline")) == 2
    assert len(root.findall(f"{ns}circle")) == 5
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "T7 latency <over> the window" in texts and "budget 200 ms" in texts
    assert "video, host -> guest (3 points)" in texts


def test_a_track_the_probe_could_not_read_is_an_error_not_a_silent_track():
    answer = page_answer([], {})
    answer["tracks"][1]["error"] = "InvalidStateError: the AudioContext was closed"
    with pytest.raises(RuntimeError, match="reading audio track a1 failed: InvalidStateError"):
        parse(answer, {})

"""Recording (runbook T10) as each shape serves it, over HTTP: the launched app's start/stop routes,
100ms's jobs and webhook, /recordings; and the T10 faults on both shapes (the kulti shape's page-script
ones on its host's room page, in Chromium; the runbook room's are in test_room_client_faults.py)."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect

from tests.sandbox.kulti_client import create_session
from tests.sandbox.test_room_protocol import hms_room_id
from tests.sandbox.test_shape_kulti_browser import log_in
from tests.sandbox.test_shape_kulti_faults import create, service, signed_in

GUEST = "+15555550101"
PROCESSED_S = 3.0  # the sandbox's recording_processing_s (2 s) and a margin


def timed(fn) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


# ---- the runbook shape: the host's page records ------------------------------------------------

def _runbook_recording(host, session_id: str, seconds: float = 0.0) -> dict:
    rec = host.post(f"/api/sessions/{session_id}/recordings", json={}).json()["recording"]
    chunks = f"/api/recordings/{rec['id']}/chunks"
    host.post(chunks, content=b"data", headers={"Content-Type": "video/webm", "X-Chunk-Seq": "0"})
    time.sleep(seconds)
    host.post(f"/api/recordings/{rec['id']}/stop")
    host.post(chunks, content=b"", headers={"Content-Type": "video/webm", "X-Chunk-Seq": "1", "X-Chunk-Final": "1"})
    return rec


@pytest.fixture
def runbook_session(sandbox, host):
    yield create_session(host, "Recording room")
    sandbox.clear_faults()


def test_runbook_slow_start_and_stop_answer_late(sandbox, host, runbook_session):
    # Each fault holds its own answer: the start's 0.6 s is well short of the stop's 2.5 s, which a busy
    # machine's extra (1.4 s on one request in a local CI of 527ad2c) cannot bridge.
    sandbox.set_fault("recording_slow_start", "600")
    sandbox.set_fault("recording_slow_stop", "2500")
    s = runbook_session
    took, r = timed(lambda: host.post(f"/api/sessions/{s['id']}/recordings", json={}))
    assert r.status_code == 201 and 0.6 <= took < 2.5
    took, r = timed(lambda: host.post(f"/api/recordings/{r.json()['recording']['id']}/stop"))
    assert r.status_code == 200 and took >= 2.5


def test_runbook_duration_wrong_adds_its_seconds(sandbox, host, runbook_session):
    sandbox.set_fault("recording_duration_wrong", "10")
    _runbook_recording(host, runbook_session["id"])
    time.sleep(PROCESSED_S)
    [item] = host.get(f"/api/sessions/{runbook_session['id']}/recordings").json()["items"]
    assert item["status"] == "completed" and item["duration"] == 10  # no WebM blocks in b"data": 0 s, plus 10


def test_runbook_stored_twice_keeps_a_second_row_of_the_finished_recording(sandbox, host, runbook_session):
    sandbox.set_fault("recording_stored_twice")
    rec = _runbook_recording(host, runbook_session["id"])
    time.sleep(PROCESSED_S)
    items = host.get(f"/api/sessions/{runbook_session['id']}/recordings").json()["items"]
    assert len(items) == 2 and rec["id"] in {i["id"] for i in items}
    assert {i["status"] for i in items} == {"completed"} and len({i["hms_recording_id"] for i in items}) == 2


def test_runbook_not_listed_by_hms_lists_nothing_but_finds_each(sandbox, host, runbook_session):
    sandbox.set_fault("recording_not_listed_by_hms")
    rec = _runbook_recording(host, runbook_session["id"])
    api = httpx.Client(base_url=sandbox.env["HMS_API_URL"],
                       headers={"Authorization": "Bearer " + sandbox.env["HMS_MANAGEMENT_TOKEN"]})
    room = hms_room_id(sandbox, runbook_session["id"])
    assert api.get("/recordings", params={"room_id": room}).json()["data"] == []
    assert api.get(f"/recordings/{rec['hms_recording_id']}").json()["room_id"] == room
    sandbox.clear_faults()
    assert [j["id"] for j in api.get("/recordings", params={"room_id": room}).json()["data"]] == \
        [rec["hms_recording_id"]]


# ---- the kulti shape: 100ms records the room ---------------------------------------------------

@pytest.fixture(scope="module")
def people(kulti):
    return signed_in(kulti), signed_in(kulti, GUEST)


@pytest.fixture
def session(kulti, people):
    host, _ = people
    r = create(host, "Recording test")
    assert r.status_code == 200, r.text
    yield r.json()["session"]
    kulti.clear_faults()


def hms_jobs(kulti, room_id: str) -> list[dict]:
    api = httpx.Client(base_url=kulti.env["HMS_API_URL"],
                       headers={"Authorization": "Bearer " + kulti.env["HMS_MANAGEMENT_TOKEN"]})
    return [api.get(f"/recordings/{j['id']}").json()
            for j in api.get("/recordings", params={"room_id": room_id}).json()["data"]]


def rows(kulti, session) -> list[dict]:
    return service(kulti, "recordings", session_id=f"eq.{session['id']}")


def test_kulti_start_and_stop_are_the_hosts_alone(people, session):
    host, guest = people
    assert guest.post("/api/hms/start-recording", json={"sessionId": session["id"]}).json() == \
        {"error": "Only the host can start recording"}
    assert host.post("/api/hms/start-recording", json={}).status_code == 400
    assert httpx.post(str(host.base_url) + "/api/hms/start-recording", json={"sessionId": session["id"]}).status_code == 401
    assert guest.post("/api/hms/stop-recording", json={"sessionId": session["id"]}).status_code == 403


def test_kulti_recording_goes_processing_then_completed_by_100ms_webhook(kulti, people, session):
    host, _ = people
    asked_to_start = time.monotonic()
    r = host.post("/api/hms/start-recording", json={"sessionId": session["id"]})
    started = time.monotonic()
    assert r.json()["success"] is True and r.json()["recording"]["status"] == "recording"
    [job] = hms_jobs(kulti, session["hms_room_id"])
    assert job["status"] == "running" and job["recording_assets"] is None
    time.sleep(1.2)
    asked_to_stop = time.monotonic()
    assert host.post("/api/hms/stop-recording", json={"sessionId": session["id"]}).json()["recording"]["status"] == \
        "processing"
    stopped = time.monotonic()
    # The row, not the page: processing lasts 2 s, which a busy machine spent before the page came back (CI
    # of 53860fb). The page's words for each status are test_kulti_100ms_faults'.
    assert rows(kulti, session)[0]["status"] == "processing"
    deadline = time.monotonic() + PROCESSED_S + 7  # a busy machine delays the webhook, never the outcome
    while (row := rows(kulti, session)[0])["status"] != "completed" and time.monotonic() < deadline:
        time.sleep(0.2)
    # Whole seconds from the server's start to its stop, which happened between the two requests' sending
    # and answering (a busy CI machine took over 2.5 s for the 1.2 s between them).
    recorded = range(round(asked_to_stop - started), round(stopped - asked_to_start) + 1)
    assert row["status"] == "completed" and row["duration"] in recorded and row["recording_url"], (row, recorded)
    [job] = hms_jobs(kulti, session["hms_room_id"])
    assert job["status"] == "completed" and job["recording_assets"][0]["duration"] == row["duration"]
    page = host.get("/recordings").text
    assert "My Recordings" in page and '<span class="capitalize">completed</span>' in page
    assert f">{row['duration']}s<" in page
    assert "Recording test" not in people[1].get("/recordings").text  # only the sessions you host


def test_kulti_stop_without_a_recording_fails_as_single_does(people, session):
    host, _ = people
    assert host.post("/api/hms/stop-recording", json={"sessionId": session["id"]}).json() == \
        {"error": "Failed to update recording record"}


@pytest.mark.parametrize("fault, status, extra_s", [
    ("recording_never_completes", "processing", None),
    ("recording_not_uploaded", "failed", None),
    ("recording_duration_wrong", "completed", 10),
])
def test_kulti_100ms_faults(kulti, people, session, fault, status, extra_s):
    host, _ = people
    kulti.set_fault(fault)
    asked = time.monotonic()
    host.post("/api/hms/start-recording", json={"sessionId": session["id"]})
    started = time.monotonic()
    time.sleep(1.2)
    stopping = time.monotonic()
    host.post("/api/hms/stop-recording", json={"sessionId": session["id"]})
    stopped = time.monotonic()
    time.sleep(PROCESSED_S)
    [row] = rows(kulti, session)
    assert row["status"] == status
    assert f'<span class="capitalize">{status}</span>' in host.get("/recordings").text  # as the page shows it
    if extra_s is None:
        assert row["duration"] is None
    else:  # what the server recorded lies between the two requests' bounds (a busy machine answers late)
        assert round(stopping - started) + extra_s <= row["duration"] <= round(stopped - asked) + extra_s


def test_kulti_slow_start_and_stop_answer_late(kulti, people, session):
    host, _ = people
    kulti.set_fault("recording_slow_start", "1500")
    kulti.set_fault("recording_slow_stop", "300")
    took, r = timed(lambda: host.post("/api/hms/start-recording", json={"sessionId": session["id"]}))
    assert r.status_code == 200 and took >= 1.5
    took, r = timed(lambda: host.post("/api/hms/stop-recording", json={"sessionId": session["id"]}))
    # Its own delay, not the start's: the values lie far apart, for a busy machine.
    assert r.status_code == 200 and 0.3 <= took < 1.5


def test_kulti_stored_twice_keeps_a_second_row_of_the_finished_recording(kulti, people, session):
    host, _ = people
    kulti.set_fault("recording_stored_twice")
    host.post("/api/hms/start-recording", json={"sessionId": session["id"]})
    host.post("/api/hms/stop-recording", json={"sessionId": session["id"]})
    deadline = time.monotonic() + PROCESSED_S + 7
    while len(found := rows(kulti, session)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(found) == 2 and {r["status"] for r in found} == {"completed"}
    assert len({r["hms_recording_id"] for r in found}) == 1 and len(hms_jobs(kulti, session["hms_room_id"])) == 1


def test_kulti_not_listed_by_hms_lists_nothing_but_finds_each(kulti, people, session):
    host, _ = people
    kulti.set_fault("recording_not_listed_by_hms")
    host.post("/api/hms/start-recording", json={"sessionId": session["id"]})
    assert hms_jobs(kulti, session["hms_room_id"]) == []
    [row] = rows(kulti, session)
    api = httpx.Client(base_url=kulti.env["HMS_API_URL"],
                       headers={"Authorization": "Bearer " + kulti.env["HMS_MANAGEMENT_TOKEN"]})
    assert api.get(f"/recordings/{row['hms_recording_id']}").json()["status"] == "running"
    kulti.clear_faults()
    assert [j["id"] for j in hms_jobs(kulti, session["hms_room_id"])] == [row["hms_recording_id"]]
    host.post("/api/hms/stop-recording", json={"sessionId": session["id"]})


# ---- the kulti shape's host page, in Chromium ---------------------------------------------------

def _kulti_room(kulti, page, title: str):
    log_in(page, kulti, "+15555550100")
    page.get_by_role("button", name="Create a new session").click()
    dialog = page.get_by_role("dialog", name="Create Session")
    dialog.get_by_label("Title *").fill(title)
    dialog.get_by_role("button", name="Create new session").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return page.locator('[data-control="record"]')


@pytest.mark.browser
def test_kulti_host_page_label_indicator_and_toast_faults(kulti, page):
    kulti.set_fault("recording_start_label_missing")
    kulti.set_fault("recording_indicator_lapses", "500")
    kulti.set_fault("recording_stop_not_notified")
    button = _kulti_room(kulti, page, "Recording faults")
    pill = page.locator(".recording-pill")
    button.click()
    expect(page.get_by_role("status").filter(has_text="Recording started")).to_be_visible()
    expect(button).to_have_attribute("title", "Stop Recording")
    expect(pill).to_have_count(0)  # gone after 500 ms, while it records
    button.click()
    expect(button).to_have_attribute("title", "Stop Recording")  # stopped, still saying Stop
    expect(button).to_be_enabled()
    page.wait_for_timeout(500)
    expect(page.get_by_role("status").filter(has_text="Recording stopped")).to_have_count(0)
    kulti.clear_faults()
    kulti.set_fault("recording_stop_label_missing")
    page.reload()
    button.click()
    expect(pill).to_be_visible()  # recording...
    expect(button).to_have_attribute("title", "Start Recording")  # ...saying Start
    button.click()
    expect(pill).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Recording stopped")).to_be_visible()

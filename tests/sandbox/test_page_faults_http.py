"""Server faults of the page flows (T1-T5) each break exactly the behaviour they name, seen over HTTP.

The faults that change what an input holds or what a click does are shown in a browser, in
test_page_faults_browser.py.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tests.sandbox.kulti_client import create_session, request_otp, sign_in
from tests.sandbox.test_auth import fresh_number
from tests.sandbox.test_faults_http import HOST, elapsed, fastest


def stored(sandbox, table: str, **filters: str) -> list[dict]:
    """Rows as the suite reads them: PostgREST with the service-role key."""
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.get(f"{sandbox.env['SUPABASE_URL']}/rest/v1/{table}", params={"select": "*", **filters},
                  headers={"apikey": key, "Authorization": f"Bearer {key}"})
    r.raise_for_status()
    return r.json()


def instant(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00"))


# T1
def test_slow_page_with_a_path_delays_only_the_pages_under_it(sandbox):
    sandbox.set_fault("slow_page", "2000@/signup")
    assert elapsed(lambda: httpx.get(sandbox.url + "/signup")) >= 2.0
    assert fastest(lambda: httpx.get(sandbox.url + "/login")) < 1.0


def test_home_page_status_answers_the_code_with_the_usual_page(sandbox):
    sandbox.set_fault("home_page_status", "503")
    r = httpx.get(sandbox.url + "/")
    assert r.status_code == 503 and 'data-testid="landing-hero"' in r.text
    assert httpx.get(sandbox.url + "/about").status_code == 200


# T2 / T3
def test_landing_links_swapped_sends_sign_up_to_login_and_back(sandbox):
    sandbox.set_fault("landing_links_swapped")
    html = httpx.get(sandbox.url + "/").text
    assert 'href="/login" data-testid="landing-signup"' in html and 'href="/signup" data-testid="landing-login"' in html


def test_slow_otp_request_delays_the_request_but_the_sms_still_goes(sandbox):
    sandbox.set_fault("slow_otp_request", "400")
    client = httpx.Client(base_url=sandbox.url)
    assert elapsed(lambda: request_otp(client, HOST).raise_for_status()) >= 0.4


def test_onboarding_stuck_answers_success_but_stores_no_profile(sandbox):
    phone = fresh_number()
    client = sign_in(sandbox, phone, "signup")
    sandbox.set_fault("onboarding_stuck")
    username = f"stuck_{phone[-4:]}"
    r = client.post("/api/onboarding", json={"username": username, "display_name": "Stuck"})
    assert r.status_code == 201 and r.json()["redirect"] == "/onboarding"
    assert stored(sandbox, "profiles", username=f"eq.{username}") == []
    assert client.get("/onboarding").status_code == 200  # the form again, not a redirect to the dashboard


def test_profile_field_dropped_stores_the_username_as_display_name(sandbox):
    phone = fresh_number()
    client = sign_in(sandbox, phone, "signup")
    sandbox.set_fault("profile_field_dropped")
    username = f"dropped_{phone[-4:]}"
    r = client.post("/api/onboarding", json={"username": username, "display_name": "Entered Name"})
    assert r.status_code == 201 and r.json()["redirect"] == "/dashboard"
    assert [p["display_name"] for p in stored(sandbox, "profiles", username=f"eq.{username}")] == [username]


def test_profile_page_error_answers_500(sandbox):
    sandbox.set_fault("profile_page_error")
    assert httpx.get(sandbox.url + "/profile/maya_builds").status_code == 500


# T4
def test_dashboard_wrong_display_name_keeps_the_username(sandbox, host):
    sandbox.set_fault("dashboard_wrong_display_name")
    welcome = re.search(r'data-testid="dashboard-welcome">(.*?)</h1>', host.get("/dashboard").text, re.S).group(1)
    assert "@smoke_host" in welcome and "Smoke Host" not in welcome


def test_dashboard_wrong_timestamps_lists_every_session_an_hour_late(sandbox, host):
    create_session(host, "Timestamp check")
    truth = {s["id"]: s["created_at"] for s in host.get("/api/dashboard").json()["sessions"]}
    sandbox.set_fault("dashboard_wrong_timestamps")
    listed = host.get("/api/dashboard").json()["sessions"]
    assert [s["id"] for s in listed] == list(truth)
    assert all(instant(s["created_at"]) - instant(truth[s["id"]]) == timedelta(hours=1) for s in listed)


def test_profile_link_wrong_leads_to_another_users_profile(sandbox, host):
    sandbox.set_fault("profile_link_wrong")
    href = re.search(r'href="([^"]+)" data-testid="nav-profile"', host.get("/dashboard").text).group(1)
    assert href == "/profile/maya_builds"


# T5
def test_session_wrong_host_stores_another_host_but_lists_for_the_creator(sandbox, host):
    sandbox.set_fault("session_wrong_host")
    s = create_session(host, "Wrong host")
    [maya] = stored(sandbox, "profiles", username="eq.maya_builds")
    assert stored(sandbox, "sessions", id=f"eq.{s['id']}")[0]["host_id"] == maya["id"]
    assert s["id"] in [x["id"] for x in host.get("/api/dashboard").json()["sessions"]]


def test_session_wrong_status_and_stale_timestamp_corrupt_only_their_column(sandbox, host):
    sandbox.set_fault("session_wrong_status")
    sandbox.set_fault("session_stale_timestamp")
    s = create_session(host, "Stale and ended")
    [row] = stored(sandbox, "sessions", id=f"eq.{s['id']}")
    age = datetime.now(timezone.utc) - instant(row["created_at"])
    assert row["status"] == "ended" and timedelta(hours=23) < age < timedelta(hours=25)
    assert row["title"] == "Stale and ended"


def test_session_title_cut_stores_the_first_twenty_characters(sandbox, host):
    title = "A title well over twenty characters"
    sandbox.set_fault("session_title_cut")
    s = create_session(host, title)
    assert stored(sandbox, "sessions", title=f"eq.{title}") == []
    assert stored(sandbox, "sessions", id=f"eq.{s['id']}")[0]["title"] == title[:20]


def test_session_stored_twice_keeps_a_newer_copy_the_page_does_not_open(sandbox, host):
    title = "Stored twice check"
    sandbox.set_fault("session_stored_twice")
    s = create_session(host, title)
    rows = stored(sandbox, "sessions", title=f"eq.{title}", order="created_at.desc")
    assert len(rows) == 2 and rows[1]["id"] == s["id"]


@pytest.mark.parametrize("field, empty", [("description", ""), ("tags", []), ("category", "")])
def test_session_field_dropped_stores_that_field_empty_and_keeps_the_others(sandbox, host, field, empty):
    sandbox.set_fault("session_field_dropped", field)
    s = create_session(host, f"Dropped {field}")
    row = stored(sandbox, "sessions", id=f"eq.{s['id']}")[0]
    entered = {"description": "Automated smoke test session", "tags": ["testing", "smoke-test"],
               "category": "Development"}
    assert {k: row[k] for k in entered} == {**entered, field: empty}
    page = host.get(f"/session/{s['id']}").text
    assert (entered["description"] in page) is (field != "description")


def test_dashboard_duplicate_card_stores_the_newest_session_twice_once(sandbox, host):
    newest = create_session(host, "Stored twice")
    sandbox.set_fault("dashboard_duplicate_card")
    listed = host.get("/api/dashboard").json()["sessions"]
    assert [s["title"] for s in listed[:3]].count("Stored twice") == 2 and len({s["id"] for s in listed}) == len(listed)
    assert newest["id"] in [s["id"] for s in listed[:2]] and listed[0]["created_at"][:19] == listed[1]["created_at"][:19]
    assert len(stored(sandbox, "sessions", title="eq.Stored twice")) == 2  # the suite's view: both rows
    assert len(host.get("/api/dashboard").json()["sessions"]) == len(listed)  # once, not at every read


def test_slow_dashboard_data_delays_the_dashboard_request_only(sandbox, host):
    sandbox.set_fault("slow_dashboard_data", "2000")
    assert elapsed(lambda: host.get("/api/dashboard")) >= 2.0
    assert fastest(lambda: host.get("/api/health")) < 1.0

"""The Sentry events API in process, with hand-built events: the list's filters as project_events.py
applies them, and the parts of an event Sentry derives (tags, breadcrumbs, the release).
"""

from __future__ import annotations

import re
import time

import pytest

from tests.emulations.sentry_clients import client, envelope, js_event, sb, urls  # fixtures among them

CHROME_ON_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/120.0.6099.109 Safari/537.36")
NEXT = re.compile(r'rel="next"; results="(true|false)"; cursor="([^"]+)"')


def send(client, urls, *events) -> None:
    for ev in events:
        assert client.post(urls["intake"], content=envelope(ev)).status_code == 200


def listed(client, urls, **params):
    return client.get(urls["events"], headers=urls["auth"], params=params)


def test_query_is_a_case_insensitive_substring_of_the_search_message(client, urls):
    card, video = js_event(message="card declined"), js_event(message="camera busy")
    send(client, urls, card, video)
    assert [e["eventID"] for e in listed(client, urls, query="CARD DECLINED").json()] == [card["event_id"]]
    assert [e["eventID"] for e in listed(client, urls, query="render(room/app)").json()] == [
        video["event_id"], card["event_id"]]  # the culprit is part of the search message
    assert listed(client, urls, query="TypeError: card declined").json() == []  # the title is not
    assert listed(client, urls, query="user.id:u-1").json() == []  # no search syntax on this endpoint


def test_time_window_from_stats_period_or_start_and_end(client, urls):
    old, new = js_event(timestamp=time.time() - 7200), js_event(timestamp=time.time() - 60)
    send(client, urls, old, new)
    assert [e["eventID"] for e in listed(client, urls, statsPeriod="1h").json()] == [new["event_id"]]
    assert [e["eventID"] for e in listed(client, urls, statsPeriod="3h").json()] == [new["event_id"], old["event_id"]]
    start = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(old["timestamp"] - 10))
    end = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(old["timestamp"] + 10))
    assert [e["eventID"] for e in listed(client, urls, start=start, end=end).json()] == [old["event_id"]]
    assert [e["eventID"] for e in listed(client, urls, statsPeriod="1h", start=start, end=end).json()] == [
        new["event_id"]]  # statsPeriod wins


@pytest.mark.parametrize("params", [
    {"statsPeriod": "1 hour"}, {"statsPeriod": ""}, {"statsPeriod": "0"}, {"start": "2024-01-01"},
    {"start": "2024-01-02", "end": "2024-01-01"}, {"start": "yesterday", "end": "today"},
    {"statsPeriodStart": "2d"}, {"timeframeStart": "2d"},
])
def test_bad_date_ranges_are_refused(client, urls, params):
    r = listed(client, urls, **params)
    assert (r.status_code, r.json()) == (400, {"detail": "Invalid date range parameters provided"})


def test_full_pages_hold_ten_events(client, urls):
    send(client, urls, *(js_event(timestamp=1_700_000_000 + i) for i in range(12)))
    r = listed(client, urls, full="true")
    assert len(r.json()) == 10 and NEXT.search(r.headers["link"]).groups() == ("true", "0:10:0")
    assert len(listed(client, urls, full="true", per_page="100").json()) == 10
    assert len(listed(client, urls, per_page="12").json()) == 12
    r = listed(client, urls, full="true", per_page="101")
    assert (r.status_code, r.json()) == (400, {"detail": "Invalid per_page value. Cannot exceed 100."})


def test_derived_tags_as_the_event_detail_shows_them(client, urls):
    ev = js_event(server_name="web-1", tags={"page": "/dashboard", "release": "spoofed", "environment": "legacy"},
                  request={"url": "http://127.0.0.1:8000/dashboard?tab=2#top", "headers": {"User-Agent": CHROME_ON_MAC}})
    del ev["environment"]
    send(client, urls, ev)
    event = client.get(f"{urls['events']}{ev['event_id']}/", headers=urls["auth"]).json()
    assert {t["key"]: t["value"] for t in event["tags"]} == {
        "browser": "Chrome 120.0.6099", "browser.name": "Chrome", "device": "Mac", "device.family": "Mac",
        "environment": "legacy", "handled": "no", "level": "error", "mechanism": "onerror", "os": "Mac OS X 10.15.7",
        "os.name": "Mac OS X", "page": "/dashboard", "release": "1.0.0", "server_name": "web-1",
        "url": "http://127.0.0.1:8000/dashboard", "user": "id:u-1"}
    assert event["contexts"]["browser"] == {"name": "Chrome", "version": "120.0.6099", "type": "browser"}


def test_entries_in_sentrys_order_with_breadcrumbs(client, urls):
    crumbs = [{"timestamp": 1_700_000_000.5, "category": "navigation", "data": {"from": "/", "to": "/room"}},
              {"timestamp": "2023-11-14T22:13:21Z", "message": "joined", "level": "verbose"}, {"message": "no time"}]
    ev = js_event(logentry={"formatted": "room failed"}, breadcrumbs={"values": crumbs})
    send(client, urls, ev)
    event = client.get(f"{urls['events']}{ev['event_id']}/", headers=urls["auth"]).json()
    assert [e["type"] for e in event["entries"]] == ["message", "exception", "breadcrumbs", "request"]
    values = next(e for e in event["entries"] if e["type"] == "breadcrumbs")["data"]["values"]
    assert values == [
        {"type": "default", "timestamp": "2023-11-14T22:13:20.500000Z", "level": "info", "message": None,
         "category": "navigation", "data": {"from": "/", "to": "/room"}, "event_id": None},
        {"type": "default", "timestamp": "2023-11-14T22:13:21Z", "level": "info", "message": "joined",
         "category": None, "data": None, "event_id": None}]


def test_the_release_object_on_the_detail_page(client, urls):
    sha = "a" * 40
    first, again, other_issue = (js_event(release=sha, message=m, timestamp=1_700_000_000 + i)
                                 for i, m in enumerate(["x", "x", "y"]))
    send(client, urls, first, again, other_issue)
    release = client.get(f"{urls['events']}{again['event_id']}/", headers=urls["auth"]).json()["release"]
    assert release["versionInfo"] == {"package": None, "version": {"raw": sha}, "description": "a" * 12,
                                      "buildHash": sha}
    assert release["newGroups"] == 2 and release["projects"][0]["newGroups"] == 2
    assert (release["dateCreated"], release["firstEvent"], release["lastEvent"]) == (
        "2023-11-14T22:13:20Z", "2023-11-14T22:13:20Z", "2023-11-14T22:13:22Z")
    assert release["status"] == "open" and release["authors"] == [] and isinstance(release["id"], int)
    r = client.get(f"{urls['events']}{again['event_id']}/", headers=urls["auth"], params={"start": "x"})
    assert (r.status_code, r.json()) == (400, {"detail": "Invalid date range"})

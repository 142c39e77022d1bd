"""Create, list and join sessions; the dashboard's data."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.kulti_client import create_session


def test_created_session_is_on_the_dashboard_and_in_the_list_for_others(host, guest):
    s = create_session(host, "Dashboard check")
    assert host.get(s["url"]).status_code == 200
    mine = host.get("/api/dashboard").json()["sessions"]
    assert mine[0]["id"] == s["id"] and mine[0]["tags"] == ["testing", "smoke-test"]
    assert s["id"] in guest.get("/sessions").text


def test_join_adds_the_guest_once(host, guest, sandbox):
    s = create_session(host, "Join check")
    for _ in range(2):
        r = guest.post(f"/api/sessions/{s['id']}/join")
        assert r.status_code == 200 and r.json()["url"] == s["url"]
    page = guest.get("/sessions").text
    card = page[page.index(s["id"]):]
    assert 'data-testid="open-session-link"' in card[:2000]


def test_join_of_an_unknown_session_is_404(guest):
    assert guest.post("/api/sessions/00000000-0000-0000-0000-000000000000/join").status_code == 404


def test_upcoming_sessions_and_recent_activity_are_listed(host):
    data = host.get("/api/dashboard").json()
    assert data["upcoming"] and all(u["scheduled_at"] for u in data["upcoming"])
    assert any(a["kind"] == "created" for a in data["activity"])


@pytest.mark.parametrize("body, field", [
    ({"title": "", "category": "Development"}, "title"),
    ({"title": "ab", "category": "Development"}, "title"),
    ({"title": "x" * 101, "category": "Development"}, "title"),
    ({"title": "Fine title", "category": "Cooking"}, "category"),
    ({"title": "Fine title", "category": "Development", "tags": ["Bad Tag"]}, "tags"),
    ({"title": "Fine title", "category": "Development", "tags": ["a", "b", "c", "d", "e", "f"]}, "tags"),
    ({"title": "Fine title", "category": "Development", "tags": "not-a-list-of-words", "description": 7}, "description"),
])
def test_invalid_session_fields_are_refused_and_nothing_is_stored(host, sandbox, body, field):
    before = sandbox.db_counts()
    r = host.post("/api/sessions", json=body)
    assert r.status_code == 422 and r.json()["field"] == field, r.text
    assert sandbox.db_counts() == before


def test_creating_a_session_needs_a_signed_in_user(sandbox):
    r = httpx.post(f"{sandbox.url}/api/sessions", json={"title": "Anon", "category": "Development"})
    assert r.status_code == 401

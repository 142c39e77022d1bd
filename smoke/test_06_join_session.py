"""Test 6: Join Session - a second user joins the active session and both see each other."""

from __future__ import annotations

import re

import pytest

from fixtures.evidence import measure, step
from fixtures.expect import expect_text, expect_that, expect_url, expect_visible
from fixtures.pages.room import RoomPage
from fixtures.pages.sessions import SessionsPage
from fixtures.probes.page_clock import PageClock
from fixtures.room_setup import host_in_session
from fixtures.services.kulti_data import hms_room_of, profile_for_phone

EXACTLY_TWO = re.compile(r"^\s*2\s*$")

pytestmark = [pytest.mark.critical, pytest.mark.runbook("T6"), pytest.mark.xdist_group("room")]


def test_join_session(cast, runbook_record, supabase, hms):
    host = profile_for_phone(supabase, cast.people["host"].phone)
    guest = profile_for_phone(supabase, cast.people["guest"].phone)
    host_name, guest_name = host["username"], guest["username"]
    host_page = runbook_record.show("user 1 (host)", host_in_session(cast))
    guest_page = runbook_record.show("user 2 (guest)", cast.signed_in("guest").new_page())
    host_room, guest_room = RoomPage(host_page), RoomPage(guest_page)
    host_clock, guest_clock = PageClock(host_page), PageClock(guest_page)
    sessions = SessionsPage(guest_page)
    session = cast.session

    with step("1. User 2 navigates to /sessions"):
        sessions.open()
        expect_visible(sessions.list, "Sessions list loads")
        measure("t6.sessions_list_load", guest_clock.load_seconds(), "Sessions list load")

    with step("2. Find the test session from Test 5"):
        expect_visible(sessions.card(session["id"]), "Session visible in list")

    with step('3. Click "Join Session"'):
        host_clock.watch("guest listed", host_room.participant_selector(guest_name))
        guest_clock.watch_next_page("in the room", guest_room.participant_selector(guest_name))
        guest_clock.watch("joining", sessions.join_button_selector(session["id"]), "Joining...")
        sessions.join_button(session["id"]).click()
        expect_url(guest_page, session["url"], "Join request sent; redirected to session room page")
        guest_clock.seen_at("joining", 'Button changes to "Joining..."', timeout_ms=1_000)
        clicked = guest_clock.clicked_at(sessions.join_testid)
        measure("t6.join_action", (guest_clock.loaded_at() - clicked) / 1000, "Join action")
        cast.room["guest"] = guest_page

    with step("4. Observe participant list"):
        entered = guest_clock.seen_at("in the room", "User 2 listed on their own room page")
        for who, room in (("user 1", host_room), ("user 2", guest_room)):
            expect_visible(room.participant(host_name), f"Both participants listed ({who}'s page: {host_name})")
            expect_visible(room.participant(guest_name), f"Both participants listed ({who}'s page: {guest_name})")
            expect_text(room.participant_count, EXACTLY_TWO, f'Participant count shows "2" ({who}\'s page)')
            expect_visible(room.participant_online(host_name), f"Online status indicated ({who}'s page: {host_name})")
            expect_visible(room.participant_online(guest_name), f"Online status indicated ({who}'s page: {guest_name})")
        seen = host_clock.seen_at("guest listed", "Participant list updates on user 1's page")
        measure("t6.participant_update", max(0.0, seen - entered) / 1000,
                "Participant update (user 2 in the room to user 1 seeing them)")

    with step("Participant list verification: the video service has both in the room", evidence=False):
        peers = hms.active_peers(hms_room_of(supabase, session["id"]))
        in_room = sorted(p["user_id"] for p in peers)
        expect_that(in_room == sorted([host["id"], guest["id"]]), "100ms active room lists both participants",
                    f"{len(peers)} peer(s): {[p.get('name') for p in peers]}")

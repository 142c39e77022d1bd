"""Test 6: Join Session - a second user joins the active session and both see each other."""

from __future__ import annotations

import re

import pytest

from fixtures.evidence import measure, present, step
from fixtures.expect import expect_text, expect_that, expect_url, expect_visible, one_wait
from fixtures.probes.page_clock import PageClock, on_clock_of
from fixtures.room_setup import host_in_session
from fixtures.severity import COSMETIC, PART_BROKEN

EXACTLY_TWO = re.compile(r"^\s*2\s*$")

pytestmark = [
    pytest.mark.critical,
    pytest.mark.synthetic,
    pytest.mark.runbook("T6"),
    pytest.mark.xdist_group("room"),
]


def test_join_session(cast, runbook_record, kulti_data, hms, app):
    host = kulti_data.profile_for_phone(cast.people["host"].phone)
    guest = kulti_data.profile_for_phone(cast.people["guest"].phone)
    host_name, guest_name = host["username"], guest["username"]
    host_page = runbook_record.show("user 1 (host)", host_in_session(cast, kulti_data))
    guest_page = runbook_record.show("user 2 (guest)", cast.signed_in("guest").new_page())
    host_room, guest_room = app.pages.room(host_page), app.pages.room(guest_page)
    host_clock, guest_clock = PageClock(host_page), PageClock(guest_page)
    sessions = app.pages.sessions(guest_page)
    session = cast.session
    as_shown = {"host": _named(host), "guest": _named(guest)}

    with step("1. User 2 navigates to /sessions"):
        # From the dashboard by the top bar's link, as a user does: in the launched app that is a
        # client-side route change, timed from the click to the list shown, not by the document's load.
        dashboard = app.pages.dashboard(guest_page).open()
        guest_clock.watch_click("sessions link", dashboard.find("nav_sessions"))
        guest_clock.watch_through_navigation("sessions list", sessions.find("list"))
        dashboard.go_to_sessions()
        expect_url(guest_page, sessions.path, "Sessions list loads: on the sessions page")
        shown = guest_clock.seen_at("sessions list", "Sessions list loads")
        measure("t6.sessions_list_load", guest_clock.seconds(guest_clock.clicked_at("sessions link"), shown,
                                                             "the sessions list shown"),
                "Sessions list load (click to the list shown)")

    with step("2. Find the test session from Test 5"):
        expect_visible(sessions.card(key=session["key"]), "Session visible in list")

    with step('3. Click "Join Session"'):
        join = type(sessions).join_button.of(key=session["key"])
        host_clock.watch("guest listed", type(host_room).participant.of(**as_shown["guest"]))
        guest_clock.watch_through_navigation("in the room", type(guest_room).participant.of(**as_shown["guest"]))
        guest_clock.watch_click("join", join)
        joining = present(app, "joining_text")
        if joining:
            guest_clock.watch("joining", type(sessions).joining.of(key=session["key"]))
        sessions.join_button(key=session["key"]).click()
        expect_url(guest_page, session["url"], "Join request sent; redirected to session room page")
        if joining:
            guest_clock.seen_at("joining", 'Button changes to "Joining..."', timeout_ms=1_000, impact=COSMETIC)
        cast.room["guest"] = guest_page

    with step("4. Observe participant list"):
        entered = guest_clock.seen_at("in the room", "User 2 listed on their own room page")
        measure("t6.join_action", guest_clock.seconds(guest_clock.clicked_at("join"), entered, "user 2 in the room"),
                "Join action (click to user 2 in the room)")
        with one_wait():  # what user 2's joining shows on both pages: one wait for all of it
            counted, online = present(app, "participant_count"), present(app, "online_status")
            for who, room in (("user 1", host_room), ("user 2", guest_room)):
                for name, shown in ((host_name, as_shown["host"]), (guest_name, as_shown["guest"])):
                    expect_visible(room.participant(**shown), f"Both participants listed ({who}'s page: {name})",
                                   impact=PART_BROKEN)
                    if online:
                        expect_visible(room.participant_online(**shown),
                                       f"Online status indicated ({who}'s page: {name})", impact=PART_BROKEN)
                if counted:
                    expect_text(room.participant_count, EXACTLY_TWO, f'Participant count shows "2" ({who}\'s page)',
                                impact=COSMETIC)
            seen = host_clock.seen_at("guest listed", "Participant list updates on user 1's page", impact=PART_BROKEN)
            if seen is not None:
                # User 1's page may list user 2 a moment before user 2's own page does: that is no wait at all.
                measure("t6.participant_update", max(0.0, on_clock_of(seen, host_clock, guest_clock) - entered) / 1000,
                        "Participant update (user 2 in the room to user 1 seeing them)")

    with step("Participant list verification: the video service has both in the room", evidence=False):
        peers = hms.active_peers(kulti_data.hms_room_of(session["key"]))
        in_room = sorted(p["user_id"] for p in peers)
        expect_that(in_room == sorted([host["id"], guest["id"]]), "100ms active room lists both participants",
                    f"{len(peers)} peer(s): {[p.get('name') for p in peers]}")


def _named(profile: dict) -> dict:
    """How a page may name a participant: by username or by display name (the profile decides)."""
    return {"username": profile["username"], "display_name": profile["display_name"]}

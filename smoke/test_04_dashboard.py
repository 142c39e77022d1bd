"""Test 4: Dashboard Access - the dashboard shows the signed-in user's own, correct data."""

from __future__ import annotations

import pytest

from fixtures.evidence import measure, present, step
from fixtures.expect import expect_text, expect_that, expect_url, expect_visible
from fixtures.probes.page_clock import PageClock
from fixtures.severity import PART_BROKEN, SECURITY

# Groups per test, not per module: xdist joins a module's group with a test's own.
pytestmark = [pytest.mark.critical, pytest.mark.runbook("T4")]


@pytest.mark.rollback
@pytest.mark.synthetic
@pytest.mark.xdist_group("front-door")
def test_dashboard(cast, runbook_record, kulti_data, app):
    profile = kulti_data.profile_for_phone(cast.people["host"].phone)
    page = runbook_record.show("host", cast.signed_in("host").new_page())
    clock = PageClock(page)
    dashboard = app.pages.dashboard(page)

    with step("1. Navigate to /dashboard"):
        clock.watch_load("dashboard", dashboard.find("shown"))
        # The user's first click, on the dashboard's heading (it does nothing: what a control does is
        # another check's), made as soon as the page has loaded (budgets.toml t4.interactive).
        clock.open_then_click("dashboard", dashboard.path)
        expect_url(page, r"/dashboard", "Dashboard opens for the signed-in user")
        measure("t4.dashboard_load", clock.load_seconds("dashboard", "Dashboard shows", "the dashboard shown"),
                "Dashboard load (navigation start to the dashboard shown)")
        measure("t4.interactive", clock.first_click_seconds("Interactive: the dashboard handles its first click"),
                "Dashboard interactive (its first click, pressed to handled)")

    with step("2. Observe dashboard content"):
        expect_visible(dashboard.shown, "Dashboard shows")
        if present(app, "welcome_message"):
            expect_text(dashboard.welcome, dashboard.greeting_for(profile), "Welcome message shows username",
                        impact=PART_BROKEN)
        expect_visible(dashboard.my_sessions, "Session list visible")
        measure("t4.data_fetch", clock.resource_seconds(dashboard.data_request), "Dashboard data fetch")
        expect_visible(dashboard.create_session_button, "Create session button visible")
        if present(app, "upcoming_sessions"):
            expect_visible(dashboard.upcoming, "Upcoming sessions listed", impact=PART_BROKEN)
        if present(app, "recent_activity"):
            expect_visible(dashboard.recent_activity, "Recent activity visible", impact=PART_BROKEN)

    with step("3. Check navigation"):
        dashboard.go_to_profile()
        expect_text(app.pages.profile(page).username, profile["username"], "Profile link works", impact=PART_BROKEN)
        dashboard.open()
        dashboard.go_to_settings()
        settings = app.pages.settings(page)
        expect_visible(settings.heading, "Settings link works", impact=PART_BROKEN)
        # Someone else's account on your settings page is another user's data shown to you.
        own = {"username": profile["username"], "display_name": profile["display_name"]}
        shown = settings.shown_account()
        expect_that(shown == own, f"Settings link works: the settings page belongs to the signed-in user "
                    f"(@{own['username']}, {own['display_name']})", shown, impact=SECURITY)

    with step("4. Verify data accuracy"):
        # T5 may be creating a session for the same user on the other worker: every session
        # stored before the page loaded must be listed, and every listed one must be stored.
        stored_before = [s["key"] for s in kulti_data.sessions_on_dashboard(profile["id"])]
        dashboard.open()
        if present(app, "welcome_message"):
            expect_text(dashboard.welcome, profile["display_name"], "User name correct", impact=PART_BROKEN)
        expect_visible(dashboard.my_sessions, "Session list visible")
        listed = dashboard.listed_sessions()
        stored = kulti_data.sessions_on_dashboard(profile["id"])
        listed_keys = [s["key"] for s in listed]
        expect_that(len(listed_keys) == len(set(listed_keys)), "No duplicate sessions", listed_keys, impact=PART_BROKEN)
        # Duplicates by content too: one session stored twice lists under two keys, each stored.
        keys_by_content: dict[tuple, list[str]] = {}
        for s in listed:
            keys_by_content.setdefault(dashboard.what_the_user_sees(s), []).append(s["key"])
        twice = [f"{' · '.join(str(v) for v in content)}: keys {keys}" for content, keys in keys_by_content.items()
                 if len(keys) > 1]
        expect_that(not twice, "No duplicate sessions: no session listed twice under two keys (the same title, "
                    "host and start)", "; ".join(twice), impact=PART_BROKEN)
        expected_keys = [s["key"] for s in stored if s["key"] in stored_before or s["key"] in listed_keys]
        expect_that(listed_keys == expected_keys, "Session list matches database",
                    f"page {len(listed_keys)} sessions, database {len(expected_keys)}: "
                    f"missing {sorted(set(expected_keys) - set(listed_keys))}, "
                    f"not stored {sorted(set(listed_keys) - {s['key'] for s in stored})}", impact=PART_BROKEN)
        by_key = {row["key"]: row for row in stored}
        zone = dashboard.time_zone()
        problems = {s["key"]: dashboard.time_problem(s, by_key[s["key"]], zone) if s["key"] in by_key else "not stored"
                    for s in listed}
        wrong_times = [f"{key}: {problem}" for key, problem in problems.items() if problem]
        expect_that(not wrong_times, f"Timestamps correct (as stored, shown in the browser's time zone, {zone})",
                    "; ".join(wrong_times), impact=PART_BROKEN)


@pytest.mark.synthetic
@pytest.mark.ends_login
@pytest.mark.xdist_group("room")  # the guest's login, which only the room tests share
@pytest.mark.runbook("T4", part="logout")
def test_dashboard_logout(cast, runbook_record, app):
    """Runbook T4 step 3 "Logout button works". Done by the guest, last: the host's login is
    shared by both workers' tests, and logging out ends it."""
    page = runbook_record.show("guest", cast.signed_in("guest").new_page())
    dashboard = app.pages.dashboard(page)
    with step("3. Check navigation: Logout button works"):
        dashboard.open()
        dashboard.log_out()
        expect_visible(dashboard.nav_login, "Logged out: the Log In link is back")
        dashboard.open()
        expect_url(page, r"/login", "After logout the dashboard asks to log in again")
    cast.forget_login("guest")


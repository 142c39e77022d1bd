"""Test 5: Session Creation - a signed-in user creates a session that is stored and listed."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from fixtures.evidence import measure, present, step
from fixtures.expect import expect_that, expect_url, expect_visible
from fixtures.probes.page_clock import PageClock
from fixtures.room_setup import CATEGORY, DESCRIPTION, TAGS, remember_session, room_key, session_title_for
from fixtures.severity import COSMETIC, DATA_WRONG, PART_BROKEN

pytestmark = [
    pytest.mark.critical,
    pytest.mark.synthetic,
    pytest.mark.runbook("T5"),
    pytest.mark.xdist_group("room"),
]

CURRENT_WITHIN_S = 120  # "Timestamp is current": created during this test


def test_session_creation(cast, runbook_record, kulti_data, target, app):
    host = kulti_data.profile_for_phone(cast.people["host"].phone)
    context = cast.signed_in("host")
    page = runbook_record.show("host", context.new_page())
    clock = PageClock(page)
    dashboard = app.pages.dashboard(page)
    room = app.pages.room(page)
    title = session_title_for(target.run_id)
    dashboard.open()
    expect_visible(dashboard.my_sessions, "On dashboard page (prerequisite)")

    with step('1. Click "Create Session" button'):
        clock.watch("form", app.pages.create_session.dialog)
        clock.watch_click("create", dashboard.find("create_session_button"))
        form = dashboard.open_create_session()
        opened = clock.seen_at("form", "Modal/form opens")
        measure("t5.form_load", clock.seconds(clock.clicked_at("create"), opened, "the form shown"),
                "Create-session form load")

    with step("2. Fill in session details"):
        # The runbook fills tags and a category where the app has them; step 4 reads back what was entered.
        entered = {"description": DESCRIPTION}
        if present(app, "session_tags_category"):
            entered.update(tags=TAGS, category=CATEGORY)
        form.fill("", DESCRIPTION, TAGS, CATEGORY)
        form.submit()
        expect_visible(form.title_error, "Input validation works: an empty title is refused", impact=PART_BROKEN)
        expect_that(urlsplit(page.url).path == dashboard.path, "Input validation prevents submission", page.url,
                    impact=PART_BROKEN)
        if urlsplit(page.url).path != dashboard.path:  # the empty form went through: start the form again
            dashboard.open()
            form = dashboard.open_create_session()
        form.fill(title, DESCRIPTION, TAGS, CATEGORY)
        expect_that(form.title.input_value() == title, "Form fields accept input", form.title.input_value())

    with step('3. Click "Create Session"'):
        clock.watch("loading", form.find("submit_busy"))
        clock.watch_click("submit", form.find("submit_button"))
        clock.watch_through_navigation("room", room.find("entered"))
        form.submit()
        expect_url(page, room.url_pattern, "Form submits successfully and redirects to session page")
        clock.seen_at("loading", "Loading indicator shows", timeout_ms=1_000, impact=COSMETIC)
        shown = clock.seen_at("room", "The session page shows")
        measure("t5.form_submission", clock.seconds(clock.clicked_at("submit"), shown, "the session page shown"),
                "Create-session form submission (click to the session page shown)")
        key = room_key(page.url)
        shown_fields = room.shown_session_fields()
        remember_session(cast, kulti_data, page, title)  # the host is now in the session's room, for T6

    with step("Session appears in dashboard"):
        listing = runbook_record.show("host dashboard", context.new_page())
        listed_dashboard = app.pages.dashboard(listing)
        listed_dashboard.open()
        expect_visible(listed_dashboard.my_sessions, "Session list visible", impact=PART_BROKEN)
        measure("t5.session_fetch", PageClock(listing).resource_seconds(listed_dashboard.data_request),
                "Session fetch")
        cards = {s["key"]: s for s in listed_dashboard.listed_sessions()}
        listed = list(cards)
        shown_fields.update({k: v for k, v in cards.get(key, {}).items() if k in entered})  # a card's own fields
        expect_that(key in listed, "Session appears in dashboard", f"{len(listed)} listed, not {key}", impact=PART_BROKEN)
        runbook_record.pages.pop("host dashboard")
        listing.close()

    with step("4. Verify session data"):
        rows = kulti_data.session_by_title(title)
        # None stored is the flow broken (session not created); more than one is stored data wrong.
        expect_that(len(rows) >= 1, "Database: 1 row returned with correct data", "0 rows")
        expect_that(len(rows) == 1, "Database: 1 row returned with correct data", f"{len(rows)} rows", impact=DATA_WRONG)
        # The row of the session the page opened: a second copy is the row count's finding, not this one's.
        row = next((r for r in rows if r["key"] == key), rows[0])
        expect_that(row["key"] == key, "Session ID assigned", f"database {row['key']}, page {key}", impact=DATA_WRONG)
        expect_that(row["host_id"] == host["id"], "Creator is test user", row["host_id"], impact=DATA_WRONG)
        statuses = app.schema.new_session_status
        expect_that(row["status"] in statuses, 'Status is "active" or "waiting"'
                    + ("" if statuses == ("active", "waiting") else f" (this app: {' or '.join(statuses)})"), row["status"],
                    impact=DATA_WRONG)
        age = datetime.now(timezone.utc) - datetime.fromisoformat(row["created_at"].replace("Z", "+00:00"))
        expect_that(abs(age.total_seconds()) < CURRENT_WITHIN_S, "Timestamp is current", row["created_at"], impact=DATA_WRONG)
        _expect_fields_persist(entered, shown_fields, row["row"])


def _expect_fields_persist(entered: dict, shown: dict, stored: dict) -> None:
    """Runbook T5 "Session data persists": every field entered in step 2 is what the pages show (the session
    page; the launched app's dashboard card) and what the sessions row holds."""
    wrong = [f"{name}: entered {value!r}, page {shown[name]!r}" for name, value in entered.items()
             if name in shown and shown[name] != value]
    wrong += [f"{name}: entered {value!r}, database {stored.get(name)!r}" for name, value in entered.items()
              if stored.get(name) != value]
    expect_that(not wrong, f"Session data persists: {', '.join(entered)} as entered, on the page and in the "
                "database row", "; ".join(wrong), impact=DATA_WRONG)

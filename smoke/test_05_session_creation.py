"""Test 5: Session Creation - a signed-in user creates a session that is stored and listed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fixtures.evidence import measure, step
from fixtures.expect import expect_that, expect_url, expect_visible
from fixtures.pages.dashboard import DashboardPage
from fixtures.probes.page_clock import PageClock
from fixtures.services.kulti_data import profile_for_phone, session_by_title

pytestmark = [pytest.mark.critical, pytest.mark.runbook("T5"), pytest.mark.xdist_group("room")]

DESCRIPTION = "Automated smoke test session"
TAGS = ["testing", "smoke-test"]
CATEGORY = "Development"
CURRENT_WITHIN_S = 120  # "Timestamp is current": created during this test


def test_session_creation(cast, runbook_record, supabase, target):
    host = profile_for_phone(supabase, cast.people["host"].phone)
    context = cast.signed_in("host")
    page = runbook_record.show("host", context.new_page())
    clock = PageClock(page)
    dashboard = DashboardPage(page)
    title = f"Test Session - {datetime.now(timezone.utc):%Y-%m-%d} [{target.run_id}]"
    dashboard.open()
    expect_visible(dashboard.my_sessions, "On dashboard page (prerequisite)")

    with step('1. Click "Create Session" button'):
        clock.watch("form", dashboard.open_create_session_dialog_selector())
        form = dashboard.open_create_session()
        opened = clock.seen_at("form", "Modal/form opens")
        measure("t5.form_load", (opened - clock.clicked_at(dashboard.create_testid)) / 1000, "Create-session form load")

    with step("2. Fill in session details"):
        form.fill("", DESCRIPTION, TAGS, CATEGORY)
        form.submit()
        expect_visible(form.title_error, "Input validation works: an empty title is refused")
        expect_that(page.url.endswith("/dashboard"), "Input validation prevents submission", page.url)
        form.fill(title, DESCRIPTION, TAGS, CATEGORY)
        expect_that(form.title.input_value() == title, "Form fields accept input", form.title.input_value())

    with step('3. Click "Create Session"'):
        clock.watch("loading", form.submit_selector, "Creating...")
        form.submit()
        expect_url(page, r"/session/[^/?#]+", "Form submits successfully and redirects to session page")
        clock.seen_at("loading", "Loading indicator shows", timeout_ms=1_000)
        measure("t5.form_submission", (clock.loaded_at() - clock.clicked_at(form.submit_testid)) / 1000,
                "Create-session form submission")
        session_id = page.url.rstrip("/").rsplit("/", 1)[1]
        cast.session = {"id": session_id, "title": title, "url": f"/session/{session_id}"}
        cast.room["host"] = page  # the host is now in the session's room, for T6

    with step("Session appears in dashboard"):
        listing = runbook_record.show("host dashboard", context.new_page())
        listed_dashboard = DashboardPage(listing)
        listed_dashboard.open()
        expect_visible(listed_dashboard.my_sessions, "Session list visible")
        measure("t5.session_fetch", PageClock(listing).resource_seconds(listed_dashboard.data_request),
                "Session fetch")
        listed = [s["id"] for s in listed_dashboard.listed_sessions()]
        expect_that(session_id in listed, "Session appears in dashboard", f"{len(listed)} listed, not {session_id}")
        runbook_record.pages.pop("host dashboard")
        listing.close()

    with step("4. Verify session data"):
        rows = session_by_title(supabase, title)
        expect_that(len(rows) == 1, "Database: 1 row returned with correct data", f"{len(rows)} rows")
        row = rows[0]
        expect_that(row["id"] == session_id, "Session ID assigned", f"database {row['id']}, page {session_id}")
        expect_that(row["host_id"] == host["id"], "Creator is test user", row["host_id"])
        expect_that(row["status"] in ("active", "waiting"), 'Status is "active" or "waiting"', row["status"])
        age = datetime.now(timezone.utc) - datetime.fromisoformat(row["created_at"].replace("Z", "+00:00"))
        expect_that(abs(age.total_seconds()) < CURRENT_WITHIN_S, "Timestamp is current", row["created_at"])

"""The launched app's profile page (docs/apps/kulti-2025-11.md §9.1) on the kulti-2025-11 shape:
the header and stats cards, the Edit Profile modal writing `profiles` straight through PostgREST
(own-row RLS: another user's row is 0 rows updated, answered 204 all the same), and the T11
faults there."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.sandbox.test_faults_http import elapsed, fastest
from tests.sandbox.test_shape_kulti_browser import log_in
from tests.sandbox.test_shape_kulti_faults import HOST, gotrue_session, service, signed_in

GUEST = "+15555550101"


def profile_row(sandbox, username: str) -> dict:
    return service(sandbox, "profiles", username=f"eq.{username}")[0]


def patch_profile(sandbox, token: str, user_id: str, values: dict) -> httpx.Response:
    """supabase-js's from('profiles').update(values).eq('id', user_id) with the user's token."""
    env = sandbox.env
    return httpx.patch(env["SUPABASE_URL"] + "/rest/v1/profiles", params={"id": f"eq.{user_id}"}, json=values,
                       headers={"apikey": env["SUPABASE_ANON_KEY"], "Authorization": "Bearer " + token,
                                "Content-Profile": "public"})


def test_own_profile_has_the_edit_button_and_modal_and_others_do_not(kulti):
    host = signed_in(kulti)
    own = host.get("/profile/smoke_host").text
    assert "Edit Profile" in own and 'aria-labelledby="edit-profile-title"' in own and "Save Changes" in own
    assert "Sessions Hosted" in own and "Sessions Attended" in own and "hours watched" in own
    other = host.get("/profile/smoke_guest").text
    assert "Edit Profile" not in other and "Sessions Hosted" in other
    assert "Follow" not in other and "Joined" not in other  # §9.1: no follow button, no join date


def test_postgrest_updates_the_own_row_and_refuses_anothers_by_rls(kulti):
    token = gotrue_session(kulti, HOST)["access_token"]
    host_row, guest_row = profile_row(kulti, "smoke_host"), profile_row(kulti, "smoke_guest")
    own = patch_profile(kulti, token, host_row["id"], {"bio": "own edit"})
    assert own.status_code == 204 and profile_row(kulti, "smoke_host")["bio"] == "own edit"
    other = patch_profile(kulti, token, guest_row["id"], {"bio": "not mine"})
    assert other.status_code == 204  # RLS: no error, 0 rows
    assert profile_row(kulti, "smoke_guest")["bio"] == guest_row["bio"]
    patch_profile(kulti, token, host_row["id"], {"bio": host_row["bio"]})


def test_profile_faults_on_the_postgrest_write(kulti):
    token = gotrue_session(kulti, HOST)["access_token"]
    host_row, guest_row = profile_row(kulti, "smoke_host"), profile_row(kulti, "smoke_guest")
    kulti.set_fault("profile_edit_not_saved")
    assert patch_profile(kulti, token, host_row["id"], {"bio": "lost"}).status_code == 204
    assert profile_row(kulti, "smoke_host")["bio"] == host_row["bio"]
    kulti.clear_faults()
    kulti.set_fault("slow_profile_save", "1500")
    assert elapsed(lambda: patch_profile(kulti, token, host_row["id"], {"bio": host_row["bio"]})) >= 1.5
    assert fastest(lambda: service(kulti, "profiles", id=f"eq.{host_row['id']}")) < 1.0  # reads are not slowed
    kulti.clear_faults()
    kulti.set_fault("profile_edit_others_allowed")
    patch_profile(kulti, token, guest_row["id"], {"bio": "edited by the host"})
    assert profile_row(kulti, "smoke_guest")["bio"] == "edited by the host"
    kulti.clear_faults()
    patch_profile(kulti, token, guest_row["id"], {"bio": guest_row["bio"]})
    assert profile_row(kulti, "smoke_guest")["bio"] == "edited by the host"  # RLS is back
    key = kulti.env["SUPABASE_SERVICE_ROLE_KEY"]
    httpx.patch(kulti.env["SUPABASE_URL"] + "/rest/v1/profiles", params={"id": f"eq.{guest_row['id']}"},
                json={"bio": guest_row["bio"]}, headers={"apikey": key, "Authorization": "Bearer " + key}).raise_for_status()


def test_profile_phone_leak_edit_button_and_name_wrong(kulti):
    host = signed_in(kulti)
    assert GUEST not in host.get("/profile/smoke_guest").text
    kulti.set_fault("profile_phone_leak")
    assert GUEST in host.get("/profile/smoke_guest").text
    assert HOST not in host.get("/profile/smoke_host").text  # your own number is not a leak
    kulti.clear_faults()
    kulti.set_fault("profile_edit_button_on_others")
    assert "Edit Profile" in host.get("/profile/smoke_guest").text
    kulti.clear_faults()
    kulti.set_fault("profile_name_wrong")
    assert "<h1>Maya Chen</h1>" in host.get("/profile/smoke_host").text


def test_profile_faults_on_what_the_own_profile_shows(kulti):
    host = signed_in(kulti)
    kulti.set_fault("profile_username_wrong")
    page = host.get("/profile/smoke_host").text
    assert '<p class="lead">@maya_builds</p>' in page and "<h1>Smoke Host</h1>" in page
    assert '<div class="muted">@smoke_host</div>' in page  # the edit form's username is the real one
    kulti.clear_faults()
    bio = profile_row(kulti, "smoke_host")["bio"]
    assert len(bio) > 20
    kulti.set_fault("profile_bio_truncated")
    page = host.get("/profile/smoke_host").text
    assert f'<p class="bio">{bio[:20]}…</p>' in page and f'maxlength="200">{bio}</textarea>' in page
    kulti.clear_faults()
    kulti.set_fault("profile_edit_form_empty_bio")
    page = host.get("/profile/smoke_host").text
    assert 'maxlength="200"></textarea>' in page and 'value="Smoke Host"' in page
    assert f'<p class="bio">{bio}</p>' in page


def test_profile_faults_on_another_users_profile_only(kulti):
    host = signed_in(kulti)
    kulti.set_fault("profile_others_name_wrong")
    assert "<h1>Smoke Host</h1>" in host.get("/profile/smoke_guest").text
    assert "<h1>Smoke Host</h1>" in host.get("/profile/smoke_host").text
    kulti.clear_faults()
    kulti.set_fault("profile_others_page_error")
    assert host.get("/profile/smoke_guest").status_code == 500
    assert host.get("/profile/smoke_host").status_code == 200


@pytest.mark.browser
def test_edit_modal_saves_through_postgrest_and_reloads(kulti, page):
    before = profile_row(kulti, "smoke_host")
    log_in(page, kulti, HOST)
    page.goto(kulti.url + "/profile/smoke_host")
    kulti.set_fault("slow_profile_edit_form", "800")
    page.reload()
    page.get_by_role("button", name="Edit Profile").click()
    dialog = page.get_by_role("dialog", name="Edit Profile")
    expect(dialog).to_be_hidden(timeout=500)
    expect(dialog).to_be_visible()
    expect(dialog.locator("textarea")).to_have_value(before["bio"])
    dialog.locator("textarea").fill("Saved from the modal")
    with page.expect_request(lambda r: "/rest/v1/profiles" in r.url and r.method == "PATCH"):
        with page.expect_navigation():
            dialog.get_by_role("button", name="Save Changes").click()
    expect(page.locator("h1 + p + p")).to_have_text("Saved from the modal")
    assert profile_row(kulti, "smoke_host")["bio"] == "Saved from the modal"
    token = gotrue_session(kulti, HOST)["access_token"]
    patch_profile(kulti, token, before["id"], {"bio": before["bio"]})


@pytest.mark.browser
def test_profile_bio_input_reverts_puts_the_bio_back_on_typing(kulti, page):
    before = profile_row(kulti, "smoke_host")
    log_in(page, kulti, HOST)
    kulti.set_fault("profile_bio_input_reverts")
    page.goto(kulti.url + "/profile/smoke_host")
    page.get_by_role("button", name="Edit Profile").click()
    dialog = page.get_by_role("dialog", name="Edit Profile")
    expect(dialog.locator("textarea")).to_have_value(before["bio"])  # the form opens right
    dialog.locator("textarea").fill("typed text")
    expect(dialog.locator("textarea")).to_have_value(before["bio"])
    dialog.get_by_placeholder("Your display name").fill("Smoke Host edited")  # only the bio refuses typing
    expect(dialog.get_by_placeholder("Your display name")).to_have_value("Smoke Host edited")

"""Profiles: public fields only for others, owner-only edits enforced by the server, follow."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.sandbox.test_error_handling_faults import runbook_page


def test_another_users_profile_never_shows_their_phone(guest):
    page = guest.get("/profile/smoke_host").text
    assert "Smoke Host" in page and "5555550100" not in page
    assert 'data-testid="profile-edit-button"' not in page and 'data-testid="follow-button"' in page


def test_owner_edit_persists(host):
    r = host.patch("/api/profiles/smoke_host", json={"bio": "Edited bio 🎉", "social_links": {"website": "https://kulti.club"}})
    assert r.status_code == 200, r.text
    page = host.get("/profile/smoke_host").text
    assert "Edited bio 🎉" in page and "https://kulti.club" in page


def test_editing_someone_elses_profile_is_refused_by_the_server(guest, sandbox):
    before = sandbox.db_counts()
    r = guest.patch("/api/profiles/smoke_host", json={"bio": "hijacked"})
    assert r.status_code == 403
    assert "hijacked" not in guest.get("/profile/smoke_host").text
    assert sandbox.db_counts() == before


@pytest.mark.parametrize("body", [{}, {"display_name": ""}, {"bio": "x" * 501}, {"social_links": {"myspace": "https://a.b"}},
                                  {"social_links": {"github": "javascript:alert(1)"}}, {"display_name": ["list"]}])
def test_invalid_profile_edits_are_refused(host, sandbox, body):
    page_before = host.get("/profile/smoke_host").text
    r = host.patch("/api/profiles/smoke_host", json=body)
    assert r.status_code == 422, r.text
    assert host.get("/profile/smoke_host").text == page_before


def test_follow_and_unfollow_update_the_counts(guest, host):
    assert guest.post("/api/profiles/smoke_host/follow").json()["followers"] == 1
    assert 'data-testid="stat-following">1<' in guest.get("/profile/smoke_guest").text
    assert guest.delete("/api/profiles/smoke_host/follow").json()["followers"] == 0


def test_you_cannot_follow_yourself(host):
    assert host.post("/api/profiles/smoke_host/follow").status_code == 422


def test_unknown_profile_is_a_real_404(host):
    assert host.get("/profile/nobody_here").status_code == 404


# T11 faults on what a profile page shows (the launched app's shape: test_shape_kulti_profile.py). The
# host's bio is set first: test_owner_edit_persists changes it.
BIO = "Reserved smoke-test account (host)."


def bio_is(host, bio: str = BIO) -> None:
    assert host.patch("/api/profiles/smoke_host", json={"bio": bio}).status_code == 200


def test_profile_username_wrong_shows_someone_elses_username_only(sandbox, host):
    sandbox.set_fault("profile_username_wrong")
    page = host.get("/profile/smoke_host").text
    assert '<span data-testid="profile-username">maya_builds</span>' in page
    assert '<h1 data-testid="profile-name">Smoke Host</h1>' in page and 'data-username="smoke_host"' in page


def test_profile_bio_truncated_cuts_the_shown_bio_not_the_stored_or_the_forms(sandbox, host):
    bio_is(host)
    sandbox.set_fault("profile_bio_truncated")
    page = host.get("/profile/smoke_host").text
    assert '<p data-testid="profile-bio">Reserved smoke-test …</p>' in page
    assert 'data-testid="edit-bio">Reserved smoke-test account (host).</textarea>' in page


def test_profile_edit_form_empty_bio_empties_the_form_not_the_page(sandbox, host):
    bio_is(host)
    sandbox.set_fault("profile_edit_form_empty_bio")
    page = host.get("/profile/smoke_host").text
    assert 'data-testid="edit-bio"></textarea>' in page and 'value="Smoke Host"' in page
    assert '<p data-testid="profile-bio">Reserved smoke-test account (host).</p>' in page


def test_profile_bio_input_reverts_reaches_the_profile_page(sandbox, host):
    sandbox.set_fault("profile_bio_input_reverts")  # what it does in the browser: below
    assert '"profile_bio_input_reverts": "1"' in host.get("/profile/smoke_host").text


def test_profile_others_name_wrong_shows_the_viewers_name_on_others_only(sandbox, host):
    sandbox.set_fault("profile_others_name_wrong")
    assert '<h1 data-testid="profile-name">Smoke Host</h1>' in host.get("/profile/smoke_guest").text
    assert '<h1 data-testid="profile-name">Smoke Host</h1>' in host.get("/profile/smoke_host").text


def test_profile_others_page_error_fails_others_profiles_only(sandbox, host):
    sandbox.set_fault("profile_others_page_error")
    assert host.get("/profile/smoke_guest").status_code == 500
    assert host.get("/profile/smoke_host").status_code == 200


@pytest.mark.browser
def test_profile_bio_input_reverts_puts_the_bio_back_on_typing(sandbox, host, context):
    bio_is(host)
    page = runbook_page(context, sandbox)
    page.goto(sandbox.url + "/profile/smoke_host")
    sandbox.set_fault("profile_bio_input_reverts")
    page.reload()
    page.locator('[data-testid="profile-edit-button"]').click()
    bio, name = page.locator('[data-testid="edit-bio"]'), page.locator('[data-testid="edit-display-name"]')
    expect(bio).to_have_value(BIO)  # the form opens right
    bio.fill("typed text")
    expect(bio).to_have_value(BIO)
    name.fill("Smoke Host edited")  # only the bio refuses typing
    expect(name).to_have_value("Smoke Host edited")

"""T11 User Profile, proven on both shapes: each row's fault breaks one of the test's checks, the
test fails on that check, and the verdict stays GO with the failure listed (T11 is important, it
never decides GO).

Every check has a row. Where one check's expected text is a part of another's ("Can see public
information" of "... only: no phone number"), the row also names a part of what was measured, so only
the intended check matches.
"""

from __future__ import annotations

import pytest

from tests.suite.fault_rows import KULTI, FaultRow, assert_fault_fails_check, on_shape

pytestmark = pytest.mark.browser

T11 = "user_profile"


def row(fault: str, value: str | None, category: str, expected: str, measured: str | None = None) -> FaultRow:
    return FaultRow(fault, value, T11, "T11", category, expected, measured=measured)


# Both shapes: what the two apps share (faults acting on either app's own write path), each proven on one
# of them in the default run (fault_rows.on_shape).
BOTH = [
    # The dashboard (where the test comes from) is not slowed: only the profile's document is timed.
    row("slow_page", "3500@/profile", "budget", "Profile page load"),
    row("profile_page_error", None, "functional", "Profile loads: the user's own profile shows"),
    row("profile_name_wrong", None, "functional", "Name displays correctly"),
    row("profile_username_wrong", None, "functional", "Name displays correctly: the @username", "maya_builds"),
    row("profile_bio_truncated", None, "functional", "Bio visible: the stored bio", "Reserved smoke-test …"),
    row("slow_profile_edit_form", "2500", "budget", "Edit form open"),
    row("profile_edit_form_empty_bio", None, "functional", "Form opens with current data", "'bio': ''"),
    row("profile_bio_input_reverts", None, "functional", "Can modify fields"),
    row("slow_profile_save", "2500", "budget", "Save changes"),
    row("profile_edit_not_saved", None, "functional", "Changes persist on reload"),
    row("profile_others_page_error", None, "functional", "Profile loads: another user's profile shows"),
    row("profile_phone_leak", None, "functional", "no phone number"),
    row("profile_others_name_wrong", None, "functional", "Can see public information", "Smoke Host"),
    row("profile_edit_button_on_others", None, "functional", "Cannot edit other user's profile: no Edit button"),
    row("profile_edit_others_allowed", None, "functional", "Cannot edit other user's profile: the server refuses"),
]

RUNBOOK = BOTH + [
    row("hide_element", "profile-avatar", "functional", "Profile picture shows"),
    row("hide_element", "profile-bio", "functional", "Bio visible"),
    row("hide_element", "profile-social-links", "functional", "Social links displayed"),
    row("hide_element", "profile-join-date", "functional", "Join date shown"),
    row("hide_element", "stat-sessions-created", "functional", "Statistics displayed: Sessions created"),
    row("hide_element", "stat-sessions-participated", "functional", "Statistics displayed: Sessions participated"),
    row("hide_element", "stat-hours-streamed", "functional", "Statistics displayed: Total hours streamed"),
    row("hide_element", "stat-followers", "functional", "Statistics displayed: Followers/Following count"),
    row("hide_element", "profile-edit-button", "functional", "Edit button visible"),
    row("hide_element", "follow-button", "functional", "Follow button available"),
    row("follow_broken", None, "functional", "Follow button available: the follow is stored"),
]

# The launched app: no join date, social links, follow counts or Follow button (its profile's ABSENT).
LAUNCHED = BOTH + [
    row("hide_element", "css:div.rounded-full > span", "functional", "Profile picture shows"),
    row("hide_element", "css:h1 + p + p", "functional", "Bio visible"),
    row("hide_element", "css:.stats .card:nth-child(2) h3", "functional", "Statistics displayed: Sessions created"),
    row("hide_element", "css:.stats .card:nth-child(3) h3", "functional", "Statistics displayed: Sessions participated"),
    row("hide_element", "css:.stats .card:nth-child(3) p + p", "functional", "Statistics displayed: Total hours streamed"),
    row("hide_element", 'css:button[data-action="edit-profile"]', "functional", "Edit button visible"),
]


@pytest.mark.parametrize("fault_row", on_shape(RUNBOOK, "runbook", shared=BOTH))
def test_each_t11_check_fails_on_the_runbook_shape(start_sandbox, fault_row):
    assert_fault_fails_check(start_sandbox, fault_row)


@pytest.mark.parametrize("fault_row", on_shape(LAUNCHED, KULTI, shared=BOTH))
def test_each_t11_check_fails_on_the_launched_apps_shape(start_sandbox, fault_row):
    assert_fault_fails_check(start_sandbox, fault_row, shape=KULTI, profile=KULTI)

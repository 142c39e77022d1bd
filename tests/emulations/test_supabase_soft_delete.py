"""GoTrue's soft delete through supabase-py's `auth.admin.delete_user(id, should_soft_delete=True)`:
the user stays (listed, found by id, with `deleted_at`) but its email, phone and metadata are gone
(supabase/auth models/user.go SoftDeleteUser), its sessions end, and its number signs up anew."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest
from supabase import create_client
from supabase_auth.errors import AuthApiError

from tests.emulations.supabase_auth_client import HOST, Auth, api_error


@pytest.fixture
def proc(start_sandbox):
    return start_sandbox()


@pytest.fixture
def env(proc) -> dict[str, str]:
    return proc.env


@pytest.fixture
def host(proc) -> Auth:
    auth = Auth(proc)
    auth.sign_in(HOST)
    return auth


def admin(env):
    return create_client(env["SUPABASE_URL"], env["SUPABASE_SERVICE_ROLE_KEY"]).auth.admin


def profile_rows(env, user_id: str) -> list[dict]:
    key = env["SUPABASE_SERVICE_ROLE_KEY"]
    return httpx.get(f"{env['SUPABASE_URL']}/rest/v1/profiles", params={"id": f"eq.{user_id}"},
                     headers={"apikey": key, "Authorization": f"Bearer {key}"}).json()


def obfuscated(user_id: str, value: str) -> str:
    """supabase/auth models/user.go obfuscateValue."""
    return base64.urlsafe_b64encode(hashlib.sha256((user_id + value).encode()).digest()).decode().rstrip("=")


def test_a_soft_deleted_user_is_kept_with_its_details_obfuscated(env, host):
    uid = host.client.auth.get_session().user.id
    assert admin(env).delete_user(uid, should_soft_delete=True) is None

    user = admin(env).get_user_by_id(uid).user
    assert user.deleted_at is not None
    assert user.phone == obfuscated(uid, HOST.lstrip("+"))[:15]
    assert user.email == obfuscated(uid, "")  # even an empty email is replaced
    assert user.user_metadata == {} and user.app_metadata == {}
    (identity,) = user.identities
    assert identity.identity_data == {} and identity.id == obfuscated(uid, "phone:" + uid)
    assert uid in {u.id for u in admin(env).list_users(per_page=1000)}
    assert len(profile_rows(env, uid)) == 1  # the row stays, so nothing cascades


def test_a_soft_deleted_user_cannot_go_on_or_sign_in_again(proc, env, host):
    uid = host.client.auth.get_session().user.id
    admin(env).delete_user(uid, should_soft_delete=True)

    assert api_error(host.client.auth.get_user) == (
        403, "session_not_found", "Session from session_id claim in JWT does not exist")
    assert api_error(host.client.auth.refresh_session)[:2] == (400, "refresh_token_not_found")
    # The number is free again: a code to it signs up someone new.
    again = Auth(proc).sign_in(HOST)
    assert again.user.id != uid and again.user.phone == HOST.lstrip("+")


def test_a_second_soft_delete_changes_nothing_and_a_hard_delete_still_removes(env, host):
    uid = host.client.auth.get_session().user.id
    admin(env).delete_user(uid, should_soft_delete=True)
    first = admin(env).get_user_by_id(uid).user
    admin(env).delete_user(uid, should_soft_delete=True)
    assert admin(env).get_user_by_id(uid).user == first

    admin(env).delete_user(uid)
    with pytest.raises(AuthApiError) as caught:
        admin(env).get_user_by_id(uid)
    assert (caught.value.status, caught.value.code) == (404, "user_not_found")
    assert profile_rows(env, uid) == []


def test_a_flag_that_is_not_a_boolean_is_refused_as_go_refuses_it(env):
    uid = admin(env).list_users(per_page=1000)[0].id
    key = env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.request("DELETE", f"{env['SUPABASE_URL']}/auth/v1/admin/users/{uid}", json={"should_soft_delete": "yes"},
                      headers={"apikey": key, "Authorization": f"Bearer {key}"})
    assert r.status_code == 400
    assert r.json() == {"code": 400, "error_code": "bad_json",
                        "msg": "Could not parse request body as JSON: json: cannot unmarshal string into Go struct "
                               "field adminUserDeleteParams.should_soft_delete of type bool"}
    assert admin(env).get_user_by_id(uid).user.deleted_at is None

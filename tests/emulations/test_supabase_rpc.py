"""PostgREST's /rpc/<name> and upserts, through the official supabase client's `.rpc(...)` and
`.upsert(...)`, as the launched Kulti's API routes call them (app/api/presence/update,
app/api/auth/complete-phone-signup), on the kulti-2025-11 shape whose functions they are."""

from __future__ import annotations

import httpx
import pytest
from postgrest.exceptions import APIError

from fixtures.sandbox_process import SandboxProcess
from tests.emulations.supabase_auth_client import HOST, Auth


@pytest.fixture(scope="module")
def kulti():
    proc = SandboxProcess(args=("--shape", "kulti-2025-11", "--otp-cooldown", "0")).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def host(kulti) -> Auth:
    auth = Auth(kulti)
    auth.sign_in(HOST)
    return auth


def uid(auth: Auth) -> str:
    return auth.client.auth.get_session().user.id


def service(kulti, method: str, path: str, **kw) -> httpx.Response:
    key = kulti.env["SUPABASE_SERVICE_ROLE_KEY"]
    return httpx.request(method, f"{kulti.env['SUPABASE_URL']}/rest/v1/{path}",
                         headers={"apikey": key, "Authorization": f"Bearer {key}"}, **kw)


def test_a_void_function_answers_204_and_writes_the_callers_row(kulti, host):
    me = uid(host)
    r = host.client.rpc("update_user_presence", {"p_user_id": me, "p_is_online": True, "p_session_id": None}).execute()
    assert not r.data  # 204 No Content; postgrest-py reads the empty body as []
    row = service(kulti, "GET", "user_presence", params={"user_id": f"eq.{me}"}).json()[0]
    assert row["is_online"] is True and row["available_for_matching"] is True

    host.client.rpc("update_user_presence", {"p_user_id": me, "p_is_online": False}).execute()  # p_session_id defaults
    row = service(kulti, "GET", "user_presence", params={"user_id": f"eq.{me}"}).json()[0]
    assert row["is_online"] is False and row["available_for_matching"] is False
    counted = (host.client.table("user_presence").select("*", count="exact", head=True)
               .eq("is_online", False).execute())
    assert counted.count == 1


def test_an_invoker_function_obeys_rls(kulti, host):
    guest = service(kulti, "GET", "profiles", params={"username": "eq.smoke_guest", "select": "id"}).json()[0]["id"]
    with pytest.raises(APIError) as caught:
        host.client.rpc("update_user_presence", {"p_user_id": guest, "p_is_online": True}).execute()
    assert caught.value.code == "42501"


def test_unknown_function_or_arguments_is_pgrst202(kulti, host):
    for name, args in (("no_such_function", {}), ("update_user_presence", {"p_user_id": uid(host)})):
        with pytest.raises(APIError) as caught:
            host.client.rpc(name, args).execute()
        assert caught.value.code == "PGRST202"
    r = httpx.post(f"{kulti.env['SUPABASE_URL']}/rest/v1/rpc/update_user_presence",
                   headers={"apikey": kulti.env["SUPABASE_ANON_KEY"]}, json={"p_user_id": "x", "p_is_online": True})
    assert r.status_code == 400 and r.json()["code"] == "22P02"


def test_a_writing_function_refuses_get(kulti, host):
    r = httpx.get(f"{kulti.env['SUPABASE_URL']}/rest/v1/rpc/update_user_presence",
                  params={"p_user_id": uid(host), "p_is_online": "true"}, headers={"apikey": kulti.env["SUPABASE_ANON_KEY"]})
    assert r.status_code == 405 and r.json()["code"] == "25006"


def test_use_invite_code_records_the_use_and_credits_the_creator(kulti, host):
    guest = Auth(kulti)
    guest.sign_in("+15555550101")
    code = kulti.env["SMOKE_INVITE_CODE"]
    creator = service(kulti, "GET", "profiles", params={"username": "eq.smoke_host"}).json()[0]
    result = guest.client.rpc("use_invite_code", {"p_code": code, "p_user_id": uid(guest),
                                                  "p_metadata": {"signup_method": "phone"}}).execute().data
    assert result["success"] is True and result["use_id"]
    again = guest.client.rpc("use_invite_code", {"p_code": code, "p_user_id": uid(guest)}).execute().data
    assert again == {"success": False, "error": "You have already used this invite code"}
    assert guest.client.rpc("use_invite_code", {"p_code": "NOPE", "p_user_id": uid(guest)}).execute().data == \
        {"success": False, "error": "Invalid invite code"}
    after = service(kulti, "GET", "profiles", params={"username": "eq.smoke_host"}).json()[0]
    assert after["credits_balance"] == creator["credits_balance"] + 50
    assert after["total_credits_earned"] == creator["total_credits_earned"] + 50
    # The creator sees the referral bonus in their own transactions; the guest sees none of them.
    assert [t["type"] for t in host.client.table("credit_transactions").select("*").execute().data] == ["referral_bonus"]
    assert guest.client.table("credit_transactions").select("*").execute().data == []


def test_upsert_inserts_then_merges_under_the_own_row_policy(kulti, host):
    me, table = uid(host), host.client.table("profiles")
    r = table.upsert({"id": me, "username": "smoke_host", "display_name": "Host Renamed", "is_approved": True},
                     on_conflict="id").execute()
    assert r.data[0]["display_name"] == "Host Renamed" and r.data[0]["bio"]  # merged: other columns kept
    other = service(kulti, "GET", "profiles", params={"username": "eq.maya_builds", "select": "id"}).json()[0]["id"]
    with pytest.raises(APIError) as caught:
        table.upsert({"id": other, "username": "maya_builds", "display_name": "Hijacked"}, on_conflict="id").execute()
    assert caught.value.code == "42501"


def test_notifications_are_the_users_own(kulti, host):
    me = uid(host)
    service(kulti, "POST", "notifications", json={"user_id": me, "type": "badge_earned", "title": "t",
                                                  "message": "m"}).raise_for_status()
    rows = (host.client.table("notifications").select("*").eq("user_id", me).order("read")
            .order("created_at", desc=True).range(0, 49).execute().data)
    assert len(rows) == 1 and rows[0]["read"] is False and rows[0]["metadata"] == {}
    guest = Auth(kulti)
    guest.sign_in("+15555550101")
    assert guest.client.table("notifications").select("*").execute().data == []

"""What supabase-py sends PostgREST for lists and quoted names: a bulk insert always carries
`columns="a","b"` (postgrest-py base_request_builder.pre_insert), keys a row lacks are NULL or, with
`default_to_null=False` (Prefer: missing=default), the column's default; quoted column names are the
bare columns in select, order, filters, `columns` and `on_conflict`."""

from __future__ import annotations

import httpx
import pytest
from postgrest.exceptions import APIError
from supabase import create_client

from fixtures.sandbox_process import SandboxProcess

SEEDED = ("smoke_host", "smoke_guest", "maya_builds")


@pytest.fixture(scope="module")
def sandbox_env():
    proc = SandboxProcess().start()
    yield proc.env
    proc.stop()


@pytest.fixture(scope="module")
def client(sandbox_env):
    return create_client(sandbox_env["SUPABASE_URL"], sandbox_env["SUPABASE_SERVICE_ROLE_KEY"])


@pytest.fixture(scope="module")
def host_id(client) -> str:
    return client.table("profiles").select("id").eq("username", "smoke_host").execute().data[0]["id"]


def rest(env, method: str, path: str, **kw) -> httpx.Response:
    key = env["SUPABASE_SERVICE_ROLE_KEY"]
    headers = {"apikey": key, "Authorization": f"Bearer {key}", **kw.pop("headers", {})}
    return httpx.request(method, f"{env['SUPABASE_URL']}/rest/v1/{path}", headers=headers, **kw)


def session_row(host_id: str, room: str, **extra) -> dict:
    return {"title": f"Bulk {room}", "category": "Testing", "host_id": host_id, "hms_room_id": room * 24, **extra}


def test_a_bulk_insert_stores_every_row(client, host_id):
    r = client.table("sessions").insert([session_row(host_id, "a"), session_row(host_id, "b")]).execute()
    assert sorted(row["hms_room_id"] for row in r.data) == ["a" * 24, "b" * 24]
    assert all(row["status"] == "waiting" and row["tags"] == [] for row in r.data)  # in no row: defaults


def test_a_key_some_rows_lack_is_null_for_them(client, host_id):
    rows = [session_row(host_id, "c", scheduled_at="2030-01-01T09:00:00+00:00"), session_row(host_id, "d")]
    r = client.table("sessions").insert(rows).execute()
    scheduled = {row["hms_room_id"][0]: row["scheduled_at"] for row in r.data}
    assert scheduled == {"c": "2030-01-01T09:00:00+00:00", "d": None}


def test_null_for_a_not_null_column_is_refused_and_nothing_is_stored(client, host_id):
    rows = [session_row(host_id, "e", description="has one"), session_row(host_id, "f")]
    with pytest.raises(APIError) as caught:
        client.table("sessions").insert(rows).execute()
    assert caught.value.code == "23502"
    assert caught.value.message == ('null value in column "description" of relation "sessions" '
                                    "violates not-null constraint")
    assert client.table("sessions").select("id").in_("hms_room_id", ["e" * 24, "f" * 24]).execute().data == []


def test_default_to_null_false_gives_the_missing_keys_their_defaults(client, host_id):
    rows = [session_row(host_id, "g", description="has one"), session_row(host_id, "h")]
    r = client.table("sessions").insert(rows, default_to_null=False).execute()
    assert {row["hms_room_id"][0]: row["description"] for row in r.data} == {"g": "has one", "h": ""}


def test_a_bulk_upsert_merges_on_the_named_unique_column(client, host_id):
    client.table("sessions").insert([session_row(host_id, "i")]).execute()
    rows = [session_row(host_id, "i", title="Renamed"), session_row(host_id, "j")]
    r = client.table("sessions").upsert(rows, on_conflict="hms_room_id").execute()
    assert sorted((row["hms_room_id"][0], row["title"]) for row in r.data) == [("i", "Renamed"), ("j", "Bulk j")]


def test_columns_limits_what_is_written_and_ignores_other_keys(sandbox_env, host_id):
    body = [session_row(host_id, "k", description="not listed", nope="not a column")]
    r = rest(sandbox_env, "POST", 'sessions?columns="title", "category","host_id","hms_room_id"&select=description',
             json=body, headers={"Prefer": "return=representation"})
    assert r.status_code == 201, r.text
    assert r.json() == [{"description": ""}]
    r = rest(sandbox_env, "POST", 'sessions?columns="title","nope"', json=body)
    assert r.status_code == 400 and r.json()["code"] == "PGRST204"
    assert r.json()["message"] == "Could not find the 'nope' column of 'sessions' in the schema cache"


def test_rows_with_different_keys_and_no_columns_are_refused(sandbox_env, host_id):
    r = rest(sandbox_env, "POST", "sessions", json=[session_row(host_id, "l"), {"title": "x"}])
    assert r.status_code == 400
    assert r.json() == {"code": "PGRST102", "details": None, "hint": None, "message": "All object keys must match"}


def test_quoted_names_in_select_and_order(client):
    r = (client.table("profiles").select('"username"', 'name:"display_name"').in_("username", list(SEEDED))
         .order('"username"', desc=True).execute())
    assert [row["username"] for row in r.data] == sorted(SEEDED, reverse=True)
    assert set(r.data[0]) == {"username", "name"}


def test_quoted_names_in_filters_and_logic_trees(client, sandbox_env):
    r = rest(sandbox_env, "GET", "profiles", params={"select": "username", '"username"': "eq.smoke_host"})
    assert r.json() == [{"username": "smoke_host"}]
    r = (client.table("profiles").select("username")
         .or_('"username".eq.smoke_host,and("username".neq.smoke_host,"display_name".is.null)').execute())
    assert r.data == [{"username": "smoke_host"}]


def test_a_name_with_quotes_in_it_is_another_column(client):
    # postgrest-py quotes a filter column holding a '"' (utils.sanitize_param), escaping the quotes:
    # the column asked for is `"username"`, quotes included, which profiles does not have.
    with pytest.raises(APIError) as caught:
        client.table("profiles").select("username").eq('"username"', "smoke_host").execute()
    assert caught.value.code == "42703"
    assert caught.value.message == 'column profiles."username" does not exist'
    assert caught.value.hint == 'Perhaps you meant to reference the column "profiles.username".'

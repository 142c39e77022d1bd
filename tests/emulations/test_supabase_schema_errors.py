"""PostgREST's answers about the schema itself: a column Postgres does not know (42703, with the
hint Postgres gives when a column is close), and the schema profile headers (`Accept-Profile`,
`Content-Profile`: 406 PGRST106 for a schema the project does not expose), through the official
client where it can send them (postgrest-py `schema()`). Reads only, on the shared sandbox."""

from __future__ import annotations

import httpx
import pytest
from postgrest.exceptions import APIError
from supabase import create_client

EXPOSED_HINT = "Only the following schemas are exposed: public, graphql_public"


@pytest.fixture
def client(sandbox):
    return create_client(sandbox.env["SUPABASE_URL"], sandbox.env["SUPABASE_SERVICE_ROLE_KEY"])


def rest(sandbox, method: str, path: str, **kw) -> httpx.Response:
    key = sandbox.env["SUPABASE_SERVICE_ROLE_KEY"]
    headers = {"apikey": key, "Authorization": f"Bearer {key}", **kw.pop("headers", {})}
    return httpx.request(method, f"{sandbox.env['SUPABASE_URL']}/rest/v1/{path}", headers=headers, **kw)


def api_error(query) -> APIError:
    with pytest.raises(APIError) as caught:
        query.execute()
    return caught.value


# --- 42703 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["select=usernam", "usernam=eq.x", "order=usernam"])
def test_a_misspelt_column_gets_postgres_hint(sandbox, query):
    r = rest(sandbox, "GET", f"profiles?{query}")
    assert r.status_code == 400
    assert r.json() == {"code": "42703", "details": None,
                        "hint": 'Perhaps you meant to reference the column "profiles.username".',
                        "message": "column profiles.usernam does not exist"}


def test_two_equally_close_columns_are_both_named(client):
    error = api_error(client.table("profiles").select("bid"))
    assert error.hint == 'Perhaps you meant to reference the column "profiles.id" or the column "profiles.bio".'


def test_no_close_column_no_hint(client):
    error = api_error(client.table("profiles").select("phone"))
    assert (error.code, error.message, error.hint) == ("42703", "column profiles.phone does not exist", None)


# --- schema profiles -------------------------------------------------------------------------------

def test_a_schema_not_exposed_is_refused_for_reads_writes_and_functions(client):
    private = client.schema("private")
    for query in (private.table("profiles").select("*"), private.table("profiles").insert({"bio": "x"}),
                  private.rpc("anything", {})):
        error = api_error(query)
        assert (error.code, error.message, error.hint) == ("PGRST106", "Invalid schema: private", EXPOSED_HINT)


def test_the_refusal_is_406_before_the_query_string_is_read(sandbox):
    r = rest(sandbox, "GET", "profiles?username=bogus", headers={"Accept-Profile": "private"})
    assert r.status_code == 406
    assert r.json() == {"code": "PGRST106", "details": None, "hint": EXPOSED_HINT, "message": "Invalid schema: private"}


def test_reads_take_accept_profile_and_writes_content_profile(sandbox):
    # A write's Accept-Profile names no schema, so the refusal is the body's (no write happens).
    r = rest(sandbox, "POST", "profiles", content=b"{", headers={"Accept-Profile": "private"})
    assert r.status_code == 400 and r.json()["code"] == "PGRST102"
    r = rest(sandbox, "GET", "profiles?select=username&limit=1", headers={"Content-Profile": "private"})
    assert r.status_code == 200


def test_graphql_public_is_exposed_but_has_no_tables(client):
    error = api_error(client.schema("graphql_public").table("profiles").select("*"))
    assert (error.code, error.message, error.hint) == (
        "PGRST205", "Could not find the table 'graphql_public.profiles' in the schema cache", None)


def test_answers_name_their_schema(sandbox, client):
    r = rest(sandbox, "GET", "profiles?select=username&limit=1", headers={"Accept-Profile": "public"})
    assert r.status_code == 200 and r.headers["content-profile"] == "public"
    assert client.schema("public").table("profiles").select("username").limit(1).execute().data

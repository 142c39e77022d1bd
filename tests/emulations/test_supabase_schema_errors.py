"""PostgREST's answers about the schema itself: a column Postgres does not know (42703, with the
hint Postgres gives when a column is close). Reads only, on the shared sandbox."""

from __future__ import annotations

import httpx
import pytest
from postgrest.exceptions import APIError
from supabase import create_client

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


"""The Supabase emulation over HTTP: the gateway's key check, GoTrue's admin user API and
PostgREST over the public tables, answered field for field as the real services answer.

Reads use the shared `sandbox` and only assert about the seeded rows (other tests may add
more); anything that writes starts its own sandbox.
"""

from __future__ import annotations

import re

import httpx
import pytest

SEED_PHONES = {"15555550100", "15555550101", "15555550142"}
SEED_USERNAMES = ("smoke_host", "smoke_guest", "maya_builds")
SEEDED = "username=in.(smoke_host,smoke_guest,maya_builds)"
GO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
PG_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$")
PROFILE_COLUMNS = {"id", "username", "display_name", "bio", "avatar_url", "social_links", "hours_streamed",
                   "created_at", "updated_at"}
USER_FIELDS = {"id", "aud", "role", "email", "phone", "phone_confirmed_at", "confirmed_at", "app_metadata",
               "user_metadata", "identities", "created_at", "updated_at", "is_anonymous"}


class Supabase:
    """What a suite holds: the URL and the two keys from the sandbox's env file."""

    def __init__(self, env: dict[str, str]):
        self.url = env["SUPABASE_URL"]
        self.keys = {"service": env["SUPABASE_SERVICE_ROLE_KEY"], "anon": env["SUPABASE_ANON_KEY"]}

    def headers(self, key: str | None = "service", **extra: str) -> dict[str, str]:
        headers = {"apikey": self.keys[key], "Authorization": f"Bearer {self.keys[key]}"} if key else {}
        return {**headers, **{k.replace("_", "-"): v for k, v in extra.items()}}

    def rest(self, method: str, path: str, key: str | None = "service", json=None, **extra: str) -> httpx.Response:
        return httpx.request(method, f"{self.url}/rest/v1/{path}", headers=self.headers(key, **extra), json=json)

    def admin(self, method: str, path: str = "", key: str | None = "service", **extra: str) -> httpx.Response:
        return httpx.request(method, f"{self.url}/auth/v1/admin/users{path}", headers=self.headers(key, **extra))

    def usernames(self, query: str, key: str = "service", **extra: str) -> list[str]:
        r = self.rest("GET", f"profiles?select=username&{query}", key, **extra)
        assert r.status_code in (200, 206), r.text
        return [row["username"] for row in r.json()]

    def profile_id(self, username: str) -> str:
        return self.rest("GET", f"profiles?select=id&username=eq.{username}").json()[0]["id"]


@pytest.fixture
def supa(sandbox) -> Supabase:
    return Supabase(sandbox.env)


@pytest.fixture
def fresh(start_sandbox) -> Supabase:
    """A sandbox of its own, for tests that change data."""
    return Supabase(start_sandbox().env)


def pg_error(r: httpx.Response, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    body = r.json()
    assert list(body) == ["code", "details", "hint", "message"]
    assert body["code"] == code
    return body


# --- the gateway ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/rest/v1/profiles", "/auth/v1/admin/users"])
def test_no_api_key_is_refused_by_the_gateway(supa, path):
    r = httpx.get(supa.url + path)
    assert r.status_code == 401
    assert r.json() == {"message": "No API key found in request",
                        "hint": "No `apikey` request header or url param was found."}


@pytest.mark.parametrize("path", ["/rest/v1/profiles", "/auth/v1/admin/users"])
def test_a_key_not_signed_by_the_project_is_invalid(supa, path):
    forged = supa.keys["service"][:-4] + ("AAAA" if not supa.keys["service"].endswith("AAAA") else "BBBB")
    for key in ("not-a-jwt", forged):
        r = httpx.get(supa.url + path, headers={"apikey": key, "Authorization": f"Bearer {key}"})
        assert r.status_code == 401
        assert r.json() == {"message": "Invalid API key",
                            "hint": "Double check your Supabase `anon` or `service_role` API key."}


def test_the_apikey_url_param_is_accepted_and_not_taken_for_a_filter(supa):
    r = httpx.get(f"{supa.url}/rest/v1/profiles?select=username&{SEEDED}&apikey={supa.keys['anon']}")
    assert r.status_code == 200
    assert sorted(row["username"] for row in r.json()) == sorted(SEED_USERNAMES)
    assert "apikey" not in r.headers["content-location"]


# --- GoTrue admin ----------------------------------------------------------------------------

def test_admin_user_list_has_gotrue_shape_and_the_seeded_users(supa):
    r = supa.admin("GET", "?page=1&per_page=50")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert list(body) == ["users", "aud"] and body["aud"] == "authenticated"
    assert int(r.headers["x-total-count"]) == len(body["users"])
    assert SEED_PHONES <= {u["phone"] for u in body["users"]}
    for user in body["users"]:
        assert set(user) >= USER_FIELDS - {"last_sign_in_at"}
        assert user["aud"] == user["role"] == "authenticated"
        assert user["email"] == "" and user["phone"].isdigit()
        assert user["identities"] is None  # lists come without identities
        assert user["is_anonymous"] is False
        assert user["app_metadata"] == {"provider": "phone", "providers": ["phone"]}
        for stamp in ("created_at", "updated_at", "phone_confirmed_at", "confirmed_at"):
            assert GO_TIME.match(user[stamp]), user[stamp]
    created = [u["created_at"] for u in body["users"]]
    assert created == sorted(created, reverse=True)  # newest first


def test_admin_user_list_pages_with_total_and_link_headers(supa):
    total = int(supa.admin("GET").headers["x-total-count"])
    seen = []
    for page in range(1, total + 1):
        r = supa.admin("GET", f"?page={page}&per_page=1")
        assert r.status_code == 200
        assert r.headers["x-total-count"] == str(total)
        assert len(r.json()["users"]) == 1
        seen.append(r.json()["users"][0]["id"])
        last = f'</admin/users?page={total}&per_page=1>; rel="last"'
        if page < total:
            assert r.headers["link"] == f'</admin/users?page={page + 1}&per_page=1>; rel="next", {last}'
        else:
            assert r.headers["link"] == last
    assert len(set(seen)) == total
    assert supa.admin("GET", f"?page={total + 1}&per_page=1").json()["users"] == []


def test_admin_bad_pagination_is_gotrue_validation_error(supa):
    r = supa.admin("GET", "?page=abc")
    assert r.status_code == 400
    assert r.json() == {"code": 400, "error_code": "validation_failed",
                        "msg": 'Bad Pagination Parameters: strconv.ParseUint: parsing "abc": invalid syntax'}


def test_admin_get_one_user_includes_the_phone_identity(supa):
    listed = supa.admin("GET").json()["users"]
    host = next(u for u in listed if u["phone"] == "15555550100")
    r = supa.admin("GET", f"/{host['id']}")
    assert r.status_code == 200
    user = r.json()
    assert {k: v for k, v in user.items() if k != "identities"} == {k: v for k, v in host.items() if k != "identities"}
    (identity,) = user["identities"]
    assert identity["provider"] == "phone"
    assert identity["id"] == identity["user_id"] == host["id"]
    assert identity["identity_data"]["sub"] == host["id"]
    assert list(identity)[:2] == ["identity_id", "id"]


def test_admin_unknown_and_malformed_user_ids(supa):
    r = supa.admin("GET", "/00000000-0000-4000-8000-000000000000")
    assert r.status_code == 404
    assert r.headers["x-sb-error-code"] == "user_not_found"
    assert r.json() == {"code": 404, "error_code": "user_not_found", "msg": "User not found"}
    r = supa.admin("DELETE", "/not-a-uuid")
    assert r.status_code == 404
    assert r.json() == {"code": 404, "error_code": "validation_failed", "msg": "user_id must be an UUID"}


def test_admin_api_refuses_the_anon_key(supa):
    r = supa.admin("GET", key="anon")
    assert r.status_code == 403
    assert r.json() == {"code": 403, "error_code": "not_admin", "msg": "User not allowed"}
    # supabase-js asks for the 2024-01-01 error format, which GoTrue echoes back.
    r = supa.admin("GET", key="anon", X_Supabase_Api_Version="2024-01-01")
    assert r.status_code == 403
    assert r.headers["x-supabase-api-version"] == "2024-01-01"
    assert r.json() == {"code": "not_admin", "message": "User not allowed"}


def test_admin_api_refuses_a_bad_bearer_token(supa):
    r = httpx.get(f"{supa.url}/auth/v1/admin/users",
                  headers={"apikey": supa.keys["service"], "Authorization": "Bearer nope"})
    assert r.status_code == 403
    assert r.json()["error_code"] == "bad_jwt"
    assert r.json()["msg"].startswith("invalid JWT: unable to parse or verify signature, ")


def test_deleting_an_auth_user_cascades_to_everything_they_own(fresh):
    maya = fresh.profile_id("maya_builds")
    guest = fresh.profile_id("smoke_guest")
    (session,) = fresh.rest("GET", "sessions?select=id&status=eq.active").json()
    session_id = session["id"]
    for table, row in (
        ("follows", {"follower_id": guest, "following_id": maya}),
        ("session_participants", {"session_id": session_id, "user_id": guest}),
        ("session_messages", {"session_id": session_id, "user_id": guest, "content": "hello"}),
        ("recordings", {"session_id": session_id, "hms_recording_id": "a" * 24, "started_by": maya,
                        "status": "recording", "started_at": "2025-01-01T00:00:00Z"}),
    ):
        assert fresh.rest("POST", table, json=row).status_code == 201, table
    total = int(fresh.admin("GET").headers["x-total-count"])

    r = fresh.admin("DELETE", f"/{maya}")
    assert r.status_code == 200 and r.json() == {}

    assert fresh.admin("GET", f"/{maya}").status_code == 404
    assert int(fresh.admin("GET").headers["x-total-count"]) == total - 1
    assert fresh.rest("GET", f"profiles?id=eq.{maya}").json() == []
    assert fresh.rest("GET", f"sessions?host_id=eq.{maya}").json() == []
    for table in ("follows", "session_participants", "session_messages", "recordings"):
        assert fresh.rest("GET", table).json() == [], table
    assert fresh.usernames("order=username") == ["smoke_guest", "smoke_host"]


# --- PostgREST reads --------------------------------------------------------------------------

def test_profiles_read_as_postgrest_renders_them(supa):
    r = supa.rest("GET", f"profiles?{SEEDED}&order=username")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert r.headers["content-range"] == "0-2/*"
    rows = r.json()
    assert [p["username"] for p in rows] == ["maya_builds", "smoke_guest", "smoke_host"]
    for p in rows:
        assert set(p) == PROFILE_COLUMNS  # and never a phone
        assert PG_TIME.match(p["created_at"]), p["created_at"]
        assert p["social_links"]["github"] == f"https://github.com/{p['username']}"
        assert p["hours_streamed"] == 0 and isinstance(p["hours_streamed"], int)
    # json_agg's own layout, jsonb's own spacing
    assert ", \n {" in r.text and '"social_links":{"github": ' in r.text


def test_select_columns_aliases_and_casts(supa):
    r = supa.rest("GET", "profiles?select=name:username,display_name,hours_streamed::text&username=eq.smoke_host")
    assert r.json() == [{"name": "smoke_host", "display_name": "Smoke Host", "hours_streamed": "0"}]


def test_array_and_jsonb_columns_come_back_as_json(supa):
    rows = supa.rest("GET", "sessions?select=title,tags&order=title").json()
    assert {"title": "Open build night", "tags": ["rust", "audio"]} in rows


@pytest.mark.parametrize("query, expected", [
    ("username=eq.smoke_host", {"smoke_host"}),
    ("username=neq.smoke_host", {"smoke_guest", "maya_builds"}),
    ("username=gt.smoke_guest", {"smoke_host"}),
    ("username=gte.smoke_guest", {"smoke_guest", "smoke_host"}),
    ("username=lt.smoke_guest", {"maya_builds"}),
    ("username=lte.smoke_guest", {"maya_builds", "smoke_guest"}),
    ("username=like.smoke_*", {"smoke_host", "smoke_guest"}),
    ("username=like.SMOKE_*", set()),  # like is case-sensitive
    ("display_name=ilike.*HOST*", {"smoke_host"}),
    ("username=in.(smoke_host,maya_builds)", {"smoke_host", "maya_builds"}),
    ("username=not.in.(smoke_host,maya_builds)", {"smoke_guest"}),
    ("bio=is.null", set()),
    ("bio=not.is.null", {"smoke_host", "smoke_guest", "maya_builds"}),
    ("username=isdistinct.smoke_host", {"smoke_guest", "maya_builds"}),
    ("username=eq(any).{smoke_host,smoke_guest}", {"smoke_host", "smoke_guest"}),
    ("or=(username.eq.smoke_host,display_name.eq.Maya Chen)", {"smoke_host", "maya_builds"}),
    ("not.or=(username.eq.smoke_host,username.eq.smoke_guest)", {"maya_builds"}),
    ('social_links=cs.{"github":"https://github.com/maya_builds"}', {"maya_builds"}),
])
def test_every_filter_operator_filters(supa, query, expected):
    assert set(supa.usernames(f"{SEEDED}&{query}")) == expected


def test_timestamp_and_array_filters_on_sessions(supa):
    def titles(query):
        return sorted(s["title"] for s in supa.rest("GET", f"sessions?select=title&{query}").json())

    assert "Synth firmware deep dive" in titles("scheduled_at=gt.2000-01-01")
    assert "Open build night" in titles("scheduled_at=is.null")
    assert "Open build night" not in titles("scheduled_at=not.is.null")
    both = {"Synth firmware deep dive", "Open build night"}
    assert both <= set(titles("tags=cs.{rust,audio}"))
    assert not both & set(titles("tags=cs.{rust,video}"))
    assert both <= set(titles("tags=ov.{video,audio}"))
    assert both <= set(titles("tags=cd.{rust,audio,video}"))
    assert not both & set(titles("tags=cd.{rust}"))


def test_ordering_and_null_placement(supa):
    assert supa.usernames(f"{SEEDED}&order=username.desc") == ["smoke_host", "smoke_guest", "maya_builds"]
    # bios: "Building a synth…" < "Reserved … (guest)." < "Reserved … (host)."
    assert supa.usernames(f"{SEEDED}&order=bio.asc,username.asc") == ["maya_builds", "smoke_guest", "smoke_host"]

    def titles(order):
        rows = supa.rest("GET", f"sessions?select=title,scheduled_at&title=in.(Open build night,Synth firmware deep dive)&order={order}").json()
        return [s["title"] for s in rows]

    # Postgres puts NULLs last ascending, first descending, unless told otherwise.
    assert titles("scheduled_at.asc") == ["Synth firmware deep dive", "Open build night"]
    assert titles("scheduled_at.desc") == ["Open build night", "Synth firmware deep dive"]
    assert titles("scheduled_at.desc.nullslast") == ["Synth firmware deep dive", "Open build night"]
    assert titles("scheduled_at.asc.nullsfirst") == ["Open build night", "Synth firmware deep dive"]


def test_limit_offset_range_and_exact_count(supa):
    r = supa.rest("GET", f"profiles?select=username&{SEEDED}&order=username&limit=1&offset=1",
                  Prefer="count=exact")
    assert r.status_code == 206
    assert r.headers["content-range"] == "1-1/3"
    assert r.headers["preference-applied"] == "count=exact"
    assert r.json() == [{"username": "smoke_guest"}]

    r = supa.rest("GET", f"profiles?select=username&{SEEDED}&order=username", Range="0-1", Range_Unit="items")
    assert r.status_code == 200 and r.headers["content-range"] == "0-1/*"
    assert [p["username"] for p in r.json()] == ["maya_builds", "smoke_guest"]

    r = supa.rest("GET", f"profiles?select=username&{SEEDED}", Prefer="count=exact")
    assert r.status_code == 200 and r.headers["content-range"] == "0-2/3"

    r = supa.rest("GET", f"profiles?select=username&{SEEDED}&username=eq.nobody", Prefer="count=exact")
    assert r.status_code == 200 and r.headers["content-range"] == "*/0" and r.json() == []

    r = supa.rest("GET", f"profiles?select=username&{SEEDED}&offset=5", Prefer="count=exact")
    body = pg_error(r, 416, "PGRST103")
    assert body["details"] == "An offset of 5 was requested, but there are only 3 rows."
    assert r.headers["content-range"] == "*/3"

    body = pg_error(supa.rest("GET", "profiles?limit=-1"), 416, "PGRST103")
    assert body["details"] == "Limit should be greater than or equal to zero."


def test_singular_object_responses(supa):
    single = "application/vnd.pgrst.object+json"
    r = supa.rest("GET", "profiles?select=username&username=eq.smoke_host", Accept=single)
    assert r.status_code == 200
    assert r.headers["content-type"] == f"{single}; charset=utf-8"
    assert r.json() == {"username": "smoke_host"}
    body = pg_error(supa.rest("GET", f"profiles?select=username&{SEEDED}", Accept=single), 406, "PGRST116")
    assert body["details"] == "The result contains 3 rows"


def test_embedding_follows_foreign_keys(supa):
    rows = supa.rest("GET", "sessions?select=title,host:profiles(username)&title=eq.Open build night").json()
    assert rows == [{"title": "Open build night", "host": {"username": "maya_builds"}}]
    r = supa.rest("GET", "profiles?select=username,follows(*)")
    assert pg_error(r, 300, "PGRST201")["hint"].startswith("Try changing 'follows' to one of the following: ")
    r = supa.rest("GET", "profiles?select=username&sessions.title=eq.x")
    assert pg_error(r, 400, "PGRST108")["message"] == "'sessions' is not an embedded resource in this request"


def test_unknown_table_and_column_errors(supa):
    body = pg_error(supa.rest("GET", "profile"), 404, "PGRST205")
    assert body == {"code": "PGRST205", "details": None, "hint": "Perhaps you meant the table 'public.profiles'",
                    "message": "Could not find the table 'public.profile' in the schema cache"}
    assert pg_error(supa.rest("GET", "auth_users"), 404, "PGRST205")["message"] == \
        "Could not find the table 'public.auth_users' in the schema cache"
    for query in ("select=phone", "phone=eq.15555550100", "order=phone"):
        body = pg_error(supa.rest("GET", f"profiles?{query}"), 400, "42703")
        assert body["message"] == "column profiles.phone does not exist"


def test_malformed_filters_are_parse_errors(supa):
    body = pg_error(supa.rest("GET", "profiles?username=smoke_host"), 400, "PGRST100")
    assert body["message"] == '"failed to parse filter (smoke_host)" (line 1, column 1)'
    assert body["details"] == 'unexpected "s" expecting "not" or operator (eq, gt, ...)'
    body = pg_error(supa.rest("GET", "profiles?username=equals.x"), 400, "PGRST100")
    assert body["message"] == '"failed to parse filter (equals.x)" (line 1, column 1)'
    body = pg_error(supa.rest("GET", "profiles?order=username.asc.nullslasttt"), 400, "PGRST100")
    assert body["message"] == '"failed to parse order (username.asc.nullslasttt)" (line 1, column 23)'


def test_values_are_checked_against_the_column_type(supa):
    body = pg_error(supa.rest("GET", "profiles?id=eq.not-a-uuid"), 400, "22P02")
    assert body["message"] == 'invalid input syntax for type uuid: "not-a-uuid"'
    body = pg_error(supa.rest("GET", "profiles?created_at=gt.yesterday-ish"), 400, "22007")
    assert body["message"] == 'invalid input syntax for type timestamp with time zone: "yesterday-ish"'
    body = pg_error(supa.rest("GET", "profiles?id=like.abc*"), 404, "42883")
    assert body["message"] == "operator does not exist: uuid ~~ unknown"


def test_functions_and_other_paths_are_postgrest_404s(supa):
    body = pg_error(supa.rest("GET", "rpc/end_session?id=1"), 404, "PGRST202")
    assert body["message"] == "Could not find the function public.end_session(id) in the schema cache"
    assert body["details"] == ("Searched for the function public.end_session with parameter id, "
                               "but no matches were found in the schema cache.")
    body = pg_error(supa.rest("GET", "profiles/extra"), 404, "PGRST125")
    assert body["message"] == "Invalid path specified in request URL"


def test_head_answers_headers_only(supa):
    r = httpx.head(f"{supa.url}/rest/v1/profiles?{SEEDED}", headers={**supa.headers(), "Prefer": "count=exact"})
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-range"] == "0-2/3"


def test_logic_trees_nest_and_accept_lists_and_quotes(supa):
    query = 'or=(username.in.(smoke_host,"maya_builds"),and(username.like.*guest,bio.ilike.*GUEST*))'
    assert set(supa.usernames(f"{SEEDED}&{query}")) == set(SEED_USERNAMES)
    query = "and=(username.neq.smoke_host,not.or(username.eq.maya_builds,username.eq.nobody))"
    assert supa.usernames(f"{SEEDED}&{query}") == ["smoke_guest"]


def test_bad_bearer_token_is_a_postgrest_jwt_error(supa):
    r = httpx.get(f"{supa.url}/rest/v1/profiles",
                  headers={"apikey": supa.keys["anon"], "Authorization": "Bearer not-a-jwt"})
    body = pg_error(r, 401, "PGRST301")
    assert body["message"] == "Expected 3 parts in JWT; got 1"
    assert r.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


def test_anon_reads_only_what_rls_allows(supa):
    assert set(supa.usernames(SEEDED, key="anon")) == set(SEED_USERNAMES)
    assert supa.rest("GET", "sessions?select=title", key="anon").json() != []
    for table in ("follows", "session_participants", "session_messages", "recordings"):
        r = supa.rest("GET", table, key="anon", Prefer="count=exact")
        assert r.status_code == 200 and r.json() == [] and r.headers["content-range"] == "*/0", table
    # Changes by anon touch nothing, and inserts are refused outright.
    r = supa.rest("DELETE", "profiles?username=eq.maya_builds", key="anon")
    assert r.status_code == 204
    assert supa.usernames("username=eq.maya_builds") == ["maya_builds"]
    body = pg_error(supa.rest("POST", "follows", key="anon", json={"follower_id": supa.profile_id("smoke_host"),
                                                                    "following_id": supa.profile_id("maya_builds")}),
                    401, "42501")
    assert body["message"] == 'new row violates row-level security policy for table "follows"'


# --- PostgREST writes -------------------------------------------------------------------------

def test_delete_needs_a_filter(supa):
    body = pg_error(supa.rest("DELETE", "session_messages"), 400, "21000")
    assert body["message"] == "DELETE requires a WHERE clause"


def test_delete_answers_204_or_the_deleted_rows(fresh):
    r = fresh.rest("DELETE", "sessions?title=eq.Open build night")
    assert r.status_code == 204 and r.content == b"" and r.headers["content-range"] == "*/*"
    r = fresh.rest("DELETE", "sessions?title=eq.Synth firmware deep dive&select=title,tags",
                   Prefer="return=representation, count=exact")
    assert r.status_code == 200
    assert r.headers["content-range"] == "*/1"
    assert r.headers["preference-applied"] == "return=representation, count=exact"
    assert r.json() == [{"title": "Synth firmware deep dive", "tags": ["rust", "audio"]}]
    assert [s["title"] for s in fresh.rest("GET", "sessions").json()] == ["Earlier smoke session"]


def test_deleting_a_profile_cascades_to_its_sessions(fresh):
    maya = fresh.profile_id("maya_builds")
    assert fresh.rest("DELETE", f"profiles?id=eq.{maya}").status_code == 204
    assert fresh.rest("GET", f"sessions?host_id=eq.{maya}").json() == []
    # The auth user stays: the foreign key points from profiles to auth_users.
    assert fresh.admin("GET", f"/{maya}").status_code == 200


def test_insert_and_update_round_trip(fresh):
    host = fresh.profile_id("smoke_host")
    row = {"title": "Smoke", "category": "Testing", "host_id": host, "hms_room_id": "b" * 24, "tags": ["smoke"]}
    r = fresh.rest("POST", "sessions", json=row)
    assert r.status_code == 201 and r.content == b"" and r.headers["content-range"] == "*/*"

    r = fresh.rest("PATCH", "sessions?title=eq.Smoke&select=title,status,tags", json={"status": "active"},
                   Prefer="return=representation")
    assert r.status_code == 200
    assert r.json() == [{"title": "Smoke", "status": "active", "tags": ["smoke"]}]
    assert r.headers["content-range"] == "0-0/*"

    body = pg_error(fresh.rest("POST", "sessions", json=row), 409, "23505")
    assert body["message"] == 'duplicate key value violates unique constraint "sessions_hms_room_id_key"'
    body = pg_error(fresh.rest("PATCH", "sessions?title=eq.Smoke", json={"nope": 1}), 400, "PGRST204")
    assert body["message"] == "Could not find the 'nope' column of 'sessions' in the schema cache"
    body = pg_error(fresh.rest("PATCH", "sessions", json={"status": "ended"}), 400, "21000")
    assert body["message"] == "UPDATE requires a WHERE clause"

"""One PostgREST request decoded: the caller's role (JWT), the query string, Prefer and
Accept, the table; plus the pieces reads and writes share.

The order of checks is PostgREST's (App.hs, ApiRequest.hs userApiRequest): JWT first, then the
schema profile (PGRST106), the query string and headers (PGRST100, PGRST103), then the schema
cache (PGRST205), then what Postgres would reject.

Schemas: a hosted project exposes `public` and `graphql_public` (the Data API's default "Exposed
schemas"; `graphql_public` holds no tables here). The schema is chosen by `Accept-Profile` for
GET and HEAD and by `Content-Profile` for POST, PATCH, PUT and DELETE (ApiRequest.hs getSchema;
docs references/api/schemas.rst), `public` when absent; postgrest-py sends both headers on every
request (base_client.py). Another schema is 406 PGRST106 (Error.hs UnacceptableSchema). With more
than one schema exposed every answer names its schema in `Content-Profile` (MultipleSchemaSpec.hs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import uuid

import jwt
from starlette.requests import Request

from kulti_sandbox.db import Database
from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations import postgrest_sql as sql
from kulti_sandbox.emulations.postgrest_parse import QueryParams, parse
from kulti_sandbox.emulations.postgrest_render import Projection, allowed_rows, embedded_tables
from kulti_sandbox.emulations.postgrest_types import Table, load_table
from kulti_sandbox.emulations.supabase_common import bearer_token, decode_jwt
from kulti_sandbox.state import sandbox_of

ROLES = ("anon", "authenticated", "service_role")
SINGULAR = "application/vnd.pgrst.object+json"
JSON_TYPES = ("application/json", "*/*", "application/*")
EXPOSED_SCHEMAS = ("public", "graphql_public")


@dataclass
class Call:
    """One request, decoded: who asks, for what, in which form."""
    request: Request
    db: Database
    role: str
    pairs: list[tuple[str, str]]
    q: QueryParams
    prefer: dict[str, str] = field(default_factory=dict)
    singular: bool = False
    table: Table | None = None
    uid: str | None = None  # auth.uid(): the token's `sub`, when it is a UUID
    schema: str = "public"

    @property
    def representation(self) -> bool:
        return self.prefer.get("return") == "representation"

    @property
    def counting(self) -> bool:
        return self.prefer.get("count") in ("exact", "planned", "estimated")

    def applied(self, *names: str) -> dict[str, str]:
        """Preference-Applied, listing the honoured preferences in PostgREST's order."""
        values = [f"{n}={self.prefer[n]}" for n in ("resolution", "missing", "return", "count")
                  if n in names and n in self.prefer]
        return {"Preference-Applied": ", ".join(values)} if values else {}

    def media_type(self) -> str:
        return (SINGULAR if self.singular else "application/json") + "; charset=utf-8"


# --- the request -------------------------------------------------------------------------------

def caller_role(request: Request) -> str:
    """PostgREST's JWT check on the Bearer token (the apikey when none is sent)."""
    return caller(request)[0]


def caller(request: Request) -> tuple[str, str | None]:
    """The caller's role and auth.uid() (the `sub` claim as a UUID, else None, as
    auth.uid() casts it), after PostgREST's JWT check."""
    token = bearer_token(request)
    if token == "":
        raise err.jwt_error("PGRST301", "Empty JWT is sent in Authorization header")
    try:
        claims = decode_jwt(request, token or "")
    except jwt.ExpiredSignatureError:
        raise err.jwt_error("PGRST303", "JWT expired")
    except jwt.InvalidSignatureError:
        raise err.jwt_error("PGRST301", "JWT cryptographic operation failed")
    except jwt.InvalidTokenError:
        parts = (token or "").count(".") + 1
        if parts != 3:
            raise err.jwt_error("PGRST301", f"Expected 3 parts in JWT; got {parts}")
        raise err.jwt_error("PGRST301", "JWT cryptographic operation failed")
    role = claims.get("role") or "anon"  # no role claim: db-anon-role
    if role not in ROLES:
        raise err.role_missing(role)  # SET ROLE fails in Postgres
    try:
        uid = str(uuid.UUID(str(claims.get("sub"))))
    except ValueError:
        uid = None
    return role, uid


PREFERENCES = {
    "return": ("representation", "minimal", "headers-only"),
    "count": ("exact", "planned", "estimated"),
    "resolution": ("merge-duplicates", "ignore-duplicates"),
    "missing": ("default", "null"),
}


def preferences(request: Request) -> dict[str, str]:
    """Prefer header values; unknown or invalid ones are ignored (handling=lenient)."""
    prefer: dict[str, str] = {}
    for header in request.headers.getlist("prefer"):
        for token in header.split(","):
            name, _, value = (part.strip() for part in token.partition("="))
            if value in PREFERENCES.get(name, ()) and name not in prefer:
                prefer[name] = value
    return prefer


def wants_singular(request: Request) -> bool:
    """Content negotiation on Accept (quality factors honoured, first best wins)."""
    offered = []
    for position, part in enumerate((request.headers.get("accept") or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and _is_number(p[2:])), 1.0)
        offered.append((-q, position, media.lower()))
    for _, _, media in sorted(offered):
        if media in JSON_TYPES:
            return False
        if media in (SINGULAR, "application/vnd.pgrst.object"):
            return True
        if media == "text/csv":
            raise err.not_implemented("text/csv responses are not emulated")
    raise err.not_acceptable([m for _, _, m in offered])


def request_schema(request: Request) -> str:
    """The schema the request's profile header names (public when none), else 406 PGRST106."""
    header = "accept-profile" if request.method in ("GET", "HEAD") else "content-profile"
    schema = request.headers.get(header)
    if schema is None:
        return EXPOSED_SCHEMAS[0]
    if schema not in EXPOSED_SCHEMAS:
        raise err.unacceptable_schema(schema, EXPOSED_SCHEMAS)
    return schema


def profile_header(schema: str) -> dict[str, str]:
    return {"Content-Profile": schema}


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def decode_call(request: Request) -> Call:
    """In PostgREST's order: JWT, the schema profile, the query string and headers, then the table."""
    role, uid = caller(request)
    schema = request_schema(request)
    # The gateway hides the apikey url param from PostgREST (hide_credentials).
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "apikey"]
    call = Call(request, sandbox_of(request).db, role, pairs, parse(pairs), preferences(request))
    call.uid, call.schema = uid, schema
    call.singular = wants_singular(request)
    name = request.path_params["table"]
    call.table = load_table(call.db, name) if schema == "public" else None
    if call.table is None:
        known = list(call.db.schema.public_tables) if schema == "public" else []
        raise err.table_not_found(name, known, schema)
    return call


def check_embedded_params(call: Call, projection: Projection) -> None:
    """Filters, orders and limits on `rel.` paths need `rel` embedded in select (PGRST108)."""
    tables = embedded_tables(projection)
    for group in (call.q.filters, call.q.logic, call.q.order, call.q.limit, call.q.offset):
        for path in group:
            if path and path not in tables:
                raise err.not_embedded(path.split(".")[-1])
    for path, table in tables.items():
        # Unknown columns are an error even when no parent row needs the embed.
        sql.where_clause(table, call.q.filters.get(path, []), call.q.logic.get(path, []))
        sql.order_clause(table, call.q.order.get(path, []))


def row_filter(call: Call) -> tuple[str, list[Any]]:
    """The request's own WHERE (without RLS): what pg-safeupdate looks at."""
    return sql.where_clause(call.table, call.q.filters.get("", []), call.q.logic.get("", []))


def with_rls(call: Call, where: str, command: str = "SELECT") -> str:
    rls = allowed_rows(call.db, call.role, call.uid, call.table.name, command)
    return f"{where} AND {rls}" if where else f"WHERE {rls}"


def json_array(rows: list[str]) -> str:
    """json_agg's layout: elements separated by ", \\n "."""
    return "[" + ", \n ".join(rows) + "]"


def content_location(call: Call) -> str:
    """Response.hs: "/table?" + the query string, sorted by key and re-encoded."""
    pairs = sorted(call.pairs, key=lambda kv: kv[0])
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    return f"/{call.table.name}" + (f"?{query}" if query else "")

"""PostgREST (Supabase's Data API) at /supabase/rest/v1/{table}, over the sandbox's SQLite.

Behaviour follows PostgREST's source (ApiRequest, QueryParams, RangeQuery, Response, Error):

* reads: `select` (columns, `alias:col`, `col::text`, foreign-key embedding `rel(cols)` /
  `alias:rel!fk(cols)`, the legacy `rel(count)`), horizontal filters, `or`/`and` trees, `order`, `limit`/`offset`,
  `Range` header, `Prefer: count=exact|planned|estimated`; the answer carries
  `Content-Range` (`0-24/*`, `0-24/300` with a count, 206 when that is part of the result,
  416 past its end) and `Content-Location`; at most 1000 rows (Supabase's default max rows);
* `Accept: application/vnd.pgrst.object+json` (supabase-js `.single()`) answers one object
  or 406 PGRST116;
* writes: POST (insert), PATCH, DELETE with `Prefer: return=representation|minimal`;
  DELETE and PATCH need a filter, because Supabase projects run pg-safeupdate for API
  requests (400, code 21000, "DELETE requires a WHERE clause");
* row-level security as in postgrest_render: the anon key (or a user token, role
  `authenticated`) reads the shape's public_read tables; a user token may also read and
  change what the shape's `policies` give it (own rows, `column = auth.uid()`);
  service_role sees and changes everything;
* upserts: POST with `Prefer: resolution=merge-duplicates|ignore-duplicates` and
  `on_conflict` (the primary key by default); the merge obeys the UPDATE policy;
* the gateway hides the `apikey` url param from PostgREST (hide_credentials), so it is
  neither a filter nor part of Content-Location;
* column names may be double-quoted in select, order, filters, `columns` and `on_conflict`
  (postgrest_names); `Accept-Profile` / `Content-Profile` pick one of the exposed schemas
  (postgrest_call: 406 PGRST106 for any other).

* /rpc/<name>: the shape's database functions (postgrest_rpc; PGRST202 for any other);
  any other path is 404 PGRST125.

Not emulated, answered with PGRST127 "Feature not implemented": JSON paths (->, ->>),
regex and full-text operators, spreads, !inner, CSV output, limited mutations.
"""

from __future__ import annotations


from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations import postgrest_sql as sql
from kulti_sandbox.emulations import postgrest_rpc, postgrest_write
from kulti_sandbox.emulations.postgrest_call import (
    Call, check_embedded_params, content_location, decode_call, json_array, profile_header, row_filter, with_rls,
)
from kulti_sandbox.emulations.postgrest_errors import PostgrestError
from kulti_sandbox.emulations.postgrest_faults import (
    delay_dashboard_read, delay_profile_save, profile_rls_off, spoil_dashboard_read, unsaved_profile_edit,
)
from kulti_sandbox.emulations.postgrest_render import plan, render_rows
from kulti_sandbox.emulations.supabase_common import behind_gateway


# --- GET / HEAD ----------------------------------------------------------------------------------

def read(call: Call) -> Response:
    request = call.request
    top = sql.top_level_range(sql.header_range(request.headers.get("range")),
                              call.q.limit.get(""), call.q.offset.get(""), sql.DB_MAX_ROWS)
    projection = plan(call.db, call.table, call.q.select)
    check_embedded_params(call, projection)
    where, params = row_filter(call)
    where = with_rls(call, where)
    order = sql.order_clause(call.table, call.q.order.get("", []))
    total = None
    if call.counting:
        total = call.db.query_one(f"SELECT COUNT(*) AS n FROM {sql.quote(call.table.name)} {where}", params)["n"]
    window, window_params = sql.limit_offset_sql(top)
    rows = [] if top == (0, -1) else call.db.query(
        f"SELECT * FROM {sql.quote(call.table.name)} {where} {order} {window}", params + window_params)
    status = sql.range_status(top[0], len(rows), total)
    headers = {"Content-Range": sql.content_range(top[0], len(rows), total),
               "Content-Location": content_location(call), **call.applied("count")}
    if status == 416:
        return err.invalid_range(f"An offset of {top[0]} was requested, but there are only {total} rows.") \
            .response(headers)
    rendered = spoil_dashboard_read(call, render_rows(call.db, projection, rows, call.q, call.role, call.uid))
    if call.singular and len(rendered) != 1:
        raise err.singular(len(rendered))
    body = rendered[0] if call.singular else json_array(rendered)
    if request.method == "HEAD":
        body = ""
    return Response(body.encode(), status, headers={**headers, **profile_header(call.schema)},
                    media_type=call.media_type())


async def endpoint(request: Request) -> Response:
    try:
        call = decode_call(request)
        if request.method in ("GET", "HEAD"):
            await delay_dashboard_read(call)
            return read(call)
        await delay_profile_save(call)
        if (unsaved := unsaved_profile_edit(call)) is not None:
            return unsaved
        return await postgrest_write.write(profile_rls_off(call))
    except PostgrestError as e:
        return e.response()


async def unknown_path(request: Request) -> Response:
    return err.PostgrestError(404, "PGRST125", "Invalid path specified in request URL").response()


routes = [
    Route("/rpc/{function}", behind_gateway(postgrest_rpc.rpc), methods=["GET", "HEAD", "POST"]),
    Route("/{table}", behind_gateway(endpoint), methods=["GET", "HEAD", "POST", "PATCH", "DELETE"]),
    Route("/{path:path}", behind_gateway(unknown_path),
          methods=["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"]),
]

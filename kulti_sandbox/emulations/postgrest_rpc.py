"""PostgREST's /rpc/<name>: the database functions a shape declares, written in Python.

Behaviour follows PostgREST's documentation (references/api/functions.rst) and what
postgrest-js' own tests expect of a live server:

* POST with a JSON object: each key is an argument, matched by name; GET (and HEAD) take the
  arguments from the query string. The function is found by its name and the set of keys:
  every key must be a parameter and every parameter without a default must be given, else
  404 PGRST202 "Could not find the function public.<name>(<keys>) in the schema cache";
* arguments are coerced to the parameters' types as Postgres would (a bad uuid is 400 22P02);
* the schema is picked as for tables (postgrest_call.request_schema): the shape's functions are
  in `public`; `graphql_public`'s `graphql` function is not emulated (PGRST202);
* GET runs in a read-only transaction: a function that writes answers 405, 25006 "cannot
  execute <command> in a read-only transaction";
* a function returning void answers 204 No Content; any other 200 with the JSON value
  (`application/json; charset=utf-8`);
* SECURITY INVOKER functions run as the caller: their writes obey RLS (`RpcCall.check_write`);
  SECURITY DEFINER ones see and change everything. Errors they raise are Postgres errors and
  get PostgREST's statuses (23505 → 409, 42501 → 401 for anon and 403 otherwise, P0001 → 400).

Not emulated: the single unnamed json/jsonb parameter (`Prefer: params=single-object`),
functions returning sets (and filtering or embedding on their result), variadic parameters,
overloading on types.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import Response

from kulti_sandbox.db import Database
from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations import realtime_channels
from kulti_sandbox.emulations.postgrest_call import caller, profile_header, request_schema
from kulti_sandbox.emulations.postgrest_errors import PostgrestError
from kulti_sandbox.emulations.postgrest_render import bypasses_rls, may_write_row
from kulti_sandbox.emulations.postgrest_types import from_json, from_text
from kulti_sandbox.state import Sandbox, sandbox_of

REQUIRED = object()
VOID = "void"


@dataclass(frozen=True)
class Param:
    name: str
    pg_type: str
    default: Any = REQUIRED


@dataclass(frozen=True)
class Function:
    """One function of the exposed schema; `body(call, args)` returns its result (None for void)."""
    name: str
    params: tuple[Param, ...]
    returns: str
    body: Callable[["RpcCall", dict[str, Any]], Any]
    writes: str | None = "INSERT"       # the first command it runs that a read-only transaction refuses
    security_definer: bool = False

    def accepts(self, keys: set[str]) -> bool:
        names = {p.name for p in self.params}
        required = {p.name for p in self.params if p.default is REQUIRED}
        return keys <= names and required <= keys


@dataclass
class RpcCall:
    """What a function body sees: the database, who runs it, and Realtime to tell of changes."""
    sandbox: Sandbox
    role: str
    uid: str | None
    definer: bool = False
    changes: list[tuple[str, str, list[dict[str, Any]]]] = field(default_factory=list)

    @property
    def db(self) -> Database:
        return self.sandbox.db

    def check_write(self, table: str, row: dict[str, Any], command: str = "INSERT") -> None:
        """RLS's WITH CHECK for an invoker's write (definer functions bypass it)."""
        if self.definer or bypasses_rls(self.role):
            return
        if not may_write_row(self.db, self.role, self.uid, table, row, command):
            raise err.rls_violation(table, self.role != "anon")

    def changed(self, table: str, event: str, rows: list[dict[str, Any]]) -> None:
        """Remember a change for Realtime, sent once the function has returned."""
        self.changes.append((table, event, rows))


def _arguments(function: Function, given: dict[str, Any], from_query: bool) -> dict[str, Any]:
    args = {}
    for param in function.params:
        if param.name in given:
            value = given[param.name]
            args[param.name] = _from_query(param, value) if from_query else _coerce(param, value)
        else:
            args[param.name] = None if param.default is REQUIRED else param.default
    return args


def _from_query(param: Param, value: str) -> Any:
    coerced = from_text(param.pg_type, value)
    return json.loads(coerced) if param.pg_type == "jsonb" else coerced


def _coerce(param: Param, value: Any) -> Any:
    if param.pg_type == "jsonb":
        return value  # a jsonb argument arrives as the JSON value itself
    return from_json(param.pg_type, value)


async def _given(request: Request) -> tuple[dict[str, Any], bool]:
    """The arguments as sent, and whether they came from the query string."""
    if request.method == "POST":
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise err.invalid_body()
        if not isinstance(body, dict):
            raise err.not_implemented("a JSON array body for /rpc (bulk calls) is not emulated")
        return body, False
    return {k: v for k, v in request.query_params.multi_items() if k != "apikey"}, True


def _respond(function: Function, result: Any, schema: str) -> Response:
    if function.returns == VOID:
        return Response(status_code=204, headers=profile_header(schema))
    body = json.dumps(result, ensure_ascii=False, separators=(", ", ": "))
    return Response(body.encode(), 200, headers=profile_header(schema), media_type="application/json; charset=utf-8")


async def rpc(request: Request) -> Response:
    try:
        role, uid = caller(request)
        schema = request_schema(request)
        sandbox = sandbox_of(request)
        name = request.path_params["function"]
        given, from_query = await _given(request)
        function = sandbox.db.schema.functions.get(name) if schema == "public" else None
        if function is None or not function.accepts(set(given)):
            raise err.no_function(name, sorted(given), schema)
        if request.method != "POST" and function.writes:
            raise PostgrestError(405, "25006", f"cannot execute {function.writes} in a read-only transaction")
        call = RpcCall(sandbox, role, uid, definer=function.security_definer)
        result = function.body(call, _arguments(function, given, from_query))
        for table, event, rows in call.changes:
            realtime_channels.publish(sandbox, table, event, rows)
        if request.method == "HEAD":
            return Response(status_code=200 if function.returns != VOID else 204, headers=profile_header(schema))
        return _respond(function, result, schema)
    except PostgrestError as e:
        return e.response()

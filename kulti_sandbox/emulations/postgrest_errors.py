"""PostgREST's error answers: `{"code","details","hint","message"}` (keys in that order, as
aeson writes them), `Content-Type: application/json; charset=utf-8` and a
`Proxy-Status: PostgREST; error=<code>` header.

Codes, statuses and texts follow PostgREST's src/library/PostgREST/Error.hs; errors that
Postgres itself raises (42703, 22P02, 23505, ...) carry Postgres' SQLSTATE and wording,
with the status PostgREST maps them to (mapSQLtoHTTP).
"""

from __future__ import annotations

import difflib
import json
from typing import Any

from starlette.responses import Response

from kulti_sandbox.emulations.supabase_common import GATEWAY_JSON


class PostgrestError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None, hint: Any = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.hint, self.headers = details, hint, headers or {}

    def body(self) -> str:
        body = {"code": self.code, "details": self.details, "hint": self.hint, "message": self.message}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))

    def response(self, extra_headers: dict[str, str] | None = None) -> Response:
        headers = {"Proxy-Status": f"PostgREST; error={self.code}", **(extra_headers or {}), **self.headers}
        return Response(self.body().encode(), self.status, headers=headers, media_type=GATEWAY_JSON)


# --- PostgREST's own (PGRSTxxx) ------------------------------------------------------------

def parse_error(what: str, text: str, column: int, details: str) -> PostgrestError:
    """PGRST100: Parsec's message, e.g. '"failed to parse filter (0)" (line 1, column 1)'."""
    return PostgrestError(400, "PGRST100", f'"failed to parse {what} ({text})" (line 1, column {column})', details)


def unexpected(text: str, pos: int, expecting: str, quote: str = '"') -> str:
    """Parsec's details line for the character at `pos` (0-based)."""
    if pos >= len(text):
        return f"unexpected end of input expecting {expecting}"
    return f"unexpected {quote}{text[pos]}{quote} expecting {expecting}"


def invalid_body(message: str = "Empty or invalid json") -> PostgrestError:
    return PostgrestError(400, "PGRST102", message)


def invalid_range(details: str) -> PostgrestError:
    return PostgrestError(416, "PGRST103", "Requested range not satisfiable", details)


def not_acceptable(media_types: list[str]) -> PostgrestError:
    return PostgrestError(406, "PGRST107", "None of these media types are available: " + ", ".join(media_types))


def unacceptable_schema(schema: str, exposed: tuple[str, ...]) -> PostgrestError:
    return PostgrestError(406, "PGRST106", f"Invalid schema: {schema}",
                          hint=f"Only the following schemas are exposed: {', '.join(exposed)}")


def not_embedded(resource: str) -> PostgrestError:
    return PostgrestError(400, "PGRST108", f"'{resource}' is not an embedded resource in this request",
                          hint=f"Verify that '{resource}' is included in the 'select' query parameter.")


def singular(count: int) -> PostgrestError:
    return PostgrestError(406, "PGRST116", "Cannot coerce the result to a single JSON object",
                          f"The result contains {count} rows")


def not_implemented(details: str) -> PostgrestError:
    """PGRST127 is real; the details say which part the sandbox does not emulate."""
    return PostgrestError(400, "PGRST127", "Feature not implemented", f"sandbox: {details}")


def no_relationship(parent: str, child: str, hint: str | None = None) -> PostgrestError:
    using = f"' using the hint '{hint}" if hint else ""
    return PostgrestError(400, "PGRST200",
                          f"Could not find a relationship between '{parent}' and '{child}' in the schema cache",
                          f"Searched for a foreign key relationship between '{parent}' and '{child}{using}' "
                          "in the schema 'public', but no matches were found.")


def ambiguous_relationship(parent: str, child: str, details: list[dict[str, str]], hints: list[str]) -> PostgrestError:
    return PostgrestError(300, "PGRST201",
                          f"Could not embed because more than one relationship was found for '{parent}' and '{child}'",
                          details,
                          f"Try changing '{child}' to one of the following: {', '.join(hints)}. "
                          "Find the desired relationship in the 'details' key.")


def no_function(name: str, params: list[str], schema: str = "public") -> PostgrestError:
    func = f"{schema}.{name}"
    if params:
        shown = f"({', '.join(params)})"
        searched = f" with parameter{'s' if len(params) > 1 else ''} {', '.join(params)}"
    else:
        shown = searched = " without parameters"
    return PostgrestError(404, "PGRST202", f"Could not find the function {func}{shown} in the schema cache",
                          f"Searched for the function {func}{searched}, but no matches were found in the schema cache.")


def column_not_found(table: str, column: str) -> PostgrestError:
    return PostgrestError(400, "PGRST204", f"Could not find the '{column}' column of '{table}' in the schema cache")


def table_not_found(name: str, known: list[str], schema: str = "public") -> PostgrestError:
    # PostgREST suggests the closest table of the schema by fuzzy match, or gives no hint.
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f"Perhaps you meant the table '{schema}.{close[0]}'" if close else None
    return PostgrestError(404, "PGRST205", f"Could not find the table '{schema}.{name}' in the schema cache",
                          hint=hint)


def jwt_error(code: str, message: str) -> PostgrestError:
    header = f'Bearer error="invalid_token", error_description="{message}"'
    return PostgrestError(401, code, message, headers={"WWW-Authenticate": header})


# --- raised by Postgres ----------------------------------------------------------------------

def undefined_column(table: str, column: str, columns: list[str]) -> PostgrestError:
    """Postgres' errorMissingColumn for `table.column`: a hint names the closest column(s), if any."""
    return PostgrestError(400, "42703", f"column {table}.{column} does not exist",
                          hint=_column_hint(table, column, columns))


MAX_FUZZY_DISTANCE = 3  # parse_relation.c


def _column_hint(table: str, wanted: str, columns: list[str]) -> str | None:
    """postgres src/backend/parser/parse_relation.c (updateFuzzyAttrMatchState, errorMissingColumn),
    for a query on one table: the columns at the smallest Levenshtein distance, if that is at most
    MAX_FUZZY_DISTANCE and half the wanted name's length in bytes (strlen); one or two are named,
    a third at that distance makes it too low a bar and no hint is given."""
    distance, first, second = MAX_FUZZY_DISTANCE + 1, None, None
    for column in columns:
        d = _levenshtein(column, wanted)
        if d > len(wanted.encode()) // 2:
            continue
        if d < distance:
            distance, first, second = d, column, None
        elif d == distance and second is not None:
            first = second = None
        elif d == distance and first is not None:
            second = column
    if first is None:
        return None
    if second is None:
        return f'Perhaps you meant to reference the column "{table}.{first}".'
    return f'Perhaps you meant to reference the column "{table}.{first}" or the column "{table}.{second}".'


def _levenshtein(a: str, b: str) -> int:
    """varstr_levenshtein with insertions, deletions and substitutions at cost 1, per character."""
    row = list(range(len(b) + 1))
    for i, cx in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cy in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (cx != cy))
    return row[-1]


def invalid_text(pg_type: str, value: str) -> PostgrestError:
    code = "22007" if pg_type.startswith("timestamp") else "22P02"
    return PostgrestError(400, code, f'invalid input syntax for type {pg_type}: "{value}"')


def malformed_array(value: str, details: str) -> PostgrestError:
    return PostgrestError(400, "22P02", f'malformed array literal: "{value}"', details)


def invalid_json(value: str) -> PostgrestError:
    return PostgrestError(400, "22P02", "invalid input syntax for type json", f'Token "{value}" is invalid.')


def undefined_operator(pg_type: str, operator: str) -> PostgrestError:
    # 42883 (undefined function) is one PostgREST answers with 404.
    return PostgrestError(404, "42883", f"operator does not exist: {pg_type} {operator} unknown",
                          hint="No operator matches the given name and argument types. "
                               "You might need to add explicit type casts.")


def not_boolean(test: str, pg_type: str) -> PostgrestError:
    return PostgrestError(400, "42804", f"argument of IS {test} must be type boolean, not type {pg_type}")


def undefined_type(name: str) -> PostgrestError:
    return PostgrestError(400, "42704", f'type "{name}" does not exist')


def requires_where(statement: str) -> PostgrestError:
    """pg-safeupdate, on by default for requests from the Supabase API (PostgREST maps it to 400)."""
    return PostgrestError(400, "21000", f"{statement} requires a WHERE clause")


def rls_violation(table: str, authenticated: bool) -> PostgrestError:
    return PostgrestError(403 if authenticated else 401, "42501",
                          f'new row violates row-level security policy for table "{table}"')


def role_missing(role: str) -> PostgrestError:
    return PostgrestError(401, "22023", f'role "{role}" does not exist')

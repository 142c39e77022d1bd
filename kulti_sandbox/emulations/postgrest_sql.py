"""Parsed PostgREST filters, orders and ranges → parameterized SQLite.

Column names reach SQL only after Table.type_of() found them among the table's real
columns (unknown ones are Postgres' 42703); every value travels as a bound parameter.
Comparison follows the column's Postgres type (see postgrest_types), so `like` is
case-sensitive, `ilike` is not, and NULLs sort as Postgres sorts them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations.postgrest_parse import Filter, Logic, OrderTerm
from kulti_sandbox.emulations.postgrest_types import JSONB, TEXT, TEXT_ARRAY, Table, from_text, parse_array_literal

COMPARISONS = {"eq": "=", "neq": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
RANGE_OPERATORS = {"sl": "<<", "sr": ">>", "nxr": "&<", "nxl": "&>", "adj": "-|-"}
DB_MAX_ROWS = 1000  # Supabase's default "Max rows" for the Data API

Sql = tuple[str, list[Any]]


def quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def where_clause(table: Table, filters: list[Filter], logic: list[Logic]) -> Sql:
    parts = [condition(table, f) for f in filters] + [logic_condition(table, tree) for tree in logic]
    if not parts:
        return "", []
    return "WHERE " + " AND ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


def logic_condition(table: Table, tree: Logic) -> Sql:
    parts = [logic_condition(table, i) if isinstance(i, Logic) else condition(table, i) for i in tree.items]
    joiner = " OR " if tree.op == "or" else " AND "
    sql = "(" + joiner.join(s for s, _ in parts) + ")"
    return (f"NOT {sql}" if tree.negate else sql), [p for _, params in parts for p in params]


def condition(table: Table, f: Filter) -> Sql:
    pg_type = table.type_of(f.field)
    sql, params = _operation(pg_type, quote(f.field), f)
    return (f"NOT ({sql})" if f.negate else f"({sql})"), params


def _operation(pg_type: str, col: str, f: Filter) -> Sql:
    op, value = f.op, f.value
    if f.quant:
        return _quantified(pg_type, col, f)
    if op in COMPARISONS:
        return _compare(pg_type, col, COMPARISONS[op], value)
    if op in ("like", "ilike"):
        return _like(pg_type, col, op, value)
    if op in ("match", "imatch"):
        raise err.not_implemented("regular-expression operators (match, imatch) are not emulated")
    if op == "in":
        return _in(pg_type, col, value)
    if op == "is":
        return _is(pg_type, col, value)
    if op == "isdistinct":
        return f"{col} IS NOT {_param(pg_type)}", [from_text(pg_type, value)]
    if op in ("cs", "cd", "ov"):
        return _containment(pg_type, col, op, value)
    raise err.undefined_operator(pg_type, RANGE_OPERATORS[op])


def _param(pg_type: str) -> str:
    # Arrays and jsonb are stored as JSON text: compare their canonical (minified) form.
    return "json(?)" if pg_type in (JSONB, TEXT_ARRAY) else "?"


def _column(pg_type: str, col: str) -> str:
    return f"json({col})" if pg_type in (JSONB, TEXT_ARRAY) else col


def _compare(pg_type: str, col: str, sql_op: str, value: str) -> Sql:
    return f"{_column(pg_type, col)} {sql_op} {_param(pg_type)}", [from_text(pg_type, value)]


def _quantified(pg_type: str, col: str, f: Filter) -> Sql:
    """eq(any).{a,b} / like(all).{...}: one comparison per array element."""
    items = parse_array_literal(f.value)
    parts = [_operation(pg_type, col, Filter(f.field, f.op, item)) for item in items if item is not None]
    if not parts:
        return ("0" if f.quant == "any" else "1"), []
    joiner = " OR " if f.quant == "any" else " AND "
    return joiner.join(f"({s})" for s, _ in parts), [p for _, params in parts for p in params]


def _like(pg_type: str, col: str, op: str, value: str) -> Sql:
    if pg_type != TEXT:
        raise err.undefined_operator(pg_type, "~~" if op == "like" else "~~*")
    pattern = value.replace("*", "%")  # PostgREST accepts * for % in like patterns
    if op == "like":
        return f"{col} GLOB ?", [_like_to_glob(pattern)]
    # SQLite's LIKE ignores ASCII case, as ILIKE does.
    return f"{col} LIKE ? ESCAPE '\\'", [pattern]


def _like_to_glob(pattern: str) -> str:
    """Postgres LIKE (case-sensitive, \\ escapes) as the equivalent SQLite GLOB."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            i += 1
            c = pattern[i]
            out.append(f"[{c}]" if c in "*?[" else c)
        elif c == "%":
            out.append("*")
        elif c == "_":
            out.append("?")
        else:
            out.append(f"[{c}]" if c in "*?[" else c)
        i += 1
    return "".join(out)


def _in(pg_type: str, col: str, values: list[str]) -> Sql:
    marks = ", ".join(_param(pg_type) for _ in values)
    return f"{_column(pg_type, col)} IN ({marks})", [from_text(pg_type, v) for v in values]


def _is(pg_type: str, col: str, value: str) -> Sql:
    word = value.lower()
    if word in ("null", "not_null"):
        return f"{col} IS {'NOT ' if word == 'not_null' else ''}NULL", []
    raise err.not_boolean(word.upper(), pg_type)  # no boolean columns in the sandbox tables


def _containment(pg_type: str, col: str, op: str, value: str) -> Sql:
    """@> / <@ / && on text[] (stored as JSON arrays); @> on jsonb for flat objects."""
    if pg_type == TEXT_ARRAY:
        param = from_text(pg_type, value)
        members = "SELECT value FROM json_each({})"
        if op == "cs":
            sql = f"NOT EXISTS (SELECT 1 FROM json_each(?) v WHERE v.value NOT IN ({members.format(col)}))"
        elif op == "cd":
            sql = f"NOT EXISTS (SELECT 1 FROM json_each({col}) v WHERE v.value NOT IN ({members.format('?')}))"
        else:
            sql = f"EXISTS (SELECT 1 FROM json_each({col}) v WHERE v.value IN ({members.format('?')}))"
        return f"{col} IS NOT NULL AND {sql}", [param]
    if pg_type == JSONB and op == "cs":
        return _jsonb_contains(col, value)
    symbol = {"cs": "@>", "cd": "<@", "ov": "&&"}[op]
    if pg_type == JSONB and op == "cd":
        raise err.not_implemented("jsonb <@ (cd) is not emulated")
    raise err.undefined_operator(pg_type, symbol)


def _jsonb_contains(col: str, value: str) -> Sql:
    wanted = json.loads(from_text(JSONB, value))
    if not isinstance(wanted, dict) or any(isinstance(v, (dict, list)) for v in wanted.values()):
        raise err.not_implemented("jsonb @> (cs) is emulated for flat objects only")
    parts, params = [f"json_type({col}) = 'object'"], []
    member = f"EXISTS (SELECT 1 FROM json_each({col}) e WHERE e.key = ? AND {{}})"
    for key, expected in wanted.items():
        # json_each reports true/false/null as types of their own, numbers and strings by atom.
        if expected is None or isinstance(expected, bool):
            parts.append(member.format("e.type = ?"))
            params += [key, {None: "null", True: "true", False: "false"}[expected]]
        else:
            kinds = "('text')" if isinstance(expected, str) else "('integer', 'real')"
            parts.append(member.format(f"e.type IN {kinds} AND e.atom = ?"))
            params += [key, expected]
    return " AND ".join(parts), params


def order_clause(table: Table, terms: list[OrderTerm]) -> str:
    """ORDER BY with Postgres' NULL placement: last when ascending, first when descending."""
    if not terms:
        return ""
    parts = []
    for term in terms:
        pg_type = table.type_of(term.field)
        nulls = term.nulls or ("first" if term.desc else "last")
        parts.append(f"{_column(pg_type, quote(term.field))} {'DESC' if term.desc else 'ASC'} NULLS {nulls.upper()}")
    return "ORDER BY " + ", ".join(parts)


# --- ranges -------------------------------------------------------------------------------------

Range = tuple[int, int | None]  # (lower, upper or None for unbounded), both inclusive
RANGE_HEADER = re.compile(r"^([0-9]+)-([0-9]*)$")


def _intersect(a: Range, b: Range) -> Range:
    uppers = [u for u in (a[1], b[1]) if u is not None]
    return max(a[0], b[0]), (min(uppers) if uppers else None)


def _empty(r: Range) -> bool:
    return r[1] is not None and r[1] < r[0]


def header_range(value: str | None) -> Range:
    m = RANGE_HEADER.match(value or "")
    if not m:
        return 0, None
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


def limit_range(limit: int | None, offset: int | None) -> Range:
    """QueryParams.ranges: limit and offset together make [offset, offset + limit - 1]."""
    lower = offset if offset is not None else 0
    return lower, (lower + limit - 1 if limit is not None else None)


def top_level_range(header: Range, limit: int | None, offset: int | None, max_rows: int | None) -> Range:
    """ApiRequest.getRanges plus the db-max-rows cap; raises PGRST103 for empty ranges."""
    by_params = limit_range(limit, offset)
    if by_params[1] == -1:  # limit=0 is allowed and means "no rows", whatever the header says
        return 0, -1
    top = _intersect(header, by_params)
    if _empty(top):
        raise err.invalid_range(
            "The lower boundary must be lower than or equal to the upper boundary in the Range header."
            if _empty(header) else "Limit should be greater than or equal to zero.")
    if top[0] < 0:
        raise err.PostgrestError(400, "2201X", "OFFSET must not be negative")
    if max_rows is not None:
        top = _intersect(top, (0, top[0] + max_rows - 1))
    return top


def limit_offset_sql(r: Range) -> Sql:
    """SQLite wants a LIMIT before an OFFSET; -1 is its 'no limit'."""
    limit = -1 if r[1] is None else r[1] - r[0] + 1
    return "LIMIT ? OFFSET ?", [limit, r[0]]


def content_range(lower: int, returned: int, total: int | None) -> str:
    """RangeQuery.contentRangeH: "0-24/3573458", "*/0", "0-14/*"."""
    upper = lower + returned - 1
    range_text = f"{lower}-{upper}" if total != 0 and lower <= upper else "*"
    return f"{range_text}/{'*' if total is None else total}"


def range_status(lower: int, returned: int, total: int | None) -> int:
    """RangeQuery.rangeStatusHeader: 206 for a part of a counted result, 416 past its end."""
    if total is None:
        return 200
    if lower > total:
        return 416
    return 206 if returned < total else 200

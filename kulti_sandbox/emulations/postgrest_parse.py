"""PostgREST's query-string grammar (src/library/PostgREST/ApiRequest/QueryParams.hs),
parsed into plain data; nothing here knows tables or SQL.

    select=...                (postgrest_select)
    col=[not.]op.value        op: eq neq gt gte lt lte like ilike in is isdistinct cs cd ov ...
    col=eq(any).{a,b}         quantified operators
    or=(a.eq.1,and(b.gt.2,c.is.null)), not.and=(...)
    order=col.desc.nullslast,col2   limit=10 offset=20
    rel.col=eq.x  rel.order=...  rel.limit=...   (filters on embedded resources)
    columns=a,b  on_conflict=a,b

Column names may be double-quoted anywhere (`"username"=eq.x`, `order="username".desc`): postgrest_names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations.postgrest_names import column_list, read_name, read_quoted, tree_path
from kulti_sandbox.emulations.postgrest_select import SelectItem, parse_select

SIMPLE_OPS = ("neq", "cs", "cd", "ov", "sl", "sr", "nxr", "nxl", "adj")
QUANT_OPS = ("eq", "gte", "gt", "lte", "lt", "like", "ilike", "match", "imatch")
FTS_OPS = ("fts", "plfts", "phfts", "wfts")
IS_VALUES = ("null", "not_null", "true", "false", "unknown")
OPERATOR_EXPECTED = '"not" or operator (eq, gt, ...)'
RESERVED = ("select", "columns", "on_conflict")
EMBEDDABLE = ("order", "limit", "offset", "and", "or")


@dataclass
class Filter:
    field: str
    op: str
    value: Union[str, list[str]]
    negate: bool = False
    quant: str | None = None          # "any" / "all" for eq(any).{...}


@dataclass
class Logic:
    op: str                           # "and" / "or"
    items: list[Union["Logic", Filter]]
    negate: bool = False


@dataclass
class OrderTerm:
    field: str
    desc: bool = False
    nulls: str | None = None          # "first" / "last"


@dataclass
class QueryParams:
    """Everything a request's query string asks for, grouped by embedding path ("" = top)."""
    select: list[SelectItem]
    filters: dict[str, list[Filter]] = field(default_factory=dict)
    logic: dict[str, list[Logic]] = field(default_factory=dict)
    order: dict[str, list[OrderTerm]] = field(default_factory=dict)
    limit: dict[str, int] = field(default_factory=dict)
    offset: dict[str, int] = field(default_factory=dict)
    columns: list[str] | None = None
    on_conflict: list[str] | None = None


class _Cursor:
    def __init__(self, text: str, start: int = 0):
        self.text, self.pos = text, start

    def eat(self, word: str, ignore_case: bool = False) -> bool:
        chunk = self.text[self.pos:self.pos + len(word)]
        if chunk == word or (ignore_case and chunk.lower() == word):
            self.pos += len(word)
            return True
        return False

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def rest(self) -> str:
        value, self.pos = self.text[self.pos:], len(self.text)
        return value


# --- whole query string -------------------------------------------------------------------------

def parse(pairs: list[tuple[str, str]]) -> QueryParams:
    """`pairs` as decoded from the query string (`+` already a space), in order."""
    lookup = dict(pairs)
    q = QueryParams(select=parse_select(lookup.get("select") or "*"))
    if "columns" in lookup:
        q.columns = column_list(lookup["columns"], "columns")
    if lookup.get("on_conflict"):
        q.on_conflict = column_list(lookup["on_conflict"], "on_conflict")
    for key, value in pairs:
        if key in RESERVED or value == "":
            continue
        # Which kind of parameter it is goes by the key's last dot-separated word, quotes or not
        # (QueryParams.parse: endingIn); the key itself is then read as a tree path.
        if key.split(".")[-1] in EMBEDDABLE:
            *path, last = tree_path(key)
            _parse_embeddable(q, path, last, value)
        else:
            *path, column = tree_path(key)
            q.filters.setdefault(_path(path), []).append(parse_filter(column, value))
    return q


def _path(parts: list[str]) -> str:
    return ".".join(parts)


def _parse_embeddable(q: QueryParams, path: list[str], last: str, value: str) -> None:
    if path and path[-1] == "not" and last in ("and", "or"):
        path, negate = path[:-1], True
    else:
        negate = False
    where = _path(path)
    if last == "order":
        q.order.setdefault(where, []).extend(parse_order(value))
    elif last in ("limit", "offset"):
        # PostgREST reads these with readMaybe: a non-number is ignored.
        if re.fullmatch(r"-?\d+", value.strip()):
            (q.limit if last == "limit" else q.offset)[where] = int(value)
    else:
        q.logic.setdefault(where, []).append(parse_logic(last, value, negate))


# --- filters ------------------------------------------------------------------------------------

def parse_filter(column: str, value: str) -> Filter:
    cur = _Cursor(value)
    negate, op, quant, operand = _op_expr(cur, "filter", lambda c: c.rest())
    return Filter(column, op, operand, negate, quant)


def _op_expr(cur: _Cursor, what: str, single_value):
    """[not.]operator.value — the part after `col=`, or after `col.` inside or=(...)."""
    text = cur.text
    negate = cur.eat("not.")
    start = cur.pos
    if cur.eat("in."):
        return negate, "in", None, _list_value(cur, what)
    if cur.eat("is."):
        for word in IS_VALUES:
            if cur.eat(word, ignore_case=True):
                return negate, "is", None, word
        raise err.parse_error(what, text, cur.pos + 1,
                              err.unexpected(text, cur.pos, "isVal: (null, not_null, true, false, unknown)"))
    if cur.eat("isdistinct."):
        return negate, "isdistinct", None, single_value(cur)
    fts = re.match(r"(%s)(\([^)]*\))?\." % "|".join(FTS_OPS), text[start:])
    if fts:
        raise err.not_implemented("full-text search operators (fts, plfts, phfts, wfts) are not emulated")
    for op in SIMPLE_OPS:
        if cur.eat(op + "."):
            return negate, op, None, single_value(cur)
    quant = re.match(r"(%s)(?:\((any|all)\))?\." % "|".join(QUANT_OPS), text[start:])
    if quant:
        cur.pos = start + quant.end()
        return negate, quant.group(1), quant.group(2), single_value(cur)
    raise err.parse_error(what, text, start + 1, err.unexpected(text, start, OPERATOR_EXPECTED))


def _list_value(cur: _Cursor, what: str) -> list[str]:
    """(a,"b,c",d): quoted items may hold commas and parens, backslash escapes inside quotes."""
    text = cur.text
    if not cur.eat("("):
        raise err.parse_error(what, text, cur.pos + 1, err.unexpected(text, cur.pos, '"("'))
    items = []
    while True:
        items.append(_list_item(cur))
        if cur.eat(","):
            continue
        if cur.eat(")"):
            return items
        raise err.parse_error(what, text, cur.pos + 1, err.unexpected(text, cur.pos, '"," or ")"'))


def _list_item(cur: _Cursor) -> str:
    quoted = _quoted(cur)
    if quoted is not None and cur.peek() in (",", ")"):
        return quoted
    start = cur.pos
    while cur.peek() not in ("", ",", ")"):
        cur.pos += 1
    return cur.text[start:cur.pos]


def _quoted(cur: _Cursor) -> str | None:
    """A "double quoted" value if one starts here; the cursor is left after it."""
    found = read_quoted(cur.text, cur.pos)
    if found is None:
        return None
    value, cur.pos = found
    return value


# --- logic trees --------------------------------------------------------------------------------

def parse_logic(op: str, value: str, negate: bool) -> Logic:
    text = op + value  # PostgREST parses "or(...)" and reports columns within it
    cur = _Cursor(text)
    tree = _logic_tree(cur, value)
    if not isinstance(tree, Logic):
        raise err.parse_error("logic tree", value, 1, err.unexpected(text, 0, "logic operator (and, or)"))
    tree.negate = negate
    return tree


def _logic_tree(cur: _Cursor, shown: str) -> Logic | Filter:
    text = cur.text
    logic = re.match(r"(not\.)?(and|or)\(", text[cur.pos:])
    if not logic:
        return _logic_filter(cur, shown)
    cur.pos += logic.end()
    items = [_logic_tree(cur, shown)]
    while cur.eat(","):
        items.append(_logic_tree(cur, shown))
    if not cur.eat(")"):
        raise err.parse_error("logic tree", shown, cur.pos + 1, err.unexpected(text, cur.pos, '"," or ")"'))
    return Logic(logic.group(2), items, bool(logic.group(1)))


def _logic_filter(cur: _Cursor, shown: str) -> Filter:
    text = cur.text
    name = read_name(text, cur.pos)
    if not name or not text.startswith(".", name[1]):
        at = name[1] if name else cur.pos
        expecting = "field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)"
        raise err.parse_error("logic tree", shown, at + 1, err.unexpected(text, at, expecting))
    cur.pos = name[1] + 1
    negate, op, quant, operand = _op_expr(cur, "logic tree", _logic_single_value)
    return Filter(name[0], op, operand, negate, quant)


def _logic_single_value(cur: _Cursor) -> str:
    quoted = _quoted(cur)
    if quoted is not None and cur.peek() in (",", ")", ""):
        return quoted
    if cur.peek() == "{":  # an array literal may hold commas
        end = cur.text.find("}", cur.pos)
        if end != -1:
            value, cur.pos = cur.text[cur.pos:end + 1], end + 1
            return value
    start = cur.pos
    while cur.peek() not in ("", ",", ")"):
        cur.pos += 1
    return cur.text[start:cur.pos]


# --- order --------------------------------------------------------------------------------------

def parse_order(value: str) -> list[OrderTerm]:
    terms, cur = [], _Cursor(value)
    while True:
        name = read_name(value, cur.pos)
        if not name or value.startswith(("(", "->"), name[1]):
            if "(" in value[cur.pos:] or "->" in value[cur.pos:]:
                raise err.not_implemented("ordering by related or JSON columns is not emulated")
            raise err.parse_error("order", value, cur.pos + 1,
                                  err.unexpected(value, cur.pos, "field name (* or [a..z0..9_$])", "'"))
        term, cur.pos = OrderTerm(name[0]), name[1]
        if cur.eat(".desc"):
            term.desc = True
        else:
            cur.eat(".asc")
        if cur.eat(".nullsfirst"):
            term.nulls = "first"
        elif cur.eat(".nullslast"):
            term.nulls = "last"
        terms.append(term)
        if cur.peek() == "":
            return terms
        if not cur.eat(","):
            raise err.parse_error("order", value, cur.pos + 1,
                                  err.unexpected(value, cur.pos, '"," or end of input', "'"))

"""PostgREST's `select` grammar: columns, `alias:col`, `col::cast`, embedded resources
(src/PostgREST/ApiRequest/QueryParams.hs: pFieldForest, pFieldSelect, pRelationSelect).

    select=id,name:display_name,tags::text,host:profiles!host_id(username,sessions(title))

Every name may be double-quoted (`"display_name"`, `"n":"display_name"`): postgrest_names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations.postgrest_names import FIELD_EXPECTED, read_name

CAST = re.compile(r"[A-Za-z0-9_ \[\]]+")
AGGREGATES = ("count", "sum", "avg", "max", "min")


@dataclass
class SelectItem:
    column: str | None                # None for "*"
    alias: str | None = None
    cast: str | None = None
    embed: "Embed | None" = None


@dataclass
class Embed:
    relation: str
    hint: str | None
    items: list[SelectItem]


def parse_select(value: str) -> list[SelectItem]:
    return [_select_item(part.strip(), value) for part in _split_top(value, value)]


def _split_top(text: str, whole: str) -> list[str]:
    """Split on commas outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    i = 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\":
            i += 1  # an escaped character inside quotes
        elif c == '"':
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
            if depth < 0:
                raise err.parse_error("select parameter", whole, i + 1, err.unexpected(text, i, "end of input"))
        elif not quoted and depth == 0 and c == ",":
            parts.append(text[start:i])
            start = i + 1
        i += 1
    if depth:
        raise err.parse_error("select parameter", whole, len(whole) + 1,
                              err.unexpected(whole, len(whole), '"," or ")"'))
    parts.append(text[start:])
    return parts


def _bad_item(item: str, whole: str) -> err.PostgrestError:
    at = whole.find(item) + 1
    return err.parse_error("select parameter", whole, max(at, 1), err.unexpected(item, 0, FIELD_EXPECTED))


def _select_item(item: str, whole: str) -> SelectItem:
    if item == "*":
        return SelectItem(None)
    if item.startswith(".."):
        raise err.not_implemented("spread embedding (...) is not emulated")
    alias, pos = None, 0
    named = read_name(item, 0)
    if named and item.startswith(":", named[1]) and not item.startswith("::", named[1]):
        alias, pos = named[0], named[1] + 1
    found = read_name(item, pos)
    if found is None:
        raise _bad_item(item, whole)
    name, pos = found
    if item.startswith(("(", "!"), pos):
        return _embed_item(item, name, pos, alias, whole)
    if item.startswith("->", pos):
        raise err.not_implemented("JSON path operators (->, ->>) are not emulated")
    cast = None
    if item.startswith("::", pos):
        cast = item[pos + 2:]
        if not CAST.fullmatch(cast):
            raise _bad_item(item, whole)
        pos = len(item)
    if pos != len(item):
        raise _bad_item(item, whole)
    return SelectItem(name, alias, cast.strip() if cast else None)


def _embed_item(item: str, name: str, pos: int, alias: str | None, whole: str) -> SelectItem:
    hints = []
    while item.startswith("!", pos):
        found = read_name(item, pos + 1)
        if found is None:
            raise _bad_item(item, whole)
        hints.append(found[0])
        pos = found[1]
    if not item.startswith("(", pos) or not item.endswith(")"):
        raise err.parse_error("select parameter", whole, len(whole) + 1,
                              err.unexpected(whole, len(whole), '")"'))
    inner = item[pos + 1:-1]
    if name in AGGREGATES and not inner.strip():
        raise err.PostgrestError(400, "PGRST123", "Use of aggregate functions is not allowed")
    if "inner" in hints:
        raise err.not_implemented("!inner embedding is not emulated")
    hints = [h for h in hints if h != "left"]
    embed = Embed(name, hints[0] if hints else None, parse_select(inner) if inner.strip() else [])
    return SelectItem(None, alias, None, embed)

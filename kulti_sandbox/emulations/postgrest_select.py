"""PostgREST's `select` grammar: columns, `alias:col`, `col::cast`, embedded resources.

    select=id,name:display_name,tags::text,host:profiles!host_id(username,sessions(title))
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kulti_sandbox.emulations import postgrest_errors as err

IDENT = re.compile(r"[A-Za-z0-9_$ ]+")


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
    for i, c in enumerate(text):
        if c == '"':
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
    if depth:
        raise err.parse_error("select parameter", whole, len(whole) + 1,
                              err.unexpected(whole, len(whole), '"," or ")"'))
    parts.append(text[start:])
    return parts


def _select_item(item: str, whole: str) -> SelectItem:
    if item == "*":
        return SelectItem(None)
    if item.startswith("..."):
        raise err.not_implemented("spread embedding (...) is not emulated")
    alias = None
    named = re.match(r"([A-Za-z0-9_$ ]+):(?!:)", item)
    if named:
        alias, item = named.group(1).strip(), item[named.end():].strip()
    if "(" in item:
        return _embed_item(item, alias, whole)
    if "->" in item:
        raise err.not_implemented("JSON path operators (->, ->>) are not emulated")
    column, _, cast = item.partition("::")
    if not IDENT.fullmatch(column) or (cast and not re.fullmatch(r"[A-Za-z0-9_ \[\]]+", cast)):
        at = whole.find(item) + 1
        raise err.parse_error("select parameter", whole, max(at, 1),
                              err.unexpected(item, 0, "field name (* or [a..z0..9_$])"))
    return SelectItem(column.strip(), alias, cast.strip() or None)


def _embed_item(item: str, alias: str | None, whole: str) -> SelectItem:
    head, _, inner = item.partition("(")
    if not inner.endswith(")"):
        raise err.parse_error("select parameter", whole, len(whole) + 1,
                              err.unexpected(whole, len(whole), '")"'))
    inner = inner[:-1]
    name, *hints = head.strip().split("!")
    if re.fullmatch(r"(count|sum|avg|max|min)", name.strip()) and not inner.strip():
        raise err.PostgrestError(400, "PGRST123", "Use of aggregate functions is not allowed")
    hints = [h for h in hints if h not in ("left",)]
    if "inner" in hints:
        raise err.not_implemented("!inner embedding is not emulated")
    embed = Embed(name.strip(), hints[0] if hints else None, parse_select(inner) if inner.strip() else [])
    return SelectItem(None, alias, None, embed)

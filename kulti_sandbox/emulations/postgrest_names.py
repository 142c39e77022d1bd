"""PostgREST's field names: the one grammar behind the column names of `select`, `order`, filter
keys, logic trees, `columns` and `on_conflict` (src/PostgREST/ApiRequest/QueryParams.hs: pFieldName,
pQuotedValue, pTreePath, pColumns).

    username          identifier characters (letters, digits, `_`, `$`, space), trimmed
    first-name        pieces joined by `-` (a `-` not followed by `>`, which starts a JSON path)
    "username"        a double-quoted name: any text, `\\` escaping the next character

Clients quote names: postgrest-py sends every bulk insert as `columns="title","host_id"`
(base_request_builder._unique_columns) and quotes a filter column holding `,:()"\\`
(utils.sanitize_param), so a quoted name is the same column as the bare one.
"""

from __future__ import annotations

from kulti_sandbox.emulations import postgrest_errors as err

FIELD_EXPECTED = "field name (* or [a..z0..9_$])"


def _identifier_char(c: str) -> bool:
    # Parsec's pIdentifierChar: letter <|> digit <|> oneOf "_ $" (letter is any alphabetic character).
    return c.isalpha() or c in "0123456789_ $"


def read_quoted(text: str, pos: int) -> tuple[str, int] | None:
    """A double-quoted value starting at `pos` and the position after its closing quote, or None."""
    if pos >= len(text) or text[pos] != '"':
        return None
    out, i = [], pos + 1
    while i < len(text) and text[i] != '"':
        if text[i] == "\\" and i + 1 < len(text):
            i += 1
        out.append(text[i])
        i += 1
    if i >= len(text):
        return None  # no closing quote
    return "".join(out), i + 1


def read_name(text: str, pos: int) -> tuple[str, int] | None:
    """The field name starting at `pos` and the position after it, or None when none starts there."""
    quoted = read_quoted(text, pos)
    if quoted is not None:
        return quoted
    pieces, i = [], pos
    while True:
        start = i
        while i < len(text) and _identifier_char(text[i]):
            i += 1
        piece = text[start:i].strip()
        if not piece:
            if not pieces:
                return None
            return "-".join(pieces), start - 1  # the dash belongs to what follows
        pieces.append(piece)
        if text.startswith("-", i) and not text.startswith("->", i):
            i += 1
            continue
        return "-".join(pieces), i


def tree_path(key: str) -> list[str]:
    """A filter or order key: names separated by `.` (`rel.col`, `"a.b"`); JSON paths are not emulated."""
    names, pos = [], 0
    while True:
        found = read_name(key, pos)
        if found is None:
            raise err.parse_error("tree path", key, pos + 1, err.unexpected(key, pos, FIELD_EXPECTED))
        name, pos = found
        names.append(name)
        if pos == len(key):
            return names
        if key.startswith("->", pos):
            raise err.not_implemented("JSON path operators (->, ->>) are not emulated")
        if key[pos] != ".":
            raise err.parse_error("tree path", key, pos + 1, err.unexpected(key, pos, "delimiter (.)"))
        pos += 1


def column_list(value: str, parameter: str) -> list[str]:
    """pColumns: names separated by `,` (spaces around it allowed), as `columns` and `on_conflict` take them."""
    names, pos = [], 0
    while True:
        found = read_name(value, pos)
        if found is None:
            raise err.parse_error(f"{parameter} parameter", value, pos + 1,
                                  err.unexpected(value, pos, FIELD_EXPECTED))
        name, pos = found
        names.append(name)
        while value.startswith((" ", "\t"), pos):
            pos += 1
        if pos == len(value):
            return names
        if value[pos] != ",":
            raise err.parse_error(f"{parameter} parameter", value, pos + 1,
                                  err.unexpected(value, pos, '"," or end of input'))
        pos += 1
        while value.startswith((" ", "\t"), pos):
            pos += 1

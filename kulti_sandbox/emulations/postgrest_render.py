"""The `select` side of PostgREST: which columns, aliases and casts, which embedded
resources (foreign-key joins), and each row written as PostgREST's json_agg writes it.

Row-level security is decided here too, because embedded resources obey it like the top
level: see `visible()`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Union

from kulti_sandbox.db import Database
from kulti_sandbox.emulations import postgrest_errors as err
from kulti_sandbox.emulations import postgrest_sql as sql
from kulti_sandbox.emulations.postgrest_parse import QueryParams
from kulti_sandbox.emulations.postgrest_select import SelectItem
from kulti_sandbox.emulations.postgrest_types import (
    FLOAT8, INT8, ForeignKey, Table, load_table, render, render_text,
)

# The sandbox's RLS: with the anon key (or a user's token) the public can read the shape's
# public_read tables (by default profiles and sessions); a shape's `policies` give a signed-in
# user more (own rows: `column = auth.uid()`). Anything else has RLS on and no policy, so reads
# see no rows, updates and deletes touch none, and inserts are refused (42501). service_role
# bypasses RLS.
PUBLIC_READ_TABLES = ("profiles", "sessions")
CASTS = {"text": "text", "varchar": "text", "int": INT8, "integer": INT8, "int4": INT8, "int8": INT8,
         "bigint": INT8, "smallint": INT8, "numeric": FLOAT8, "float8": FLOAT8, "real": FLOAT8,
         "double precision": FLOAT8, "json": "json", "jsonb": "json"}


def bypasses_rls(role: str) -> bool:
    return role == "service_role"


def visible(role: str, table: str, writing: bool = False, public_read: tuple[str, ...] = PUBLIC_READ_TABLES) -> str:
    """SQL condition RLS adds to reads (or, `writing`, to updates and deletes) of `table`;
    `public_read` is the shape's list (db.schema.public_read). Own-row policies: `allowed_rows`."""
    if bypasses_rls(role):
        return "1"
    return "1" if table in public_read and not writing else "0"


def _owner(db: Database, role: str, uid: str | None, table: str, command: str) -> str | bool | None:
    """The shape's policy for a signed-in user: an owner column, True (any row) or None (none)."""
    if role != "authenticated" or not uid:
        return None
    return db.schema.policies.get(table, {}).get(command)


def allowed_rows(db: Database, role: str, uid: str | None, table: str, command: str = "SELECT") -> str:
    """SQL condition RLS adds to a SELECT, UPDATE or DELETE of `table` by this caller."""
    base = visible(role, table, command != "SELECT", db.schema.public_read)
    owner = _owner(db, role, uid, table, command)
    if base == "1" or owner is True:
        return "1"
    if owner:
        # uid is the JWT's sub, checked to be a UUID by the caller: safe to inline.
        return f"{sql.quote(owner)} = '{uid}'"
    return base


def may_write_row(db: Database, role: str, uid: str | None, table: str, row: dict[str, Any],
                  command: str = "INSERT") -> bool:
    """The WITH CHECK side: may this caller insert (or update into) `row`?"""
    if bypasses_rls(role):
        return True
    owner = _owner(db, role, uid, table, command)
    return owner is True or (bool(owner) and str(row.get(owner)) == uid)


def may_read_row(db: Database, role: str, uid: str | None, table: str, row: dict[str, Any]) -> bool:
    """allowed_rows for one row already in hand (Realtime's check before sending a change)."""
    condition = allowed_rows(db, role, uid, table)
    if condition in ("0", "1"):
        return condition == "1"
    return str(row.get(_owner(db, role, uid, table, "SELECT"))) == uid


@dataclass(frozen=True)
class Relationship:
    parent: str
    child: str
    fk: ForeignKey
    many_to_one: bool  # the parent row holds the foreign key: embed one object (or null)

    def pairs(self) -> list[tuple[str, str]]:
        """(parent column, child column) pairs the join matches on."""
        if self.many_to_one:
            return list(zip(self.fk.columns, self.fk.ref_columns))
        return list(zip(self.fk.ref_columns, self.fk.columns))

    def describe(self) -> dict[str, str]:
        """The entry PostgREST lists for it when a relationship is ambiguous (PGRST201)."""
        parent_cols = ", ".join(p for p, _ in self.pairs())
        child_cols = ", ".join(c for _, c in self.pairs())
        return {"cardinality": "many-to-one" if self.many_to_one else "one-to-many",
                "embedding": f"{self.parent} with {self.child}",
                "relationship": f"{self.fk.name} using {self.parent}({parent_cols}) and {self.child}({child_cols})"}


@dataclass
class Projection:
    table: Table
    path: str                                   # "" for the top level, else "alias.alias"
    fields: list[tuple[str, Union[tuple[str, str | None], "EmbedPlan"]]] = field(default_factory=list)


@dataclass(frozen=True)
class RowCount:
    """The legacy `rel(count)` select item: the number of related rows the caller may see,
    rendered `[{"count": N}]` (PostgREST docs, aggregate_functions.rst, "The Case of count()").
    Unlike `count()` it is allowed while db-aggregates-enabled is off, as on Supabase."""


@dataclass
class EmbedPlan:
    relationship: Relationship
    projection: Projection


def plan(db: Database, table: Table, items: list[SelectItem], path: str = "") -> Projection:
    """Check every selected column, cast and relationship before any row is read."""
    proj = Projection(table, path)
    for item in items:
        if item.embed is not None:
            rel, child = resolve(db, table, item.embed.relation, item.embed.hint)
            key = item.alias or item.embed.relation
            child_items = item.embed.items or []
            child_path = f"{path}.{key}" if path else key
            proj.fields.append((key, EmbedPlan(rel, plan(db, child, child_items, child_path))))
        elif item.column is None:
            proj.fields.extend((c, (c, None)) for c in table.columns)
        elif path and item.column == "count" and not item.cast and "count" not in table.columns:
            proj.fields.append((item.alias or "count", RowCount()))
        else:
            table.type_of(item.column)
            if item.cast and item.cast.lower() not in CASTS:
                raise err.not_implemented(f"cast to {item.cast} is not emulated")
            proj.fields.append((item.alias or item.column, (item.column, item.cast)))
    if len(proj.fields) > 1 and any(isinstance(f, RowCount) for _, f in proj.fields):
        raise err.not_implemented("count grouped by other columns of an embedded resource is not emulated")
    return proj


def embedded_tables(proj: Projection) -> dict[str, Table]:
    """Every embedding path under `proj` ("host", "host.follows", ...) and its table."""
    found: dict[str, Table] = {}
    for _, f in proj.fields:
        if isinstance(f, EmbedPlan):
            found[f.projection.path] = f.projection.table
            found.update(embedded_tables(f.projection))
    return found


def resolve(db: Database, parent: Table, name: str, hint: str | None) -> tuple[Relationship, Table]:
    target = load_table(db, name)
    if target is None:
        raise err.no_relationship(parent.name, name, hint)
    found = [Relationship(parent.name, name, fk, True) for fk in parent.foreign_keys if fk.ref_table == name]
    found += [Relationship(parent.name, name, fk, False) for fk in target.foreign_keys if fk.ref_table == parent.name]
    if hint:
        found = [r for r in found if hint == r.fk.name or hint in r.fk.columns]
    if not found:
        raise err.no_relationship(parent.name, name, hint)
    if len(found) > 1:
        raise err.ambiguous_relationship(parent.name, name, [r.describe() for r in found],
                                         [f"'{name}!{r.fk.name}'" for r in found])
    return found[0], target


# --- rendering --------------------------------------------------------------------------------

def render_rows(db: Database, proj: Projection, rows: list[dict[str, Any]], q: QueryParams, role: str,
                uid: str | None = None) -> list[str]:
    return [render_row(db, proj, row, q, role, uid) for row in rows]


def render_row(db: Database, proj: Projection, row: dict[str, Any], q: QueryParams, role: str,
               uid: str | None = None) -> str:
    parts = []
    for key, f in proj.fields:
        value = _embedded(db, f, row, q, role, uid) if isinstance(f, EmbedPlan) else _cell(proj.table, row, *f)
        parts.append(f"{json.dumps(key, ensure_ascii=False)}:{value}")
    return "{" + ",".join(parts) + "}"


def _cell(table: Table, row: dict[str, Any], column: str, cast: str | None) -> str:
    pg_type, raw = table.columns[column], row[column]
    target = CASTS.get(cast.lower()) if cast else None
    if target == "text":
        return render_text(pg_type, raw)
    if target in (INT8, FLOAT8) and raw is not None:
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise err.invalid_text("integer" if target == INT8 else "numeric", str(raw))
        return render(target, round(number) if target == INT8 else number)
    return render(pg_type, raw)


def _embedded(db: Database, embed: EmbedPlan, row: dict[str, Any], q: QueryParams, role: str,
              uid: str | None) -> str:
    rel, proj = embed.relationship, embed.projection
    child, path = proj.table, proj.path
    join = [(f"{sql.quote(c)} = ?", row[p]) for p, c in rel.pairs()]
    where, params = sql.where_clause(child, q.filters.get(path, []), q.logic.get(path, []))
    conditions = " AND ".join([c for c, _ in join] + [allowed_rows(db, role, uid, child.name)] + ([where[6:]] if where else []))
    params = [v for _, v in join] + params
    if proj.fields and isinstance(proj.fields[0][1], RowCount):
        n = db.query_one(f"SELECT COUNT(*) AS n FROM {sql.quote(child.name)} WHERE {conditions}", params)["n"]
        counted = "{" + f"{json.dumps(proj.fields[0][0], ensure_ascii=False)}:{n}" + "}"
        return counted if rel.many_to_one else f"[{counted}]"
    order = sql.order_clause(child, q.order.get(path, []))
    window, window_params = sql.limit_offset_sql(sql.limit_range(q.limit.get(path), q.offset.get(path)))
    rows = db.query(f"SELECT * FROM {sql.quote(child.name)} WHERE {conditions} {order} {window}",
                    params + window_params)
    rendered = render_rows(db, proj, rows, q, role, uid)
    if rel.many_to_one:
        return rendered[0] if rendered else "null"
    return "[" + ",".join(rendered) + "]"

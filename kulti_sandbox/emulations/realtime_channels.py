"""Who is joined to which Realtime channel, and what reaches them: broadcast, presence and
Postgres Changes. One `RealtimeHub` per sandbox (`hub_of`); `publish` is the in-process hook
the PostgREST emulation, and any sandbox code that writes a table, calls after the write.

Written from supabase/realtime (at 833cf36): realtime_channel.ex (join, `access_token`,
leave), realtime_channel/broadcast_handler.ex (relay to the topic; to the sender only with
`broadcast.self`; an empty ok reply only with `broadcast.ack`), presence_handler.ex and
payloads/join.ex (`track`/`untrack` replied ok; the presence key is `presence.key`, a UUID
when empty; `presence_state` to a joiner with presence enabled; `presence_diff` to every
member, the tracker included, as Phoenix.Presence sends them, metas carrying `phx_ref`, an
update also `phx_ref_prev`).
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from kulti_sandbox.emulations import realtime_changes as changes
from kulti_sandbox.emulations.postgrest_render import may_read_row
from kulti_sandbox.emulations.postgrest_types import load_table
from kulti_sandbox.emulations.realtime_wire import Msg, encode


@dataclass(eq=False)
class Connection:
    """One websocket; frames go out through `outbox`, drained by the socket's writer task."""

    vsn: str
    token: str                    # the apikey it connected with (the channels' default token)
    loop: asyncio.AbstractEventLoop
    outbox: asyncio.Queue = field(default_factory=asyncio.Queue)
    members: dict[str, "Member"] = field(default_factory=dict)   # topic -> its membership

    def send(self, msg: Msg) -> None:
        frame = encode(msg, self.vsn)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self.outbox.put_nowait(frame)
        else:  # a write made outside the server's event loop (a worker thread)
            self.loop.call_soon_threadsafe(self.outbox.put_nowait, frame)


@dataclass(eq=False)
class Member:
    """One joined channel of one connection."""

    conn: Connection
    topic: str
    join_ref: str | None
    claims: dict[str, Any]
    config: dict[str, Any]
    bindings: list[changes.Binding] = field(default_factory=list)
    presence_key: str = ""
    presence_meta: dict[str, Any] | None = None

    @property
    def role(self) -> str:
        return self.claims.get("role") or "anon"

    @property
    def uid(self) -> str | None:
        """auth.uid() for RLS: the token's sub when it is a UUID."""
        try:
            return str(uuid.UUID(str(self.claims.get("sub"))))
        except ValueError:
            return None

    def option(self, feature: str, name: str) -> bool:
        return bool((self.config.get(feature) or {}).get(name))

    def push(self, event: str, payload: Any) -> None:
        """A message the channel process pushes (it carries the join_ref, shown in vsn 2)."""
        self.conn.send(Msg(self.topic, event, payload, None, self.join_ref))


class RealtimeHub:
    def __init__(self, db) -> None:
        self.db = db
        self.topics: dict[str, list[Member]] = {}

    def add(self, member: Member) -> None:
        self.topics.setdefault(member.topic, []).append(member)
        member.conn.members[member.topic] = member
        member.presence_key = (self.presence_config(member).get("key") or str(uuid.uuid1()))

    def remove(self, member: Member) -> None:
        if member.presence_meta is not None:
            self.untrack(member)
        peers = self.topics.get(member.topic, [])
        if member in peers:
            peers.remove(member)
        if not peers:
            self.topics.pop(member.topic, None)
        if member.conn.members.get(member.topic) is member:
            del member.conn.members[member.topic]

    def drop(self, conn: Connection) -> None:
        for member in list(conn.members.values()):
            self.remove(member)

    # --- broadcast ---------------------------------------------------------------------------

    def broadcast(self, sender: Member, payload: dict[str, Any]) -> None:
        for member in self.topics.get(sender.topic, []):
            if member is not sender or sender.option("broadcast", "self"):
                member.conn.send(Msg(member.topic, "broadcast", payload))

    # --- presence ----------------------------------------------------------------------------

    @staticmethod
    def presence_config(member: Member) -> dict[str, Any]:
        return member.config.get("presence") or {}

    def presence_state(self, topic: str) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for member in self.topics.get(topic, []):
            if member.presence_meta is not None:
                state.setdefault(member.presence_key, {"metas": []})["metas"].append(member.presence_meta)
        return state

    def track(self, member: Member, payload: dict[str, Any]) -> None:
        old = member.presence_meta
        meta = {**payload, "phx_ref": _phx_ref()}
        if old is not None:
            meta["phx_ref_prev"] = old["phx_ref"]
        member.presence_meta = meta
        leaves = {member.presence_key: {"metas": [old]}} if old is not None else {}
        self._diff(member.topic, {member.presence_key: {"metas": [meta]}}, leaves)

    def untrack(self, member: Member) -> None:
        old, member.presence_meta = member.presence_meta, None
        if old is not None:
            self._diff(member.topic, {}, {member.presence_key: {"metas": [old]}})

    def _diff(self, topic: str, joins: dict[str, Any], leaves: dict[str, Any]) -> None:
        for member in self.topics.get(topic, []):
            member.push("presence_diff", {"joins": joins, "leaves": leaves})

    # --- postgres changes ----------------------------------------------------------------------

    def publish(self, table_name: str, event: str, rows: list[dict[str, Any]]) -> None:
        """Send each written row (the new row; the old one for DELETE) to the members whose
        bindings it matches and whose role may read it."""
        members = [m for peers in self.topics.values() for m in peers if m.bindings]
        table = load_table(self.db, table_name) if members and rows else None
        if table is None:
            return
        for row in rows:
            data = None
            for member in members:
                readable = event == "DELETE" or may_read_row(self.db, member.role, member.uid, table_name, row)
                ids = changes.matching_ids(member.bindings, table, event, row, readable)
                if ids:
                    data = data or changes.change_data(table, event, row, rls_on=True)
                    member.conn.send(changes.change_message(member.topic, ids, data))


def _phx_ref() -> str:
    return "F" + secrets.token_urlsafe(14)


def hub_of(sb) -> RealtimeHub:
    """The sandbox's hub, made on first use (the sandbox state has a slot for it)."""
    if getattr(sb, "realtime", None) is None:
        sb.realtime = RealtimeHub(sb.db)
    return sb.realtime


def publish(sb, table: str, event: str, rows: list[dict[str, Any]]) -> None:
    """The hook: `event` is INSERT, UPDATE or DELETE; rows as stored (for DELETE, the old rows)."""
    hub_of(sb).publish(table, event, rows)

"""The Realtime emulation, driven by the official `realtime` Python client (what supabase-py
uses) and, for the vsn 2.0.0 array frames realtime-js can send, by hand-built frames.

Waits are on events the client reports, never sleeps. "Did not arrive" is proven by order:
one socket's frames arrive in the order they were sent, so once a later event has arrived,
an earlier one that was going to come would already be there.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import httpx
import pytest
import websockets
from realtime import AsyncRealtimeClient, RealtimeSubscribeStates

from fixtures.sandbox_process import SandboxProcess

WAIT_S = 5  # generous bound for an event on loopback


@pytest.fixture(scope="module")
def supa():
    proc = SandboxProcess().start()  # these tests write rows: a sandbox of their own
    yield proc.env
    proc.stop()


class Inbox:
    """What one channel received, with a wait for the next of each kind."""

    def __init__(self) -> None:
        self.items: list = []
        self._new = asyncio.Condition()

    def add(self, item) -> None:
        self.items.append(item)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._new:
            self._new.notify_all()

    async def wait_for(self, predicate):
        async def found():
            async with self._new:
                while not any(predicate(i) for i in self.items):
                    await self._new.wait()
            return next(i for i in self.items if predicate(i))
        return await asyncio.wait_for(found(), WAIT_S)


def rest(env, method: str, path: str, json=None) -> httpx.Response:
    key = env["SUPABASE_SERVICE_ROLE_KEY"]
    r = httpx.request(method, f"{env['SUPABASE_URL']}/rest/v1/{path}", json=json,
                      headers={"apikey": key, "Authorization": f"Bearer {key}", "Prefer": "return=representation"})
    assert r.status_code in (200, 201), r.text
    return r


def host_id(env, username="maya_builds") -> str:
    return rest(env, "GET", f"profiles?select=id&username=eq.{username}").json()[0]["id"]


def new_session(env, host: str, title="Realtime check") -> dict:
    row = {"title": title, "category": "coding", "host_id": host, "hms_room_id": f"room-{uuid.uuid4().hex[:12]}"}
    return rest(env, "POST", "sessions", row).json()[0]


async def client(env, key="SUPABASE_ANON_KEY") -> AsyncRealtimeClient:
    c = AsyncRealtimeClient(f"{env['SUPABASE_URL']}/realtime/v1", env[key], auto_reconnect=False)
    await c.connect()
    return c


async def watch(c: AsyncRealtimeClient, name: str, event="*", table="sessions", filter=None):
    """Subscribe one postgres_changes binding; return the channel, its inbox and its states."""
    inbox, states = Inbox(), []
    channel = c.channel(name)
    channel.on_postgres_changes(event, inbox.add, table=table, schema="public", filter=filter)
    channel.on_system(inbox.add)
    await channel.subscribe(lambda state, err: states.append((state, err)))
    return channel, inbox, states


def is_change(payload, **data) -> bool:
    return isinstance(payload, dict) and "ids" in payload and all(payload["data"].get(k) == v for k, v in data.items())


async def test_subscribe_is_acknowledged_and_ready(supa):
    c = await client(supa)
    try:
        channel, inbox, states = await watch(c, "ready", filter=f"host_id=eq.{host_id(supa)}")
        assert states == [(RealtimeSubscribeStates.SUBSCRIBED, None)]
        assert channel.postgres_changes_callbacks[0].id  # the server's id, matched by the client
        system = await inbox.wait_for(lambda p: getattr(p, "extension", None) == "postgres_changes")
        assert (system.status, system.message, system.channel) == ("ok", "Subscribed to PostgreSQL", "ready")
    finally:
        await c.close()


async def test_insert_reaches_the_matching_subscriber_only(supa):
    maya, host = host_id(supa), host_id(supa, "smoke_host")
    a, b = await client(supa), await client(supa)
    try:
        _, maya_inbox, _ = await watch(a, "maya", "INSERT", filter=f"host_id=eq.{maya}")
        _, host_inbox, _ = await watch(b, "host", "INSERT", filter=f"host_id=eq.{host}")
        row = new_session(supa, maya, "For maya's watchers")
        got = await maya_inbox.wait_for(lambda p: is_change(p, type="INSERT"))
        data = got["data"]
        assert set(data) == {"columns", "commit_timestamp", "errors", "record", "schema", "table", "type"}
        assert (data["schema"], data["table"], data["errors"]) == ("public", "sessions", None)
        assert data["record"]["id"] == row["id"] and data["record"]["title"] == "For maya's watchers"
        assert {"name": "id", "type": "uuid"} in data["columns"]
        assert data["commit_timestamp"].endswith("Z") and len(data["commit_timestamp"]) == 24
        new_session(supa, host, "For the host's watchers")
        await host_inbox.wait_for(lambda p: is_change(p, type="INSERT"))
        assert [p["data"]["record"]["title"] for p in host_inbox.items if is_change(p)] == ["For the host's watchers"]
    finally:
        await a.close()
        await b.close()


async def test_update_with_a_filter_carries_the_new_row_and_the_old_key(supa):
    guest = host_id(supa, "smoke_guest")
    c = await client(supa)
    try:
        _, inbox, _ = await watch(c, "credits", "UPDATE", table="profiles", filter=f"id=eq.{guest}")
        rest(supa, "PATCH", f"profiles?id=eq.{guest}", {"bio": "watching the pill"})
        got = await inbox.wait_for(lambda p: is_change(p, type="UPDATE"))
        assert got["data"]["record"]["bio"] == "watching the pill"
        assert got["data"]["old_record"] == {"id": guest}  # default replica identity: the key only
    finally:
        await c.close()


async def test_row_level_security_hides_rows_the_role_cannot_read(supa):
    session = new_session(supa, host_id(supa))
    anon, service = await client(supa), await client(supa, "SUPABASE_SERVICE_ROLE_KEY")
    try:
        chat = f"session_id=eq.{session['id']}"
        _, anon_inbox, _ = await watch(anon, "chat", table="session_messages", filter=chat)
        _, sessions_inbox, _ = await watch(anon, "sessions")
        _, service_inbox, _ = await watch(service, "chat", table="session_messages", filter=chat)
        rest(supa, "POST", "session_messages", {"session_id": session["id"], "user_id": host_id(supa),
                                                "content": "hi"})
        await service_inbox.wait_for(lambda p: is_change(p, type="INSERT", table="session_messages"))
        new_session(supa, host_id(supa))  # anon may read sessions: this one comes after the message
        await sessions_inbox.wait_for(lambda p: is_change(p, type="INSERT"))
        assert not [p for p in anon_inbox.items if is_change(p)]
    finally:
        await anon.close()
        await service.close()


async def test_broadcast_between_two_clients(supa):
    a, b = await client(supa), await client(supa)
    try:
        heard = Inbox()
        ch_a = a.channel("room-1")
        await ch_a.subscribe()
        ch_b = b.channel("room-1").on_broadcast("cursor", heard.add)
        await ch_b.subscribe()
        await ch_a.send_broadcast("cursor", {"x": 3, "y": 4})
        got = await heard.wait_for(lambda p: True)
        assert got == {"event": "cursor", "payload": {"x": 3, "y": 4}}  # the client keeps these two
    finally:
        await a.close()
        await b.close()


async def test_leaving_stops_events(supa):
    maya = host_id(supa)
    c = await client(supa)
    try:
        left, left_inbox, _ = await watch(c, "left", "INSERT", filter=f"host_id=eq.{maya}")
        _, stays_inbox, _ = await watch(c, "stays", "INSERT", filter=f"host_id=eq.{maya}")
        closed = asyncio.Event()
        left.subscribe_callback = lambda state, err: closed.set() if state == RealtimeSubscribeStates.CLOSED else None
        await left.unsubscribe()
        await asyncio.wait_for(closed.wait(), WAIT_S)  # the server answered the phx_leave
        new_session(supa, maya)
        await stays_inbox.wait_for(lambda p: is_change(p, type="INSERT"))
        assert not [p for p in left_inbox.items if is_change(p)]
    finally:
        await c.close()


# --- the socket, frame by frame ------------------------------------------------------------------

def socket_url(env, key="SUPABASE_ANON_KEY", vsn="1.0.0") -> str:
    base = env["SUPABASE_URL"].replace("http://", "ws://")
    return f"{base}/realtime/v1/websocket?apikey={env[key] if key else 'not-a-jwt'}&vsn={vsn}"


async def test_a_bad_apikey_is_refused_at_the_upgrade(supa):
    with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
        await websockets.connect(socket_url(supa, key=None))
    response = refused.value.response
    assert response.status_code == 401
    assert json.loads(response.body) == {"error": "The token provided is not a valid JWT"}


async def test_heartbeat_and_join_in_vsn_1_objects(supa):
    async with websockets.connect(socket_url(supa)) as ws:
        await ws.send(json.dumps({"topic": "phoenix", "event": "heartbeat", "payload": {}, "ref": "1"}))
        assert json.loads(await ws.recv()) == {"event": "phx_reply", "payload": {"status": "ok", "response": {}},
                                               "ref": "1", "topic": "phoenix"}
        binding = {"event": "UPDATE", "schema": "public", "table": "profiles", "filter": "id=eq.x"}
        join = {"config": {"broadcast": {"ack": False, "self": False}, "presence": {"key": "", "enabled": False},
                           "postgres_changes": [binding], "private": False}}
        await ws.send(json.dumps({"topic": "realtime:pill", "event": "phx_join", "payload": join,
                                  "ref": "2", "join_ref": "2"}))
        answer = json.loads(await ws.recv())
        assert set(answer) == {"event", "payload", "ref", "topic"}  # vsn 1 shows no join_ref
        [server] = answer["payload"]["response"]["postgres_changes"]
        assert answer["payload"]["status"] == "ok" and server == {**binding, "id": server["id"]}
        system = json.loads(await ws.recv())
        assert system == {"event": "system", "ref": None, "topic": "realtime:pill",
                          "payload": {"channel": "pill", "extension": "postgres_changes",
                                      "message": "Subscribed to PostgreSQL", "status": "ok"}}


async def test_vsn_2_arrays_and_presence(supa):
    async with websockets.connect(socket_url(supa, vsn="2.0.0")) as ws:
        join = {"config": {"presence": {"key": "maya", "enabled": True}, "postgres_changes": []}}
        await ws.send(json.dumps(["1", "1", "realtime:lobby", "phx_join", join]))
        assert json.loads(await ws.recv()) == ["1", "1", "realtime:lobby", "phx_reply",
                                               {"status": "ok", "response": {"postgres_changes": []}}]
        assert json.loads(await ws.recv()) == ["1", None, "realtime:lobby", "presence_state", {}]
        await ws.send(json.dumps(["1", "2", "realtime:lobby", "presence",
                                  {"type": "presence", "event": "track", "payload": {"online_at": "now"}}]))
        assert json.loads(await ws.recv())[3:] == ["phx_reply", {"status": "ok", "response": {}}]
        diff = json.loads(await ws.recv())
        [meta] = diff[4]["joins"]["maya"]["metas"]
        assert diff[3] == "presence_diff" and diff[4]["leaves"] == {} and meta["online_at"] == "now"
        assert meta["phx_ref"]
        await ws.send(json.dumps([None, "3", "realtime:nowhere", "broadcast", {}]))
        assert json.loads(await ws.recv())[3:] == ["phx_reply", {"status": "error",
                                                                 "response": {"reason": "unmatched topic"}}]

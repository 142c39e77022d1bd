"""Supabase Realtime's websocket at /supabase/realtime/v1/websocket, as supabase-js 2.81
(realtime-js) and the `realtime` Python client (2.34) speak to it.

Sources (supabase/realtime at 833cf36 unless said):
* lib/realtime_web/channels/user_socket.ex: the connect check. The token is the
  `x-api-key` header or the `apikey` param, a JWT signed with the project secret carrying
  `role` and `exp`; refusals are HTTP answers to the upgrade, `{"error": ...}` with 401
  ("API key is missing", "The token provided is not a valid JWT", "Failed to validate JWT
  signature", "Token has expired"); endpoint.ex: serializers `~> 1.0.0` and `~> 2.0.0`
  (another vsn: Phoenix refuses the upgrade, 403).
* lib/realtime_web/channels/realtime_channel.ex: `phx_join` on `realtime:<name>` (an empty
  name is refused with "TopicNameRequired"), its `access_token` (or the socket's token for
  none or an `sb_` key), checked like the socket's (a failed check refuses the join with
  `{reason: "<Code>: <message>"}`, realtime_channel/logging.ex), the ok reply
  `{postgres_changes: [params + id]}`, the `system` message per extension; `private: true`
  needs realtime.messages policies the sandbox does not have ("Unauthorized: ..."); an
  `access_token` push re-checks the token and, on failure, sends a `system` error and
  closes the channel; unknown events are ignored.
* Phoenix.Socket (phoenixframework/phoenix): `heartbeat` on `phoenix` answered with an ok
  reply; `phx_leave` answered ok; a message for a topic not joined answered
  `{status: "error", response: {reason: "unmatched topic"}}`; re-joining a joined topic
  closes the old membership (`phx_close`).
* realtime-js (supabase/supabase-js v2.81.1, packages/core/realtime-js): RealtimeClient.ts,
  RealtimeChannel.ts (`_trigger`: postgres_changes payloads are matched on `ids`, then
  enriched client-side into `{eventType, new, old}` from `type`, `record`, `old_record`),
  lib/serializer.ts, lib/constants.ts (DEFAULT_VSN is 1.0.0); and the installed Python
  `realtime` 2.34 (`realtime/message.py`, `_async/channel.py`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import jwt
from starlette.responses import JSONResponse, Response
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from kulti_sandbox.emulations import realtime_changes as changes
from kulti_sandbox.emulations.realtime_channels import Connection, Member, RealtimeHub, hub_of
from kulti_sandbox.emulations.realtime_wire import SERIALIZERS, VSN_1, FrameError, Msg, decode, reply
from kulti_sandbox.state import sandbox_of


class TokenRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def check_token(secret: str, token: str | None) -> dict[str, Any]:
    """The claims of a project JWT (ChannelsAuthorization.authorize_conn), else TokenRefused."""
    if not isinstance(token, str) or not token:
        raise TokenRefused("MissingAPIKey", "API key is missing")
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_aud": False})
    except jwt.ExpiredSignatureError:
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp", 0)
        raise TokenRefused("InvalidJWTToken", f"Token has expired {int(time.time()) - int(exp)} seconds ago")
    except jwt.InvalidSignatureError:
        raise TokenRefused("InvalidJWTToken", "Failed to validate JWT signature")
    except jwt.InvalidTokenError:
        raise TokenRefused("MalformedJWT", "The token provided is not a valid JWT")
    if "role" not in claims or "exp" not in claims:
        raise TokenRefused("InvalidJWTToken", "Fields `role` and `exp` are required in JWT")
    return claims


def upgrade_refusal(secret: str, token: str | None, vsn: str) -> Response | None:
    if vsn not in SERIALIZERS:
        return Response(status_code=403)
    try:
        check_token(secret, token)
    except TokenRefused as refused:
        # user_socket.ex error_response: the expired case answers without the seconds.
        message = "Token has expired" if refused.message.startswith("Token has expired") else refused.message
        return JSONResponse({"error": message}, 401)
    return None


async def websocket(ws: WebSocket) -> None:
    sb = sandbox_of(ws)
    secret = sb.config.credentials.supabase_jwt_secret
    token = ws.headers.get("x-api-key") or ws.query_params.get("apikey")
    vsn = ws.query_params.get("vsn", VSN_1)
    refusal = upgrade_refusal(secret, token, vsn)
    if refusal is not None:
        await ws.send_denial_response(refusal)
        return
    await ws.accept()
    conn = Connection(vsn, token, asyncio.get_running_loop())
    hub = hub_of(sb)
    writer = asyncio.create_task(_write(ws, conn))
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            frame = message.get("text") if message.get("text") is not None else message.get("bytes")
            try:
                msg = decode(frame, vsn)
            except FrameError:
                break  # Phoenix's socket process crashes on a frame it cannot decode
            handle(hub, secret, conn, msg)
    except WebSocketDisconnect:
        pass
    finally:
        hub.drop(conn)
        writer.cancel()


async def _write(ws: WebSocket, conn: Connection) -> None:
    try:
        while True:
            await ws.send_text(await conn.outbox.get())
    except (WebSocketDisconnect, RuntimeError):
        pass


# --- the channel protocol --------------------------------------------------------------------------

def handle(hub: RealtimeHub, secret: str, conn: Connection, msg: Msg) -> None:
    if msg.topic == "phoenix" and msg.event == "heartbeat":
        conn.send(reply(msg, "ok", {}))
        return
    if msg.event == "phx_join":
        join(hub, secret, conn, msg)
        return
    member = conn.members.get(msg.topic)
    if member is None:
        conn.send(reply(msg, "error", {"reason": "unmatched topic"}))
        return
    if msg.event == "phx_leave":
        hub.remove(member)
        conn.send(reply(msg, "ok", {}))
    elif msg.event == "access_token":
        refresh_token(hub, secret, member, msg.payload)
    elif msg.event == "broadcast":
        hub.broadcast(member, msg.payload if isinstance(msg.payload, dict) else {})
        if member.option("broadcast", "ack"):
            conn.send(reply(msg, "ok", {}))
    elif msg.event == "presence":
        presence(hub, member, msg)
    # realtime_channel.ex handle_in/3 fallback: anything else is logged and ignored.


def join(hub: RealtimeHub, secret: str, conn: Connection, msg: Msg) -> None:
    if not msg.topic.startswith("realtime:"):
        conn.send(reply(msg, "error", {"reason": "unmatched topic"}))
        return
    name = msg.topic[len("realtime:"):]
    payload = msg.payload if isinstance(msg.payload, dict) else {}
    config = payload.get("config") or {}
    old = conn.members.get(msg.topic)
    if old is not None:
        hub.remove(old)
        conn.send(Msg(old.topic, "phx_close", {}, old.join_ref, old.join_ref))
    if not name:
        conn.send(reply(msg, "error", {"reason": "TopicNameRequired: You must provide a topic name"}))
        return
    try:
        claims = check_token(secret, channel_token(conn, payload))
    except TokenRefused as refused:
        conn.send(reply(msg, "error", {"reason": f"{refused.code}: {refused.message}"}))
        return
    if config.get("private"):
        conn.send(reply(msg, "error", {"reason": "Unauthorized: You do not have permissions to read from "
                                                 f"this Channel topic: {name}"}))
        return
    bindings = [changes.binding(p) for p in (config.get("postgres_changes") or []) if p is not None]
    member = Member(conn, msg.topic, msg.join_ref or msg.ref, claims, config)
    hub.add(member)
    conn.send(reply(msg, "ok", {"postgres_changes": [b.reply() for b in bindings]}))
    subscribe_changes(hub, member, bindings, name)
    if hub.presence_config(member).get("enabled"):
        member.push("presence_state", hub.presence_state(member.topic))


def channel_token(conn: Connection, payload: dict[str, Any]) -> str:
    token = payload.get("access_token") or payload.get("user_token")
    return conn.token if not token or str(token).startswith("sb_") else token


def subscribe_changes(hub: RealtimeHub, member: Member, bindings: list[changes.Binding], name: str) -> None:
    if not bindings:
        return
    published = hub.db.schema.public_tables
    try:
        for b in bindings:
            changes.check(b, published)
    except changes.BindingError as error:
        # One transaction for all of a channel's bindings: none is active (subscriptions.ex).
        member.push("system", system("postgres_changes", "error", str(error), name))
        return
    member.bindings = bindings
    member.push("system", system("postgres_changes", "ok", "Subscribed to PostgreSQL", name))


def system(extension: str, status: str, message: str, channel: str) -> dict[str, str]:
    return {"channel": channel, "extension": extension, "message": message, "status": status}


def refresh_token(hub: RealtimeHub, secret: str, member: Member, payload: Any) -> None:
    token = payload.get("access_token") if isinstance(payload, dict) else None
    if not isinstance(token, str) or token.startswith("sb_"):
        return
    try:
        member.claims = check_token(secret, token)
    except TokenRefused as refused:
        name = member.topic[len("realtime:"):]
        member.push("system", system("system", "error", refused.message, name))
        hub.remove(member)
        member.conn.send(Msg(member.topic, "phx_close", {}, member.join_ref, member.join_ref))


def presence(hub: RealtimeHub, member: Member, msg: Msg) -> None:
    payload = msg.payload if isinstance(msg.payload, dict) else {}
    event = payload.get("event")
    if event == "track":
        track = payload.get("payload", {})
        if not isinstance(track, dict):
            member.conn.send(reply(msg, "error", {"reason": "Presence track payload must be a map"}))
            return
        member.conn.send(reply(msg, "ok", {}))  # the diff follows, from Phoenix.Presence's tracker
        hub.track(member, track)
    elif event == "untrack":
        member.conn.send(reply(msg, "ok", {}))
        hub.untrack(member)
    else:
        member.conn.send(reply(msg, "error", {}))  # UnknownPresenceEvent: `{:reply, :error, socket}`


routes = [WebSocketRoute("/websocket", websocket)]

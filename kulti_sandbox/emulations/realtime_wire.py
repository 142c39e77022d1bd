"""Realtime's websocket frames: the Phoenix channel message in the two serializers Realtime
accepts (`vsn` url param, lib/realtime_web/endpoint.ex):

* `1.0.0`, Phoenix.Socket.V1.JSONSerializer: a JSON object. Outgoing frames carry `event`,
  `payload`, `ref` and `topic` only ("v1 responses must not contain join_ref", Phoenix's
  serializer test); incoming ones may carry `join_ref` too (realtime-js sends it).
* `2.0.0`, RealtimeWeb.Socket.V2Serializer: a JSON array `[join_ref, ref, topic, event,
  payload]`, plus binary frames. Of the binary kinds only the one realtime-js 2.81
  sends for `channel.send({type: "broadcast", ...})` with a JSON payload is read: kind 3,
  "user broadcast push" (realtime-js lib/serializer.ts `_encodeJsonUserBroadcastPush`).
  Outgoing frames are always text, which realtime-js decodes in both versions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

VSN_1, VSN_2 = "1.0.0", "2.0.0"
SERIALIZERS = (VSN_1, VSN_2)
USER_BROADCAST_PUSH = 3
JSON_ENCODING = 1


class FrameError(ValueError):
    """A frame Phoenix could not decode (it would crash the socket process)."""


@dataclass
class Msg:
    topic: str
    event: str
    payload: Any = field(default_factory=dict)
    ref: str | None = None
    join_ref: str | None = None


def decode(frame: str | bytes, vsn: str) -> Msg:
    if isinstance(frame, bytes):
        if vsn != VSN_2:
            raise FrameError("binary frames need vsn=2.0.0")
        return _decode_user_broadcast_push(frame)
    try:
        data = json.loads(frame)
    except ValueError as exc:
        raise FrameError(str(exc)) from None
    if vsn == VSN_2:
        if not (isinstance(data, list) and len(data) == 5):
            raise FrameError("vsn 2.0.0 frames are [join_ref, ref, topic, event, payload]")
        join_ref, ref, topic, event, payload = data
    else:
        if not isinstance(data, dict):
            raise FrameError("vsn 1.0.0 frames are JSON objects")
        join_ref, ref = data.get("join_ref"), data.get("ref")
        topic, event, payload = data.get("topic"), data.get("event"), data.get("payload")
    if not isinstance(topic, str) or not isinstance(event, str):
        raise FrameError("topic and event must be strings")
    return Msg(topic, event, payload if payload is not None else {}, _ref(ref), _ref(join_ref))


def encode(msg: Msg, vsn: str) -> str:
    if vsn == VSN_2:
        data: Any = [msg.join_ref, msg.ref, msg.topic, msg.event, msg.payload]
    else:
        data = {"event": msg.event, "payload": msg.payload, "ref": msg.ref, "topic": msg.topic}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def reply(request: Msg, status: str, response: Any) -> Msg:
    """phx_reply to a client message, with the channel's join_ref (V2 shows it)."""
    return Msg(request.topic, "phx_reply", {"status": status, "response": response}, request.ref, request.join_ref)


def _ref(value: Any) -> str | None:
    return None if value is None else str(value)


def _decode_user_broadcast_push(frame: bytes) -> Msg:
    if len(frame) < 6 or frame[0] != USER_BROADCAST_PUSH:
        raise FrameError(f"binary frame kind {frame[0] if frame else None} is not emulated")
    sizes, encoding = frame[1:5], frame[5]
    offset, parts = 6, []
    for size in sizes:
        parts.append(frame[offset:offset + size].decode())
        offset += size
    join_ref, ref, topic, user_event = parts
    if encoding != JSON_ENCODING:
        raise FrameError("binary broadcast payloads are not emulated")
    try:
        user_payload = json.loads(frame[offset:] or b"{}")
    except ValueError as exc:
        raise FrameError(str(exc)) from None
    payload = {"type": "broadcast", "event": user_event, "payload": user_payload}
    return Msg(topic, "broadcast", payload, ref or None, join_ref or None)

"""In-memory live rooms: who is connected to which session, and fan-out of messages to them.

One `Room` per session with at least one open WebSocket. Each connection is a `Peer` with
its own outgoing queue and writer task, so a slow browser never blocks a broadcast and two
coroutines never write to one socket at once. Room state that only lives while people are
connected (who shares the screen, who has control) is kept here too; everything durable
(participants, messages, recordings) is in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from starlette.websockets import WebSocket

from kulti_sandbox.emulations import hms_sessions, hms_wire

CLOSE_GOING_AWAY = 1001


@dataclass
class Peer:
    peer_id: str
    user_id: str
    username: str
    display_name: str
    role: str  # host | viewer
    joined_at: str
    websocket: WebSocket | None = None
    outbox: asyncio.Queue = field(default_factory=asyncio.Queue)
    writer: asyncio.Task | None = None

    def public(self) -> dict:
        return {"peer_id": self.peer_id, "username": self.username,
                "display_name": self.display_name, "role": self.role}


@dataclass
class ScreenShare:
    sharer: Peer
    controller: Peer  # who may move the cursor; the sharer until control is passed

    def public(self) -> dict:
        return {
            "sharer_peer_id": self.sharer.peer_id,
            "sharer_username": self.sharer.username,
            "sharer_display_name": self.sharer.display_name,
            "controller_peer_id": self.controller.peer_id,
            "controller_username": self.controller.username,
            "controller_display_name": self.controller.display_name,
        }


@dataclass
class Room:
    session_id: str
    hms_room_id: str
    host_id: str
    peers: dict[str, Peer] = field(default_factory=dict)  # insertion order = join order
    share: ScreenShare | None = None

    def online_user_ids(self) -> set[str]:
        return {p.user_id for p in self.peers.values()}

    def peer_of_user(self, username: str, exclude: Peer | None = None) -> Peer | None:
        """The user's earliest open connection (a user may have the room open twice)."""
        return next((p for p in self.peers.values() if p.username == username and p is not exclude), None)


@dataclass
class UploadState:
    """Progress of one recording's chunk upload; see recordings.py."""

    next_seq: int = 0
    bytes: int = 0
    final: bool = False  # the page said it has sent everything
    arrived: asyncio.Event = field(default_factory=asyncio.Event)  # set by every chunk


class RoomHub:
    def __init__(self, sb):
        self.sb = sb
        self.rooms: dict[str, Room] = {}  # session id -> room
        self.uploads: dict[str, UploadState] = {}  # recording id -> upload progress
        self._tasks: set[asyncio.Task] = set()

    # --- membership -------------------------------------------------------------------

    def join(self, session: dict, user: dict, role: str, websocket: WebSocket) -> tuple[Room, Peer]:
        # 100ms times a peer's join to the nanosecond; its first peer starts the room's session.
        joined_at = hms_wire.now_live_time()
        room = self.rooms.get(session["id"])
        if room is None:
            room = self.rooms[session["id"]] = Room(session["id"], session["hms_room_id"], session["host_id"])
            hms_sessions.begin(self.sb.db, room.hms_room_id, joined_at)
        peer = Peer(
            peer_id=secrets.token_hex(12), user_id=user["id"], username=user["username"],
            display_name=user["display_name"], role=role, joined_at=joined_at, websocket=websocket,
        )
        peer.writer = self.spawn(self._write(peer))
        room.peers[peer.peer_id] = peer
        return room, peer

    def leave(self, room: Room, peer: Peer) -> None:
        room.peers.pop(peer.peer_id, None)
        peer.outbox.put_nowait(None)  # lets the writer finish what is queued, then stop
        if not room.peers:
            self.rooms.pop(room.session_id, None)
            hms_sessions.end(self.sb.db, room.hms_room_id)  # the last one out ends the 100ms session

    def room(self, session_id: str) -> Room | None:
        return self.rooms.get(session_id)

    def online_user_ids(self, session_id: str) -> set[str]:
        room = self.rooms.get(session_id)
        return room.online_user_ids() if room else set()

    def peers(self, room_id: str) -> list[dict]:
        """Connected peers of a 100ms room id, as the 100ms emulation reports them."""
        room = next((r for r in self.rooms.values() if r.hms_room_id == room_id), None)
        if room is None:
            return []
        return [{"peer_id": p.peer_id, "user_id": p.user_id, "name": p.display_name,
                 "role": p.role, "joined_at": p.joined_at} for p in room.peers.values()]

    # --- sending ----------------------------------------------------------------------

    def send(self, peer: Peer, message: dict[str, Any]) -> None:
        peer.outbox.put_nowait(message)

    def broadcast(self, session_id: str, message: dict[str, Any], exclude: Peer | None = None) -> None:
        room = self.rooms.get(session_id)
        for peer in list(room.peers.values()) if room else ():
            if peer is not exclude:
                peer.outbox.put_nowait(message)

    def broadcast_later(self, session_id: str, message: dict, delay_s: float, exclude: Peer | None = None):
        async def later():
            await asyncio.sleep(delay_s)
            self.broadcast(session_id, message, exclude=exclude)

        self.spawn(later())

    def send_later(self, peer: Peer, message: dict, delay_s: float) -> None:
        async def later():
            await asyncio.sleep(delay_s)
            self.send(peer, message)

        self.spawn(later())

    async def _write(self, peer: Peer) -> None:
        while (message := await peer.outbox.get()) is not None:
            try:
                await peer.websocket.send_json(message)
            except Exception:  # the socket went away; the reader side cleans up
                return

    # --- background work --------------------------------------------------------------

    def spawn(self, coro) -> asyncio.Task:
        """Run a coroutine the hub cancels on shutdown (delayed relays, recording processing)."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def close(self) -> None:
        for room in list(self.rooms.values()):
            for peer in list(room.peers.values()):
                with contextlib.suppress(Exception):
                    await peer.websocket.close(CLOSE_GOING_AWAY)
            hms_sessions.end(self.sb.db, room.hms_room_id)  # a kept database starts the next run with none live
        self.rooms.clear()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

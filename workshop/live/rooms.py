"""Rooms: per-workshop sets of live connections, rendered once per audience per tick.

Events only mark a room dirty. A single ticker renders every dirty room on a short tick,
once per audience, and puts the same strings into every connection's outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from workshop.domain.events import Change, WorkshopChanged
from workshop.live.outbox import Outbox

log = logging.getLogger(__name__)


class Audience(enum.StrEnum):
    PARTICIPANT = "participant"
    PRESENTER = "presenter"
    FACILITATOR = "facilitator"


class Part(enum.StrEnum):
    """The parts of a screen that an event can make stale."""

    HEADER = "header"
    AGENDA = "agenda"
    STAGE = "stage"
    RESULTS = "results"
    PARTICIPANTS = "participants"
    CHAT = "chat"
    INSIGHTS = "insights"
    SPOTLIGHT = "spotlight"


ALL_PARTS = frozenset(Part)

_STALE_PARTS: dict[Change, frozenset[Part]] = {
    Change.BALLOT_CAST: frozenset({Part.RESULTS, Part.AGENDA}),
    Change.ACTIVITY_UPDATED: frozenset({Part.STAGE, Part.RESULTS, Part.AGENDA}),
    Change.AGENDA_CHANGED: frozenset({Part.AGENDA, Part.STAGE, Part.RESULTS}),
    Change.STAGE_CHANGED: frozenset({Part.STAGE, Part.RESULTS, Part.AGENDA}),
    Change.RESULTS_TOGGLED: frozenset({Part.RESULTS, Part.AGENDA, Part.STAGE}),
    Change.OBJECTIVES_CHANGED: frozenset({Part.RESULTS}),
    Change.BOARD_CHANGED: frozenset({Part.RESULTS}),
    Change.PARTICIPANT_JOINED: frozenset({Part.PARTICIPANTS}),
    Change.CHAT_CHANGED: frozenset({Part.CHAT}),
    Change.INSIGHTS_CHANGED: frozenset({Part.INSIGHTS}),
    Change.SPOTLIGHT_CHANGED: frozenset({Part.SPOTLIGHT}),
    Change.WORKSHOP_UPDATED: ALL_PARTS,
}


class ScreenRenderer(Protocol):
    """Implemented by the web layer, which owns the templates."""

    async def load(self, workshop_id: str, parts: frozenset[Part] = ALL_PARTS) -> Any | None:
        """What the screens of one workshop show for these parts, read once per tick."""
        ...

    def render(self, state: Any, audience: Audience, parts: frozenset[Part]) -> dict[str, str]:
        """Fragments (id → HTML with hx-swap-oob) shared by every connection of an audience."""
        ...

    async def render_personal(self, state: Any, participant_id: str) -> dict[str, str]:
        """The fragments that differ for one participant (their own answer), or {}."""
        ...

    async def render_all_personal(self, state: Any) -> dict[str, dict[str, str]]:
        """Per participant who answered: their fragments. Participants with the same
        answer share one rendering."""
        ...


@dataclass(eq=False)
class Connection:
    outbox: Outbox
    audience: Audience
    participant_id: str | None = None


@dataclass
class Room:
    workshop_id: str
    connections: set[Connection] = field(default_factory=set)
    stale: set[Part] = field(default_factory=set)
    flushes: int = 0  # ticks that started rendering this room
    replay: set[Connection] = field(default_factory=set)  # full state due on next tick


class RoomRegistry:
    def __init__(self, renderer: ScreenRenderer, tick_seconds: float = 0.15) -> None:
        self.renderer = renderer
        self.tick_seconds = tick_seconds
        self.rooms: dict[str, Room] = {}
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._tick_forever(), name="workshop-rooms-ticker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def on_event(self, event: WorkshopChanged) -> None:
        """Hub listener: mark stale parts; never blocks."""
        room = self.rooms.get(event.workshop_id)
        if room is None or not room.connections:
            return
        room.stale |= _STALE_PARTS[event.change]
        self._dirty.add(event.workshop_id)
        self._wake.set()

    async def join(self, workshop_id: str, connection: Connection) -> None:
        """Register a connection and replay the full current state to it first.

        The connection is in the room before the state is read, so no event is missed
        and the room cannot be dropped meanwhile. Joins do not wait for ticks (a wave of
        joins stays fast). If a tick started while this replay was being read, its
        fragments may be newer or older than the replay, so the connection gets the full
        state again on the next tick, which runs after everything that came before.
        """
        room = self.rooms.setdefault(workshop_id, Room(workshop_id))
        room.connections.add(connection)
        seen = room.flushes
        state = await self.renderer.load(workshop_id)
        if state is None:
            return
        connection.outbox.put(await self._full_state(state, connection))
        if room.flushes != seen:
            room.replay.add(connection)
            self._dirty.add(workshop_id)
            self._wake.set()

    async def _full_state(self, state: Any, connection: Connection) -> dict[str, str]:
        fragments = self.renderer.render(state, connection.audience, ALL_PARTS)
        if connection.participant_id is not None:
            fragments.update(
                await self.renderer.render_personal(state, connection.participant_id))
        return fragments

    def leave(self, workshop_id: str, connection: Connection) -> None:
        room = self.rooms.get(workshop_id)
        if room is None:
            return
        room.connections.discard(connection)
        room.replay.discard(connection)
        if not room.connections:
            self.rooms.pop(workshop_id, None)
            self._dirty.discard(workshop_id)

    async def _tick_forever(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            dirty, self._dirty = self._dirty, set()
            for workshop_id in dirty:
                try:
                    await self.flush(workshop_id)
                except Exception:  # a render bug must not stop every room
                    log.exception("rendering workshop %s failed", workshop_id)
            await asyncio.sleep(self.tick_seconds)

    async def flush(self, workshop_id: str) -> None:
        room = self.rooms.get(workshop_id)
        if room is None:
            return
        if room.stale:
            await self._render_stale(room)
        if room.replay:
            replay, room.replay = room.replay, set()
            state = await self.renderer.load(workshop_id)
            if state is not None:
                for connection in replay & room.connections:
                    connection.outbox.put(await self._full_state(state, connection))

    async def _render_stale(self, room: Room) -> None:
        workshop_id = room.workshop_id
        room.flushes += 1
        parts, room.stale = frozenset(room.stale), set()
        state = await self.renderer.load(workshop_id, parts)
        if state is None:
            return
        personal: dict[str, dict[str, str]] = {}
        if Part.STAGE in parts and any(c.participant_id for c in room.connections):
            personal = await self.renderer.render_all_personal(state)
        connections = list(room.connections)  # no await below: a stable snapshot
        audiences = {c.audience for c in connections}
        shared = {a: self.renderer.render(state, a, parts) for a in audiences}
        for connection in connections:
            fragments = shared[connection.audience]
            if connection.participant_id in personal:
                fragments = {**fragments, **personal[connection.participant_id]}
            connection.outbox.put(fragments)

"""Services over a real SQLite file and the in-process hub: no fakes."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from workshop.auth.actors import FacilitatorActor, ParticipantActor
from workshop.domain.events import WorkshopChanged
from workshop.domain.flow import Action
from workshop.domain.models import Activity, Workshop
from workshop.live.memory import MemoryHub
from workshop.services.container import Services
from workshop.storage import open_store

PASSWORD = "correct horse battery"


@dataclass
class World:
    services: Services
    db_path: Path
    owner: FacilitatorActor
    workshop: Workshop
    events: list[WorkshopChanged]

    async def poll(self, kind: str = "single_choice", options: list[str] | None = None,
                   *, open_: bool = True, **settings: Any) -> Activity:
        data: dict[str, Any] = {"kind": kind, "prompt": "Question?", "settings": settings}
        if options is not None:
            data["options"] = options
        activity = await self.services.workshops.add_activity(self.owner, self.workshop.id, data)
        if open_:
            activity = await self.services.polls.act(self.owner, self.workshop.id, activity.id,
                                                     Action.OPEN)
        return activity

    async def participant(self, device: str, name: str = "") -> ParticipantActor:
        joined = await self.services.polls.join(self.workshop, device, name)
        return ParticipantActor(joined.id, self.workshop.id)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read the database file through a separate, plain sqlite3 connection: what any
        other reader (another process, another request) would see right now."""
        with contextlib.closing(sqlite3.connect(self.db_path)) as conn:
            return list(conn.execute(sql, params).fetchall())


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    db_path = tmp_path / "workshop.db"
    store = await open_store("sqlite:///" + str(db_path))
    hub = MemoryHub()
    await hub.connect()
    services = Services.build(store, hub)
    try:
        facilitator = await services.accounts.add_facilitator("owner@example.org", PASSWORD)
        owner = FacilitatorActor(facilitator.id)
        workshop = await services.workshops.create(owner, {"title": "Retro"})
        events: list[WorkshopChanged] = []
        hub.add_listener(events.append)
        yield World(services, db_path, owner, workshop, events)
    finally:
        await hub.close()
        await store.close()

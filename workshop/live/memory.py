"""In-process hub: a real backend for one process (the default)."""

from __future__ import annotations

from workshop.domain.events import WorkshopChanged
from workshop.live.hub import Listener


class MemoryHub:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    async def connect(self) -> None:
        return None

    async def close(self) -> None:
        self._listeners.clear()

    async def publish(self, event: WorkshopChanged) -> None:
        for listener in list(self._listeners):
            listener(event)

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

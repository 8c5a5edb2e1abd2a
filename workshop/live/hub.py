"""The hub contract and `open_hub(url)`, which picks a backend by URL scheme.

Listeners are plain callbacks that must not block: they mark work to do and return. So a
hub never queues without bound and one slow consumer never stalls a publisher.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from workshop.domain.events import WorkshopChanged

Listener = Callable[[WorkshopChanged], None]


class Hub(Protocol):
    async def connect(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, event: WorkshopChanged) -> None:
        """Deliver to the listeners of every process sharing this hub."""
        ...

    def add_listener(self, listener: Listener) -> None: ...


def hub_for_url(url: str) -> Hub:
    if url.startswith("memory://"):
        from workshop.live.memory import MemoryHub

        return MemoryHub()
    if url.startswith(("redis://", "rediss://")):
        from workshop.live.redis import RedisHub

        return RedisHub(url)
    raise ValueError(f"Unsupported hub URL {url!r}: use memory:// or redis://…")


async def open_hub(url: str) -> Hub:
    hub = hub_for_url(url)
    await hub.connect()
    return hub

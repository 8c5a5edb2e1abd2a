"""Redis hub: events travel over one pub/sub channel shared by every process.

Why it looks like this:
- One channel, `workshop:events`. Listeners are global (each process renders whichever
  workshops its clients watch), so per-workshop channels would only add pattern matching.
- `publish` only sends to Redis; this process's listeners hear the event back through
  their own subscription like every other process, so each listener sees it exactly
  once. `connect` returns only once the subscription is confirmed, so an event published
  right after it is not missed.
- A background task reads the subscription and calls the (sync, non-blocking)
  listeners. If the connection drops it logs a warning and resubscribes with capped
  exponential backoff. Pub/sub keeps nothing: events sent while disconnected are lost.
- If Redis is unreachable when publishing, the committed change must not fail the
  request: log a warning and notify this process's listeners directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from workshop.domain.events import WorkshopChanged
from workshop.live.hub import Listener

log = logging.getLogger(__name__)

CHANNEL = "workshop:events"
SUBSCRIBE_TIMEOUT = 5.0
READ_TIMEOUT = 1.0  # wake regularly so health checks run on an idle connection
BACKOFF_START = 0.1
BACKOFF_MAX = 5.0


class RedisHub:
    def __init__(
        self, url: str, *, channel: str = CHANNEL, client_name: str = "workshop-hub"
    ) -> None:
        self.url = url
        self.channel = channel
        self.client_name = client_name  # shown by CLIENT LIST, to tell our connections apart
        self._listeners: list[Listener] = []
        self._client: aioredis.Redis | None = None
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self._client = aioredis.Redis.from_url(
            self.url, client_name=self.client_name, health_check_interval=15,
            socket_keepalive=True,
        )
        try:
            self._pubsub = await self._subscribe()
        except BaseException:  # unreachable at startup: fail loudly, leave nothing open
            await self.close()
            raise
        self._reader = asyncio.create_task(self._read_forever(), name="redis-hub-reader")

    async def close(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            await _close_pubsub(pubsub)
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()
        self._listeners.clear()

    async def publish(self, event: WorkshopChanged) -> None:
        try:
            await self._redis.publish(self.channel, event.encode())
        except (RedisError, OSError) as exc:
            log.warning("Redis publish failed (%s); notifying this process only", exc)
            self._dispatch(event)

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    @property
    def _redis(self) -> aioredis.Redis:
        if self._client is None:
            raise RuntimeError("hub is not connected")
        return self._client

    async def _subscribe(self) -> PubSub:
        """A new subscription, returned once Redis has confirmed it."""
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            async with asyncio.timeout(SUBSCRIBE_TIMEOUT):
                while True:
                    message = await pubsub.get_message(timeout=READ_TIMEOUT)
                    if message is not None and message["type"] == "subscribe":
                        return pubsub
        except BaseException:
            await _close_pubsub(pubsub)
            raise

    async def _read_forever(self) -> None:
        backoff = BACKOFF_START
        while True:
            try:
                if self._pubsub is None:
                    self._pubsub = await self._subscribe()
                    log.info("Redis hub resubscribed to %s", self.channel)
                message = await self._pubsub.get_message(timeout=READ_TIMEOUT)
                backoff = BACKOFF_START
            except Exception as exc:  # whatever broke, keep the hub alive and retry
                log.warning("Redis hub connection lost (%s); retrying in %.1fs", exc, backoff)
                pubsub, self._pubsub = self._pubsub, None
                if pubsub is not None:
                    with contextlib.suppress(RedisError, OSError):
                        await _close_pubsub(pubsub)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX)
                continue
            if message is not None and message["type"] == "message":
                self._deliver(message)

    def _deliver(self, message: dict[str, Any]) -> None:
        try:
            event = WorkshopChanged.decode(message["data"])
        except (ValueError, KeyError, TypeError):
            log.warning("Ignoring malformed hub message %r", message["data"])
            return
        self._dispatch(event)

    def _dispatch(self, event: WorkshopChanged) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("Hub listener failed on %r", event)


async def _close_pubsub(pubsub: PubSub) -> None:
    """Release the subscription's connection (redis-py leaves `PubSub.aclose` untyped)."""
    await pubsub.aclose()  # type: ignore[no-untyped-call]

"""A bounded, latest-wins outbox per connection.

Fan-out puts fragments here without awaiting anything. Only the newest version of each
fragment id is kept, so a slow reader costs at most one copy of each fragment. A reader
that stays stuck longer than `stall_seconds` is closed with 1013 (try again later); the
page reconnects and gets a full state replay.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Send = Callable[[str], Awaitable[None]]
Close = Callable[[int, str], Awaitable[None]]

CLOSE_TRY_AGAIN = 1013


class Outbox:
    def __init__(self, send: Send, close: Close, *, max_fragments: int = 64,
                 stall_seconds: float = 15.0) -> None:
        self._send = send
        self._close = close
        self._pending: dict[str, str] = {}
        self._wake = asyncio.Event()
        self._max_fragments = max_fragments
        self._stall_seconds = stall_seconds
        self._sending_since: float | None = None
        self.closed = False

    def put(self, fragments: dict[str, str]) -> None:
        """Queue fragments (by id, newest wins). Never blocks."""
        if self.closed:
            return
        for fragment_id, html in fragments.items():
            self._pending.pop(fragment_id, None)
            self._pending[fragment_id] = html
        stalled = (self._sending_since is not None
                   and time.monotonic() - self._sending_since > self._stall_seconds)
        if len(self._pending) > self._max_fragments or stalled:
            self._give_up()
            return
        self._wake.set()

    def _give_up(self) -> None:
        self.closed = True
        self._pending.clear()
        self._wake.set()

    async def run(self) -> None:
        """Write queued fragments until closed; one WebSocket message per wake-up."""
        while True:
            await self._wake.wait()
            self._wake.clear()
            if self.closed:
                await self._close(CLOSE_TRY_AGAIN, "client too slow; reconnect")
                return
            if not self._pending:
                continue
            message = "\n".join(self._pending.values())
            self._pending.clear()
            self._sending_since = time.monotonic()
            await self._send(message)
            self._sending_since = None

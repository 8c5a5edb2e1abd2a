"""The Hub contract: the same tests against every hub backend, on real servers.

Waits are real and bounded: a `Recorder` wakes waiters on each event and `wait_for` gives
up after a few seconds. Each test uses its own workshop ids and ignores any other event,
so runs sharing one Redis server do not disturb each other.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from workshop.domain.events import Change, WorkshopChanged
from workshop.domain.ids import new_id
from workshop.live.hub import Hub, open_hub
from workshop.live.redis import RedisHub

REDIS_URL = os.environ.get("WORKSHOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
WAIT = 5.0
REPO = Path(__file__).resolve().parents[2]


class Recorder:
    """A listener keeping the events of one workshop, in arrival order."""

    def __init__(self, workshop_id: str) -> None:
        self.workshop_id = workshop_id
        self.events: list[WorkshopChanged] = []
        self._arrived = asyncio.Event()

    def __call__(self, event: WorkshopChanged) -> None:
        if event.workshop_id == self.workshop_id:
            self.events.append(event)
            self._arrived.set()

    async def wait_for(self, count: int, timeout: float = WAIT) -> list[WorkshopChanged]:
        async with asyncio.timeout(timeout):
            while len(self.events) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.events


def event(workshop_id: str, change: Change = Change.BALLOT_CAST) -> WorkshopChanged:
    return WorkshopChanged(workshop_id, change, new_id())


@pytest.fixture(
    params=[
        pytest.param("memory://", id="memory"),
        pytest.param(REDIS_URL, id="redis", marks=pytest.mark.redis),
    ]
)
async def hub(request: pytest.FixtureRequest) -> AsyncIterator[Hub]:
    opened = await open_hub(request.param)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def redis_hubs() -> AsyncIterator[tuple[RedisHub, RedisHub]]:
    """Two hubs on one Redis: the second stands for another process."""
    first, second = RedisHub(REDIS_URL), RedisHub(REDIS_URL)
    await first.connect()
    await second.connect()
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


# -- every backend ----------------------------------------------------------------------


async def test_published_event_reaches_listener(hub: Hub) -> None:
    recorder = Recorder(new_id())
    hub.add_listener(recorder)
    sent = event(recorder.workshop_id)
    await hub.publish(sent)
    assert await recorder.wait_for(1) == [sent]


async def test_events_round_trip_unchanged_and_in_order(hub: Hub) -> None:
    recorder = Recorder(new_id())
    hub.add_listener(recorder)
    sent = [WorkshopChanged(recorder.workshop_id, change, new_id()) for change in Change]
    sent.append(WorkshopChanged(recorder.workshop_id, Change.AGENDA_CHANGED, None))
    for item in sent:
        await hub.publish(item)
    assert await recorder.wait_for(len(sent)) == sent


async def test_each_listener_hears_an_event_once(hub: Hub) -> None:
    workshop_id = new_id()
    first, second = Recorder(workshop_id), Recorder(workshop_id)
    hub.add_listener(first)
    hub.add_listener(second)
    sent, marker = event(workshop_id), event(workshop_id, Change.STAGE_CHANGED)
    await hub.publish(sent)
    await hub.publish(marker)
    # Delivery is ordered, so once the marker is in, any duplicate of `sent` would be too.
    for recorder in (first, second):
        assert await recorder.wait_for(2) == [sent, marker]


async def test_close_is_clean(hub: Hub) -> None:
    await hub.close()
    await hub.close()  # closing twice is harmless
    assert asyncio.all_tasks() == {asyncio.current_task()}


# -- Redis: several processes -----------------------------------------------------------


@pytest.mark.redis
async def test_event_reaches_another_hub_and_the_publisher(
    redis_hubs: tuple[RedisHub, RedisHub],
) -> None:
    publisher, other = redis_hubs
    workshop_id = new_id()
    here, there = Recorder(workshop_id), Recorder(workshop_id)
    publisher.add_listener(here)
    other.add_listener(there)
    sent, marker = event(workshop_id), event(workshop_id, Change.STAGE_CHANGED)
    await publisher.publish(sent)
    await other.publish(marker)
    assert await there.wait_for(2) == [sent, marker]
    assert await here.wait_for(2) == [sent, marker]


@pytest.mark.redis
async def test_event_from_another_os_process(redis_hubs: tuple[RedisHub, RedisHub]) -> None:
    hub, _ = redis_hubs
    recorder = Recorder(new_id())
    hub.add_listener(recorder)
    script = (
        "import asyncio, sys\n"
        "from workshop.domain.events import Change, WorkshopChanged\n"
        "from workshop.live.redis import RedisHub\n"
        "async def main() -> None:\n"
        "    hub = RedisHub(sys.argv[1])\n"
        "    await hub.connect()\n"
        "    try:\n"
        "        await hub.publish(WorkshopChanged(sys.argv[2], Change.PARTICIPANT_JOINED))\n"
        "    finally:\n"
        "        await hub.close()\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(REPO), os.environ.get("PYTHONPATH", "")]))}
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-W", "error", "-c", script, REDIS_URL,
                         recorder.workshop_id],
        env=env, capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert await recorder.wait_for(1) == [
        WorkshopChanged(recorder.workshop_id, Change.PARTICIPANT_JOINED)
    ]


@pytest.mark.redis
async def test_failing_listener_does_not_stop_delivery(
    redis_hubs: tuple[RedisHub, RedisHub],
) -> None:
    hub, _ = redis_hubs

    def broken(_: WorkshopChanged) -> None:
        raise RuntimeError("listener bug")

    recorder = Recorder(new_id())
    hub.add_listener(broken)
    hub.add_listener(recorder)
    first, second = event(recorder.workshop_id), event(recorder.workshop_id)
    await hub.publish(first)
    await hub.publish(second)
    assert await recorder.wait_for(2) == [first, second]


@pytest.mark.redis
async def test_resubscribes_after_the_connection_drops() -> None:
    name = "workshop-test-" + new_id()
    hub = RedisHub(REDIS_URL, client_name=name)
    await hub.connect()
    admin = aioredis.Redis.from_url(REDIS_URL)
    try:
        recorder = Recorder(new_id())
        hub.add_listener(recorder)
        clients = await admin.client_list(_type="pubsub")
        ids = [c["id"] for c in clients if c.get("name") == name]
        assert len(ids) == 1
        assert await admin.client_kill_filter(_id=ids[0]) == 1

        # Events sent while the subscription is down are lost (pub/sub keeps nothing), so
        # keep publishing until one arrives through the new subscription.
        sent = event(recorder.workshop_id)
        async with asyncio.timeout(3 * WAIT):
            while not recorder.events:
                await hub.publish(sent)
                try:
                    await recorder.wait_for(1, timeout=0.2)
                except TimeoutError:
                    continue
        assert recorder.events[0] == sent
    finally:
        await admin.aclose()
        await hub.close()


@pytest.mark.redis
async def test_unreachable_redis_fails_loudly_and_leaves_nothing_open() -> None:
    hub = RedisHub("redis://127.0.0.1:1/0")  # nothing listens on port 1
    with pytest.raises(RedisConnectionError):
        await hub.connect()
    assert asyncio.all_tasks() == {asyncio.current_task()}

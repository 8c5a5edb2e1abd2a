"""Two server processes' worth of app sharing PostgreSQL and Redis: a vote cast through
one server reaches a screen connected to the other."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from websockets.sync.client import connect

from tests.support import LiveServer, Participant, free_port, serve
from workshop.settings import Settings

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

POSTGRES_URL = os.environ.get("WORKSHOP_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("WORKSHOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
def two_servers() -> Iterator[tuple[LiveServer, LiveServer]]:
    name = "workshop_test_" + uuid.uuid4().hex[:16]
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    database = urlunsplit(urlsplit(POSTGRES_URL)._replace(path="/" + name))
    try:
        common = {"database_url": database, "hub_url": REDIS_URL, "tick_ms": 50,
                  "secret_key": "shared-secret"}
        with serve(Settings(port=free_port(), **common)) as first, \
                serve(Settings(port=free_port(), **common)) as second:
            yield first, second
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _read_until(ws: object, needle: str, limit: int = 50) -> str:
    for _ in range(limit):
        message = ws.recv(timeout=10)  # type: ignore[attr-defined]
        if needle in message:
            return str(message)
    raise AssertionError(f"never received {needle!r}")


def test_vote_on_one_server_reaches_screen_on_the_other(
        two_servers: tuple[LiveServer, LiveServer]) -> None:
    first, second = two_servers
    facilitator = first.add_facilitator()
    workshop = facilitator.create_workshop("Scaled out")
    poll = facilitator.add_activity(workshop["id"], "single_choice", "Pick", ["a", "b"])
    facilitator.act(workshop["id"], poll["id"], "open")
    facilitator.show(workshop["id"], poll["id"])

    watcher = Participant(second, workshop["code"], "Watcher")
    voter = Participant(first, workshop["code"], "Voter")
    with connect(f"{second.ws_url}/ws/j/{workshop['code']}",
                 additional_headers={"Cookie": watcher.cookie_header,
                                     "Origin": second.base_url}) as ws:
        _read_until(ws, 'data-total="0"')
        assert voter.respond(poll["id"], poll["options"][0]["id"]).status_code == 201
        _read_until(ws, 'data-total="1"')
        assert watcher.respond(poll["id"], poll["options"][1]["id"]).status_code == 201
        _read_until(ws, 'data-total="2"')

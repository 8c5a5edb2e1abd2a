from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Facilitator, LiveServer, close_clients, free_port, serve
from workshop.settings import Settings


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app on a real SQLite file, served by uvicorn on a free local port."""
    db = Path(tmp_path_factory.mktemp("db")) / "workshop.db"
    settings = Settings(database_url=f"sqlite:///{db}", port=free_port(), tick_ms=50,
                        secret_key="test-secret-key")
    with serve(settings) as live:
        yield live


@pytest.fixture
def facilitator(server: LiveServer) -> Facilitator:
    return server.add_facilitator()


@pytest.fixture
def workshop(facilitator: Facilitator) -> dict[str, object]:
    return facilitator.create_workshop()


@pytest.fixture(autouse=True)
def _close_http_clients() -> Iterator[None]:
    yield
    close_clients()

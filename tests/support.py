"""Test support: a real server on a real SQLite file, and clients that talk to it."""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from workshop.app import create_app
from workshop.services.container import open_services
from workshop.settings import Settings

PASSWORD = "correct horse battery"

_open_clients: list[httpx.Client] = []


def client(base_url: str, **kwargs: Any) -> httpx.Client:
    """An httpx client closed automatically after the test (see conftest)."""
    opened = httpx.Client(base_url=base_url, timeout=20, **kwargs)
    _open_clients.append(opened)
    return opened


def close_clients() -> None:
    while _open_clients:
        _open_clients.pop().close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    settings: Settings
    base_url: str

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://")

    def run(self, coro: Any) -> Any:
        """Run a coroutine against the same database from the test's thread."""
        return asyncio.run(coro)

    def add_facilitator(self, email: str | None = None) -> Facilitator:
        email = email or f"f-{uuid.uuid4().hex[:8]}@example.com"

        async def create() -> str:
            async with open_services(self.settings) as services:
                await services.accounts.add_facilitator(email, PASSWORD)
                return await services.accounts.create_token(email, "tests")

        token = self.run(create())
        return Facilitator(self, email, token)


@contextmanager
def serve(settings: Settings) -> Iterator[LiveServer]:
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=settings.port, log_level="warning",
                            ws="websockets-sansio", ws_per_message_deflate=False,
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(settings, f"http://127.0.0.1:{settings.port}")
    finally:
        server.should_exit = True
        thread.join(timeout=15)


class Facilitator:
    def __init__(self, server: LiveServer, email: str, token: str) -> None:
        self.server = server
        self.email = email
        self.token = token
        self.api = client(server.base_url, headers={"Authorization": f"Bearer {token}"})

    def create_workshop(self, title: str = "OKR goal setting") -> dict[str, Any]:
        response = self.api.post("/api/v1/workshops", json={"title": title})
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    def add_activity(self, workshop_id: str, kind: str, prompt: str = "Question?",
                     options: list[str] | None = None, **settings: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"kind": kind, "prompt": prompt}
        if options is not None:
            body["options"] = options
        if settings:
            body["settings"] = settings
        response = self.api.post(f"/api/v1/workshops/{workshop_id}/activities", json=body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    def act(self, workshop_id: str, activity_id: str, action: str) -> httpx.Response:
        response = self.api.post(
            f"/api/v1/workshops/{workshop_id}/activities/{activity_id}/{action}")
        assert response.status_code == 200, response.text
        return response

    def show(self, workshop_id: str, activity_id: str | None) -> None:
        response = self.api.put(f"/api/v1/workshops/{workshop_id}/current",
                                json={"activity_id": activity_id})
        assert response.status_code == 200, response.text

    def results(self, workshop_id: str, activity_id: str) -> dict[str, Any]:
        response = self.api.get(
            f"/api/v1/workshops/{workshop_id}/activities/{activity_id}/results")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def browser_client(self) -> httpx.Client:
        """A cookie-holding client signed in through the /login form, like a browser."""
        browser = client(self.server.base_url)
        page = browser.get("/login")
        token = csrf_from(page.text)
        response = browser.post("/login", data={"email": self.email, "password": PASSWORD,
                                                "csrf_token": token})
        assert response.status_code == 303, response.text
        return browser


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Participant:
    def __init__(self, server: LiveServer, code: str, name: str = "") -> None:
        self.server = server
        self.client = client(server.base_url)
        response = self.client.post("/api/v1/join", json={"code": code, "name": name})
        assert response.status_code == 201, response.text
        self.workshop_id: str = response.json()["workshop_id"]
        self.id: str = response.json()["participant_id"]
        self.code = code

    def respond(self, activity_id: str, value: Any, client_id: str | None = None
                ) -> httpx.Response:
        return self.client.post(
            f"/api/v1/workshops/{self.workshop_id}/activities/{activity_id}/responses",
            json={"value": value, "client_id": client_id or uuid.uuid4().hex})

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.client.cookies.items())

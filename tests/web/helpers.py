"""Helpers shared by the web tests: read the server's database file, send requests as each
kind of caller, open real WebSocket connections (one per audience of a screen), wait for a
matching message with a bounded timeout."""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import time
from collections.abc import Callable
from typing import Any, Protocol

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tests.support import Facilitator, LiveServer, Participant, client, csrf_from

WAIT_SECONDS = 10.0

# Everything people can change; compared before and after a refused request.
TABLES = ("facilitators", "api_tokens", "setup_tokens", "workshops", "activities",
          "participants", "ballots", "ballot_items", "applied_requests")

# Everything the chat and insights can change, compared before and after a refusal.
CHAT_TABLES = ("workshops", "participants", "activities", "messages", "message_upvotes",
               "bans", "insights", "workshop_members", "applied_requests")


def db_path(server: LiveServer) -> str:
    return server.settings.database_url.removeprefix("sqlite:///")


def query(server: LiveServer, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Read the live server's SQLite file through a separate connection (committed data)."""
    with contextlib.closing(sqlite3.connect(db_path(server))) as conn:
        return list(conn.execute(sql, params).fetchall())


def snapshot(server: LiveServer,
             tables: tuple[str, ...] = TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table people can change (or of `tables`), in a stable order."""
    with contextlib.closing(sqlite3.connect(db_path(server))) as conn:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                for table in tables}


def chat_snapshot(server: LiveServer) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the chat and insights can change."""
    return snapshot(server, CHAT_TABLES)


def cookie_header(http: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def with_csrf(server: LiveServer, http: httpx.Client | None = None) -> tuple[httpx.Client, str]:
    """A client holding a CSRF cookie, and the matching token (as a page would embed it)."""
    http = http or client(server.base_url)
    page = http.get("/login")
    assert page.status_code == 200, page.text
    return http, csrf_from(page.text)


# The callers a permission test sends the same request as; anyone else is the owner.
ANONYMOUS, PARTICIPANT, OUTSIDER, OWNER = "anonymous", "participant", "outsider", "owner"


class Callers(Protocol):
    """A scene with a workshop's owner, a facilitator of another workshop (the outsider)
    and a participant of the owner's workshop."""

    @property
    def server(self) -> LiveServer: ...

    @property
    def owner(self) -> Facilitator: ...

    @property
    def outsider(self) -> Facilitator: ...

    @property
    def participant(self) -> Participant: ...


class CarolCalls:
    """Mixed into a scene whose participant caller is Carol (`carol`)."""

    carol: Participant

    @property
    def participant(self) -> Participant:
        return self.carol


def facilitator_accounts(server: LiveServer) -> tuple[str, str, str, str]:
    """Two new facilitators, the owner and the outsider: their emails and API tokens."""
    owner = server.add_facilitator()
    outsider = server.add_facilitator()
    return owner.email, owner.token, outsider.email, outsider.token


def owner_and_outsider(server: LiveServer, accounts: tuple[str, str, str, str]
                       ) -> tuple[Facilitator, Facilitator, dict[str, Any]]:
    """The two facilitators of `facilitator_accounts`, the outsider with a workshop of its
    own, and the owner's new workshop ("Owner's workshop")."""
    owner_email, owner_token, outsider_email, outsider_token = accounts
    owner = Facilitator(server, owner_email, owner_token)
    outsider = Facilitator(server, outsider_email, outsider_token)
    outsider.create_workshop("The outsider's own workshop")
    return owner, outsider, owner.create_workshop("Owner's workshop")


def api_client(scene: Callers, who: str) -> httpx.Client:
    """An API client for `who`: no credentials, the participant's cookie, or a token."""
    if who == ANONYMOUS:
        return client(scene.server.base_url)
    if who == PARTICIPANT:
        return scene.participant.client
    return (scene.outsider if who == OUTSIDER else scene.owner).api


def page_client(scene: Callers, who: str) -> tuple[httpx.Client, str]:
    """A browser-like client for `who`, holding a valid CSRF cookie and token."""
    if who == ANONYMOUS:
        return with_csrf(scene.server)
    if who == PARTICIPANT:
        return with_csrf(scene.server, scene.participant.client)
    facilitator = scene.outsider if who == OUTSIDER else scene.owner
    return with_csrf(scene.server, facilitator.browser_client())


def ws_connect(server: LiveServer, path: str, *, cookies: str = "",
               origin: str | None = None, **headers: str) -> ClientConnection:
    """A real WebSocket connection, sent the Origin a browser on this site would send."""
    sent = {"Origin": server.base_url if origin is None else origin, **headers}
    if cookies:
        sent["Cookie"] = cookies
    return connect(server.ws_url + path, additional_headers=sent, open_timeout=WAIT_SECONDS,
                   close_timeout=WAIT_SECONDS, max_size=2**22)


def ws_refusal(server: LiveServer, path: str, *, cookies: str = "",
               origin: str | None = None, **headers: str) -> tuple[int, str]:
    """Try to open a socket that must be refused; return the handshake's status and body."""
    try:
        with ws_connect(server, path, cookies=cookies, origin=origin, **headers) as ws:
            message = ws.recv(timeout=WAIT_SECONDS)
    except InvalidStatus as refused:
        return refused.response.status_code, bytes(refused.response.body or b"").decode()
    raise AssertionError(f"socket {path} was accepted and sent {message[:200]!r}")


def first(ws: ClientConnection) -> str:
    """The first message of a socket: the full current state of its screen."""
    message = ws.recv(timeout=WAIT_SECONDS)
    assert isinstance(message, str)
    return message


class AudienceSockets:
    """Mixed into a scene with a `server`, a workshop (`wid`, `code`) and a facilitator's
    `browser` client: a socket for each audience of that workshop."""

    server: LiveServer
    wid: str
    code: str
    browser: httpx.Client

    def participant_socket(self, participant: Participant) -> ClientConnection:
        return ws_connect(self.server, f"/ws/j/{self.code}", cookies=participant.cookie_header)

    def console_socket(self) -> ClientConnection:
        return ws_connect(self.server, f"/ws/console/{self.wid}",
                          cookies=cookie_header(self.browser))

    def presenter_socket(self) -> ClientConnection:
        return ws_connect(self.server, f"/ws/present/{self.wid}",
                          cookies=cookie_header(self.browser))


def wait_for(ws: ClientConnection, predicate: Callable[[str], bool],
             timeout: float = WAIT_SECONDS, what: str = "a matching message") -> str:
    """Receive until a message matches; fail after `timeout` seconds with what was seen."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            message = ws.recv(timeout=remaining)
        except TimeoutError:
            raise AssertionError(
                f"no {what} within {timeout}s; received {len(seen)} message(s): "
                + " | ".join(m[:300] for m in seen)) from None
        assert isinstance(message, str)
        seen.append(message)
        if predicate(message):
            return message


def fragment(html: str, element_id: str) -> str | None:
    """The opening tag and content of the element with this id in a message (or None)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"', html)
    if match is None:
        return None
    tag = match.group(1)
    end = html.find(f"</{tag}>", match.start())
    return html[match.start(): end + len(tag) + 3 if end >= 0 else len(html)]


def attribute(html: str, element_id: str, name: str) -> str | None:
    """An attribute of the element with this id (first occurrence)."""
    piece = fragment(html, element_id)
    if piece is None:
        return None
    opening = piece[: piece.find(">") + 1]
    match = re.search(rf'\b{re.escape(name)}="([^"]*)"', opening)
    return match.group(1) if match else None


def assert_no_server_errors(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing was logged at ERROR by the server during the test: no 500, no crashed
    WebSocket, no failed render (the server runs in a thread of this process)."""
    errors = [f"{r.name}: {r.getMessage()}" for r in caplog.records
              if r.levelno >= logging.ERROR]
    assert not errors, errors

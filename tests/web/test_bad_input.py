"""Bad input gets a clear 4xx with a message — never a 500 — and changes nothing.

JSON API errors are `{"detail": …, "code": …}`; pages answer with an HTML page that says
what is wrong; WebSockets are refused at the handshake or closed with a code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.support import Facilitator, LiveServer, Participant, client
from tests.web.helpers import (
    WAIT_SECONDS,
    assert_no_server_errors,
    attribute,
    snapshot,
    wait_for,
    with_csrf,
    ws_connect,
    ws_refusal,
)
from workshop.domain import limits

FOREIGN = "https://evil.example"


@pytest.fixture(autouse=True)
def _no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_server_errors(caplog)


@dataclass
class Scene:
    server: LiveServer
    owner: Facilitator
    participant: Participant
    workshop: dict[str, Any]
    polls: dict[str, dict[str, Any]]

    @property
    def wid(self) -> str:
        return str(self.workshop["id"])

    @property
    def code(self) -> str:
        return str(self.workshop["code"])

    def poll(self, name: str) -> str:
        return str(self.polls[name]["id"])

    def responses(self, name: str) -> str:
        return f"/api/v1/workshops/{self.wid}/activities/{self.poll(name)}/responses"

    def vote(self, value: Any, name: str = "choice", **extra: Any) -> httpx.Response:
        return self.participant.client.post(self.responses(name),
                                            json={"value": value, "client_id": "c-1", **extra})


@pytest.fixture
def scene(server: LiveServer, facilitator: Facilitator) -> Scene:
    workshop = facilitator.create_workshop("Bad input")
    wid = workshop["id"]
    polls = {
        "choice": facilitator.add_activity(wid, "single_choice", "Pick", ["Mon", "Fri"]),
        "text": facilitator.add_activity(wid, "open_text", "Say"),
        "rating": facilitator.add_activity(wid, "rating", "Rate"),
        "closed": facilitator.add_activity(wid, "rating", "Was"),
        "draft": facilitator.add_activity(wid, "rating", "Later"),
    }
    for name in ("choice", "text", "rating", "closed"):
        facilitator.act(wid, polls[name]["id"], "open")
    facilitator.act(wid, polls["closed"]["id"], "close")
    facilitator.show(wid, polls["choice"]["id"])
    participant = Participant(server, workshop["code"], "Pat")
    return Scene(server, facilitator, participant, workshop, polls)


@dataclass(frozen=True)
class Case:
    name: str
    send: Callable[[Scene], httpx.Response]
    status: int
    detail: str  # a part of the message


def _join(body: dict[str, Any]) -> Callable[[Scene], httpx.Response]:
    return lambda s: client(s.server.base_url).post("/api/v1/join", json=body)


def _add(body: dict[str, Any]) -> Callable[[Scene], httpx.Response]:
    return lambda s: s.owner.api.post(f"/api/v1/workshops/{s.wid}/activities", json=body)


def _patch(name: str, body: dict[str, Any]) -> Callable[[Scene], httpx.Response]:
    return lambda s: s.owner.api.patch(
        f"/api/v1/workshops/{s.wid}/activities/{s.poll(name)}", json=body)


def _raw(method: str, path: str, content: bytes, **headers: str
         ) -> Callable[[Scene], httpx.Response]:
    def send(s: Scene) -> httpx.Response:
        return s.owner.api.request(method, path.format(w=s.wid), content=content,
                                   headers={"content-type": "application/json", **headers})
    return send


def _chunks(total: int) -> Iterator[bytes]:
    """A body sent in chunks without Content-Length (Transfer-Encoding: chunked)."""
    sent = 0
    while sent < total:
        yield b"x" * 1000
        sent += 1000


BIG = limits.REQUEST_BODY_MAX + 1
TOO_LARGE = f"larger than {limits.REQUEST_BODY_MAX} bytes"

API_CASES = [
    # joining
    Case("unknown join code", _join({"code": "000000"}), 404, "No workshop has that code"),
    Case("join code of letters", _join({"code": "abcdef"}), 404, "No workshop has that code"),
    Case("empty join code", _join({"code": ""}), 404, "No workshop has that code"),
    Case("join code not text", _join({"code": 482913}), 422, "code"),
    Case("name one over the limit", lambda s: client(s.server.base_url).post(
        "/api/v1/join", json={"code": s.code, "name": "x" * (limits.NAME_MAX + 1)}),
        422, f"the limit is {limits.NAME_MAX}"),
    Case("name far over the limit", lambda s: client(s.server.base_url).post(
        "/api/v1/join", json={"code": s.code, "name": "x" * 500}), 422, "name"),
    Case("name not text", lambda s: client(s.server.base_url).post(
        "/api/v1/join", json={"code": s.code, "name": ["x"]}), 422, "name"),
    # voting
    Case("closed poll", lambda s: s.vote(3, "closed"), 409, "Voting on this poll is closed"),
    Case("poll not open yet", lambda s: s.vote(3, "draft"), 409, "not open yet"),
    Case("option not in poll", lambda s: s.vote("not-an-option"), 422,
         "That option is not part of this poll"),
    Case("option of another poll", lambda s: s.vote(s.polls["rating"]["id"]), 422,
         "not part of this poll"),
    Case("several options in a single choice", lambda s: s.vote(
        [o["id"] for o in s.polls["choice"]["options"]]), 422, "value must be an option id"),
    Case("empty open text", lambda s: s.vote("", "text"), 422, "Answer must not be empty"),
    Case("blank open text", lambda s: s.vote(" \n ", "text"), 422, "Answer must not be empty"),
    Case("open text one over the limit", lambda s: s.vote("x" * (limits.OPEN_TEXT_MAX + 1),
                                                          "text"),
         422, f"the limit is {limits.OPEN_TEXT_MAX}"),
    Case("open text far over the limit", lambda s: s.vote("x" * 20_000, "text"),
         422, f"the limit is {limits.OPEN_TEXT_MAX}"),
    Case("rating out of range", lambda s: s.vote(6, "rating"), 422,
         "value must be between 1 and 5"),
    Case("rating as a word", lambda s: s.vote("five", "rating"), 422, "whole number"),
    Case("rating as a bool", lambda s: s.vote(True, "rating"), 422, "whole number"),
    Case("rating as a fraction", lambda s: s.vote(2.5, "rating"), 422, "whole number"),
    Case("missing client_id", lambda s: s.participant.client.post(
        s.responses("choice"), json={"value": s.polls["choice"]["options"][0]["id"]}),
        422, "client_id"),
    Case("empty client_id", lambda s: s.vote(s.polls["choice"]["options"][0]["id"],
                                             client_id="  "), 422, "client_id is required"),
    Case("client_id not text", lambda s: s.vote(s.polls["choice"]["options"][0]["id"],
                                                client_id=7), 422, "client_id"),
    Case("client_id too long", lambda s: s.vote(s.polls["choice"]["options"][0]["id"],
                                                client_id="c" * (limits.CLIENT_ID_MAX + 1)),
         422, f"client_id: is too long: the limit is {limits.CLIENT_ID_MAX} characters"),
    Case("missing value", lambda s: s.participant.client.post(
        s.responses("choice"), json={"client_id": "c-1"}), 422, "value"),
    Case("unknown activity", lambda s: s.participant.client.post(
        f"/api/v1/workshops/{s.wid}/activities/nope/responses",
        json={"value": 1, "client_id": "c-1"}), 404, "no activity with that id"),
    # facilitator input
    Case("malformed JSON", _raw("POST", "/api/v1/workshops/{w}/activities",
                                b'{"kind": "rating", "prompt": '),
         422, "The request body is not valid JSON"),
    Case("JSON array instead of object", _raw("POST", "/api/v1/workshops", b"[1, 2]"),
         422, "valid dictionary"),
    Case("unknown kind", _add({"kind": "quiz", "prompt": "Q"}), 422,
         "Unknown activity kind 'quiz'"),
    Case("unknown setting", _add({"kind": "rating", "prompt": "Q", "settings": {"colour": 1}}),
         422, "Unknown setting(s) for rating: colour"),
    Case("setting of another kind", _add({"kind": "rating", "prompt": "Q",
                                          "settings": {"max_picks": 2}}),
         422, "Unknown setting(s) for rating: max_picks"),
    Case("unknown field", _add({"kind": "rating", "prompt": "Q", "colour": "red"}),
         422, "colour"),
    Case("options for a rating", _add({"kind": "rating", "prompt": "Q", "options": ["a", "b"]}),
         422, "takes no options"),
    Case("one option only", _add({"kind": "single_choice", "prompt": "Q", "options": ["a"]}),
         422, "at least 2 options"),
    Case("duplicate options", _add({"kind": "single_choice", "prompt": "Q",
                                    "options": ["Yes", "yes"]}),
         422, "same label"),
    Case("empty prompt", _add({"kind": "rating", "prompt": "  "}), 422,
         "Question must not be empty"),
    Case("prompt too long", _add({"kind": "rating", "prompt": "q" * (limits.PROMPT_MAX + 1)}),
         422, f"the limit is {limits.PROMPT_MAX}"),
    Case("kind not text", _add({"kind": 3, "prompt": "Q"}), 422, "kind"),
    Case("settings not an object", _add({"kind": "rating", "prompt": "Q", "settings": [1]}),
         422, "settings"),
    Case("options not a list", _add({"kind": "single_choice", "prompt": "Q", "options": "ab"}),
         422, "options"),
    Case("max_picks not a number", _add({"kind": "multiple_choice", "prompt": "Q",
                                         "options": ["a", "b"],
                                         "settings": {"max_picks": "two"}}),
         422, "settings.max_picks must be a whole number"),
    Case("hide_results not a bool", _add({"kind": "rating", "prompt": "Q",
                                          "settings": {"hide_results": "maybe"}}),
         422, "settings.hide_results must be true or false"),
    Case("scale max below min", _add({"kind": "scale", "prompt": "Q",
                                      "settings": {"min": 5, "max": 1}}),
         422, "settings.max must be greater than settings.min"),
    Case("position not a number", _patch("choice", {"position": "first"}), 422, "position"),
    Case("negative position", _patch("choice", {"position": -1}), 422, "position"),
    Case("unknown setting on edit", _patch("rating", {"settings": {"colour": 1}}), 422,
         "Unknown setting(s) for rating: colour"),
    Case("title not text", lambda s: s.owner.api.post("/api/v1/workshops", json={"title": 5}),
         422, "title"),
    Case("empty title", lambda s: s.owner.api.patch(f"/api/v1/workshops/{s.wid}",
                                                    json={"title": " "}),
         422, "Title must not be empty"),
    Case("slides link not http", lambda s: s.owner.api.patch(
        f"/api/v1/workshops/{s.wid}", json={"slides_url": "javascript:alert(1)"}),
        422, "must start with https:// or http://"),
    Case("unknown action", lambda s: s.owner.api.post(
        f"/api/v1/workshops/{s.wid}/activities/{s.poll('choice')}/explode"), 422, "action"),
    Case("close a closed poll", lambda s: s.owner.api.post(
        f"/api/v1/workshops/{s.wid}/activities/{s.poll('closed')}/close"), 409, "not open"),
    Case("open an open poll", lambda s: s.owner.api.post(
        f"/api/v1/workshops/{s.wid}/activities/{s.poll('choice')}/open"), 409, "already open"),
    Case("round 0", lambda s: s.owner.api.get(
        f"/api/v1/workshops/{s.wid}/activities/{s.poll('choice')}/results",
        params={"round": 0}), 422, "round"),
    Case("round that never was", lambda s: s.owner.api.get(
        f"/api/v1/workshops/{s.wid}/activities/{s.poll('choice')}/results",
        params={"round": 7}), 422, "round must be between 1 and 1"),
    Case("current activity unknown", lambda s: s.owner.api.put(
        f"/api/v1/workshops/{s.wid}/current", json={"activity_id": "nope"}), 404,
        "no activity with that id"),
    Case("current activity missing", lambda s: s.owner.api.put(
        f"/api/v1/workshops/{s.wid}/current", json={}), 422, "activity_id"),
    Case("unknown workshop", lambda s: s.owner.api.get("/api/v1/workshops/nope"), 404,
         "No workshop has that id"),
    Case("bad token", lambda s: client(s.server.base_url).get(
        f"/api/v1/workshops/{s.wid}", headers={"Authorization": "Bearer wst_nope"}),
        401, "That API token is not valid"),
    Case("not a bearer token", lambda s: client(s.server.base_url).get(
        f"/api/v1/workshops/{s.wid}", headers={"Authorization": "Basic YTpi"}),
        401, "Bearer"),
    # size
    Case("body over the limit (Content-Length)", lambda s: s.owner.api.post(
        "/api/v1/workshops", json={"title": "x", "description": "y" * BIG}),
        413, TOO_LARGE),
    Case("body over the limit (chunked)", lambda s: s.owner.api.post(
        f"/api/v1/workshops/{s.wid}/activities", content=_chunks(BIG + 1000),
        headers={"content-type": "application/json"}),
        413, TOO_LARGE),
    Case("vote body over the limit", lambda s: s.vote("x" * BIG, "text"), 413, TOO_LARGE),
    # cross-site
    Case("cross-origin API post", lambda s: s.owner.api.post(
        "/api/v1/workshops", json={"title": "x"}, headers={"Origin": FOREIGN}),
        403, "Cross-site request refused"),
    Case("cross-origin vote", lambda s: s.participant.client.post(
        s.responses("choice"), headers={"Origin": FOREIGN},
        json={"value": s.polls["choice"]["options"][0]["id"], "client_id": "c-9"}),
        403, "Cross-site request refused"),
    Case("cross-origin join", lambda s: client(s.server.base_url).post(
        "/api/v1/join", json={"code": s.code}, headers={"Origin": FOREIGN}),
        403, "Cross-site request refused"),
    Case("opaque origin", lambda s: client(s.server.base_url).post(
        "/api/v1/join", json={"code": s.code}, headers={"Origin": "null"}),
        403, "Cross-site request refused"),
]


@pytest.mark.parametrize("case", API_CASES, ids=[c.name for c in API_CASES])
def test_api_bad_input(scene: Scene, case: Case) -> None:
    before = snapshot(scene.server)
    response = case.send(scene)
    assert response.status_code == case.status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert case.detail in body["detail"], body
    assert body["code"]
    assert snapshot(scene.server) == before


def test_the_same_requests_succeed_when_right(scene: Scene) -> None:
    """Positive controls for the table above: the endpoints and values used are real."""
    assert scene.vote(scene.polls["choice"]["options"][0]["id"]).status_code == 201
    assert scene.vote("fine", "text", client_id="c-2").status_code == 201
    assert scene.vote(5, "rating", client_id="c-3").status_code == 201
    assert scene.vote("x" * limits.OPEN_TEXT_MAX, "text", client_id="c-4").status_code == 201
    joined = client(scene.server.base_url).post(
        "/api/v1/join", json={"code": scene.code[:3] + " " + scene.code[3:],
                              "name": "n" * limits.NAME_MAX})
    assert joined.status_code == 201, joined.text
    same_site = scene.owner.api.post("/api/v1/workshops", json={"title": "ok"},
                                     headers={"Origin": scene.server.base_url})
    assert same_site.status_code == 201, same_site.text
    big_but_fine = scene.owner.api.post(
        "/api/v1/workshops", json={"title": "x", "description": "y" * limits.DESCRIPTION_MAX})
    assert big_but_fine.status_code == 201, big_but_fine.text


# -- HTML pages and forms ----------------------------------------------------------------


def page_message(response: httpx.Response, message: str) -> None:
    assert response.headers["content-type"].startswith("text/html")
    assert message in response.text, response.text[:2000]
    assert 'role="alert"' in response.text  # said where people (and screen readers) look


def test_join_page_for_an_unknown_code_is_404(scene: Scene) -> None:
    anon = client(scene.server.base_url)
    for code in ("000000", "abc", "12"):
        response = anon.get(f"/j/{code}")
        assert response.status_code == 404
        page_message(response, "No workshop has that code")


def test_landing_form_with_an_unknown_code_shows_the_form_again(scene: Scene) -> None:
    http, token = with_csrf(scene.server)
    before = snapshot(scene.server)
    response = http.post("/join", data={"code": "000 000", "csrf_token": token})
    assert response.status_code == 404
    page_message(response, "No workshop has that code")
    assert 'name="code"' in response.text and 'value="000 000"' in response.text
    assert snapshot(scene.server) == before


def test_join_form_with_an_over_long_name(scene: Scene) -> None:
    http, token = with_csrf(scene.server)
    before = snapshot(scene.server)
    response = http.post(f"/j/{scene.code}",
                         data={"name": "n" * (limits.NAME_MAX + 1), "csrf_token": token})
    assert response.status_code == 422
    page_message(response, f"the limit is {limits.NAME_MAX}")
    assert "workshop_device" not in response.headers.get("set-cookie", "")
    assert snapshot(scene.server) == before


def _form_vote(scene: Scene, name: str, data: dict[str, str]) -> httpx.Response:
    http, token = with_csrf(scene.server, scene.participant.client)
    return http.post(f"/j/{scene.code}/activities/{scene.poll(name)}/vote",
                     data={"csrf_token": token, **data})


@pytest.mark.parametrize(("name", "data", "status", "message"), [
    ("closed", {"value": "3", "client_id": "f-1"}, 409, "Voting on this poll is closed."),
    ("draft", {"value": "3", "client_id": "f-1"}, 409, "This poll is not open yet."),
    ("choice", {"option": "nope", "client_id": "f-1"}, 422,
     "That option is not part of this poll."),
    ("choice", {"client_id": "f-1"}, 422, "Pick an option."),
    ("choice", {"option": "OPTION"}, 422, "client_id is required"),
    ("text", {"text": "", "client_id": "f-1"}, 422, "Answer must not be empty."),
    ("text", {"text": "x" * (limits.OPEN_TEXT_MAX + 1), "client_id": "f-1"}, 422,
     f"the limit is {limits.OPEN_TEXT_MAX}"),
    ("rating", {"value": "9", "client_id": "f-1"}, 422, "value must be between 1 and 5."),
])
def test_form_votes_with_bad_input(scene: Scene, name: str, data: dict[str, str], status: int,
                                   message: str) -> None:
    if data.get("option") == "OPTION":
        data = {**data, "option": scene.polls["choice"]["options"][0]["id"]}
    before = snapshot(scene.server)
    response = _form_vote(scene, name, data)
    assert response.status_code == status
    page_message(response, message)
    assert snapshot(scene.server) == before


def _csrf_posts(scene: Scene) -> list[tuple[str, dict[str, str]]]:
    aid = scene.poll("choice")
    option = scene.polls["choice"]["options"][0]["id"]
    return [
        ("/join", {"code": scene.code}),
        ("/login", {"email": scene.owner.email, "password": "correct horse battery"}),
        ("/logout", {}),
        (f"/j/{scene.code}", {"name": "Mallory"}),
        (f"/j/{scene.code}/activities/{aid}/vote", {"option": option, "client_id": "x-1"}),
        ("/console/workshops", {"title": "Forged"}),
        ("/console/tokens", {"name": "forged"}),
        (f"/console/{scene.wid}/details", {"title": "Forged"}),
        (f"/console/{scene.wid}/activities", {"kind": "rating", "prompt": "Forged?"}),
        (f"/console/{scene.wid}/activities/{aid}/close", {}),
        (f"/console/{scene.wid}/activities/{aid}/delete", {}),
        (f"/console/{scene.wid}/next", {}),
    ]


@pytest.mark.parametrize("token", ["missing", "wrong", "no cookie"])
def test_form_posts_without_a_valid_csrf_token_are_refused(scene: Scene, token: str) -> None:
    """Signed in as the owner and joined as a participant (the cookies an attacker's page
    would ride on), but without the page's CSRF token."""
    http = scene.owner.browser_client()
    http.post("/api/v1/join", json={"code": scene.code})  # and a participant cookie
    if token == "no cookie":
        http.cookies.delete("workshop_csrf")
    before = snapshot(scene.server)
    for path, data in _csrf_posts(scene):
        sent = dict(data)
        if token == "wrong":
            sent["csrf_token"] = "f" * 32
        elif token == "no cookie":
            sent["csrf_token"] = scene.owner.browser_client().cookies["workshop_csrf"]
        response = http.post(path, data=sent)
        assert response.status_code == 403, (path, response.text[:300])
        page_message(response, "This form has expired. Reload the page and try again.")
    assert snapshot(scene.server) == before


def test_cross_origin_form_posts_are_refused_even_with_a_valid_token(scene: Scene) -> None:
    http, token = with_csrf(scene.server, scene.owner.browser_client())
    before = snapshot(scene.server)
    for path, data in _csrf_posts(scene):
        response = http.post(path, data={**data, "csrf_token": token},
                             headers={"Origin": FOREIGN})
        assert response.status_code == 403, (path, response.text[:300])
        page_message(response, "Cross-site request refused.")
    assert snapshot(scene.server) == before
    # positive control: the same token from this site works
    response = http.post(f"/console/{scene.wid}/details",
                         data={"title": "Renamed", "csrf_token": token},
                         headers={"Origin": scene.server.base_url})
    assert response.status_code == 303


def test_oversized_form_post_is_413(scene: Scene) -> None:
    http, token = with_csrf(scene.server, scene.owner.browser_client())
    before = snapshot(scene.server)
    response = http.post(f"/console/{scene.wid}/details",
                         data={"title": "t", "description": "d" * BIG, "csrf_token": token})
    assert response.status_code == 413
    assert TOO_LARGE in response.json()["detail"]
    response = http.post(f"/console/{scene.wid}/details", content=_chunks(BIG + 1000),
                         headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert snapshot(scene.server) == before


# -- WebSockets ------------------------------------------------------------------------


def test_websocket_message_over_4_kib_closes_the_socket_with_1009(scene: Scene) -> None:
    with ws_connect(scene.server, f"/ws/j/{scene.code}",
                    cookies=scene.participant.cookie_header) as ws:
        assert 'id="stage"' in str(ws.recv(timeout=WAIT_SECONDS))
        ws.send("x" * limits.WS_MESSAGE_MAX)  # at the limit: fine
        scene.vote(scene.polls["choice"]["options"][0]["id"])
        wait_for(ws, lambda m: attribute(m, "results", "data-total") == "1",
                 what="results update after a message at the limit")
        ws.send("x" * (limits.WS_MESSAGE_MAX + 1))
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=WAIT_SECONDS)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


@pytest.mark.parametrize("path", ["/ws/j/{code}", "/ws/console/{w}", "/ws/present/{w}"])
def test_websocket_with_a_foreign_origin_is_refused(scene: Scene, path: str) -> None:
    cookies = (scene.participant.cookie_header if path.startswith("/ws/j/")
               else "; ".join(f"{k}={v}"
                              for k, v in scene.owner.browser_client().cookies.items()))
    url = path.format(code=scene.code, w=scene.wid)
    status, body = ws_refusal(scene.server, url, cookies=cookies, origin=FOREIGN)
    assert status == 403
    assert "Cross-site" in body
    # positive control: the same credentials from this site connect
    with ws_connect(scene.server, url, cookies=cookies) as ws:
        assert 'id="stage"' in str(ws.recv(timeout=WAIT_SECONDS))


@pytest.mark.parametrize(("path", "joined", "status", "message"), [
    ("/ws/j/000000", True, 404, "No workshop has that code"),
    ("/ws/j/{code}", False, 401, "Join the workshop first"),
    ("/ws/console/nope", True, 404, "No workshop has that id"),
])
def test_websocket_refusals_say_why(scene: Scene, path: str, joined: bool, status: int,
                                    message: str) -> None:
    cookies = scene.participant.cookie_header if joined else ""
    got, body = ws_refusal(scene.server, path.format(code=scene.code), cookies=cookies)
    assert (got, message in body) == (status, True), body

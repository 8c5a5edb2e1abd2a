"""Who may curate an objectives board: every facilitator objectives endpoint (JSON API and
console form actions) refuses anonymous callers (401), participants of the workshop (403)
and a facilitator of another workshop (403), and a refusal changes nothing. The owner is
the positive control: the same request succeeds and changes the data, so "nothing
changed" after a refusal is a real check. Participants may only touch their own
objectives, and a participant of another workshop is nobody here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.support import Facilitator, LiveServer, Participant
from tests.web import helpers
from tests.web.helpers import (
    ANONYMOUS,
    OUTSIDER,
    OWNER,
    PARTICIPANT,
    CarolCalls,
    api_client,
    facilitator_accounts,
    owner_and_outsider,
    page_client,
    with_csrf,
    ws_refusal,
)

BOARD_TABLES = ("activities", "objectives", "objective_authors", "objective_votes",
                "objective_boards", "objective_drafts", "applied_requests", "participants",
                "workshops")


def snapshot(server: LiveServer) -> dict[str, list[tuple[Any, ...]]]:
    return helpers.snapshot(server, BOARD_TABLES)


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str  # {w} workshop, {a} board, {o1} {o2} Alice's, {b1} Bob's (hidden) objective
    json: dict[str, Any] | None = None
    form: dict[str, Any] | None = None
    owner_status: int = 200
    writes: bool = True
    prepare: tuple[str, ...] = ()  # board actions the owner takes first

    def fill(self, value: Any, scene: Scene) -> Any:
        if isinstance(value, str):
            return value.format(**scene.names)
        if isinstance(value, list):
            return [self.fill(v, scene) for v in value]
        return value

    @property
    def page(self) -> bool:
        return self.path.startswith("/console")

    def url(self, scene: Scene) -> str:
        return str(self.fill(self.path, scene))

    def body(self, data: dict[str, Any] | None, scene: Scene) -> dict[str, Any] | None:
        return None if data is None else {k: self.fill(v, scene) for k, v in data.items()}


@dataclass
class Scene(CarolCalls):
    """The owner's board: open, on screen, voting open. Alice wrote o1 (spotlighted) and
    o2, Bob wrote b1 (hidden). Carol, the participant caller, wrote nothing."""

    server: LiveServer
    owner: Facilitator
    outsider: Facilitator
    carol: Participant
    alice: Participant
    workshop: dict[str, Any]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def board(self) -> str:
        return f"/api/v1/workshops/{self.names['w']}/activities/{self.names['a']}"


@pytest.fixture(scope="module")
def accounts(server: LiveServer) -> tuple[str, str, str, str]:
    return facilitator_accounts(server)


def submit(server: LiveServer, base: str, who: Participant, text: str) -> str:
    response = who.client.post(f"{base}/objectives", json={
        "text": text, "key_results": [{"text": "Raise on-time milestones from 62% to 85%"}],
        "client_id": uuid.uuid4().hex})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def build_scene(server: LiveServer, accounts: tuple[str, str, str, str],
                prepare: tuple[str, ...] = ()) -> Scene:
    owner, outsider, workshop = owner_and_outsider(server, accounts)
    wid = workshop["id"]
    board = owner.add_activity(wid, "objectives", "Our objectives?")
    owner.act(wid, board["id"], "open")
    owner.show(wid, board["id"])
    base = f"/api/v1/workshops/{wid}/activities/{board['id']}"
    alice = Participant(server, workshop["code"], "Alice")
    bob = Participant(server, workshop["code"], "Bob")
    carol = Participant(server, workshop["code"], "Carol")
    o1 = submit(server, base, alice, "Make delivery predictable for every client")
    o2 = submit(server, base, alice, "Happier clients all year round")
    b1 = submit(server, base, bob, "Something off topic for today")
    for step in ("open-voting", "objectives/" + o1 + "/spotlight",
                 "objectives/" + b1 + "/hide", *prepare):
        response = owner.api.post(f"{base}/{step}")
        assert response.status_code == 200, response.text
    return Scene(server, owner, outsider, carol, alice, workshop,
                 {"w": wid, "a": board["id"], "o1": o1, "o2": o2, "b1": b1})


A = "/api/v1/workshops/{w}/activities/{a}"
C = "/console/{w}/activities/{a}"

API_CALLS = [
    *[Call(f"api {action}", "POST", A + f"/objectives/{{{target}}}/{action}")
      for action, target in (("hide", "o2"), ("unhide", "b1"), ("spotlight", "o2"),
                             ("unspotlight", "o1"))],
    Call("api theme", "PUT", A + "/objectives/{o1}/theme", json={"theme": "Hijacked"}),
    Call("api merge", "POST", A + "/objectives/merge", json={"ids": ["{o1}", "{o2}"]}),
    Call("api edit any", "PATCH", A + "/objectives/{b1}", json={"text": "Hijacked objective"}),
    Call("api lock", "POST", A + "/lock"),
    Call("api unlock", "POST", A + "/unlock", prepare=("lock",)),
    Call("api open voting", "POST", A + "/open-voting", prepare=("close-voting",)),
    Call("api close voting", "POST", A + "/close-voting"),
    Call("api open wall", "POST", A + "/open-wall", prepare=("close-wall",)),
    Call("api close wall", "POST", A + "/close-wall"),
    Call("api pipe", "POST", A + "/pipe", json={"kind": "ranking", "top": 2},
         owner_status=201),
]

PAGE_CALLS = [
    *[Call(f"console {action}", "POST", C + f"/objectives/{{{target}}}/{action}", form={},
           owner_status=303)
      for action, target in (("hide", "o2"), ("unhide", "b1"), ("spotlight", "o2"),
                             ("unspotlight", "o1"))],
    Call("console theme", "POST", C + "/objectives/{o1}/theme", form={"theme": "Hijacked"},
         owner_status=303),
    Call("console merge", "POST", C + "/objectives/merge", form={"ids": ["{o1}", "{o2}"]},
         owner_status=303),
    Call("console edit page", "GET", C + "/objectives/{b1}/edit", owner_status=200,
         writes=False),
    Call("console edit", "POST", C + "/objectives/{b1}/edit",
         form={"text": "Hijacked objective", "kr-0-text": "Raise X from 1 to 2"},
         owner_status=303),
    Call("console lock", "POST", C + "/board/lock", form={}, owner_status=303),
    Call("console unlock", "POST", C + "/board/unlock", form={}, owner_status=303,
         prepare=("lock",)),
    Call("console open voting", "POST", C + "/board/open-voting", form={}, owner_status=303,
         prepare=("close-voting",)),
    Call("console close voting", "POST", C + "/board/close-voting", form={},
         owner_status=303),
    Call("console open wall", "POST", C + "/board/open-wall", form={}, owner_status=303,
         prepare=("close-wall",)),
    Call("console close wall", "POST", C + "/board/close-wall", form={}, owner_status=303),
    Call("console pipe", "POST", C + "/pipe", form={"kind": "ranking", "top": "2"},
         owner_status=303),
]


def send(scene: Scene, call: Call, who: str) -> httpx.Response:
    if not call.page:
        http = api_client(scene, who)
        return http.request(call.method, call.url(scene), json=call.body(call.json, scene))
    http, token = page_client(scene, who)
    if call.form is None:
        return http.request(call.method, call.url(scene))
    return http.request(call.method, call.url(scene),
                        data={**(call.body(call.form, scene) or {}), "csrf_token": token})


def cases(calls: list[Call]) -> list[Any]:
    return [pytest.param(call, who, id=f"{call.name}-{who}")
            for call in calls for who in (ANONYMOUS, PARTICIPANT, OUTSIDER)]


@pytest.mark.parametrize(("call", "who"), cases(API_CALLS + PAGE_CALLS))
def test_facilitator_endpoints_refuse(server: LiveServer,
                                      accounts: tuple[str, str, str, str],
                                      call: Call, who: str) -> None:
    scene = build_scene(server, accounts, call.prepare)
    before = snapshot(server)
    response = send(scene, call, who)
    assert response.status_code == (401 if who == ANONYMOUS else 403), response.text[:500]
    if not call.page:
        body = response.json()
        assert body["code"] == ("not_authenticated" if who == ANONYMOUS else "forbidden")
        assert body["detail"]
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert "Make delivery predictable" not in response.text
    assert snapshot(server) == before


@pytest.mark.parametrize("call", API_CALLS + PAGE_CALLS,
                         ids=[c.name for c in API_CALLS + PAGE_CALLS])
def test_facilitator_endpoints_allow_the_owner(server: LiveServer,
                                               accounts: tuple[str, str, str, str],
                                               call: Call) -> None:
    scene = build_scene(server, accounts, call.prepare)
    before = snapshot(server)
    response = send(scene, call, OWNER)
    assert response.status_code == call.owner_status, response.text[:500]
    assert (snapshot(server) != before) is call.writes


def test_owner_gets_404_for_an_objective_not_on_the_board(
        server: LiveServer, accounts: tuple[str, str, str, str]) -> None:
    scene = build_scene(server, accounts)
    other = build_scene(server, accounts)  # same owner, another workshop's objective
    http, token = page_client(scene, OWNER)
    base = C.format(**scene.names)
    before = snapshot(server)
    for oid in ("nope", other.names["o1"]):
        assert http.get(f"{base}/objectives/{oid}/edit").status_code == 404
        for action in ("hide", "theme", "edit"):
            response = http.post(f"{base}/objectives/{oid}/{action}", data={
                "csrf_token": token, "theme": "x", "text": "Some objective text",
                "kr-0-text": "Raise X from 1 to 2"})
            assert response.status_code == 404, (oid, action)
        api = scene.owner.api
        assert api.post(f"{scene.board}/objectives/{oid}/hide").status_code == 404
        assert api.patch(f"{scene.board}/objectives/{oid}",
                         json={"text": "Some objective text"}).status_code == 404
    assert snapshot(server) == before


@pytest.mark.parametrize(("who", "status"), [(ANONYMOUS, 401), (OUTSIDER, 403)])
def test_the_wall_is_not_readable_from_outside(server: LiveServer,
                                               accounts: tuple[str, str, str, str],
                                               who: str, status: int) -> None:
    scene = build_scene(server, accounts)
    for path in ("/objectives", "/draft"):
        response = api_client(scene, who).get(scene.board + path)
        assert response.status_code == status, (path, response.text)
        assert "Make delivery" not in response.text
    refused = api_client(scene, who).post(scene.board + "/hints", json={"text": "Anything"})
    assert refused.status_code == status


# -- participants and each other's objectives --------------------------------------------


def test_a_participant_cannot_edit_or_withdraw_someone_elses_objective(
        server: LiveServer, accounts: tuple[str, str, str, str]) -> None:
    scene = build_scene(server, accounts)
    url = f"{scene.board}/objectives/{scene.names['o1']}"
    before = snapshot(server)
    patched = scene.carol.client.patch(url, json={"text": "Carol was here"})
    assert patched.status_code == 403
    assert patched.json()["detail"] == "You can only edit your own objectives."
    deleted = scene.carol.client.delete(url)
    assert deleted.status_code == 403
    assert deleted.json()["detail"] == "You can only withdraw your own objectives."
    # nor through the HTML forms
    http, token = with_csrf(server, scene.carol.client)
    form_base = f"/j/{scene.workshop['code']}/activities/{scene.names['a']}/objectives/" \
                f"{scene.names['o1']}"
    assert http.get(form_base + "/edit").status_code == 404
    edit = http.post(form_base + "/edit", data={
        "csrf_token": token, "text": "Carol was here", "kr-0-text": "Raise X from 1 to 2"})
    assert edit.status_code == 403
    withdraw = http.post(form_base + "/withdraw", data={"csrf_token": token})
    assert withdraw.status_code == 403
    assert snapshot(server) == before
    # positive control: the author can
    assert scene.alice.client.patch(url, json={"text": "Alice's own words"}).status_code == 200
    assert scene.alice.client.delete(url).status_code == 204


def test_a_participant_of_another_workshop_cannot_vote_or_write(
        server: LiveServer, accounts: tuple[str, str, str, str]) -> None:
    scene = build_scene(server, accounts)
    elsewhere = scene.outsider.create_workshop("Elsewhere")
    stranger = Participant(server, elsewhere["code"], "Stranger")
    o1 = scene.names["o1"]
    before = snapshot(server)
    attempts = [
        ("POST", f"/objectives/{o1}/votes", {"client_id": "s-1"}),
        ("DELETE", f"/objectives/{o1}/votes", None),
        ("POST", "/objectives", {"text": "Stranger's objective here",
                                 "key_results": [{"text": "Raise X from 1 to 2"}],
                                 "client_id": "s-2"}),
        ("PATCH", f"/objectives/{o1}", {"text": "Stranger was here"}),
        ("DELETE", f"/objectives/{o1}", None),
        ("PUT", "/draft", {"text": "Stranger's draft"}),
        ("GET", "/objectives", None),
    ]
    for method, path, body in attempts:
        response = stranger.client.request(method, scene.board + path, json=body)
        assert response.status_code in (401, 403), (method, path, response.text)
        assert response.status_code == 401, (method, path)  # nobody, as far as it goes
    # the HTML vote form too
    http, token = with_csrf(server, stranger.client)
    vote = http.post(f"/j/{scene.workshop['code']}/activities/{scene.names['a']}/objectives/"
                     f"{o1}/vote", data={"csrf_token": token, "client_id": "s-3"})
    assert vote.status_code == 401
    assert ws_refusal(server, f"/ws/j/{scene.workshop['code']}",
                      cookies=stranger.cookie_header)[0] == 401
    assert snapshot(server) == before
    # positive control: Carol, who is in the workshop, can vote
    assert scene.carol.client.post(f"{scene.board}/objectives/{o1}/votes",
                                   json={"client_id": "c-1"}).status_code == 201
    assert snapshot(server) != before

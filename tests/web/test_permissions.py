"""Who may do what, for every facilitator endpoint of the JSON API, every facilitator page
and form action, and the facilitator WebSockets — and that a refusal changes nothing.

Callers: anonymous (no credentials), a participant of the workshop (the cookie set by
POST /api/v1/join), and a facilitator who owns a different workshop ("outsider"). The owner
is the positive control: the same request succeeds and (when it writes) changes the data,
so "nothing changed" after a refusal is a real check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support import Facilitator, LiveServer, Participant
from tests.web.helpers import (
    ANONYMOUS,
    OUTSIDER,
    OWNER,
    PARTICIPANT,
    WAIT_SECONDS,
    api_client,
    cookie_header,
    facilitator_accounts,
    owner_and_outsider,
    page_client,
    snapshot,
    ws_connect,
    ws_refusal,
)


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str  # {w}: the workshop id; {a}, {b}, {c}: activity ids (see Scene)
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None  # a form post (sent with a valid CSRF token)
    owner_status: int = 200
    writes: bool = True
    # for calls that need no workshop: what a participant and an outsider get
    unscoped: bool = False

    def url(self, scene: Scene) -> str:
        return self.path.format(w=scene.wid, a=scene.a, b=scene.b, c=scene.c)

    def body(self, scene: Scene) -> dict[str, Any]:
        if self.json is None:
            return {}
        return {k: (v.format(a=scene.a, b=scene.b, c=scene.c) if isinstance(v, str) else v)
                for k, v in self.json.items()}


@dataclass
class Scene:
    """A workshop with three activities, b on screen, and one participant who voted.

    a: single choice, open, results hidden, with one vote (position 0)
    b: rating, draft, results visible, on screen (position 1)
    c: open text, draft (position 2)
    """

    server: LiveServer
    owner: Facilitator
    outsider: Facilitator
    participant: Participant
    workshop: dict[str, Any]
    a: str
    b: str
    c: str

    @property
    def wid(self) -> str:
        return str(self.workshop["id"])


@pytest.fixture(scope="module")
def accounts(server: LiveServer) -> tuple[str, str, str, str]:
    """Two facilitators, created once per module (emails and API tokens)."""
    return facilitator_accounts(server)


@pytest.fixture
def scene(server: LiveServer, accounts: tuple[str, str, str, str]) -> Scene:
    owner, outsider, workshop = owner_and_outsider(server, accounts)
    wid = workshop["id"]
    a = owner.add_activity(wid, "single_choice", "A?", ["x", "y"], hide_results=True)
    b = owner.add_activity(wid, "rating", "B?")
    c = owner.add_activity(wid, "open_text", "C?")
    owner.act(wid, a["id"], "open")
    owner.show(wid, b["id"])
    participant = Participant(server, workshop["code"], "Pat")
    assert participant.respond(a["id"], a["options"][0]["id"]).status_code == 201
    return Scene(server, owner, outsider, participant, workshop, a["id"], b["id"], c["id"])


ACT = "/api/v1/workshops/{w}/activities"

API_CALLS = [
    Call("create workshop", "POST", "/api/v1/workshops", json={"title": "Hijack"},
         owner_status=201, unscoped=True),
    Call("list workshops", "GET", "/api/v1/workshops", writes=False, unscoped=True),
    Call("get workshop", "GET", "/api/v1/workshops/{w}", writes=False),
    Call("patch workshop", "PATCH", "/api/v1/workshops/{w}", json={"title": "Hijacked"}),
    Call("delete workshop", "DELETE", "/api/v1/workshops/{w}", owner_status=204),
    Call("add activity", "POST", ACT, json={"kind": "rating", "prompt": "Injected?"},
         owner_status=201),
    Call("patch activity", "PATCH", ACT + "/{a}", json={"prompt": "Changed?"}),
    Call("move activity", "PATCH", ACT + "/{c}", json={"position": 0}),
    Call("delete activity", "DELETE", ACT + "/{a}", owner_status=204),
    Call("open", "POST", ACT + "/{b}/open"),
    Call("close", "POST", ACT + "/{a}/close"),
    Call("reveal", "POST", ACT + "/{a}/reveal"),
    Call("hide", "POST", ACT + "/{b}/hide"),
    Call("reset", "POST", ACT + "/{a}/reset"),
    Call("put current", "PUT", "/api/v1/workshops/{w}/current", json={"activity_id": "{a}"}),
    Call("clear current", "PUT", "/api/v1/workshops/{w}/current", json={"activity_id": None}),
    Call("results before reveal", "GET", ACT + "/{a}/results", writes=False),
]

PAGE_CALLS = [
    Call("console page", "GET", "/console/{w}", writes=False),
    Call("presenter page", "GET", "/present/{w}", writes=False),
    Call("edit activity page", "GET", "/console/{w}/activities/{a}/edit", writes=False),
    Call("details form", "POST", "/console/{w}/details", form={"title": "Hijacked"},
         owner_status=303),
    Call("add activity form", "POST", "/console/{w}/activities",
         form={"kind": "rating", "prompt": "Injected?"}, owner_status=303),
    Call("edit activity form", "POST", "/console/{w}/activities/{a}/edit",
         form={"prompt": "Changed?", "options": "x\ny"}, owner_status=303),
    *[Call(f"console {action}", "POST", f"/console/{{w}}/activities/{{{target}}}/{action}",
           form={}, owner_status=303)
      for action, target in [("show", "a"), ("delete", "a"), ("up", "c"), ("down", "a"),
                             ("open", "b"), ("close", "a"), ("reveal", "a"), ("hide", "b"),
                             ("reset", "a")]],
    *[Call(f"console {step}", "POST", "/console/{w}/" + step, form={}, owner_status=303)
      for step in ("next", "previous", "blank")],
]

UNSCOPED_PAGE_CALLS = [
    Call("create workshop form", "POST", "/console/workshops", form={"title": "Hijack"},
         owner_status=303, unscoped=True),
    Call("create token form", "POST", "/console/tokens", form={"name": "stolen"},
         owner_status=200, unscoped=True),
]


def send_api(scene: Scene, call: Call, who: str) -> httpx.Response:
    http = api_client(scene, who)
    if call.json is None:
        return http.request(call.method, call.url(scene))
    return http.request(call.method, call.url(scene), json=call.body(scene))


def send_page(scene: Scene, call: Call, who: str) -> httpx.Response:
    http, token = page_client(scene, who)
    if call.form is None:
        return http.request(call.method, call.url(scene))
    return http.request(call.method, call.url(scene), data={**call.form, "csrf_token": token})


def refused_status(call: Call, who: str) -> int:
    if who == ANONYMOUS:
        return 401
    if call.unscoped:
        # no workshop in the URL: a participant's cookie names nobody here
        assert who == PARTICIPANT
        return 401
    return 403


def refusal_cases(calls: list[Call]) -> list[Any]:
    return [pytest.param(call, who, id=f"{call.name}-{who}")
            for call in calls for who in (ANONYMOUS, PARTICIPANT, OUTSIDER)
            if not (call.unscoped and who == OUTSIDER)]  # any facilitator may do those


# -- JSON API ---------------------------------------------------------------------------


@pytest.mark.parametrize(("call", "who"), refusal_cases(API_CALLS))
def test_api_refuses(scene: Scene, call: Call, who: str) -> None:
    before = snapshot(scene.server)
    response = send_api(scene, call, who)
    assert response.status_code == refused_status(call, who), response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == ("not_authenticated" if response.status_code == 401 else "forbidden")
    assert body["detail"]
    assert snapshot(scene.server) == before


@pytest.mark.parametrize("call", API_CALLS, ids=[c.name for c in API_CALLS])
def test_api_owner_is_allowed(scene: Scene, call: Call) -> None:
    before = snapshot(scene.server)
    response = send_api(scene, call, OWNER)
    assert response.status_code == call.owner_status, response.text
    assert (snapshot(scene.server) != before) is call.writes


def test_refused_results_reveal_nothing(scene: Scene) -> None:
    url = f"/api/v1/workshops/{scene.wid}/activities/{scene.a}/results"
    for who in (ANONYMOUS, PARTICIPANT, OUTSIDER):
        response = api_client(scene, who).get(url)
        assert response.status_code in (401, 403)
        assert set(response.json()) == {"detail", "code"}
    assert scene.owner.results(scene.wid, scene.a)["total"] == 1


def test_a_participant_of_another_workshop_is_refused(scene: Scene) -> None:
    other = scene.outsider.create_workshop("Elsewhere")
    stranger = Participant(scene.server, other["code"])
    before = snapshot(scene.server)
    for call in API_CALLS:
        if call.unscoped:
            continue
        response = stranger.client.request(call.method, call.url(scene),
                                           **({"json": call.body(scene)} if call.json else {}))
        # not a participant of this workshop: nobody, as far as it is concerned
        assert response.status_code == 401, (call.name, response.text)
    vote = stranger.client.post(
        f"/api/v1/workshops/{scene.wid}/activities/{scene.a}/responses",
        json={"value": "x", "client_id": "c-1"})
    assert vote.status_code == 401, vote.text
    assert snapshot(scene.server) == before


# -- HTML pages and form actions ----------------------------------------------------------


@pytest.mark.parametrize(("call", "who"), refusal_cases(PAGE_CALLS + UNSCOPED_PAGE_CALLS))
def test_pages_refuse(scene: Scene, call: Call, who: str) -> None:
    before = snapshot(scene.server)
    response = send_page(scene, call, who)
    expected = refused_status(call, who)
    assert response.status_code == expected, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert "Not allowed" in response.text
    if expected == 401:
        assert 'href="/login"' in response.text  # a way to sign in
    assert "Owner&#39;s workshop" not in response.text
    assert snapshot(scene.server) == before


@pytest.mark.parametrize("call", PAGE_CALLS + UNSCOPED_PAGE_CALLS,
                         ids=[c.name for c in PAGE_CALLS + UNSCOPED_PAGE_CALLS])
def test_pages_owner_is_allowed(scene: Scene, call: Call) -> None:
    before = snapshot(scene.server)
    response = send_page(scene, call, OWNER)
    assert response.status_code == call.owner_status, response.text[:500]
    assert (snapshot(scene.server) != before) is call.writes


@pytest.mark.parametrize("who", [ANONYMOUS, PARTICIPANT])
def test_dashboard_sends_non_facilitators_to_sign_in(scene: Scene, who: str) -> None:
    http, _ = page_client(scene, who)
    response = http.get("/console")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_dashboard_lists_only_your_own_workshops(scene: Scene) -> None:
    http, _ = page_client(scene, OUTSIDER)
    page = http.get("/console")
    assert page.status_code == 200
    assert "The outsider&#39;s own workshop" in page.text
    assert "Owner&#39;s workshop" not in page.text
    assert scene.wid not in page.text
    own, _ = page_client(scene, OWNER)
    assert scene.wid in own.get("/console").text


def test_console_and_presenter_do_not_leak_to_refused_callers(scene: Scene) -> None:
    code = str(scene.workshop["code"])
    for who in (ANONYMOUS, PARTICIPANT, OUTSIDER):
        http, _ = page_client(scene, who)
        for path in (f"/console/{scene.wid}", f"/present/{scene.wid}"):
            page = http.get(path)
            assert page.status_code in (401, 403)
            assert "A?" not in page.text and code not in page.text


# -- WebSockets ------------------------------------------------------------------------


WS_PATHS = ["/ws/console/{w}", "/ws/present/{w}"]


def ws_cookies(scene: Scene, who: str) -> str:
    if who == ANONYMOUS:
        return ""
    if who == PARTICIPANT:
        return scene.participant.cookie_header
    facilitator = scene.outsider if who == OUTSIDER else scene.owner
    return cookie_header(facilitator.browser_client())


@pytest.mark.parametrize("path", WS_PATHS)
@pytest.mark.parametrize(("who", "status"), [(ANONYMOUS, 401), (PARTICIPANT, 403),
                                             (OUTSIDER, 403)])
def test_facilitator_sockets_refuse(scene: Scene, path: str, who: str, status: int) -> None:
    before = snapshot(scene.server)
    got, body = ws_refusal(scene.server, path.format(w=scene.wid),
                           cookies=ws_cookies(scene, who))
    assert got == status, body
    assert "detail" in body
    assert snapshot(scene.server) == before


@pytest.mark.parametrize("path", WS_PATHS)
def test_facilitator_sockets_refuse_a_bad_api_token(scene: Scene, path: str) -> None:
    got, body = ws_refusal(scene.server, path.format(w=scene.wid),
                           Authorization="Bearer wst_not-a-token")
    assert got == 401, body
    assert "not valid" in body


@pytest.mark.parametrize("path", WS_PATHS)
def test_facilitator_sockets_accept_the_owner(scene: Scene, path: str) -> None:
    with ws_connect(scene.server, path.format(w=scene.wid),
                    cookies=ws_cookies(scene, OWNER)) as ws:
        first = ws.recv(timeout=WAIT_SECONDS)
    assert isinstance(first, str) and 'id="stage"' in first
    # and an API token works the same way as the session cookie
    with ws_connect(scene.server, path.format(w=scene.wid),
                    Authorization=f"Bearer {scene.owner.token}") as ws:
        assert 'id="stage"' in str(ws.recv(timeout=WAIT_SECONDS))

"""Who may moderate the chat, curate insights, change the chat settings and add
co-facilitators. Every such endpoint (JSON API and console form) refuses anonymous
callers (401), participants of the workshop (403) and a facilitator of another workshop
(403), and a refusal changes nothing; then the owner sends the same request to the same
scene and it succeeds and changes the data, so "nothing changed" is a real check.

Co-facilitators: a curator (added through POST W/cofacilitators) may moderate and curate
but not run the session; a co-host may run it; only the owner adds co-facilitators."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.support import Facilitator, LiveServer, Participant
from tests.web.helpers import (
    ANONYMOUS,
    OUTSIDER,
    PARTICIPANT,
    CarolCalls,
    api_client,
    cookie_header,
    page_client,
    query,
    with_csrf,
    ws_connect,
    ws_refusal,
)
from tests.web.helpers import chat_snapshot as snapshot

CALLERS = (ANONYMOUS, PARTICIPANT, OUTSIDER)

@dataclass(frozen=True)
class Accounts:
    owner: tuple[str, str]
    outsider: tuple[str, str]
    helper: tuple[str, str]  # a facilitator account the owner may invite


@pytest.fixture(scope="module")
def accounts(server: LiveServer) -> Accounts:
    made = [server.add_facilitator() for _ in range(3)]
    owner, outsider, helper = ((f.email, f.token) for f in made)
    return Accounts(owner, outsider, helper)


@dataclass
class Scene(CarolCalls):
    """The owner's workshop, chat and insights in every state a request can act on.

    Alice wrote: `pend` (held by a blocked word), `q1` (a question, answered and
    spotlighted), `q2` (a question), `r1` (a remark) and `h1` (hidden). Dave is banned.
    Insights: i1 with sub-point i1a, and i2. Carol, the participant caller, wrote nothing.
    """

    server: LiveServer
    owner: Facilitator
    outsider: Facilitator
    helper: Facilitator
    carol: Participant
    alice: Participant
    workshop: dict[str, Any]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"/api/v1/workshops/{self.names['w']}"


def post(server: LiveServer, base: str, who: Participant, text: str, **extra: Any) -> str:
    response = who.client.post(f"{base}/messages", json={
        "text": text, "client_id": uuid.uuid4().hex, **extra})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def build_scene(server: LiveServer, accounts: Accounts) -> Scene:
    owner = Facilitator(server, *accounts.owner)
    outsider = Facilitator(server, *accounts.outsider)
    helper = Facilitator(server, *accounts.helper)
    outsider.create_workshop("The outsider's own workshop")
    workshop = owner.create_workshop("Owner's workshop")
    wid = workshop["id"]
    base = f"/api/v1/workshops/{wid}"
    api = owner.api
    assert api.patch(base, json={"blocked_words": ["spam"]}).status_code == 200
    alice = Participant(server, workshop["code"], "Alice")
    carol = Participant(server, workshop["code"], "Carol")
    dave = Participant(server, workshop["code"], "Dave")
    names = {"w": wid, "alice": alice.id, "dave": dave.id, "helper": helper.email}
    names["pend"] = post(server, base, alice, "Cheap spam here")
    names["q1"] = post(server, base, alice, "Who decides?", question=True)
    names["q2"] = post(server, base, alice, "When do we ship?", question=True)
    names["r1"] = post(server, base, alice, "Make delivery predictable")
    names["h1"] = post(server, base, alice, "Off topic")
    for mid, action in (("q1", "answer"), ("q1", "spotlight"), ("h1", "hide")):
        response = api.post(f"{base}/messages/{names[mid]}/{action}")
        assert response.status_code == 200, response.text
    assert api.post(f"{base}/bans", json={"participant_id": dave.id}).status_code == 201
    for key, data in (("i1", {"text": "Insight one"}), ("i2", {"text": "Insight two"})):
        response = api.post(f"{base}/insights", json=data)
        assert response.status_code == 201, response.text
        names[key] = response.json()["id"]
    response = api.post(f"{base}/insights", json={"text": "Sub-point", "parent_id": names["i1"]})
    assert response.status_code == 201, response.text
    names["i1a"] = response.json()["id"]
    return Scene(server, owner, outsider, helper, carol, alice, workshop, names)


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str  # with {w}, {q1}, {i1}… from Scene.names
    json: Any = None
    form: dict[str, Any] | None = None
    owner_status: int = 200

    @property
    def page(self) -> bool:
        return self.path.startswith("/console")

    def fill(self, value: Any, scene: Scene) -> Any:
        if isinstance(value, str):
            return value.format(**scene.names)
        if isinstance(value, list):
            return [self.fill(v, scene) for v in value]
        if isinstance(value, dict):
            return {k: self.fill(v, scene) for k, v in value.items()}
        return value


W = "/api/v1/workshops/{w}"
C = "/console/{w}"

MODERATION = (("approve", "pend"), ("hide", "q2"), ("unhide", "h1"), ("answer", "q2"),
              ("unanswer", "q1"), ("spotlight", "q2"), ("unspotlight", "q1"))

API_CALLS = [
    *[Call(f"api {action}", "POST", W + f"/messages/{{{target}}}/{action}")
      for action, target in MODERATION],
    Call("api ban author", "POST", W + "/messages/{r1}/ban-author", owner_status=204),
    Call("api ban", "POST", W + "/bans", json={"participant_id": "{alice}"},
         owner_status=201),
    Call("api unban", "DELETE", W + "/bans/{dave}", owner_status=204),
    Call("api chat off", "PATCH", W, json={"chat": "off"}),
    Call("api anonymity", "PATCH", W, json={"anonymity": "anonymous"}),
    Call("api premoderation", "PATCH", W, json={"premoderation": True}),
    Call("api blocked words", "PATCH", W, json={"blocked_words": ["ship"]}),
    Call("api insight create", "POST", W + "/insights", json={"text": "Hijacked"},
         owner_status=201),
    Call("api insight keep", "POST", W + "/insights",
         json={"source": {"type": "message", "id": "{r1}"}}, owner_status=201),
    Call("api insight edit", "PATCH", W + "/insights/{i1}", json={"text": "Hijacked"}),
    Call("api insight nest", "PATCH", W + "/insights/{i2}", json={"parent_id": "{i1}"}),
    Call("api insight delete", "DELETE", W + "/insights/{i2}", owner_status=204),
    Call("api insight order", "PUT", W + "/insights/order",
         json={"items": [{"id": "{i2}"}, {"id": "{i1}"}, {"id": "{i1a}", "parent_id": "{i1}"}]}),
    Call("api insight merge", "POST", W + "/insights/merge", json={"ids": ["{i1}", "{i2}"]}),
    Call("api insight move", "POST", W + "/insights/{i2}/move", json={"direction": "up"}),
    Call("api presenter", "PUT", W + "/presenter", json={"view": "insights"}),
    Call("api cofacilitator", "POST", W + "/cofacilitators",
         json={"email": "{helper}", "role": "curator"}, owner_status=201),
]

PAGE_CALLS = [
    *[Call(f"console {action}", "POST", C + f"/messages/{{{target}}}/{action}", form={},
           owner_status=303)
      for action, target in MODERATION],
    Call("console ban", "POST", C + "/messages/{r1}/ban", form={}, owner_status=303),
    Call("console insight create", "POST", C + "/insights", form={"text": "Hijacked"},
         owner_status=303),
    Call("console insight keep", "POST", C + "/insights",
         form={"source_type": "message", "source_id": "{r1}"}, owner_status=303),
    Call("console insight merge", "POST", C + "/insights/merge",
         form={"ids": ["{i1}", "{i2}"]}, owner_status=303),
    Call("console insight edit", "POST", C + "/insights/{i1}/edit", form={"text": "Hijacked"},
         owner_status=303),
    Call("console insight delete", "POST", C + "/insights/{i2}/delete", form={},
         owner_status=303),
    Call("console insight up", "POST", C + "/insights/{i2}/up", form={}, owner_status=303),
    Call("console insight indent", "POST", C + "/insights/{i2}/indent", form={},
         owner_status=303),
    Call("console insight outdent", "POST", C + "/insights/{i1a}/outdent", form={},
         owner_status=303),
    Call("console chat settings", "POST", C + "/chat-settings",
         form={"chat": "off", "anonymity": "anonymous", "blocked_words": "spam"},
         owner_status=303),
    Call("console presenter", "POST", C + "/presenter/insights", form={}, owner_status=303),
    Call("console cofacilitator", "POST", C + "/cofacilitators",
         form={"email": "{helper}", "role": "curator"}, owner_status=303),
]


def send(scene: Scene, call: Call, who: str) -> httpx.Response:
    url = call.fill(call.path, scene)
    if not call.page:
        http = api_client(scene, who)
        if call.json is None:
            return http.request(call.method, url)
        return http.request(call.method, url, json=call.fill(call.json, scene))
    http, token = page_client(scene, who)
    return http.request(call.method, url,
                        data={**call.fill(call.form or {}, scene), "csrf_token": token})


def assert_refused(response: httpx.Response, status: int, page: bool) -> None:
    assert response.status_code == status, response.text[:500]
    if page:
        assert response.headers["content-type"].startswith("text/html")
        return
    body = response.json()
    assert body["code"] == ("not_authenticated" if status == 401 else "forbidden")
    assert body["detail"]


@pytest.mark.parametrize("call", API_CALLS + PAGE_CALLS,
                         ids=[c.name for c in API_CALLS + PAGE_CALLS])
def test_only_staff_of_the_workshop_may(server: LiveServer, accounts: Accounts,
                                        call: Call) -> None:
    scene = build_scene(server, accounts)
    before = snapshot(server)
    for who in CALLERS:
        response = send(scene, call, who)
        assert_refused(response, 401 if who == ANONYMOUS else 403, call.page)
        assert "Who decides?" not in response.text, who
        assert snapshot(server) == before, who
    # positive control: the owner's identical request succeeds and changes the data
    response = send(scene, call, "owner")
    assert response.status_code == call.owner_status, response.text[:500]
    assert snapshot(server) != before


def test_reading_is_for_people_in_the_workshop(server: LiveServer,
                                               accounts: Accounts) -> None:
    scene = build_scene(server, accounts)
    for path in ("/messages", "/insights"):
        assert_refused(api_client(scene, ANONYMOUS).get(scene.base + path), 401, False)
        response = api_client(scene, OUTSIDER).get(scene.base + path)
        assert_refused(response, 403, False)
        assert "Who decides?" not in response.text and "Insight one" not in response.text
    # the participant reads the chat, but the insights only once they are shown
    assert "Who decides?" in scene.carol.client.get(scene.base + "/messages").text
    assert_refused(scene.carol.client.get(scene.base + "/insights"), 403, False)
    for path in (f"/ws/console/{scene.names['w']}", f"/ws/present/{scene.names['w']}"):
        assert ws_refusal(server, path)[0] == 401
        assert ws_refusal(server, path, cookies=scene.carol.cookie_header)[0] == 403
        outsider = cookie_header(scene.outsider.browser_client())
        assert ws_refusal(server, path, cookies=outsider)[0] == 403


def test_a_participant_of_another_workshop_is_nobody_here(server: LiveServer,
                                                          accounts: Accounts) -> None:
    scene = build_scene(server, accounts)
    elsewhere = scene.outsider.create_workshop("Elsewhere")
    stranger = Participant(server, elsewhere["code"], "Stranger")
    q2 = scene.names["q2"]
    before = snapshot(server)
    attempts = [
        ("POST", "/messages", {"text": "Stranger here", "client_id": "s-1"}),
        ("GET", "/messages", None),
        ("POST", f"/messages/{q2}/upvote", None),
        ("DELETE", f"/messages/{q2}/upvote", None),
        ("POST", f"/messages/{q2}/hide", None),
        ("POST", "/insights", {"text": "Stranger's insight"}),
    ]
    for method, path, body in attempts:
        response = stranger.client.request(method, scene.base + path, json=body)
        assert response.status_code == 401, (method, path, response.text)
    assert snapshot(server) == before
    # positive control: Carol, who is in the workshop, can upvote
    assert scene.carol.client.post(f"{scene.base}/messages/{q2}/upvote").status_code == 200
    assert snapshot(server) != before


# -- co-facilitators -----------------------------------------------------------------------


def query_one(server: LiveServer, sql: str, *params: Any) -> Any:
    rows = query(server, sql, params)
    assert len(rows) == 1, rows
    return rows[0][0]


def invite(scene: Scene, who: Facilitator, role: str) -> None:
    response = scene.owner.api.post(f"{scene.base}/cofacilitators",
                                    json={"email": who.email, "role": role})
    assert response.status_code == 201, response.text
    assert response.json() == {"email": who.email, "role": role}


def test_a_curator_moderates_and_curates(server: LiveServer, accounts: Accounts) -> None:
    scene = build_scene(server, accounts)
    curator = scene.helper
    base = scene.base
    refused = curator.api.post(f"{base}/messages/{scene.names['q2']}/hide")
    assert refused.status_code == 403  # not yet a curator
    invite(scene, curator, "curator")
    api = curator.api
    steps = (("approve", "pend"), ("unhide", "h1"), ("answer", "q2"), ("unanswer", "q1"),
             ("unspotlight", "q1"), ("spotlight", "q2"), ("hide", "r1"))
    for action, target in steps:
        response = api.post(f"{base}/messages/{scene.names[target]}/{action}")
        assert response.status_code == 200, (action, response.text)
    assert query_one(server, "SELECT spotlight_message_id FROM workshops WHERE id = ?",
                     scene.names["w"]) == scene.names["q2"]
    assert api.post(f"{base}/messages/{scene.names['r1']}/ban-author").status_code == 204
    assert api.delete(f"{base}/bans/{scene.names['dave']}").status_code == 204
    assert api.patch(base, json={"premoderation": True}).status_code == 200
    kept = api.post(f"{base}/insights",
                    json={"source": {"type": "message", "id": scene.names["q2"]}})
    assert kept.status_code == 201
    assert api.post(f"{base}/insights/{kept.json()['id']}/move",
                    json={"direction": "indent"}).status_code == 200
    assert api.put(f"{base}/presenter", json={"view": "insights"}).status_code == 200
    assert [m["text"] for m in api.get(f"{base}/messages").json()["messages"]][:2] == [
        "Cheap spam here", "Who decides?"]
    tree = scene.owner.api.get(f"{base}/insights").json()["insights"]
    assert [(c["number"], c["id"]) for c in tree[1]["children"]] == [
        ("2.1", kept.json()["id"])]  # nested under i2, the insight above it
    # the console's forms and its live socket too
    browser = curator.browser_client()
    http, token = with_csrf(server, browser)
    page = http.post(f"/console/{scene.names['w']}/insights", data={
        "text": "From the curator's console", "csrf_token": token})
    assert page.status_code == 303
    with ws_connect(server, f"/ws/console/{scene.names['w']}",
                    cookies=cookie_header(browser)) as ws:
        assert "From the curator" in str(ws.recv(timeout=10))
    assert http.get(f"/console/{scene.names['w']}").status_code == 200


def test_a_curator_does_not_run_the_session(server: LiveServer, accounts: Accounts) -> None:
    scene = build_scene(server, accounts)
    activity = scene.owner.add_activity(scene.names["w"], "word_cloud", "One word?")
    invite(scene, scene.helper, "curator")
    api, base = scene.helper.api, scene.base
    other = server.add_facilitator()
    before = snapshot(server)
    attempts = [
        api.post(f"{base}/activities", json={"kind": "word_cloud", "prompt": "Why?"}),
        api.post(f"{base}/activities/{activity['id']}/open"),
        api.patch(f"{base}/activities/{activity['id']}", json={"prompt": "Changed?"}),
        api.delete(f"{base}/activities/{activity['id']}"),
        api.put(f"{base}/current", json={"activity_id": activity["id"]}),
        api.patch(base, json={"title": "Renamed"}),
        api.patch(base, json={"title": "Renamed", "chat": "off"}),
        api.delete(base),
        api.post(f"{base}/cofacilitators", json={"email": other.email, "role": "cohost"}),
    ]
    for response in attempts:
        assert_refused(response, 403, False)
    assert "curator" in attempts[0].json()["detail"]
    assert snapshot(server) == before
    # positive control: the owner can
    assert scene.owner.api.post(f"{base}/activities/{activity['id']}/open").status_code == 200
    assert snapshot(server) != before


def test_a_cohost_runs_the_session(server: LiveServer, accounts: Accounts) -> None:
    scene = build_scene(server, accounts)
    invite(scene, scene.helper, "cohost")
    cohost = scene.helper
    activity = cohost.add_activity(scene.names["w"], "word_cloud", "One word?")
    cohost.act(scene.names["w"], activity["id"], "open")
    cohost.show(scene.names["w"], activity["id"])
    assert cohost.api.post(f"{scene.base}/messages/{scene.names['q2']}/hide").status_code == 200
    other = server.add_facilitator()
    before = snapshot(server)
    assert_refused(cohost.api.post(f"{scene.base}/cofacilitators",
                                   json={"email": other.email, "role": "curator"}), 403, False)
    assert_refused(cohost.api.delete(scene.base), 403, False)
    assert snapshot(server) == before


@pytest.mark.parametrize("role", ["curator", "cohost"])
def test_only_the_owner_adds_co_facilitators(server: LiveServer, accounts: Accounts,
                                             role: str) -> None:
    scene = build_scene(server, accounts)
    member = server.add_facilitator()
    invite(scene, member, role)
    newcomer = server.add_facilitator()
    body = {"email": newcomer.email, "role": "curator"}
    url = f"{scene.base}/cofacilitators"
    before = snapshot(server)
    assert_refused(member.api.post(url, json=body), 403, False)
    http, token = with_csrf(server, member.browser_client())
    page = http.post(f"/console/{scene.names['w']}/cofacilitators",
                     data={**body, "csrf_token": token})
    assert page.status_code == 403
    assert snapshot(server) == before
    assert newcomer.api.get(scene.base).status_code == 403

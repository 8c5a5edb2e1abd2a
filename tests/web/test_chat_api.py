"""The chat, Q&A, moderation and insights JSON API end to end against the real server
(real SQLite file): status codes, response shapes, what the database kept, and bad input
that is refused with a clear message and changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import Facilitator, LiveServer, Participant
from tests.web.helpers import chat_snapshot as snapshot
from tests.web.helpers import query

MESSAGE_KEYS = {"id", "text", "question", "upvotes", "status", "answered", "reply_to",
                "created_at"}
INSIGHT_KEYS = {"id", "number", "text", "parent_id", "source", "sources", "children"}


class ChatScene:
    """A workshop with two participants, Alice and Bob, and nothing said yet."""

    def __init__(self, server: LiveServer, facilitator: Facilitator) -> None:
        self.server = server
        self.facilitator = facilitator
        self.api = facilitator.api
        self.workshop = facilitator.create_workshop("Retro")
        self.wid: str = self.workshop["id"]
        self.code: str = self.workshop["code"]
        self.alice = Participant(server, self.code, "Alice")
        self.bob = Participant(server, self.code, "Bob")

    @property
    def base(self) -> str:
        return f"/api/v1/workshops/{self.wid}"

    def post(self, who: Participant, text: str = "Hello room", *, client_id: str | None = None,
             **extra: Any) -> httpx.Response:
        return who.client.post(f"{self.base}/messages", json={
            "text": text, "client_id": client_id or uuid.uuid4().hex, **extra})

    def posted(self, who: Participant, text: str = "Hello room", **extra: Any) -> str:
        response = self.post(who, text, **extra)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def messages(self, http: httpx.Client) -> list[dict[str, Any]]:
        response = http.get(f"{self.base}/messages")
        assert response.status_code == 200, response.text
        listed: list[dict[str, Any]] = response.json()["messages"]
        return listed

    def texts(self, http: httpx.Client) -> list[str]:
        return [m["text"] for m in self.messages(http)]

    def moderate(self, message_id: str, action: str) -> httpx.Response:
        return self.api.post(f"{self.base}/messages/{message_id}/{action}")

    def settings(self, **data: Any) -> dict[str, Any]:
        response = self.api.patch(self.base, json=data)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def insight(self, **data: Any) -> dict[str, Any]:
        response = self.api.post(f"{self.base}/insights", json=data)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def insights(self, http: httpx.Client | None = None) -> list[dict[str, Any]]:
        response = (http or self.api).get(f"{self.base}/insights")
        assert response.status_code == 200, response.text
        listed: list[dict[str, Any]] = response.json()["insights"]
        return listed

    def outline(self) -> list[tuple[str, str]]:
        """(number, text) of every insight in reading order, as the API lists them."""
        out = []
        for node in self.insights():
            out.append((node["number"], node["text"]))
            out.extend((child["number"], child["text"]) for child in node["children"])
        return out

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return query(self.server, sql, params)


@pytest.fixture
def scene(server: LiveServer, facilitator: Facilitator) -> ChatScene:
    return ChatScene(server, facilitator)


def refused(response: httpx.Response, status: int, *fragments: str) -> None:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    for fragment in fragments:
        assert fragment in detail, detail


# -- posting and reading -----------------------------------------------------------------


def test_post_and_read_messages(scene: ChatScene) -> None:
    response = scene.post(scene.alice, "  Hello   room ", client_id="c-1")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "status"} and body["status"] == "visible"
    (seen,) = scene.messages(scene.bob.client)
    assert set(seen) == MESSAGE_KEYS | {"author"}
    assert (seen["id"], seen["text"], seen["author"], seen["question"], seen["upvotes"],
            seen["status"], seen["reply_to"]) == (
        body["id"], "Hello room", "Alice", False, 0, "visible", None)
    (staff,) = scene.messages(scene.api)
    assert staff["participant_id"] == scene.alice.id  # what the facilitator bans by
    assert scene.rows("SELECT participant_id, text FROM messages WHERE workshop_id = ?",
                      (scene.wid,)) == [(scene.alice.id, "Hello room")]


def test_a_repeated_client_id_answers_200_with_the_same_message(scene: ChatScene) -> None:
    first = scene.post(scene.alice, "Once", client_id="same")
    again = scene.post(scene.alice, "Once", client_id="same")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert scene.texts(scene.bob.client) == ["Once"]


def test_questions_replies_and_upvotes(scene: ChatScene) -> None:
    question = scene.posted(scene.alice, "When do we ship?", question=True)
    reply = scene.posted(scene.bob, "Soon", reply_to=question)
    nested = scene.posted(scene.alice, "How soon?", reply_to=reply)
    by_id = {m["id"]: m for m in scene.messages(scene.bob.client)}
    assert by_id[question]["question"] is True
    assert by_id[reply]["reply_to"] == question
    assert by_id[nested]["reply_to"] == question  # one level deep

    upvote = f"{scene.base}/messages/{question}/upvote"
    first = scene.bob.client.post(upvote)
    assert (first.status_code, first.json()) == (200, {"id": question, "upvotes": 1})
    refused(scene.bob.client.post(upvote), 409, "already upvoted")
    refused(scene.alice.client.post(upvote), 409, "your own question")
    assert scene.messages(scene.alice.client)[0]["upvotes"] == 1
    withdrawn = scene.bob.client.delete(upvote)
    assert (withdrawn.status_code, withdrawn.json()) == (200, {"id": question, "upvotes": 0})
    refused(scene.bob.client.delete(upvote), 409, "not upvoted")
    refused(scene.bob.client.post(f"{scene.base}/messages/{reply}/upvote"), 409,
            "Only questions")


def test_premoderation_and_approve(scene: ChatScene) -> None:
    settings = scene.settings(premoderation=True)
    assert settings["premoderation"] is True and settings["chat"] == "on"
    response = scene.post(scene.alice, "Approve me")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    mid = response.json()["id"]
    assert scene.texts(scene.bob.client) == []
    assert [m["status"] for m in scene.messages(scene.alice.client)] == ["pending"]
    approved = scene.moderate(mid, "approve")
    assert (approved.status_code, approved.json()) == (
        200, {"id": mid, "status": "visible", "answered": False})
    assert scene.texts(scene.bob.client) == ["Approve me"]
    refused(scene.moderate(mid, "approve"), 409, "waiting for approval")


def test_blocked_words_hold_a_message_for_approval(scene: ChatScene) -> None:
    settings = scene.settings(blocked_words=["Dead End", " rubbish "])
    assert settings["blocked_words"] == ["dead end", "rubbish"]
    held = scene.post(scene.alice, "What a DEAD end.")
    fine = scene.post(scene.alice, "Rubbishy weather")
    assert (held.json()["status"], fine.json()["status"]) == ("pending", "visible")
    assert scene.texts(scene.bob.client) == ["Rubbishy weather"]


def test_moderation_actions_answer_with_the_new_state(scene: ChatScene) -> None:
    question = scene.posted(scene.alice, "Why?", question=True)
    expected = [("answer", "visible", True), ("unanswer", "visible", False),
                ("spotlight", "visible", False), ("unspotlight", "visible", False),
                ("hide", "hidden", False), ("unhide", "visible", False)]
    for action, status, answered in expected:
        response = scene.moderate(question, action)
        assert response.status_code == 200, (action, response.text)
        assert response.json() == {"id": question, "status": status, "answered": answered}
    refused(scene.moderate(question, "unhide"), 409, "not hidden")
    refused(scene.moderate(question, "unspotlight"), 409, "not in the spotlight")
    assert scene.rows("SELECT status, answered FROM messages WHERE id = ?",
                      (question,)) == [("visible", 0)]


def test_hidden_messages_leave_the_participants_list(scene: ChatScene) -> None:
    mid = scene.posted(scene.alice, "Off topic")
    scene.posted(scene.bob, "On topic")
    assert scene.moderate(mid, "hide").status_code == 200
    assert scene.texts(scene.bob.client) == ["On topic"]
    assert scene.texts(scene.alice.client) == ["On topic"]
    assert [(m["text"], m["status"]) for m in scene.messages(scene.api)] == [
        ("Off topic", "hidden"), ("On topic", "visible")]


def test_bans(scene: ChatScene) -> None:
    mid = scene.posted(scene.alice, "Trolling")
    banned = scene.api.post(f"{scene.base}/messages/{mid}/ban-author")
    assert banned.status_code == 204 and banned.content == b""
    assert scene.rows("SELECT participant_id FROM bans WHERE workshop_id = ?",
                      (scene.wid,)) == [(scene.alice.id,)]
    refused(scene.post(scene.alice, "Let me back"), 409, "stopped you from posting")
    unbanned = scene.api.delete(f"{scene.base}/bans/{scene.alice.id}")
    assert unbanned.status_code == 204
    assert scene.post(scene.alice, "Thanks").status_code == 201
    by_id = scene.api.post(f"{scene.base}/bans", json={"participant_id": scene.bob.id})
    assert (by_id.status_code, by_id.json()) == (201, {"participant_id": scene.bob.id})
    refused(scene.post(scene.bob, "Hm"), 409, "stopped you from posting")
    refused(scene.api.delete(f"{scene.base}/bans/{scene.alice.id}"), 404, "not banned")
    refused(scene.api.post(f"{scene.base}/bans", json={"participant_id": "nope"}), 404)


def test_chat_modes_and_anonymity_through_patch(scene: ChatScene) -> None:
    settings = scene.settings(chat="facilitator_only", anonymity="anonymous_to_peers")
    assert (settings["chat"], settings["anonymity"]) == ("facilitator_only",
                                                         "anonymous_to_peers")
    scene.posted(scene.alice, "Just for the facilitator")
    assert scene.texts(scene.bob.client) == []
    assert [(m["text"], m.get("author")) for m in scene.messages(scene.alice.client)] == [
        ("Just for the facilitator", "Alice")]
    assert [m.get("author") for m in scene.messages(scene.api)] == ["Alice"]
    scene.settings(chat="on", anonymity="anonymous")
    # what was sent to the facilitator alone stays with the facilitator
    assert scene.texts(scene.bob.client) == []
    scene.posted(scene.alice, "For everyone, anonymously")
    assert scene.texts(scene.bob.client) == ["For everyone, anonymously"]
    assert "author" not in scene.messages(scene.bob.client)[0]
    staff = scene.messages(scene.api)[-1]
    assert staff["text"] == "For everyone, anonymously"
    assert "author" not in staff and "participant_id" not in staff
    assert scene.rows("SELECT chat_mode, anonymity FROM workshops WHERE id = ?",
                      (scene.wid,)) == [("on", "anonymous")]


def test_rate_limit_answers_409_with_a_clear_message(scene: ChatScene) -> None:
    for n in range(20):
        assert scene.post(scene.alice, f"Message {n}").status_code == 201
    before = snapshot(scene.server)
    refused(scene.post(scene.alice, "One too many"), 409, "at most 20 messages a minute")
    assert snapshot(scene.server) == before
    assert scene.post(scene.bob, "Bob may still post").status_code == 201


# -- bad input changes nothing -------------------------------------------------------------


@pytest.mark.parametrize(("body", "fragments"), [
    ({"text": ""}, ("Message must not be empty",)),
    ({"text": " \n\t "}, ("Message must not be empty",)),
    ({"text": "x" * 501}, ("text", "the limit is 500")),
    ({"text": "Hi", "client_id": None}, ("client_id",)),
    ({"text": "Hi", "author": "Mallory"}, ("author",)),
    ({"text": "Hi", "question": [1]}, ("question",)),
    ({"text": 42}, ("text",)),
], ids=["empty", "blank", "too-long", "no-client-id", "unknown-field", "bad-question",
        "not-text"])
def test_bad_posts_are_422_and_change_nothing(scene: ChatScene, body: dict[str, Any],
                                              fragments: tuple[str, ...]) -> None:
    before = snapshot(scene.server)
    data = {"client_id": uuid.uuid4().hex, **body}
    data = {k: v for k, v in data.items() if v is not None}
    response = scene.alice.client.post(f"{scene.base}/messages", json=data)
    refused(response, 422, *fragments)
    assert response.json()["code"] == "invalid"
    assert snapshot(scene.server) == before


def test_exactly_500_characters_is_fine(scene: ChatScene) -> None:
    assert scene.post(scene.alice, "x" * 500).status_code == 201


def test_refused_chat_requests_change_nothing(scene: ChatScene) -> None:
    question = scene.posted(scene.alice, "A question?", question=True)
    assert scene.bob.client.post(f"{scene.base}/messages/{question}/upvote").status_code == 200
    other = scene.facilitator.create_workshop("Another")
    stranger = Participant(scene.server, other["code"], "Stranger")
    foreign = stranger.client.post(f"/api/v1/workshops/{other['id']}/messages", json={
        "text": "Elsewhere", "client_id": "s-1"}).json()["id"]
    before = snapshot(scene.server)
    attempts: list[tuple[httpx.Response, int, str]] = [
        (scene.bob.client.post(f"{scene.base}/messages/{question}/upvote"), 409,
         "already upvoted"),
        (scene.post(scene.bob, "Re", reply_to="nope"), 404, "no message with that id"),
        (scene.post(scene.bob, "Re", reply_to=foreign), 404, "no message with that id"),
        (scene.moderate(question, "delete"), 422, "action"),
        (scene.moderate(question, "approve"), 409, "waiting for approval"),
        (scene.moderate("nope", "hide"), 404, "no message with that id"),
        (scene.moderate(foreign, "hide"), 404, "no message with that id"),
        (scene.api.patch(scene.base, json={"chat": "loud"}), 422, "chat"),
        (scene.api.patch(scene.base, json={"anonymity": "secret"}), 422, "anonymity"),
        (scene.api.patch(scene.base, json={"blocked_words": ["x" * 41]}), 422,
         "at most 40 characters"),
        (scene.api.patch(scene.base, json={"premoderation": "perhaps"}), 422,
         "premoderation"),
        (scene.api.post(f"{scene.base}/bans", json={"participant_id": stranger.id}), 404,
         "no participant with that id"),
        (scene.api.post(f"{scene.base}/messages/nope/ban-author"), 404,
         "no message with that id"),
        (scene.api.put(f"{scene.base}/presenter", json={"view": "slides"}), 422, "view"),
    ]
    for response, status, fragment in attempts:
        refused(response, status, fragment)
    assert snapshot(scene.server) == before


def test_posting_while_banned_or_while_the_chat_is_off_is_409(scene: ChatScene) -> None:
    assert scene.api.post(f"{scene.base}/bans",
                          json={"participant_id": scene.alice.id}).status_code == 201
    before = snapshot(scene.server)
    refused(scene.post(scene.alice, "Let me in"), 409, "stopped you from posting")
    assert snapshot(scene.server) == before
    assert scene.post(scene.bob, "Bob can").status_code == 201  # positive control
    scene.settings(chat="off")
    before = snapshot(scene.server)
    for who in (scene.alice, scene.bob):
        refused(scene.post(who, "Anyone?"), 409, "The chat is off")
    assert snapshot(scene.server) == before


# -- insights --------------------------------------------------------------------------------


def test_insight_from_a_message_keeps_its_provenance(scene: ChatScene) -> None:
    mid = scene.posted(scene.alice, "Ship smaller batches")
    created = scene.insight(source={"type": "message", "id": mid})
    assert set(created) == INSIGHT_KEYS
    assert (created["number"], created["text"], created["parent_id"], created["children"]) == (
        "1", "Ship smaller batches", None, [])
    source = created["source"]
    assert (source["type"], source["id"], source["text"], source["author"]) == (
        "message", mid, "Ship smaller batches", "Alice")
    assert created["sources"] == [source]
    edited = scene.api.patch(f"{scene.base}/insights/{created['id']}",
                             json={"text": "Deliver in small batches"})
    assert edited.status_code == 200
    assert edited.json()["text"] == "Deliver in small batches"
    assert edited.json()["source"]["text"] == "Ship smaller batches"
    (listed,) = scene.insights()
    assert listed["text"] == "Deliver in small batches"
    assert listed["source"]["text"] == "Ship smaller batches"


def test_insight_from_an_open_text_response(scene: ChatScene) -> None:
    poll = scene.facilitator.add_activity(scene.wid, "open_text", "One change?")
    scene.facilitator.act(scene.wid, poll["id"], "open")
    assert scene.bob.respond(poll["id"], "Fewer meetings").status_code == 201
    results = scene.facilitator.results(scene.wid, poll["id"])
    (response,) = results["responses"]
    assert response["text"] == "Fewer meetings" and results["answers"] == ["Fewer meetings"]
    created = scene.insight(source={"type": "response", "id": response["id"]})
    assert (created["text"], created["source"]["type"], created["source"]["author"],
            created["source"]["activity_prompt"]) == (
        "Fewer meetings", "response", "Bob", "One change?")


def test_numbering_move_order_merge_and_delete(scene: ChatScene) -> None:
    a = scene.insight(text="A")
    b = scene.insight(text="B")
    a1 = scene.insight(text="A one", parent_id=a["id"])
    assert (a["number"], b["number"], a1["number"]) == ("1", "2", "1.1")
    assert a1["parent_id"] == a["id"]
    assert scene.outline() == [("1", "A"), ("1.1", "A one"), ("2", "B")]

    moved = scene.api.post(f"{scene.base}/insights/{b['id']}/move", json={"direction": "up"})
    assert moved.status_code == 200
    assert [n["number"] + " " + n["text"] for n in moved.json()["insights"]] == ["1 B", "2 A"]
    assert scene.outline() == [("1", "B"), ("2", "A"), ("2.1", "A one")]

    ordered = scene.api.put(f"{scene.base}/insights/order", json={"items": [
        {"id": a["id"]}, {"id": b["id"], "parent_id": a["id"]}, {"id": a1["id"]}]})
    assert ordered.status_code == 200
    assert scene.outline() == [("1", "A"), ("1.1", "B"), ("2", "A one")]

    merged = scene.api.post(f"{scene.base}/insights/merge",
                            json={"ids": [a1["id"], b["id"]]})
    assert merged.status_code == 200
    assert (merged.json()["id"], merged.json()["text"]) == (a1["id"], "A one\nB")
    assert scene.outline() == [("1", "A"), ("2", "A one\nB")]

    deleted = scene.api.delete(f"{scene.base}/insights/{a['id']}")
    assert deleted.status_code == 204
    assert scene.outline() == [("1", "A one\nB")]
    assert scene.rows("SELECT COUNT(*) FROM insights WHERE workshop_id = ?",
                      (scene.wid,)) == [(1,)]


def test_merge_keeps_both_sources(scene: ChatScene) -> None:
    m1 = scene.posted(scene.alice, "Less email")
    m2 = scene.posted(scene.bob, "Fewer meetings")
    first = scene.insight(source={"type": "message", "id": m1})
    second = scene.insight(source={"type": "message", "id": m2})
    merged = scene.api.post(f"{scene.base}/insights/merge",
                            json={"ids": [first["id"], second["id"]]})
    assert merged.status_code == 200
    assert [(s["id"], s["author"]) for s in merged.json()["sources"]] == [
        (m1, "Alice"), (m2, "Bob")]
    assert [n["id"] for n in scene.insights()] == [first["id"]]


def test_bad_insight_requests_change_nothing(scene: ChatScene) -> None:
    a = scene.insight(text="A")
    a1 = scene.insight(text="A one", parent_id=a["id"])
    b = scene.insight(text="B")
    base = f"{scene.base}/insights"
    before = snapshot(scene.server)
    attempts: list[tuple[httpx.Response, int, str]] = [
        (scene.api.post(base, json={}), 422, "must not be empty"),
        (scene.api.post(base, json={"text": "x" * 1001}), 422, "the limit is 1000"),
        (scene.api.post(base, json={"text": "X", "parent_id": a1["id"]}), 422,
         "one level deep"),
        (scene.api.post(base, json={"text": "X", "parent_id": "nope"}), 422,
         "must be an insight of this workshop"),
        (scene.api.post(base, json={"source": {"type": "slide", "id": "x"}}), 422, "type"),
        (scene.api.post(base, json={"source": {"type": "message", "id": "nope"}}), 404,
         "no message with that id"),
        (scene.api.patch(f"{base}/nope", json={"text": "X"}), 404, "no insight"),
        (scene.api.patch(f"{base}/{a['id']}", json={"text": ""}), 422, "must not be empty"),
        (scene.api.patch(f"{base}/{b['id']}", json={"parent_id": b["id"]}), 422,
         "its own parent"),
        (scene.api.delete(f"{base}/nope"), 404, "no insight"),
        (scene.api.put(f"{base}/order", json={"items": [{"id": a["id"]}]}), 422,
         "exactly once"),
        (scene.api.put(f"{base}/order", json={"items": [
            {"id": a["id"]}, {"id": a1["id"], "parent_id": a1["id"]}, {"id": b["id"]}]}),
         422, "its own parent"),
        (scene.api.post(f"{base}/merge", json={"ids": [a["id"]]}), 422, "ids"),
        (scene.api.post(f"{base}/merge", json={"ids": [a["id"], "nope"]}), 404,
         "no insight"),
        (scene.api.post(f"{base}/{a['id']}/move", json={"direction": "sideways"}), 422,
         "direction"),
        (scene.api.post(f"{base}/{a['id']}/move", json={"direction": "indent"}), 422,
         "has sub-points"),
        (scene.api.post(f"{base}/{b['id']}/move", json={"direction": "outdent"}), 422,
         "already top level"),
        (scene.api.post(f"{base}/nope/move", json={"direction": "up"}), 404, "no insight"),
    ]
    for response, status, fragment in attempts:
        refused(response, status, fragment)
    assert snapshot(scene.server) == before


def test_participants_read_insights_once_the_presenter_shows_them(scene: ChatScene) -> None:
    scene.insight(text="What we learned")
    refused(scene.bob.client.get(f"{scene.base}/insights"), 403, "not shared")
    shown = scene.api.put(f"{scene.base}/presenter", json={"view": "insights"})
    assert (shown.status_code, shown.json()) == (200, {"view": "insights"})
    assert [n["text"] for n in scene.insights(scene.bob.client)] == ["What we learned"]
    assert scene.rows("SELECT presenter_view FROM workshops WHERE id = ?",
                      (scene.wid,)) == [("insights",)]


def test_shared_insights_hide_authors_from_peers(scene: ChatScene) -> None:
    scene.settings(anonymity="anonymous_to_peers")
    mid = scene.posted(scene.alice, "A candid remark")
    scene.insight(source={"type": "message", "id": mid})
    assert scene.insights()[0]["source"]["author"] == "Alice"  # the facilitator's view
    assert scene.api.put(f"{scene.base}/presenter",
                         json={"view": "insights"}).status_code == 200
    response = scene.bob.client.get(f"{scene.base}/insights")
    assert response.status_code == 200
    assert response.json()["insights"][0]["source"]["author"] is None
    assert "Alice" not in response.text


# -- co-facilitators -------------------------------------------------------------------------


def test_add_a_co_facilitator(scene: ChatScene, server: LiveServer) -> None:
    helper = server.add_facilitator()
    added = scene.api.post(f"{scene.base}/cofacilitators",
                           json={"email": helper.email.upper(), "role": "curator"})
    assert (added.status_code, added.json()) == (201, {"email": helper.email,
                                                       "role": "curator"})
    assert helper.api.get(scene.base).status_code == 200
    before = snapshot(scene.server)
    refused(scene.api.post(f"{scene.base}/cofacilitators",
                           json={"email": "nobody@example.org", "role": "curator"}), 404,
            "No facilitator account")
    refused(scene.api.post(f"{scene.base}/cofacilitators",
                           json={"email": helper.email, "role": "owner"}), 422, "role")
    refused(scene.api.post(f"{scene.base}/cofacilitators",
                           json={"email": scene.facilitator.email, "role": "cohost"}), 409,
            "owns this workshop")
    assert snapshot(scene.server) == before

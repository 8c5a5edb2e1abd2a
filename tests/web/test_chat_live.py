"""The chat, Q&A and insights live over real WebSocket connections to the real server.

Participants get the room's `#chat` fragment (`data-total`: messages in the room), the
console gets its own `#chat` (`data-total`: every message, `data-pending`: the queue) and
`#insights` (each insight with `data-insight-id` and `data-position`, its number), the
presenter gets `#spotlight-question` and, when it shows them, the insights as `#stage`.
Each message element carries `data-message-id`. Waits are bounded; nothing sleeps."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.sync.client import ClientConnection

from tests.support import Facilitator, LiveServer, Participant
from tests.web.helpers import (
    AudienceSockets,
    assert_no_server_errors,
    attribute,
    first,
    fragment,
    wait_for,
    with_csrf,
)


@pytest.fixture(autouse=True)
def _no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_server_errors(caplog)


class LiveChat(AudienceSockets):
    """A workshop with an open poll on screen, and sockets for each audience."""

    def __init__(self, server: LiveServer, facilitator: Facilitator) -> None:
        self.server = server
        self.facilitator = facilitator
        self.api = facilitator.api
        self.workshop = facilitator.create_workshop("Live chat")
        self.wid: str = self.workshop["id"]
        self.code: str = self.workshop["code"]
        self.poll = facilitator.add_activity(self.wid, "word_cloud", "One word?")
        facilitator.act(self.wid, self.poll["id"], "open")
        facilitator.show(self.wid, self.poll["id"])
        self.browser = facilitator.browser_client()

    @property
    def base(self) -> str:
        return f"/api/v1/workshops/{self.wid}"

    def join(self, name: str = "") -> Participant:
        return Participant(self.server, self.code, name)

    def post(self, who: Participant, text: str, **extra: Any) -> dict[str, Any]:
        response = who.client.post(f"{self.base}/messages", json={
            "text": text, "client_id": uuid.uuid4().hex, **extra})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def moderate(self, message_id: str, action: str) -> None:
        response = self.api.post(f"{self.base}/messages/{message_id}/{action}")
        assert response.status_code == 200, response.text

    def settings(self, **data: Any) -> None:
        assert self.api.patch(self.base, json=data).status_code == 200

    def insight(self, **data: Any) -> dict[str, Any]:
        response = self.api.post(f"{self.base}/insights", json=data)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def live(server: LiveServer, facilitator: Facilitator) -> LiveChat:
    return LiveChat(server, facilitator)


def chat_of(message: str) -> str | None:
    return fragment(message, "chat")


def chat_total(value: int) -> Callable[[str], bool]:
    return lambda m: attribute(m, "chat", "data-total") == str(value)


def chat_contains(text: str) -> Callable[[str], bool]:
    return lambda m: text in (chat_of(m) or "")


def message_tag(piece: str, message_id: str) -> str | None:
    """The opening tag of one message's element, or None if it is not there."""
    return next((t for t in re.findall(r"<li\b[^>]*>", piece)
                 if f'data-message-id="{message_id}"' in t), None)


def positions(piece: str) -> list[tuple[str, str]]:
    """(data-position, data-insight-id) of every insight element, in document order."""
    out = []
    for tag in re.findall(r"<li\b[^>]*\bdata-insight-id=[^>]*>", piece):
        iid = re.search(r'data-insight-id="([^"]+)"', tag)
        number = re.search(r'data-position="([^"]+)"', tag)
        assert iid and number, tag
        out.append((number.group(1), iid.group(1)))
    return out


def insights_are(expected: list[tuple[str, str]], element_id: str = "insights"
                 ) -> Callable[[str], bool]:
    return lambda m: positions(fragment(m, element_id) or "") == expected


def until(ws: ClientConnection, predicate: Callable[[str], bool], what: str) -> list[str]:
    """Every message received up to and including the first that matches (bounded)."""
    seen: list[str] = []

    def keep(message: str) -> bool:
        seen.append(message)
        return predicate(message)

    wait_for(ws, keep, what=what)
    return seen


def spotlight_hidden(message: str) -> bool | None:
    piece = fragment(message, "spotlight-question")
    if piece is None:
        return None
    return re.search(r"\shidden[\s>]", piece[: piece.find(">") + 1]) is not None


# -- posts reach the room ------------------------------------------------------------------


def test_every_screen_starts_with_the_chat(live: LiveChat) -> None:
    alice = live.join("Alice")
    earlier = live.post(alice, "Said before anyone connected")
    with live.participant_socket(live.join("Bob")) as p, live.console_socket() as c, \
            live.presenter_socket() as s:
        participant, console, presenter = first(p), first(c), first(s)
    assert attribute(participant, "chat", "data-total") == "1"
    assert message_tag(chat_of(participant) or "", earlier["id"]) is not None
    assert attribute(console, "chat", "data-total") == "1"
    assert attribute(console, "chat", "data-pending") == "0"
    assert attribute(console, "insights", "data-total") == "0"
    assert spotlight_hidden(presenter) is True


def test_a_post_reaches_the_other_participants_and_the_console(live: LiveChat) -> None:
    alice, bob, carol = live.join("Alice"), live.join("Bob"), live.join("Carol")
    with live.participant_socket(bob) as b, live.participant_socket(carol) as c, \
            live.console_socket() as console:
        for ws in (b, c, console):
            assert chat_total(0)(first(ws))
        posted = live.post(alice, "Hello from Alice")
        for ws, who in ((b, "Bob"), (c, "Carol")):
            message = wait_for(ws, chat_total(1), what=f"{who}'s #chat with one message")
            chat = chat_of(message) or ""
            assert "Hello from Alice" in chat and "Alice" in chat
            assert message_tag(chat, posted["id"]) is not None
        staff = wait_for(console, chat_total(1), what="the console's #chat")
        assert message_tag(chat_of(staff) or "", posted["id"]) is not None
        assert attribute(staff, "chat", "data-pending") == "0"
        live.post(bob, "And Bob answers", reply_to=posted["id"])
        reply = wait_for(c, chat_total(2), what="Carol's #chat with the reply")
    assert "And Bob answers" in (chat_of(reply) or "")


def test_a_question_and_its_upvotes_update_live(live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    with live.participant_socket(alice) as ws:
        first(ws)
        question = live.post(alice, "When do we ship?", question=True)
        wait_for(ws, chat_total(1))
        upvoted = bob.client.post(f"{live.base}/messages/{question['id']}/upvote")
        assert upvoted.status_code == 200
        message = wait_for(ws, lambda m: 'data-upvotes="1"' in (
            message_tag(chat_of(m) or "", question["id"]) or ""), what="one upvote")
    assert "Question" in (chat_of(message) or "")


def test_a_hidden_message_leaves_every_participant_but_stays_on_the_console(
        live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    with live.participant_socket(alice) as a, live.participant_socket(bob) as b, \
            live.console_socket() as console:
        for ws in (a, b, console):
            first(ws)
        off_topic = live.post(alice, "Buy cheap watches")
        live.post(bob, "Back to the topic")
        for ws in (a, b, console):
            wait_for(ws, chat_total(2), what="two messages")
        live.moderate(off_topic["id"], "hide")
        for ws, who in ((a, "Alice"), (b, "Bob")):
            message = wait_for(ws, chat_total(1), what=f"{who}'s #chat without it")
            chat = chat_of(message) or ""
            assert "Buy cheap watches" not in chat
            assert message_tag(chat, off_topic["id"]) is None
            assert "Back to the topic" in chat
        staff = wait_for(console, lambda m: 'data-status="hidden"' in (
            message_tag(chat_of(m) or "", off_topic["id"]) or ""), what="hidden on console")
    chat = chat_of(staff) or ""
    assert attribute(staff, "chat", "data-total") == "2"
    assert "Buy cheap watches" in chat and "Hidden" in chat and "Unhide" in chat


def test_a_pending_message_reaches_only_the_facilitator(live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    live.settings(blocked_words=["watches"])
    with live.participant_socket(alice) as a, live.participant_socket(bob) as b, \
            live.console_socket() as console:
        for ws in (a, b, console):
            first(ws)
        pending = live.post(alice, "Buy cheap watches")
        assert pending["status"] == "pending"
        staff = wait_for(console, lambda m: attribute(m, "chat", "data-pending") == "1",
                         what="the console's queue with one message")
        assert "Buy cheap watches" in (chat_of(staff) or "")
        assert 'data-status="pending"' in (message_tag(chat_of(staff) or "", pending["id"])
                                           or "")
        assert "Approve" in (chat_of(staff) or "")
        # a visible message after it: everything the room received up to it is clean
        live.post(bob, "Nice weather today")
        for ws, who in ((a, "Alice"), (b, "Bob")):
            seen = until(ws, chat_contains("Nice weather today"), f"{who}'s next #chat")
            assert attribute(seen[-1], "chat", "data-total") == "1"
            for message in seen:
                assert "Buy cheap watches" not in message
                assert pending["id"] not in message
        # positive control: once approved, the room sees it
        live.moderate(pending["id"], "approve")
        for ws in (a, b):
            approved = wait_for(ws, chat_total(2), what="the approved message")
            assert "Buy cheap watches" in (chat_of(approved) or "")
        wait_for(console, lambda m: attribute(m, "chat", "data-pending") == "0",
                 what="an empty queue")


def test_facilitator_only_messages_do_not_reach_the_room(live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    live.settings(chat="facilitator_only")
    with live.participant_socket(bob) as b, live.console_socket() as console:
        assert "Messages go to the facilitator only" in (chat_of(first(b)) or "")
        first(console)
        private = live.post(alice, "Psst, only for you")
        wait_for(console, chat_contains("Psst, only for you"), what="the private message")
        # anything that re-renders the room after it: still not there
        live.settings(anonymity="anonymous_to_peers")
        seen = until(b, lambda m: "facilitator does" in m, "Bob's screen re-rendered")
    assert chat_of(seen[-1]) is not None  # the room's chat was rendered again
    for message in seen:
        assert "Psst" not in message and private["id"] not in message


def test_facilitator_only_messages_stay_private_when_the_chat_is_back_on(
        live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    live.settings(chat="facilitator_only")
    private = live.post(alice, "Psst, only for you")
    live.settings(chat="on")
    listed = bob.client.get(f"{live.base}/messages").json()["messages"]
    assert private["id"] not in [m["id"] for m in listed]
    with live.participant_socket(bob) as b:
        assert "Psst" not in first(b)


def test_anonymous_to_peers_names_the_author_on_the_console_only(live: LiveChat) -> None:
    alice, bob = live.join("Alicia Quinn"), live.join("Bob")
    live.settings(anonymity="anonymous_to_peers")
    with live.participant_socket(bob) as b, live.console_socket() as console:
        first(b)
        first(console)
        live.post(alice, "Candid remark")
        room = wait_for(b, chat_total(1), what="Bob's #chat")
        staff = wait_for(console, chat_total(1), what="the console's #chat")
    assert "Alicia Quinn" not in room and "Anonymous" in (chat_of(room) or "")
    assert "Alicia Quinn" in (chat_of(staff) or "")


# -- spotlight and insights ----------------------------------------------------------------


def test_the_spotlighted_question_reaches_the_presenter(live: LiveChat) -> None:
    alice = live.join("Alice")
    question = live.post(alice, "Will there be pizza?", question=True)
    with live.presenter_socket() as presenter, live.console_socket() as console:
        assert spotlight_hidden(first(presenter)) is True
        first(console)
        live.moderate(question["id"], "spotlight")
        shown = wait_for(presenter, lambda m: spotlight_hidden(m) is False,
                         what="the spotlight shown")
        assert "Will there be pizza?" in (fragment(shown, "spotlight-question") or "")
        staff = wait_for(console, chat_contains("On the presenter"), what="console pill")
        assert "End spotlight" in (chat_of(staff) or "")
        live.moderate(question["id"], "hide")  # hiding ends the spotlight too
        gone = wait_for(presenter, lambda m: spotlight_hidden(m) is True,
                        what="the spotlight hidden again")
    assert "Will there be pizza?" not in (fragment(gone, "spotlight-question") or "")


def test_insights_reach_the_console_with_their_numbers(live: LiveChat) -> None:
    alice = live.join("Alice")
    remark = live.post(alice, "Ship smaller batches")
    with live.console_socket() as console:
        first(console)
        a = live.insight(source={"type": "message", "id": remark["id"]})
        b = live.insight(text="Protect focus time")
        message = wait_for(console, insights_are([("1", a["id"]), ("2", b["id"])]),
                           what="two insights")
        assert attribute(message, "insights", "data-total") == "2"
        insights = fragment(message, "insights") or ""
        assert "Ship smaller batches" in insights and "From message by Alice" in insights
        a1 = live.insight(text="Smaller pull requests", parent_id=a["id"])
        wait_for(console, insights_are([("1", a["id"]), ("1.1", a1["id"]), ("2", b["id"])]),
                 what="a sub-point 1.1")
        moved = live.api.post(f"{live.base}/insights/{b['id']}/move", json={"direction": "up"})
        assert moved.status_code == 200
        wait_for(console, insights_are([("1", b["id"]), ("2", a["id"]), ("2.1", a1["id"])]),
                 what="B moved up")
        assert live.api.delete(f"{live.base}/insights/{a['id']}").status_code == 204
        wait_for(console, insights_are([("1", b["id"]), ("2", a1["id"])]),
                 what="A deleted, its sub-point promoted")


def test_the_presenter_shows_the_insights_when_asked(live: LiveChat) -> None:
    a = live.insight(text="First takeaway")
    b = live.insight(text="Second takeaway", parent_id=a["id"])
    with live.presenter_socket() as presenter:
        assert positions(fragment(first(presenter), "stage") or "") == []
        shown = live.api.put(f"{live.base}/presenter", json={"view": "insights"})
        assert shown.status_code == 200
        message = wait_for(presenter, insights_are([("1", a["id"]), ("1.1", b["id"])],
                                                   "stage"), what="the insights on stage")
    assert "Second takeaway" in (fragment(message, "stage") or "")


# -- the console's and the participant's HTML forms ----------------------------------------


def test_console_forms_moderate_and_curate_live(live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    posted = live.post(alice, "Hide me via the console")
    http, token = with_csrf(live.server, live.browser)
    htmx = {"HX-Request": "true", "X-CSRF-Token": token}
    with live.participant_socket(bob) as b, live.console_socket() as console:
        assert chat_total(1)(first(b))
        first(console)
        hidden = http.post(f"/console/{live.wid}/messages/{posted['id']}/hide", headers=htmx)
        assert hidden.status_code == 204
        wait_for(b, chat_total(0), what="the message gone from the room")
        kept = http.post(f"/console/{live.wid}/insights", headers=htmx,
                         data={"source_type": "message", "source_id": posted["id"]})
        assert kept.status_code == 204
        message = wait_for(console, lambda m: len(positions(fragment(m, "insights") or ""))
                           == 1, what="the kept insight")
    assert "Hide me via the console" in (fragment(message, "insights") or "")


def test_participant_form_post_reaches_the_room(live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    http, token = with_csrf(live.server, alice.client)
    with live.participant_socket(bob) as b:
        first(b)
        response = http.post(f"/j/{live.code}/messages", headers={"HX-Request": "true"},
                             data={"csrf_token": token, "text": "Sent from the form",
                                   "client_id": uuid.uuid4().hex, "question": "true"})
        assert response.status_code == 200
        assert 'id="chat-form"' in response.text and "Question sent." in response.text
        message = wait_for(b, chat_total(1), what="the form's message in the room")
    assert "Sent from the form" in (chat_of(message) or "")


def test_participant_form_shows_why_a_post_was_refused(live: LiveChat) -> None:
    alice = live.join("Alice")
    live.settings(premoderation=True)
    http, token = with_csrf(live.server, alice.client)
    held = http.post(f"/j/{live.code}/messages", headers={"HX-Request": "true"},
                     data={"csrf_token": token, "text": "Wait for me",
                           "client_id": uuid.uuid4().hex})
    assert held.status_code == 200 and "once the facilitator approves it" in held.text
    too_long = http.post(f"/j/{live.code}/messages", headers={"HX-Request": "true"},
                         data={"csrf_token": token, "text": "x" * 501,
                               "client_id": uuid.uuid4().hex})
    assert too_long.status_code == 422
    assert "the limit is 500" in html.unescape(too_long.text)
    assert 'id="chat-form"' in too_long.text


# -- HTML in messages is escaped everywhere ------------------------------------------------

PAYLOAD = "<b>x</b><script>alert(1)</script>"
NAME = '<i onmouseover="x()">Mallory</i>'
RAW = ("<b>x</b>", "<script>alert(1)", "<i onmouseover")
ESCAPED = "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;"


def escaped(text: str) -> None:
    for raw in RAW:
        assert raw not in text, raw
    assert ESCAPED in text


def test_html_in_a_message_is_escaped_in_every_fragment_and_page(live: LiveChat) -> None:
    mallory, bob = live.join(NAME), live.join("Bob")
    with live.participant_socket(bob) as p, live.console_socket() as c, \
            live.presenter_socket() as s:
        for ws in (p, c, s):
            first(ws)
        question = live.post(mallory, PAYLOAD, question=True)
        remark = live.post(mallory, PAYLOAD + " again")
        live.post(bob, "A reply", reply_to=remark["id"])
        for ws, who in ((p, "participant"), (c, "console")):
            message = wait_for(ws, chat_total(3), what=f"{who} #chat")
            escaped(chat_of(message) or "")
            assert "&lt;i onmouseover=" in (chat_of(message) or "")
        live.moderate(question["id"], "spotlight")
        spot = wait_for(s, lambda m: spotlight_hidden(m) is False, what="the spotlight")
        escaped(fragment(spot, "spotlight-question") or "")
        live.insight(source={"type": "message", "id": question["id"]})
        live.insight(text="Edited", source={"type": "message", "id": remark["id"]})
        kept = wait_for(c, lambda m: len(positions(fragment(m, "insights") or "")) == 2,
                        what="two insights")
        insights = fragment(kept, "insights") or ""
        escaped(insights)
        assert "&lt;i onmouseover=" in insights  # the author in the provenance
        assert live.api.put(f"{live.base}/presenter",
                            json={"view": "insights"}).status_code == 200
        stage = wait_for(s, lambda m: len(positions(fragment(m, "stage") or "")) == 2,
                         what="insights on the presenter")
        escaped(fragment(stage, "stage") or "")
    pages = {
        "participant": bob.client.get(f"/j/{live.code}"),
        "author": mallory.client.get(f"/j/{live.code}"),
        "console": live.browser.get(f"/console/{live.wid}"),
        "presenter": live.browser.get(f"/present/{live.wid}"),
    }
    for name, page in pages.items():
        assert page.status_code == 200, name
        escaped(page.text)


def test_html_in_an_open_text_answer_is_escaped_as_an_insight(live: LiveChat) -> None:
    poll = live.facilitator.add_activity(live.wid, "open_text", "One change?")
    live.facilitator.act(live.wid, poll["id"], "open")
    alice = live.join("Alice")
    assert alice.respond(poll["id"], PAYLOAD).status_code == 201
    (response,) = live.facilitator.results(live.wid, poll["id"])["responses"]
    with live.console_socket() as console:
        first(console)
        live.insight(source={"type": "response", "id": response["id"]})
        message = wait_for(console, lambda m: len(positions(fragment(m, "insights") or ""))
                           == 1, what="the kept answer")
    escaped(fragment(message, "insights") or "")


# -- a reconnect replays the chat ------------------------------------------------------------


def test_reconnecting_replays_the_chat_without_what_was_hidden(live: LiveChat) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    keep, drop = live.post(alice, "Keep me"), live.post(alice, "Drop me")
    live.moderate(drop["id"], "hide")
    # the hide is committed before the moderation call returned: the replay reads it
    with live.participant_socket(bob) as ws:
        message = first(ws)
    chat = chat_of(message) or ""
    assert attribute(message, "chat", "data-total") == "1"
    assert message_tag(chat, keep["id"]) is not None
    assert message_tag(chat, drop["id"]) is None and "Drop me" not in chat

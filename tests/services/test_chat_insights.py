"""The chat, Q&A, moderation and insights through ChatService and InsightService on a
real SQLite file with the in-process hub: posting and replies, premoderation and blocked
words, hiding, bans, the chat's modes and anonymity, rate limits, upvotes, insights with
their provenance, numbering after every kind of change, merges, and what co-hosts and
curators may do. What the store kept is read back through a separate sqlite3
connection."""

from __future__ import annotations

from typing import Any

import pytest

from tests.services.conftest import PASSWORD, World
from workshop.auth.actors import ANONYMOUS, FacilitatorActor, ParticipantActor
from workshop.domain.chat import POSTS_PER_MINUTE, Message
from workshop.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from workshop.domain.events import Change
from workshop.domain.flow import Action
from workshop.domain.insights import NumberedInsight, flatten

KRS = [{"text": "Raise on-time milestones from 62% to 85%"}]


class Room:
    """A World's workshop with shortcuts to the chat and insight services."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.chat = world.services.chat
        self.insights = world.services.insights
        self.wid = world.workshop.id
        self.owner = world.owner
        self._client_ids = 0

    async def post(self, who: ParticipantActor, text: str = "Hello room", *,
                   question: bool = False, reply_to: str | None = None,
                   client_id: str | None = None) -> Message:
        message, created = await self.chat.post(
            who, self.wid, {"text": text, "question": question, "reply_to": reply_to},
            client_id or self.next_client_id())
        assert created
        return message

    def next_client_id(self) -> str:
        self._client_ids += 1
        return f"c-{self._client_ids}"

    async def settings(self, **data: Any) -> None:
        await self.chat.update_settings(self.owner, self.wid, data)

    async def seen_by(self, who: Any) -> list[dict[str, Any]]:
        return await self.chat.messages(who, self.wid)

    async def texts_seen_by(self, who: Any) -> list[str]:
        return [m["text"] for m in await self.seen_by(who)]

    async def keep(self, source_type: str, source_id: str, **data: Any) -> NumberedInsight:
        return await self.insights.create(self.owner, self.wid, {
            "source": {"type": source_type, "id": source_id}, **data})

    async def write(self, text: str, parent_id: str | None = None) -> NumberedInsight:
        data: dict[str, Any] = {"text": text}
        if parent_id:
            data["parent_id"] = parent_id
        return await self.insights.create(self.owner, self.wid, data)

    async def numbers(self) -> list[tuple[str, str]]:
        """(number, text) of every insight in reading order."""
        return [(n.number, n.insight.text) for n in flatten(await self.insights.tree(self.wid))]

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.world.query(sql, params)

    def count(self, table: str) -> int:
        return int(self.rows(f"SELECT COUNT(*) FROM {table}")[0][0])

    def changes(self) -> list[Change]:
        return [e.change for e in self.world.events if e.workshop_id == self.wid]

    async def facilitator(self, role: str | None) -> FacilitatorActor:
        """Another facilitator account, added as `role` (or not at all)."""
        services = self.world.services
        email = f"{role or 'outsider'}-{self.next_client_id()}@example.org"
        account = await services.accounts.add_facilitator(email, PASSWORD)
        if role is not None:
            await services.workshops.add_cofacilitator(self.owner, self.wid, email, role)
        return FacilitatorActor(account.id)


@pytest.fixture
def room(world: World) -> Room:
    return Room(world)


# -- posting -----------------------------------------------------------------------------


async def test_post_stores_the_message_and_publishes(room: Room, world: World) -> None:
    poll = await world.poll("single_choice", ["Yes", "No"])
    await world.services.workshops.set_current(room.owner, room.wid, poll.id)
    alice = await world.participant("dev-alice", "Alice")
    message = await room.post(alice, "  What   about\r\nbudgets? ", question=True)
    assert message.text == "What about\nbudgets?"
    assert (message.question, message.status.value, message.author_name) == (
        True, "visible", "Alice")
    assert message.activity_id == poll.id  # what was on screen
    assert room.rows("SELECT id, participant_id, text, question, status, activity_id"
                     " FROM messages") == [
        (message.id, alice.participant_id, "What about\nbudgets?", 1, "visible", poll.id)]
    assert room.changes()[-1] is Change.CHAT_CHANGED


async def test_a_repeated_client_id_posts_once(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    first = await room.post(alice, "Only once", client_id="same")
    published = len(world.events)
    again, created = await room.chat.post(alice, room.wid, {"text": "Only once"}, "same")
    assert created is False and again.id == first.id
    assert room.count("messages") == 1
    assert len(world.events) == published


async def test_only_a_participant_of_the_workshop_can_post(room: Room, world: World) -> None:
    with pytest.raises(Forbidden):
        await room.chat.post(room.owner, room.wid, {"text": "Hi"}, "c-1")
    with pytest.raises(NotAuthenticated):
        await room.chat.post(ANONYMOUS, room.wid, {"text": "Hi"}, "c-2")
    other = await world.services.workshops.create(room.owner, {"title": "Other"})
    joined = await world.services.polls.join(other, "dev-stranger", "Stranger")
    with pytest.raises(NotAuthenticated):
        await room.chat.post(ParticipantActor(joined.id, other.id), room.wid,
                             {"text": "Hi"}, "c-3")
    assert room.count("messages") == 0


@pytest.mark.parametrize(("data", "message"), [
    ({"text": ""}, "must not be empty"),
    ({"text": "   \n "}, "must not be empty"),
    ({"text": "x" * 501}, "the limit is 500"),
    ({"text": "Hi", "question": "yes"}, "question must be true or false"),
])
async def test_bad_posts_are_refused(room: Room, world: World, data: dict[str, Any],
                                     message: str) -> None:
    alice = await world.participant("dev-alice", "Alice")
    with pytest.raises(InvalidInput, match=message):
        await room.chat.post(alice, room.wid, data, "c-1")
    assert room.count("messages") == 0 and room.count("applied_requests") == 0


async def test_replies_stay_one_level_deep(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    root = await room.post(alice, "Root")
    reply = await room.post(bob, "Reply", reply_to=root.id)
    assert reply.reply_to == root.id
    nested = await room.post(alice, "Reply to the reply", reply_to=reply.id)
    assert nested.reply_to == root.id  # attached to the root, not the reply
    listed = {m["text"]: m["reply_to"] for m in await room.seen_by(bob)}
    assert listed == {"Root": None, "Reply": root.id, "Reply to the reply": root.id}


async def test_reply_to_an_unknown_or_foreign_message_is_not_found(room: Room,
                                                                   world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    other = await world.services.workshops.create(room.owner, {"title": "Other"})
    stranger = await world.services.polls.join(other, "dev-stranger", "Stranger")
    foreign, _ = await room.chat.post(ParticipantActor(stranger.id, other.id), other.id,
                                      {"text": "Elsewhere"}, "s-1")
    for reply_to in ("nope", foreign.id):
        with pytest.raises(NotFound, match="no message with that id"):
            await room.chat.post(alice, room.wid, {"text": "Re", "reply_to": reply_to}, "x")
    assert room.rows("SELECT COUNT(*) FROM messages WHERE workshop_id = ?",
                     (room.wid,)) == [(0,)]


async def test_no_reply_to_a_message_that_is_not_in_the_chat(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.settings(premoderation=True)
    pending = await room.post(alice, "Waiting")
    with pytest.raises(Conflict, match="only reply to a message in the chat"):
        await room.chat.post(bob, room.wid, {"text": "Re", "reply_to": pending.id}, "b-1")
    assert room.count("messages") == 1


# -- premoderation, blocked words, approve, hide -------------------------------------------


async def test_premoderation_holds_messages_until_approved(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.settings(premoderation=True)
    message = await room.post(alice, "Please approve me")
    assert message.status.value == "pending"
    assert await room.texts_seen_by(bob) == []
    assert [(m["text"], m["status"]) for m in await room.seen_by(alice)] == [
        ("Please approve me", "pending")]  # the author sees her own, waiting
    assert [m["status"] for m in await room.seen_by(room.owner)] == ["pending"]
    approved = await room.chat.moderate(room.owner, room.wid, message.id, "approve")
    assert approved.status.value == "visible"
    assert await room.texts_seen_by(bob) == ["Please approve me"]
    with pytest.raises(Conflict, match="waiting for approval"):
        await room.chat.moderate(room.owner, room.wid, message.id, "approve")
    assert room.rows("SELECT status FROM messages") == [("visible",)]


async def test_a_blocked_word_sends_the_message_to_the_queue(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.settings(blocked_words=["Dead End", "rubbish"])
    held = await room.post(alice, "This plan is a DEAD end!")
    fine = await room.post(alice, "Rubbishy weather, but a good plan")
    assert (held.status.value, fine.status.value) == ("pending", "visible")
    assert await room.texts_seen_by(bob) == ["Rubbishy weather, but a good plan"]
    workshop = await world.services.workshops.load(room.wid)
    assert workshop.chat.blocked_words == ("dead end", "rubbish")


async def test_hide_and_unhide(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    message = await room.post(alice, "Off topic")
    hidden = await room.chat.moderate(room.owner, room.wid, message.id, "hide")
    assert hidden.status.value == "hidden"
    assert await room.texts_seen_by(bob) == [] and await room.texts_seen_by(alice) == []
    assert [(m["text"], m["status"]) for m in await room.seen_by(room.owner)] == [
        ("Off topic", "hidden")]
    with pytest.raises(Conflict, match="already hidden"):
        await room.chat.moderate(room.owner, room.wid, message.id, "hide")
    await room.chat.moderate(room.owner, room.wid, message.id, "unhide")
    assert await room.texts_seen_by(bob) == ["Off topic"]
    assert room.changes().count(Change.CHAT_CHANGED) == 3  # the post, hide, unhide


async def test_answer_spotlight_and_hiding_the_spotlighted_question(room: Room,
                                                                    world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    question = await room.post(alice, "When do we ship?", question=True)
    remark = await room.post(alice, "Nice slides")
    with pytest.raises(Conflict, match="Only questions"):
        await room.chat.moderate(room.owner, room.wid, remark.id, "answer")
    with pytest.raises(Conflict, match="Only a question in the chat"):
        await room.chat.moderate(room.owner, room.wid, remark.id, "spotlight")
    with pytest.raises(Conflict, match="not in the spotlight"):
        await room.chat.moderate(room.owner, room.wid, question.id, "unspotlight")
    answered = await room.chat.moderate(room.owner, room.wid, question.id, "answer")
    assert answered.answered
    await room.chat.moderate(room.owner, room.wid, question.id, "spotlight")
    assert (await world.services.workshops.load(room.wid)).spotlight_message_id == question.id
    assert room.changes()[-1] is Change.SPOTLIGHT_CHANGED
    await room.chat.moderate(room.owner, room.wid, question.id, "hide")
    assert (await world.services.workshops.load(room.wid)).spotlight_message_id is None
    with pytest.raises(Conflict, match="Only a question in the chat"):
        await room.chat.moderate(room.owner, room.wid, question.id, "spotlight")
    with pytest.raises(InvalidInput):
        await room.chat.moderate(room.owner, room.wid, question.id, "delete")
    with pytest.raises(NotFound):
        await room.chat.moderate(room.owner, room.wid, "nope", "hide")


# -- bans, modes, anonymity ----------------------------------------------------------------


async def test_ban_stops_posting_and_unban_lets_it_again(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.chat.ban(room.owner, room.wid, alice.participant_id)
    assert room.rows("SELECT participant_id FROM bans") == [(alice.participant_id,)]
    with pytest.raises(Conflict, match="stopped you from posting"):
        await room.chat.post(alice, room.wid, {"text": "Let me in"}, "a-1")
    await room.post(bob, "Bob still can")
    await room.chat.unban(room.owner, room.wid, alice.participant_id)
    assert room.count("bans") == 0
    await room.post(alice, "Back again")
    assert await room.texts_seen_by(bob) == ["Bob still can", "Back again"]
    with pytest.raises(NotFound, match="not banned"):
        await room.chat.unban(room.owner, room.wid, alice.participant_id)


async def test_ban_needs_a_participant_of_this_workshop(room: Room, world: World) -> None:
    other = await world.services.workshops.create(room.owner, {"title": "Other"})
    stranger = await world.services.polls.join(other, "dev-stranger", "Stranger")
    for participant_id in ("nope", stranger.id):
        with pytest.raises(NotFound, match="no participant with that id"):
            await room.chat.ban(room.owner, room.wid, participant_id)
    assert room.count("bans") == 0


async def test_ban_author_works_in_an_anonymous_chat(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    await room.settings(anonymity="anonymous")
    message = await room.post(alice, "Trolling")
    listed = (await room.seen_by(room.owner))[0]
    assert "author" not in listed and "participant_id" not in listed
    await room.chat.ban_author(room.owner, room.wid, message.id)
    with pytest.raises(Conflict, match="stopped you from posting"):
        await room.chat.post(alice, room.wid, {"text": "Again"}, "a-2")


async def test_chat_off_refuses_posts(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    await room.settings(chat="off")
    with pytest.raises(Conflict, match="The chat is off"):
        await room.chat.post(alice, room.wid, {"text": "Anyone?"}, "a-1")
    assert room.count("messages") == 0 and room.count("applied_requests") == 0


async def test_facilitator_only_messages_reach_the_facilitator_alone(room: Room,
                                                                     world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.post(alice, "Public before")
    await room.settings(chat="facilitator_only")
    private = await room.post(alice, "Only for you")
    assert private.status.value == "visible"
    assert await room.texts_seen_by(bob) == []  # earlier public messages go quiet too
    assert await room.texts_seen_by(alice) == ["Public before", "Only for you"]  # her own
    assert await room.texts_seen_by(room.owner) == ["Public before", "Only for you"]


async def test_facilitator_only_shows_each_participant_only_their_own(room: Room,
                                                                      world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.settings(chat="facilitator_only")
    await room.post(alice, "From Alice")
    await room.post(bob, "From Bob")
    assert await room.texts_seen_by(alice) == ["From Alice"]
    assert await room.texts_seen_by(bob) == ["From Bob"]


@pytest.mark.parametrize(("anonymity", "owner_sees", "author_sees", "peer_sees"), [
    ("named", "Alice", "Alice", "Alice"),
    ("anonymous_to_peers", "Alice", "Alice", None),
    ("anonymous", None, None, None),
])
async def test_anonymity_decides_who_sees_the_author(room: Room, world: World, anonymity: str,
                                                     owner_sees: str | None,
                                                     author_sees: str | None,
                                                     peer_sees: str | None) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.settings(anonymity=anonymity)
    await room.post(alice, "Hello")
    for who, expected in ((room.owner, owner_sees), (alice, author_sees), (bob, peer_sees)):
        (listed,) = await room.seen_by(who)
        assert listed.get("author") == expected, who
    (for_owner,) = await room.seen_by(room.owner)
    assert ("participant_id" in for_owner) is (owner_sees is not None)
    for who in (alice, bob):  # participants never get ids
        assert "participant_id" not in (await room.seen_by(who))[0]


async def test_a_message_posted_anonymously_stays_anonymous(room: Room,
                                                            world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    await room.settings(anonymity="anonymous")
    await room.post(alice, "Nobody may know this was me")
    await room.settings(anonymity="named")
    (listed,) = await room.seen_by(room.owner)
    assert "author" not in listed


async def test_settings_validation_changes_nothing(room: Room, world: World) -> None:
    before = room.rows("SELECT * FROM workshops")
    for data, message in (({"chat": "loud"}, "chat must be on, off"),
                          ({"anonymity": "secret"}, "anonymity must be"),
                          ({"premoderation": "yes"}, "premoderation must be true"),
                          ({"blocked_words": [1]}, "list of words")):
        with pytest.raises(InvalidInput, match=message):
            await room.chat.update_settings(room.owner, room.wid, data)
    assert room.rows("SELECT * FROM workshops") == before


async def test_only_staff_and_participants_read_the_chat(room: Room, world: World) -> None:
    outsider = await room.facilitator(None)
    with pytest.raises(Forbidden):
        await room.chat.messages(outsider, room.wid)
    with pytest.raises(NotAuthenticated):
        await room.chat.messages(ANONYMOUS, room.wid)


# -- rate limits and upvotes ---------------------------------------------------------------


async def test_twenty_posts_a_minute_then_a_clear_refusal(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    for n in range(POSTS_PER_MINUTE):
        await room.post(alice, f"Message {n}")
    with pytest.raises(Conflict) as refused:
        await room.chat.post(alice, room.wid, {"text": "One too many"}, "too-many")
    assert refused.value.message == ("Slow down: at most 20 messages a minute. Try again in a "
                                     "moment.")
    assert room.count("messages") == POSTS_PER_MINUTE
    assert room.rows("SELECT COUNT(*) FROM applied_requests WHERE client_id = ?",
                     ("too-many",)) == [(0,)]
    await room.post(bob, "Bob is not limited by Alice")


async def test_upvote_once_withdraw_and_again(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    carol = await world.participant("dev-carol", "Carol")
    question = await room.post(alice, "Shall we?", question=True)
    assert (await room.chat.upvote(bob, room.wid, question.id)).upvotes == 1
    with pytest.raises(Conflict, match="already upvoted"):
        await room.chat.upvote(bob, room.wid, question.id)
    assert (await room.chat.upvote(carol, room.wid, question.id)).upvotes == 2
    assert room.count("message_upvotes") == 2
    assert await room.chat.my_upvotes(bob) == [question.id]
    assert (await room.chat.withdraw_upvote(bob, room.wid, question.id)).upvotes == 1
    with pytest.raises(Conflict, match="not upvoted"):
        await room.chat.withdraw_upvote(bob, room.wid, question.id)
    assert await room.chat.my_upvotes(bob) == []
    assert (await room.chat.upvote(bob, room.wid, question.id)).upvotes == 2
    assert [m["upvotes"] for m in await room.seen_by(alice)] == [2]


async def test_what_cannot_be_upvoted(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    own = await room.post(bob, "My own question", question=True)
    remark = await room.post(alice, "Just a remark")
    hidden = await room.post(alice, "Hidden question", question=True)
    await room.chat.moderate(room.owner, room.wid, hidden.id, "hide")
    with pytest.raises(Conflict, match="cannot upvote your own question"):
        await room.chat.upvote(bob, room.wid, own.id)
    for message in (remark, hidden):
        with pytest.raises(Conflict, match="Only questions in the chat"):
            await room.chat.upvote(bob, room.wid, message.id)
    with pytest.raises(NotFound):
        await room.chat.upvote(bob, room.wid, "nope")
    with pytest.raises(Forbidden):
        await room.chat.upvote(room.owner, room.wid, hidden.id)
    assert room.count("message_upvotes") == 0


# -- insights: provenance ------------------------------------------------------------------


async def test_keep_a_message_with_its_provenance(room: Room, world: World) -> None:
    poll = await world.poll("word_cloud")
    await world.services.workshops.set_current(room.owner, room.wid, poll.id)
    alice = await world.participant("dev-alice", "Alice")
    message = await room.post(alice, "Ship smaller batches")
    kept = await room.keep("message", message.id)
    assert (kept.number, kept.insight.text) == ("1", "Ship smaller batches")
    (source,) = kept.insight.sources
    assert source.as_json() == {
        "type": "message", "id": message.id, "text": "Ship smaller batches",
        "author": "Alice", "said_at": message.created_at, "activity_id": poll.id,
        "activity_prompt": "Question?"}
    assert room.changes()[-1] is Change.INSIGHTS_CHANGED
    # edited later: the original words stay in the provenance, in the store too
    edited = await room.insights.update(room.owner, room.wid, kept.insight.id,
                                        {"text": "Deliver in smaller batches"})
    assert edited.insight.text == "Deliver in smaller batches"
    assert edited.insight.sources[0].text == "Ship smaller batches"
    stored = room.rows("SELECT text, sources FROM insights")
    assert stored[0][0] == "Deliver in smaller batches"
    assert '"text": "Ship smaller batches"' in stored[0][1]
    # and the message itself may even disappear from the chat
    await room.chat.moderate(room.owner, room.wid, message.id, "hide")
    tree = await room.insights.tree(room.wid)
    assert tree[0].insight.sources[0].text == "Ship smaller batches"


async def test_keep_an_open_text_answer(room: Room, world: World) -> None:
    poll = await world.poll("open_text")
    bob = await world.participant("dev-bob", "Bob")
    outcome, _ = await world.services.polls.respond(bob, room.wid, poll.id,
                                                    "Fewer meetings", "b-1")
    assert outcome.value == "recorded"
    results = await world.services.polls.results(room.owner, room.wid, poll.id)
    (response,) = results.as_json()["responses"]
    assert response["text"] == "Fewer meetings"
    kept = await room.keep("response", response["id"], text="Protect focus time")
    assert kept.insight.text == "Protect focus time"
    source = kept.insight.sources[0]
    assert (source.type.value, source.id, source.text, source.author, source.activity_id,
            source.activity_prompt) == ("response", response["id"], "Fewer meetings", "Bob",
                                        poll.id, "Question?")


async def test_keep_an_objective_with_its_key_results(room: Room, world: World) -> None:
    board = await world.poll("objectives")
    alice = await world.participant("dev-alice", "Alice")
    objective, _ = await world.services.objectives.submit(
        alice, room.wid, board.id,
        {"text": "Make delivery predictable for every client", "key_results": KRS}, "o-1")
    kept = await room.keep("objective", objective.id)
    source = kept.insight.sources[0]
    assert source.text == ("Make delivery predictable for every client\n"
                           "- Raise on-time milestones from 62% to 85%")
    assert kept.insight.text == source.text
    assert (source.author, source.activity_id) == ("Alice", board.id)


async def test_a_fully_anonymous_workshop_keeps_no_author(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    poll = await world.poll("open_text")
    await world.services.polls.respond(alice, room.wid, poll.id, "An anonymous idea", "a-1")
    answer_id = (await world.services.polls.tally(poll)).answer_ids[0]
    await room.settings(anonymity="anonymous")
    message = await room.post(alice, "Nobody knows it is me")
    from_message = await room.keep("message", message.id)
    from_response = await room.keep("response", answer_id)
    for kept in (from_message, from_response):
        assert kept.insight.sources[0].author is None
        assert kept.as_json()["source"]["author"] is None
    assert "Alice" not in str(room.rows("SELECT sources FROM insights"))


async def test_a_source_must_belong_to_the_workshop(room: Room, world: World) -> None:
    other = await world.services.workshops.create(room.owner, {"title": "Other"})
    stranger = await world.services.polls.join(other, "dev-stranger", "Stranger")
    foreign, _ = await room.chat.post(ParticipantActor(stranger.id, other.id), other.id,
                                      {"text": "Elsewhere"}, "s-1")
    for source_type, source_id in (("message", foreign.id), ("message", "nope"),
                                   ("response", "nope"), ("objective", "nope")):
        with pytest.raises(NotFound):
            await room.keep(source_type, source_id)
    with pytest.raises(InvalidInput, match=r"source\.type must be"):
        await room.keep("slide", "x")
    with pytest.raises(InvalidInput, match="must not be empty"):
        await room.insights.create(room.owner, room.wid, {})
    assert room.count("insights") == 0


# -- insights: numbering -------------------------------------------------------------------


async def test_numbering_after_create_move_reorder_and_delete(room: Room) -> None:
    a = await room.write("A")
    b = await room.write("B")
    a1 = await room.write("A one", parent_id=a.insight.id)
    c = await room.write("C")
    assert (a.number, b.number, a1.number, c.number) == ("1", "2", "1.1", "3")
    assert await room.numbers() == [("1", "A"), ("1.1", "A one"), ("2", "B"), ("3", "C")]

    await room.insights.move(room.owner, room.wid, c.insight.id, "up")
    assert await room.numbers() == [("1", "A"), ("1.1", "A one"), ("2", "C"), ("3", "B")]
    await room.insights.move(room.owner, room.wid, c.insight.id, "indent")
    assert await room.numbers() == [("1", "A"), ("1.1", "A one"), ("1.2", "C"), ("2", "B")]
    await room.insights.move(room.owner, room.wid, c.insight.id, "up")
    assert await room.numbers() == [("1", "A"), ("1.1", "C"), ("1.2", "A one"), ("2", "B")]
    await room.insights.move(room.owner, room.wid, a.insight.id, "down")
    assert await room.numbers() == [("1", "B"), ("2", "A"), ("2.1", "C"), ("2.2", "A one")]

    await room.insights.reorder(room.owner, room.wid, [
        {"id": c.insight.id}, {"id": a.insight.id},
        {"id": b.insight.id, "parent_id": a.insight.id},
        {"id": a1.insight.id, "parent_id": a.insight.id}])
    assert await room.numbers() == [("1", "C"), ("2", "A"), ("2.1", "B"), ("2.2", "A one")]

    await room.insights.delete(room.owner, room.wid, a.insight.id)  # sub-points promoted
    assert await room.numbers() == [("1", "C"), ("2", "B"), ("3", "A one")]
    assert room.rows("SELECT COUNT(*) FROM insights WHERE parent_id IS NOT NULL") == [(0,)]


async def test_patch_parent_nests_and_unnests(room: Room) -> None:
    a = await room.write("A")
    b = await room.write("B")
    c = await room.write("C")
    await room.insights.update(room.owner, room.wid, b.insight.id,
                               {"parent_id": a.insight.id})
    assert await room.numbers() == [("1", "A"), ("1.1", "B"), ("2", "C")]
    with pytest.raises(InvalidInput, match="has sub-points"):
        await room.insights.update(room.owner, room.wid, a.insight.id,
                                   {"parent_id": c.insight.id})
    with pytest.raises(InvalidInput, match="nest one level deep"):
        await room.insights.update(room.owner, room.wid, c.insight.id,
                                   {"parent_id": b.insight.id})
    with pytest.raises(InvalidInput, match="Unknown field"):
        await room.insights.update(room.owner, room.wid, a.insight.id, {"number": "7"})
    await room.insights.update(room.owner, room.wid, b.insight.id, {"parent_id": None})
    assert await room.numbers() == [("1", "A"), ("2", "C"), ("3", "B")]


async def test_refused_curation_changes_nothing(room: Room) -> None:
    a = await room.write("A")
    a1 = await room.write("A one", parent_id=a.insight.id)
    b = await room.write("B")
    before = room.rows("SELECT * FROM insights ORDER BY id")
    refusals = [
        room.write("Under a sub-point", parent_id=a1.insight.id),
        room.write("Under nothing", parent_id="nope"),
        room.insights.reorder(room.owner, room.wid, [{"id": a.insight.id}]),
        room.insights.reorder(room.owner, room.wid, [
            {"id": a.insight.id}, {"id": a1.insight.id, "parent_id": a1.insight.id},
            {"id": b.insight.id}]),
        room.insights.move(room.owner, room.wid, a.insight.id, "indent"),
        room.insights.move(room.owner, room.wid, b.insight.id, "outdent"),
        room.insights.merge(room.owner, room.wid, [a.insight.id]),
        room.insights.merge(room.owner, room.wid, [a.insight.id, a.insight.id]),
        room.insights.update(room.owner, room.wid, a.insight.id, {"text": "  "}),
    ]
    for attempt in refusals:
        with pytest.raises(InvalidInput):
            await attempt
    not_found = [
        room.insights.delete(room.owner, room.wid, "nope"),
        room.insights.update(room.owner, room.wid, "nope", {"text": "X"}),
        room.insights.merge(room.owner, room.wid, [a.insight.id, "nope"]),
        room.insights.move(room.owner, room.wid, "nope", "up"),
    ]
    for attempt in not_found:
        with pytest.raises(NotFound, match="no insight with that id"):
            await attempt
    assert room.rows("SELECT * FROM insights ORDER BY id") == before


# -- insights: merge -----------------------------------------------------------------------


async def test_merge_keeps_every_source_and_the_sub_points(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    m1 = await room.post(alice, "Less email")
    m2 = await room.post(bob, "Fewer meetings")
    first = await room.keep("message", m1.id)
    second = await room.keep("message", m2.id)
    sub = await room.write("Async updates", parent_id=second.insight.id)
    merged = await room.insights.merge(room.owner, room.wid,
                                       [first.insight.id, second.insight.id])
    assert merged.insight.id == first.insight.id
    assert merged.insight.text == "Less email\nFewer meetings"
    assert [(s.id, s.text, s.author) for s in merged.insight.sources] == [
        (m1.id, "Less email", "Alice"), (m2.id, "Fewer meetings", "Bob")]
    assert await room.numbers() == [("1", "Less email\nFewer meetings"),
                                    ("1.1", "Async updates")]
    assert room.rows("SELECT id, parent_id FROM insights ORDER BY text") == [
        (sub.insight.id, first.insight.id), (first.insight.id, None)]


async def test_merging_a_sub_point_with_its_parent_loses_nothing(room: Room) -> None:
    a = await room.write("A")
    a1 = await room.write("A one", parent_id=a.insight.id)
    await room.write("A two", parent_id=a.insight.id)
    await room.write("B")
    await room.insights.merge(room.owner, room.wid, [a1.insight.id, a.insight.id])
    # A one takes A's place, and A's other sub-point stays a sub-point, under it
    assert await room.numbers() == [("1", "A one\nA"), ("1.1", "A two"), ("2", "B")]
    # nothing points at a deleted insight
    assert room.rows("SELECT COUNT(*) FROM insights WHERE parent_id IS NOT NULL AND"
                     " parent_id NOT IN (SELECT id FROM insights)") == [(0,)]


# -- insights: who reads them --------------------------------------------------------------


async def test_participants_read_insights_only_while_shown(room: Room, world: World) -> None:
    alice = await world.participant("dev-alice", "Alice")
    await room.write("Shared at the end")
    with pytest.raises(Forbidden, match="not shared the insights yet"):
        await room.insights.visible(alice, room.wid)
    await room.chat.set_presenter_view(room.owner, room.wid, "insights")
    assert [n.insight.text for n in await room.insights.visible(alice, room.wid)] == [
        "Shared at the end"]
    with pytest.raises(NotAuthenticated):
        await room.insights.visible(ANONYMOUS, room.wid)
    with pytest.raises(InvalidInput):
        await room.chat.set_presenter_view(room.owner, room.wid, "slides")


@pytest.mark.parametrize("anonymity", ["anonymous_to_peers", "named"])
async def test_shared_insights_do_not_name_authors_peers_may_not_see(
        room: Room, world: World, anonymity: str) -> None:
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    await room.settings(anonymity=anonymity)
    message = await room.post(alice, "Said by Alice")
    poll = await world.poll("open_text")
    await world.services.polls.respond(alice, room.wid, poll.id, "Answered by Alice", "a-1")
    answer_id = (await world.services.polls.tally(poll)).answer_ids[0]
    await room.keep("message", message.id)
    await room.keep("response", answer_id)
    await room.chat.set_presenter_view(room.owner, room.wid, "insights")
    # the facilitator sees who said what
    staff = [n.as_json() for n in await room.insights.visible(room.owner, room.wid)]
    assert [s["source"]["author"] for s in staff] == ["Alice", "Alice"]
    # peers: a chat author only where the chat shows names; poll answers never name anyone
    shared = [n.as_json() for n in await room.insights.visible(bob, room.wid)]
    expected = "Alice" if anonymity == "named" else None
    assert [(s["source"]["author"], s["sources"][0]["author"]) for s in shared] == [
        (expected, expected), (None, None)]


# -- co-hosts and curators -----------------------------------------------------------------


async def test_a_curator_moderates_and_curates_but_does_not_run_the_session(
        room: Room, world: World) -> None:
    curator = await room.facilitator("curator")
    alice = await world.participant("dev-alice", "Alice")
    poll = await world.poll("single_choice", ["Yes", "No"], open_=False)
    message = await room.post(alice, "Worth keeping", question=True)
    await room.chat.moderate(curator, room.wid, message.id, "answer")
    await room.chat.moderate(curator, room.wid, message.id, "spotlight")
    kept = await room.insights.create(curator, room.wid,
                                      {"source": {"type": "message", "id": message.id}})
    await room.insights.update(curator, room.wid, kept.insight.id, {"text": "Kept"})
    await room.chat.update_settings(curator, room.wid, {"premoderation": True})
    await room.chat.ban(curator, room.wid, alice.participant_id)
    await room.chat.set_presenter_view(curator, room.wid, "insights")
    assert [m["text"] for m in await room.seen_by(curator)] == ["Worth keeping"]
    assert await room.numbers() == [("1", "Kept")]
    before = room.rows("SELECT id, state, position FROM activities ORDER BY id")
    workshops = world.services.workshops
    attempts = [
        world.services.polls.act(curator, room.wid, poll.id, Action.OPEN),
        workshops.add_activity(curator, room.wid, {"kind": "word_cloud", "prompt": "Why?"}),
        workshops.update_activity(curator, room.wid, poll.id, {"prompt": "Changed?"}),
        workshops.delete_activity(curator, room.wid, poll.id),
        workshops.set_current(curator, room.wid, poll.id),
        workshops.update(curator, room.wid, {"title": "Renamed"}),
        workshops.add_cofacilitator(curator, room.wid, "owner@example.org", "cohost"),
        workshops.delete(curator, room.wid),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            await attempt
    assert room.rows("SELECT id, state, position FROM activities ORDER BY id") == before
    assert room.rows("SELECT title, current_activity_id FROM workshops WHERE id = ?",
                     (room.wid,)) == [("Retro", None)]


async def test_a_cohost_runs_the_session_but_cannot_add_co_facilitators(
        room: Room, world: World) -> None:
    cohost = await room.facilitator("cohost")
    workshops = world.services.workshops
    activity = await workshops.add_activity(cohost, room.wid,
                                            {"kind": "word_cloud", "prompt": "One word?"})
    opened = await world.services.polls.act(cohost, room.wid, activity.id, Action.OPEN)
    assert opened.state.value == "open"
    await workshops.set_current(cohost, room.wid, activity.id)
    await room.write("Owner's insight")
    await room.insights.move(cohost, room.wid, (await room.insights.tree(room.wid))[0]
                             .insight.id, "down")
    assert room.rows("SELECT current_activity_id FROM workshops WHERE id = ?",
                     (room.wid,)) == [(activity.id,)]
    other = await room.facilitator(None)
    other_email = room.rows("SELECT email FROM facilitators WHERE id = ?",
                            (other.facilitator_id,))[0][0]
    with pytest.raises(Forbidden):
        await workshops.add_cofacilitator(cohost, room.wid, other_email, "curator")
    with pytest.raises(Forbidden):
        await workshops.delete(cohost, room.wid)
    assert room.rows("SELECT COUNT(*) FROM workshop_members") == [(1,)]
    assert [w.id for w in await workshops.list_for(cohost)] == [room.wid]


async def test_add_cofacilitator_validation(room: Room, world: World) -> None:
    workshops = world.services.workshops
    await world.services.accounts.add_facilitator("helper@example.org", PASSWORD)
    with pytest.raises(InvalidInput, match="curator or cohost"):
        await workshops.add_cofacilitator(room.owner, room.wid, "helper@example.org", "owner")
    with pytest.raises(NotFound, match="No facilitator account"):
        await workshops.add_cofacilitator(room.owner, room.wid, "nobody@example.org",
                                          "curator")
    with pytest.raises(Conflict, match="owns this workshop"):
        await workshops.add_cofacilitator(room.owner, room.wid, "owner@example.org",
                                          "curator")
    assert room.count("workshop_members") == 0
    email, role = await workshops.add_cofacilitator(room.owner, room.wid,
                                                    " Helper@Example.org ", "curator")
    assert (email, role.value) == ("helper@example.org", "curator")
    await workshops.add_cofacilitator(room.owner, room.wid, "helper@example.org", "cohost")
    assert room.rows("SELECT role FROM workshop_members") == [("cohost",)]


async def test_an_outsider_may_not_moderate_or_curate(room: Room, world: World) -> None:
    outsider = await room.facilitator(None)
    alice = await world.participant("dev-alice", "Alice")
    message = await room.post(alice, "Hello")
    kept = await room.write("Mine")
    attempts = [
        room.chat.moderate(outsider, room.wid, message.id, "hide"),
        room.chat.ban(outsider, room.wid, alice.participant_id),
        room.chat.update_settings(outsider, room.wid, {"chat": "off"}),
        room.insights.create(outsider, room.wid, {"text": "Theirs"}),
        room.insights.delete(outsider, room.wid, kept.insight.id),
        room.insights.visible(outsider, room.wid),
    ]
    for attempt in attempts:
        with pytest.raises(Forbidden):
            await attempt
    with pytest.raises(Forbidden):
        await room.chat.moderate(alice, room.wid, message.id, "hide")
    assert room.rows("SELECT status FROM messages") == [("visible",)]
    assert room.count("bans") == 0 and room.count("insights") == 1

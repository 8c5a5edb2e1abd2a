"""Voting through PollService on a real SQLite file: concurrency, retries, changes, rounds,
refusals, and events published only after commit."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from tests.services.conftest import World
from workshop.auth.actors import ParticipantActor
from workshop.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated
from workshop.domain.events import Change, WorkshopChanged
from workshop.domain.flow import Action
from workshop.storage.ballots import CastOutcome

RECORDED, ALREADY = CastOutcome.RECORDED, CastOutcome.ALREADY_APPLIED


def ballot_rows(world: World, activity_id: str) -> int:
    return int(world.query("SELECT COUNT(*) FROM ballots WHERE activity_id = ?",
                           (activity_id,))[0][0])


def applied_rows(world: World) -> int:
    return int(world.query("SELECT COUNT(*) FROM applied_requests")[0][0])


def casts(world: World, activity_id: str) -> int:
    return sum(1 for e in world.events
               if e.change is Change.BALLOT_CAST and e.activity_id == activity_id)


# -- concurrency -------------------------------------------------------------------------


async def test_200_concurrent_votes_from_200_participants_none_lost(world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b", "c"])
    wid = world.workshop.id
    voters = await asyncio.gather(*(world.participant(f"device-{i}") for i in range(200)))
    assert len({v.participant_id for v in voters}) == 200
    ids = [o.id for o in poll.options]

    outcomes = await asyncio.gather(*(
        world.services.polls.respond(voter, wid, poll.id, ids[i % 3], f"vote-{i}")
        for i, voter in enumerate(voters)
    ))

    assert Counter(outcome for outcome, _ in outcomes) == {RECORDED: 200}
    results = await world.services.polls.results(world.owner, wid, poll.id)
    assert results.total == 200
    assert {b.label: b.count for b in results.bars} == {"a": 67, "b": 67, "c": 66}
    assert sum(b.count for b in results.bars) == 200
    assert ballot_rows(world, poll.id) == 200  # seen from another connection too
    assert casts(world, poll.id) == 200


async def test_200_concurrent_multiple_choice_ballots_count_every_pick(world: World) -> None:
    poll = await world.poll("multiple_choice", ["a", "b", "c"])
    wid = world.workshop.id
    voters = await asyncio.gather(*(world.participant(f"device-{i}") for i in range(200)))
    a, b, c = (o.id for o in poll.options)
    picks = [[a], [a, b], [a, b, c], [c]]  # 50 ballots of each

    await asyncio.gather(*(
        world.services.polls.respond(voter, wid, poll.id, picks[i % 4], f"vote-{i}")
        for i, voter in enumerate(voters)
    ))

    results = await world.services.polls.results(world.owner, wid, poll.id)
    assert results.total == 200
    assert {bar.label: bar.count for bar in results.bars} == {"a": 150, "b": 100, "c": 100}
    items = world.query("SELECT COUNT(*) FROM ballot_items WHERE activity_id = ?", (poll.id,))
    assert items == [(350,)]


async def test_same_client_id_sent_five_times_at_once_counts_once(world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    voter = await world.participant("device-1")
    wid, option = world.workshop.id, poll.options[1].id

    outcomes = await asyncio.gather(*(
        world.services.polls.respond(voter, wid, poll.id, option, "retry-me") for _ in range(5)
    ))

    assert Counter(outcome for outcome, _ in outcomes) == {RECORDED: 1, ALREADY: 4}
    results = await world.services.polls.results(world.owner, wid, poll.id)
    assert results.total == 1
    assert [bar.count for bar in results.bars] == [0, 1]
    assert ballot_rows(world, poll.id) == 1
    assert casts(world, poll.id) == 1  # retries publish nothing


async def test_many_voters_each_retrying_concurrently(world: World) -> None:
    poll = await world.poll("rating")
    wid = world.workshop.id
    voters = await asyncio.gather(*(world.participant(f"device-{i}") for i in range(40)))

    outcomes = await asyncio.gather(*(
        world.services.polls.respond(voter, wid, poll.id, 1 + i % 5, f"client-{i}")
        for i, voter in enumerate(voters) for _ in range(3)
    ))

    assert Counter(outcome for outcome, _ in outcomes) == {RECORDED: 40, ALREADY: 80}
    results = await world.services.polls.results(world.owner, wid, poll.id)
    assert results.total == 40
    assert [bar.count for bar in results.bars] == [8, 8, 8, 8, 8]
    assert results.mean == 3


# -- changing a vote, late retries --------------------------------------------------------


async def test_a_new_answer_replaces_the_earlier_one(world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    voter = await world.participant("device-1")
    wid = world.workshop.id
    a, b = (o.id for o in poll.options)

    assert (await world.services.polls.respond(voter, wid, poll.id, a, "c1"))[0] is RECORDED
    assert (await world.services.polls.respond(voter, wid, poll.id, b, "c2"))[0] is RECORDED

    results = await world.services.polls.results(world.owner, wid, poll.id)
    assert results.total == 1
    assert {bar.label: bar.count for bar in results.bars} == {"a": 0, "b": 1}
    ballot = await world.services.polls.own_ballot(voter.participant_id, poll)
    assert ballot is not None and ballot.items == (b,)


async def test_a_late_retry_of_an_older_answer_does_not_undo_a_change(world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    voter = await world.participant("device-1")
    wid = world.workshop.id
    a, b = (o.id for o in poll.options)
    await world.services.polls.respond(voter, wid, poll.id, a, "first")
    await world.services.polls.respond(voter, wid, poll.id, b, "second")

    outcome, _ = await world.services.polls.respond(voter, wid, poll.id, a, "first")

    assert outcome is ALREADY
    ballot = await world.services.polls.own_ballot(voter.participant_id, poll)
    assert ballot is not None and ballot.items == (b,)


async def test_changing_a_word_cloud_answer_replaces_every_item(world: World) -> None:
    poll = await world.poll("word_cloud", max_words=3)
    voter = await world.participant("device-1")
    wid = world.workshop.id
    await world.services.polls.respond(voter, wid, poll.id, ["alpha", "beta", "gamma"], "c1")
    await world.services.polls.respond(voter, wid, poll.id, ["Delta"], "c2")

    results = await world.services.polls.results(world.owner, wid, poll.id)
    assert [(bar.label, bar.count) for bar in results.bars] == [("delta", 1)]
    assert world.query("SELECT item FROM ballot_items WHERE activity_id = ?",
                       (poll.id,)) == [("delta",)]


# -- refusals store nothing ----------------------------------------------------------------


@pytest.mark.parametrize(("close", "message"), [(True, "closed"), (False, "not open yet")])
async def test_a_poll_that_is_not_open_refuses_votes_and_stores_nothing(
        world: World, close: bool, message: str) -> None:
    poll = await world.poll("single_choice", ["a", "b"], open_=close)
    wid = world.workshop.id
    if close:
        await world.services.polls.act(world.owner, wid, poll.id, Action.CLOSE)
    voter = await world.participant("device-1")
    applied_before, events_before = applied_rows(world), len(world.events)

    with pytest.raises(Conflict, match=message):
        await world.services.polls.respond(voter, wid, poll.id, poll.options[0].id, "c1")

    assert ballot_rows(world, poll.id) == 0
    assert applied_rows(world) == applied_before
    assert len(world.events) == events_before
    assert (await world.services.polls.results(world.owner, wid, poll.id)).total == 0
    # the refused request did not use up its client_id: once open, the same id counts
    await world.services.polls.act(world.owner, wid, poll.id, Action.OPEN)
    outcome, _ = await world.services.polls.respond(voter, wid, poll.id, poll.options[0].id,
                                                    "c1")
    assert outcome is RECORDED


async def test_closing_keeps_the_votes_already_cast(world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    wid = world.workshop.id
    voter = await world.participant("device-1")
    await world.services.polls.respond(voter, wid, poll.id, poll.options[0].id, "c1")
    await world.services.polls.act(world.owner, wid, poll.id, Action.CLOSE)

    with pytest.raises(Conflict):
        await world.services.polls.respond(voter, wid, poll.id, poll.options[1].id, "c2")

    ballot = await world.services.polls.own_ballot(voter.participant_id, poll)
    assert ballot is not None and ballot.items == (poll.options[0].id,)


@pytest.mark.parametrize(("value", "client_id", "error"), [
    ("not-an-option", "c1", InvalidInput),
    (["list"], "c1", InvalidInput),
    ("OPTION", "", InvalidInput),  # client_id required
    ("OPTION", "   ", InvalidInput),
    ("OPTION", None, InvalidInput),
    ("OPTION", "x" * 65, InvalidInput),
])
async def test_invalid_requests_store_nothing(world: World, value: object, client_id: object,
                                              error: type[Exception]) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    voter = await world.participant("device-1")
    wid = world.workshop.id
    if value == "OPTION":
        value = poll.options[0].id
    applied_before, events_before = applied_rows(world), len(world.events)

    with pytest.raises(error):
        await world.services.polls.respond(voter, wid, poll.id, value, client_id)

    assert ballot_rows(world, poll.id) == 0
    assert applied_rows(world) == applied_before
    assert len(world.events) == events_before


async def test_only_participants_of_this_workshop_vote(world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    wid, option = world.workshop.id, poll.options[0].id
    other = await world.services.workshops.create(world.owner, {"title": "Other"})
    outsider_joined = await world.services.polls.join(other, "device-x", "")
    outsider = ParticipantActor(outsider_joined.id, other.id)

    with pytest.raises(NotAuthenticated):
        await world.services.polls.respond(outsider, wid, poll.id, option, "c1")
    with pytest.raises(Forbidden):
        await world.services.polls.respond(world.owner, wid, poll.id, option, "c2")
    assert ballot_rows(world, poll.id) == 0


# -- rounds ------------------------------------------------------------------------------


async def test_reset_starts_round_two_and_keeps_round_one_results(world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    wid = world.workshop.id
    a, b = (o.id for o in poll.options)
    voters = [await world.participant(f"device-{i}") for i in range(3)]
    for i, voter in enumerate(voters):
        await world.services.polls.respond(voter, wid, poll.id, a if i else b, f"r1-{i}")
    await world.services.polls.act(world.owner, wid, poll.id, Action.CLOSE)

    reset = await world.services.polls.act(world.owner, wid, poll.id, Action.RESET)
    assert (reset.round, reset.state.value) == (2, "draft")
    assert (await world.services.polls.results(world.owner, wid, poll.id)).total == 0
    assert await world.services.polls.own_ballot(voters[0].participant_id, reset) is None

    await world.services.polls.act(world.owner, wid, poll.id, Action.OPEN)
    # a client_id used in round 1 is a different request: it must not be swallowed
    outcome, activity = await world.services.polls.respond(voters[0], wid, poll.id, a, "r2-0")
    assert outcome is RECORDED and activity.round == 2

    now = await world.services.polls.results(world.owner, wid, poll.id)
    assert (now.round, now.total) == (2, 1)
    assert {bar.label: bar.count for bar in now.bars} == {"a": 1, "b": 0}
    before = await world.services.polls.results(world.owner, wid, poll.id, 1)
    assert (before.round, before.total) == (1, 3)
    assert {bar.label: bar.count for bar in before.bars} == {"a": 2, "b": 1}
    with pytest.raises(InvalidInput, match="round must be between 1 and 2"):
        await world.services.polls.results(world.owner, wid, poll.id, 3)


async def test_results_are_hidden_from_participants_until_revealed(world: World) -> None:
    poll = await world.poll("word_cloud", hide_results=True)
    wid = world.workshop.id
    voter = await world.participant("device-1")
    await world.services.polls.respond(voter, wid, poll.id, ["Focus"], "c1")

    with pytest.raises(Forbidden, match="not revealed"):
        await world.services.polls.results(voter, wid, poll.id)
    assert (await world.services.polls.results(world.owner, wid, poll.id)).total == 1

    await world.services.polls.act(world.owner, wid, poll.id, Action.REVEAL)
    results = await world.services.polls.results(voter, wid, poll.id)
    assert [(bar.label, bar.count) for bar in results.bars] == [("focus", 1)]


# -- events after commit -----------------------------------------------------------------


async def test_ballot_cast_is_published_only_after_the_ballot_is_readable(
        world: World) -> None:
    poll = await world.poll("single_choice", ["a", "b"])
    wid = world.workshop.id
    a, b = (o.id for o in poll.options)
    voter = await world.participant("device-1")
    seen: list[tuple[WorkshopChanged, list[tuple[str, ...]]]] = []

    def listener(event: WorkshopChanged) -> None:
        if event.change is Change.BALLOT_CAST:
            # what a separate reader of the database file sees at the moment of the event
            rows = world.query(
                "SELECT i.item FROM ballots b JOIN ballot_items i ON i.ballot_id = b.id"
                " WHERE b.activity_id = ? AND b.participant_id = ?",
                (poll.id, voter.participant_id))
            seen.append((event, rows))

    world.services.hub.add_listener(listener)

    await world.services.polls.respond(voter, wid, poll.id, a, "c1")
    await world.services.polls.respond(voter, wid, poll.id, a, "c1")  # retry: no event
    await world.services.polls.respond(voter, wid, poll.id, b, "c2")  # change

    assert [event for event, _ in seen] == [
        WorkshopChanged(wid, Change.BALLOT_CAST, poll.id),
        WorkshopChanged(wid, Change.BALLOT_CAST, poll.id),
    ]
    assert [rows for _, rows in seen] == [[(a,)], [(b,)]]
    # events carry ids only, never what was voted
    assert all(a not in event.encode().decode() for event, _ in seen)


async def test_other_changes_are_published_after_commit_too(world: World) -> None:
    poll = await world.poll("rating", open_=False)
    wid = world.workshop.id
    seen: list[tuple[Change, list[tuple[object, ...]]]] = []

    def listener(event: WorkshopChanged) -> None:
        if event.change is Change.PARTICIPANT_JOINED:
            seen.append((event.change, world.query(
                "SELECT name FROM participants WHERE workshop_id = ?", (wid,))))
        elif event.change is Change.ACTIVITY_UPDATED:
            seen.append((event.change, world.query(
                "SELECT state FROM activities WHERE id = ?", (poll.id,))))
        elif event.change is Change.STAGE_CHANGED:
            seen.append((event.change, world.query(
                "SELECT current_activity_id FROM workshops WHERE id = ?", (wid,))))

    world.services.hub.add_listener(listener)

    await world.services.polls.join(world.workshop, "device-1", "Ada")
    await world.services.polls.act(world.owner, wid, poll.id, Action.OPEN)
    await world.services.workshops.set_current(world.owner, wid, poll.id)

    assert seen == [
        (Change.PARTICIPANT_JOINED, [("Ada",)]),
        (Change.ACTIVITY_UPDATED, [("open",)]),
        (Change.STAGE_CHANGED, [(poll.id,)]),
    ]


async def test_joining_again_with_the_same_name_publishes_nothing(world: World) -> None:
    first = await world.services.polls.join(world.workshop, "device-1", "Ada")
    before = len(world.events)
    again = await world.services.polls.join(world.workshop, "device-1", "Ada")
    assert again.id == first.id
    assert len(world.events) == before
    renamed = await world.services.polls.join(world.workshop, "device-1", "Ada L.")
    assert renamed.id == first.id and renamed.name == "Ada L."
    assert world.events[-1] == WorkshopChanged(world.workshop.id, Change.PARTICIPANT_JOINED)
    assert await world.services.store.count_participants(world.workshop.id) == 1

"""The Store contract: the same tests, against every database backend (see conftest)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from functools import partial

import pytest

from workshop.domain.errors import Conflict
from workshop.domain.ids import new_id, new_join_code
from workshop.domain.models import (
    Activity,
    ActivityState,
    Facilitator,
    Option,
    Participant,
    PollKind,
    Workshop,
)
from workshop.domain.tally import ItemCount
from workshop.storage import Store, database_for_url, open_store
from workshop.storage.accounts import EmailTaken
from workshop.storage.ballots import CastOutcome
from workshop.storage.migrations import migrate, migration_scripts

# -- builders ---------------------------------------------------------------------------


def facilitator(email: str = "ada@example.org") -> Facilitator:
    return Facilitator(new_id(), email, "hash:" + new_id(), time.time())


def workshop(owner: Facilitator, code: str | None = None) -> Workshop:
    return Workshop(
        id=new_id(), code=code or new_join_code(), title="Retro", description="Sprint 12",
        slides_url="https://example.org/slides", recording_url="", owner_id=owner.id,
        current_activity_id=None, created_at=time.time(),
    )


def activity(
    w: Workshop,
    kind: PollKind = PollKind.SINGLE_CHOICE,
    state: ActivityState = ActivityState.OPEN,
    prompt: str = "Which?",
) -> Activity:
    return Activity(
        id=new_id(), workshop_id=w.id, position=0, kind=kind, prompt=prompt,
        options=(Option("a", "Apples"), Option("b", "Bananas"), Option("c", "Cherries")),
        settings={"anonymous": True, "max": 3}, state=state, round=1, results_visible=False,
    )


def participant(w: Workshop, name: str = "") -> Participant:
    return Participant(new_id(), w.id, name, time.time())


async def seeded(store: Store) -> Workshop:
    owner = facilitator()
    assert await store.insert_facilitator(owner)
    w = workshop(owner)
    assert await store.insert_workshop(w)
    return w


async def open_poll(store: Store, kind: PollKind = PollKind.SINGLE_CHOICE) -> Activity:
    return await store.insert_activity(activity(await seeded(store), kind))


# -- migrations -------------------------------------------------------------------------


async def test_migrations_are_idempotent(database_url: str) -> None:
    first = await open_store(database_url)
    try:
        expected = {version for version, _ in migration_scripts(first.db.dialect)}
        assert await first.db.applied_migrations() == expected
        await first.set_meta_if_absent("instance", "one")
    finally:
        await first.close()

    second = await open_store(database_url)
    try:
        assert await migrate(second.db) == []
        assert await second.db.applied_migrations() == expected
        assert await second.get_meta("instance") == "one"
    finally:
        await second.close()


async def test_migration_raced_by_another_worker_applies_once(
    database_url: str, request: pytest.FixtureRequest
) -> None:
    """Two workers start together: both see nothing applied, then both try to migrate.

    `migrate` reads the applied set before applying, so `apply_migration` itself must
    notice that a competing worker already applied the version and do nothing.
    """
    first, second = database_for_url(database_url), database_for_url(database_url)
    await first.connect()
    await second.connect()
    try:
        assert await first.applied_migrations() == set()
        assert await second.applied_migrations() == set()
        scripts = migration_scripts(first.dialect)
        for version, script in scripts:
            await first.apply_migration(version, script)
            await second.apply_migration(version, script)
        assert await second.applied_migrations() == {version for version, _ in scripts}
    finally:
        await first.close()
        await second.close()


# -- accounts ---------------------------------------------------------------------------


async def test_meta_set_if_absent_keeps_first_value(store: Store) -> None:
    assert await store.get_meta("secret") is None
    assert await store.set_meta_if_absent("secret", "first") == "first"
    assert await store.set_meta_if_absent("secret", "second") == "first"
    assert await store.get_meta("secret") == "first"


async def test_facilitator_insert_and_duplicate_email(store: Store) -> None:
    ada = facilitator("ada@example.org")
    assert await store.insert_facilitator(ada)
    assert not await store.insert_facilitator(facilitator("ada@example.org"))
    assert await store.count_facilitators() == 1
    assert await store.get_facilitator(ada.id) == ada
    assert await store.get_facilitator_by_email("ada@example.org") == ada
    assert await store.get_facilitator_by_email("bob@example.org") is None

    await store.update_password(ada.id, "hash:new")
    updated = await store.get_facilitator(ada.id)
    assert updated is not None and updated.password_hash == "hash:new"


async def test_api_token_lookup(store: Store) -> None:
    ada = facilitator()
    assert await store.insert_facilitator(ada)
    await store.insert_api_token("token-hash", ada.id, "laptop")
    assert await store.facilitator_for_token("token-hash") == ada
    assert await store.facilitator_for_token("other-hash") is None


async def test_setup_token_is_consumed_once(store: Store) -> None:
    await store.insert_setup_token("setup-hash", time.time() + 600)
    await store.insert_setup_token("stale-hash", time.time() - 1)
    assert await store.setup_token_valid("setup-hash")
    assert not await store.setup_token_valid("stale-hash")

    ada = facilitator("ada@example.org")
    assert await store.create_first_facilitator("setup-hash", ada)
    assert not await store.create_first_facilitator("setup-hash", facilitator("bob@example.org"))
    assert not await store.setup_token_valid("setup-hash")
    assert await store.count_facilitators() == 1
    assert not await store.create_first_facilitator("stale-hash", facilitator("bob@example.org"))


async def test_setup_token_survives_a_taken_email(store: Store) -> None:
    """The transaction rolls back: the token is still there for a second try."""
    assert await store.insert_facilitator(facilitator("ada@example.org"))
    await store.insert_setup_token("setup-hash", time.time() + 600)
    with pytest.raises(EmailTaken):
        await store.create_first_facilitator("setup-hash", facilitator("ada@example.org"))
    assert await store.setup_token_valid("setup-hash")
    assert await store.create_first_facilitator("setup-hash", facilitator("bob@example.org"))


# -- workshops, activities, participants ------------------------------------------------


async def test_workshop_insert_and_duplicate_join_code(store: Store) -> None:
    owner = facilitator()
    assert await store.insert_facilitator(owner)
    w = workshop(owner, code="482913")
    assert await store.insert_workshop(w)
    assert not await store.insert_workshop(workshop(owner, code="482913"))
    assert await store.get_workshop(w.id) == w
    assert await store.get_workshop_by_code("482913") == w
    assert await store.list_workshops(owner.id) == [w]

    edited = replace(w, title="Retro 2", description="", slides_url="", recording_url="r")
    await store.update_workshop(edited)
    assert await store.get_workshop(w.id) == edited

    await store.delete_workshop(w.id)
    assert await store.get_workshop(w.id) is None


async def test_activity_round_trips(store: Store) -> None:
    w = await seeded(store)
    draft = activity(w, PollKind.RANKING, ActivityState.DRAFT)
    stored = await store.insert_activity(draft)
    assert stored == draft  # position 0, options, settings and flags unchanged
    assert isinstance(stored.results_visible, bool)

    changed = Activity(
        id=draft.id, workshop_id=w.id, position=0, kind=draft.kind, prompt="Rank them",
        options=(Option("x", "Ex"),), settings={"k": [1, 2]}, state=ActivityState.CLOSED,
        round=2, results_visible=True,
    )
    await store.update_activity(changed)
    assert await store.get_activity(draft.id) == changed


async def test_activity_positions_move_and_delete(store: Store) -> None:
    w = await seeded(store)
    a, b, c = [await store.insert_activity(activity(w, prompt=p)) for p in "abc"]
    assert [x.position for x in (a, b, c)] == [0, 1, 2]
    assert await store.count_activities(w.id) == 3

    await store.move_activity(c, 0)
    listed = await store.list_activities(w.id)
    assert [(x.id, x.position) for x in listed] == [(c.id, 0), (a.id, 1), (b.id, 2)]

    await store.move_activity(c, 99)  # clamped to the end
    assert [x.id for x in await store.list_activities(w.id)] == [a.id, b.id, c.id]

    await store.set_current_activity(w.id, b.id)
    current = await store.get_workshop(w.id)
    assert current is not None and current.current_activity_id == b.id
    await store.delete_activity(b)
    cleared = await store.get_workshop(w.id)
    assert cleared is not None and cleared.current_activity_id is None
    assert [x.id for x in await store.list_activities(w.id)] == [a.id, c.id]

    # Deleting another activity leaves the current one alone.
    await store.set_current_activity(w.id, a.id)
    await store.delete_activity(c)
    kept = await store.get_workshop(w.id)
    assert kept is not None and kept.current_activity_id == a.id


async def test_concurrent_appends_get_distinct_positions(store: Store) -> None:
    w = await seeded(store)
    added = await asyncio.gather(*(store.insert_activity(activity(w)) for _ in range(10)))
    assert sorted(a.position for a in added) == list(range(10))


async def test_join_is_get_or_create_per_device(store: Store) -> None:
    w = await seeded(store)
    first = participant(w, "Ada")
    joined = await store.join(first, "device-1")
    assert joined == first

    renamed = await store.join(participant(w, "Ada L."), "device-1")
    assert (renamed.id, renamed.name) == (first.id, "Ada L.")
    unnamed = await store.join(participant(w, ""), "device-1")
    assert (unnamed.id, unnamed.name) == (first.id, "Ada L.")

    other = await store.join(participant(w, "Bob"), "device-2")
    assert other.id != first.id
    assert await store.count_participants(w.id) == 2
    assert await store.participant_for_device(w.id, "device-1") == renamed
    assert await store.get_participant(other.id) == other
    assert await store.participant_for_device(w.id, "device-3") is None


# -- ballots ----------------------------------------------------------------------------


async def test_cast_ballot_is_idempotent_per_client_id(store: Store) -> None:
    poll = await open_poll(store)
    voter = await store.join(participant(await _workshop_of(store, poll)), "device-1")
    cast = partial(store.cast_ballot, activity_id=poll.id, round_=1, participant_id=voter.id,
                   client_id="req-1")

    assert await cast(items=["a"]) is CastOutcome.RECORDED
    assert await cast(items=["b"]) is CastOutcome.ALREADY_APPLIED
    assert await store.count_ballots(poll.id, 1) == 1
    ballot = await store.get_ballot(poll.id, 1, voter.id)
    assert ballot is not None and ballot.items == ("a",)
    assert set(await store.ballot_items_by_participant(poll.id, 1)) == {voter.id}


async def test_changing_a_vote_replaces_its_items(store: Store) -> None:
    poll = await open_poll(store, PollKind.MULTIPLE_CHOICE)
    voter = await store.join(participant(await _workshop_of(store, poll)), "device-1")
    cast = partial(store.cast_ballot, activity_id=poll.id, round_=1, participant_id=voter.id)

    await cast(client_id="req-1", items=["a", "b"])
    await cast(client_id="req-2", items=["c"])
    ballot = await store.get_ballot(poll.id, 1, voter.id)
    assert ballot is not None and ballot.items == ("c",)
    assert await store.count_ballots(poll.id, 1) == 1
    assert await store.count_items(poll.id, 1) == [ItemCount("c", 1, 0)]


async def test_closed_poll_rejects_and_keeps_nothing(store: Store) -> None:
    poll = await open_poll(store)
    voter = await store.join(participant(await _workshop_of(store, poll)), "device-1")
    cast = partial(store.cast_ballot, activity_id=poll.id, participant_id=voter.id,
                   client_id="req-1", items=["a"])

    await store.update_activity(replace(poll, state=ActivityState.CLOSED))
    with pytest.raises(Conflict):
        await cast(round_=1)
    assert await store.count_ballots(poll.id, 1) == 0
    assert await store.get_ballot(poll.id, 1, voter.id) is None
    assert await store.count_items(poll.id, 1) == []

    await store.update_activity(replace(poll, state=ActivityState.OPEN))
    with pytest.raises(Conflict):  # open, but at another round
        await cast(round_=2)
    # The rejected attempts did not keep the client_id: the retry is recorded.
    assert await cast(round_=1) is CastOutcome.RECORDED
    assert await store.count_ballots(poll.id, 1) == 1


async def test_concurrent_ballots_all_count(store: Store) -> None:
    poll = await open_poll(store)
    w = await _workshop_of(store, poll)
    voters = [await store.join(participant(w, f"P{i}"), f"device-{i}") for i in range(200)]
    choices = ["a", "b", "c", "a"]  # a: 100, b: 50, c: 50

    outcomes = await asyncio.gather(*(
        store.cast_ballot(activity_id=poll.id, round_=1, participant_id=v.id,
                          client_id=f"req-{i}", items=[choices[i % 4]])
        for i, v in enumerate(voters)
    ))
    assert outcomes == [CastOutcome.RECORDED] * 200
    assert await store.count_ballots(poll.id, 1) == 200
    counts = sorted(await store.count_items(poll.id, 1), key=lambda c: c.item)
    assert counts == [ItemCount("a", 100, 0), ItemCount("b", 50, 0), ItemCount("c", 50, 0)]
    assert set(await store.ballot_items_by_participant(poll.id, 1)) == {v.id for v in voters}


async def test_ranking_position_sums(store: Store) -> None:
    poll = await open_poll(store, PollKind.RANKING)
    w = await _workshop_of(store, poll)
    rankings = [["a", "b", "c"], ["b", "a", "c"], ["c", "b", "a"]]
    for i, ranking in enumerate(rankings):
        voter = await store.join(participant(w), f"device-{i}")
        await store.cast_ballot(activity_id=poll.id, round_=1, participant_id=voter.id,
                                client_id="req", items=ranking)
    counts = sorted(await store.count_items(poll.id, 1), key=lambda c: c.item)
    assert counts == [ItemCount("a", 3, 3), ItemCount("b", 3, 2), ItemCount("c", 3, 4)]


async def test_ballot_items_by_participant(store: Store) -> None:
    poll = await open_poll(store, PollKind.RANKING)
    w = await _workshop_of(store, poll)
    ada = await store.join(participant(w, "Ada"), "device-1")
    bob = await store.join(participant(w, "Bob"), "device-2")
    await store.cast_ballot(activity_id=poll.id, round_=1, participant_id=ada.id,
                            client_id="req", items=["c", "a", "b"])
    await store.cast_ballot(activity_id=poll.id, round_=1, participant_id=bob.id,
                            client_id="req", items=["b"])
    assert await store.ballot_items_by_participant(poll.id, 1) == {
        ada.id: ("c", "a", "b"), bob.id: ("b",)
    }
    assert await store.ballot_items_by_participant(poll.id, 2) == {}


async def test_latest_texts_newest_first(store: Store) -> None:
    poll = await open_poll(store, PollKind.OPEN_TEXT)
    w = await _workshop_of(store, poll)
    for i, text in enumerate(["first", "second", "third"]):
        voter = await store.join(participant(w), f"device-{i}")
        await store.cast_ballot(activity_id=poll.id, round_=1, participant_id=voter.id,
                                client_id="req", items=[text])
    assert [text for _, text in await store.latest_answers(poll.id, 1)] == [
        "third", "second", "first"]


# -- helpers ----------------------------------------------------------------------------


async def _workshop_of(store: Store, poll: Activity) -> Workshop:
    w = await store.get_workshop(poll.workshop_id)
    assert w is not None
    return w



async def test_a_committed_write_is_visible_to_the_next_read_under_concurrent_reads(
        store: Store) -> None:
    """Reads overlapping on a shared connection must not pin an old snapshot."""
    owner = Facilitator(new_id(), "reader@example.com", "x", time.time())
    assert await store.insert_facilitator(owner)
    workshop = Workshop(new_id(), "246810", "Snapshots", "", "", "", owner.id, None,
                        time.time())
    assert await store.insert_workshop(workshop)
    stop = asyncio.Event()

    async def background_reader() -> None:
        while not stop.is_set():
            await store.count_participants(workshop.id)
            await store.list_activities(workshop.id)

    readers = [asyncio.create_task(background_reader()) for _ in range(8)]
    try:
        for i in range(150):
            device = f"device-{i}"
            await store.join(Participant(new_id(), workshop.id, "", time.time()), device)
            assert await store.participant_for_device(workshop.id, device) is not None, i
    finally:
        stop.set()
        await asyncio.gather(*readers)

"""The objectives board through ObjectiveService (and PollService for boards feeding polls)
on a real SQLite file with the in-process hub: drafting, curation, dot voting under
concurrency, retries, drafts and piping. What the store kept is read back through a
separate sqlite3 connection."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from tests.services.conftest import World
from workshop.auth.actors import ParticipantActor
from workshop.domain import limits
from workshop.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from workshop.domain.events import Change
from workshop.domain.flow import Action
from workshop.domain.models import Activity, ActivityState, PollKind
from workshop.domain.objectives import Objective, Voting
from workshop.storage.objectives import DotOutcome

ADDED, ALREADY = DotOutcome.ADDED, DotOutcome.ALREADY_APPLIED


def draft(text: str = "Make delivery predictable for every client",
          *key_results: str) -> dict[str, Any]:
    krs = key_results or ("Raise on-time milestones from 62% to 85%",)
    return {"text": text, "key_results": [{"text": kr} for kr in krs]}


class Board:
    """An objectives activity in a World, with shortcuts to its service calls."""

    def __init__(self, world: World, activity: Activity) -> None:
        self.world = world
        self.activity = activity
        self.service = world.services.objectives
        self.wid = world.workshop.id
        self.id = activity.id

    async def submit(self, who: ParticipantActor, text: str, client_id: str | None = None,
                     **extra: Any) -> Objective:
        objective, created = await self.service.submit(
            who, self.wid, self.id, {**draft(text), **extra},
            client_id or f"submit-{text[:20]}-{who.participant_id}")
        assert created
        return objective

    async def act(self, action: str) -> None:
        await self.service.board_action(self.world.owner, self.wid, self.id, action)

    async def vote(self, who: ParticipantActor, objective_id: str, client_id: str
                   ) -> DotOutcome:
        return await self.service.vote(who, self.wid, self.id, objective_id, client_id)

    async def wall(self, who: Any) -> list[dict[str, Any]]:
        return [item.as_json() for item in await self.service.wall(who, self.wid, self.id)]

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.world.query(sql, params)

    def count(self, table: str) -> int:
        return int(self.rows(f"SELECT COUNT(*) FROM {table} WHERE activity_id = ?",
                             (self.id,))[0][0])

    def votes_on(self, objective_id: str) -> int:
        return int(self.rows("SELECT COUNT(*) FROM objective_votes WHERE objective_id = ?",
                             (objective_id,))[0][0])


async def new_board(world: World, *, open_: bool = True, **settings: Any) -> Board:
    return Board(world, await world.poll("objectives", open_=open_, **settings))


def changes(world: World, activity_id: str) -> list[Change]:
    return [e.change for e in world.events if e.activity_id == activity_id]


# -- drafting ----------------------------------------------------------------------------


async def test_submit_stores_objective_with_author_and_publishes(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice", "Alice")
    objective, created = await board.service.submit(
        alice, board.wid, board.id,
        {"text": "  Make delivery   predictable ",
         "key_results": [{"text": "Cut lead time", "baseline": "30", "target": "15",
                          "unit": "days"}, {"text": ""}]},
        "c-1")
    assert created
    assert objective.text == "Make delivery predictable"
    assert [kr.as_json() for kr in objective.key_results] == [
        {"text": "Cut lead time", "baseline": "30", "target": "15", "unit": "days"}]
    assert objective.author_ids == (alice.participant_id,)
    assert objective.author_names == ("Alice",)
    assert board.rows("SELECT id, participant_id, text, hidden, theme FROM objectives") == [
        (objective.id, alice.participant_id, "Make delivery predictable", 0, "")]
    assert board.rows("SELECT objective_id, participant_id FROM objective_authors") == [
        (objective.id, alice.participant_id)]
    assert changes(world, board.id)[-1] is Change.OBJECTIVES_CHANGED


async def test_repeated_submit_client_id_counts_once(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice", "Alice")
    first, created = await board.service.submit(alice, board.wid, board.id, draft(), "same")
    published = len(world.events)
    again, created_again = await board.service.submit(alice, board.wid, board.id,
                                                      draft("A different text entirely"),
                                                      "same")
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.text == first.text
    assert board.count("objectives") == 1
    assert len(world.events) == published  # nothing new happened, nothing published


async def test_concurrent_retries_of_one_submit_store_one_objective(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    outcomes = await asyncio.gather(*(
        board.service.submit(alice, board.wid, board.id, draft(), "retry-me")
        for _ in range(8)))
    assert sorted(created for _, created in outcomes) == [False] * 7 + [True]
    assert len({o.id for o, _ in outcomes}) == 1
    assert board.count("objectives") == 1


async def test_concurrent_submits_cannot_exceed_objectives_per_participant(
        world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    cap = limits.OBJECTIVES_PER_PARTICIPANT_MAX
    outcomes = await asyncio.gather(*(
        board.service.submit(alice, board.wid, board.id,
                             draft(f"Objective number {i} for the year"), f"c-{i}")
        for i in range(cap + 4)), return_exceptions=True)
    created = [o for o in outcomes if isinstance(o, tuple)]
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(created) == cap and all(c for _, c in created)
    assert len(refused) == 4
    assert all(isinstance(e, Conflict) and f"at most {cap} objectives" in e.message
               for e in refused), refused
    assert board.count("objectives") == cap
    # a retry of a request that was applied is still answered, not refused
    again, fresh = await board.service.submit(alice, board.wid, board.id,
                                              draft("Objective number 0 for the year"), "c-0")
    assert fresh is False and again.id in {o.id for o, _ in created}
    # and another participant is not affected
    bob = await world.participant("dev-bob")
    assert (await board.submit(bob, "Bob's own objective here")).id
    assert board.count("objectives") == cap + 1


async def test_submit_refused_before_drafting_opens(world: World) -> None:
    board = await new_board(world, open_=False)
    alice = await world.participant("dev-alice")
    with pytest.raises(Conflict, match="Drafting has not started"):
        await board.service.submit(alice, board.wid, board.id, draft(), "c-1")
    assert board.count("objectives") == 0


async def test_submit_respects_max_key_results_setting(world: World) -> None:
    board = await new_board(world, max_key_results=2)
    alice = await world.participant("dev-alice")
    with pytest.raises(InvalidInput, match="at most 2 key results"):
        await board.service.submit(
            alice, board.wid, board.id,
            draft("Make delivery predictable", "Raise A from 1 to 2", "Raise B from 1 to 2",
                  "Raise C from 1 to 2"), "c-1")
    assert board.count("objectives") == 0
    ok, _ = await board.service.submit(
        alice, board.wid, board.id,
        draft("Make delivery predictable", "Raise A from 1 to 2", "Raise B from 1 to 2"),
        "c-2")
    assert len(ok.key_results) == 2


async def test_facilitators_do_not_submit(world: World) -> None:
    board = await new_board(world)
    with pytest.raises(Forbidden):
        await board.service.submit(world.owner, board.wid, board.id, draft(), "c-1")
    assert board.count("objectives") == 0


async def test_edit_own_objective_and_not_someone_elses(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    bob = await world.participant("dev-bob")
    mine = await board.submit(alice, "Make delivery predictable")
    edited = await board.service.edit_own(
        alice, board.wid, board.id, mine.id,
        {"text": "Make delivery boringly predictable"})
    assert edited.text == "Make delivery boringly predictable"
    assert [kr.text for kr in edited.key_results] == [
        "Raise on-time milestones from 62% to 85%"]  # untouched when not sent
    with pytest.raises(Forbidden, match="your own"):
        await board.service.edit_own(bob, board.wid, board.id, mine.id, {"text": "Hijacked"})
    with pytest.raises(InvalidInput, match="Unknown field"):
        await board.service.edit_own(alice, board.wid, board.id, mine.id, {"votes": 99})
    assert board.rows("SELECT text FROM objectives") == [
        ("Make delivery boringly predictable",)]


async def test_facilitator_edits_any_objective(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    mine = await board.submit(alice, "Make delivery predictable")
    edited = await board.service.edit(world.owner, board.wid, board.id, mine.id, {
        "key_results": [{"text": "Cut lead time from 30 to 15 days", "due": "Q3"}]})
    assert edited.text == "Make delivery predictable"
    assert [kr.as_json() for kr in edited.key_results] == [
        {"text": "Cut lead time from 30 to 15 days", "due": "Q3"}]
    with pytest.raises(InvalidInput, match="at least one key result"):
        await board.service.edit(world.owner, board.wid, board.id, mine.id,
                                 {"key_results": []})


async def test_withdraw_own_objective_only(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    bob = await world.participant("dev-bob")
    mine = await board.submit(alice, "Make delivery predictable")
    with pytest.raises(Forbidden):
        await board.service.withdraw(bob, board.wid, board.id, mine.id)
    assert board.count("objectives") == 1
    await board.service.withdraw(alice, board.wid, board.id, mine.id)
    assert board.count("objectives") == 0
    assert board.rows("SELECT COUNT(*) FROM objective_authors") == [(0,)]
    with pytest.raises(NotFound):
        await board.service.withdraw(alice, board.wid, board.id, mine.id)


async def test_lock_refuses_changes_with_a_clear_conflict_and_unlock_allows_them(
        world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    mine = await board.submit(alice, "Make delivery predictable")
    await board.act("lock")
    stored = await world.services.store.get_activity(board.id)
    assert stored is not None and stored.state is ActivityState.CLOSED
    locked = "The facilitator has locked this board: no more changes."
    with pytest.raises(Conflict) as refused:
        await board.service.edit_own(alice, board.wid, board.id, mine.id, {"text": "Later"})
    assert refused.value.message == locked
    with pytest.raises(Conflict, match="locked"):
        await board.service.submit(alice, board.wid, board.id, draft("Another one here"),
                                   "c-late")
    with pytest.raises(Conflict, match="locked"):
        await board.service.withdraw(alice, board.wid, board.id, mine.id)
    assert board.rows("SELECT text FROM objectives") == [("Make delivery predictable",)]

    await board.act("unlock")
    edited = await board.service.edit_own(alice, board.wid, board.id, mine.id,
                                          {"text": "Make delivery predictable again"})
    assert edited.text == "Make delivery predictable again"
    assert board.rows("SELECT text FROM objectives") == [("Make delivery predictable again",)]


# -- curation ----------------------------------------------------------------------------


async def test_merge_keeps_both_authors_sums_votes_and_removes_the_merged(
        world: World) -> None:
    board = await new_board(world, dots=3)
    alice = await world.participant("dev-alice", "Alice")
    bob = await world.participant("dev-bob", "Bob")
    carol = await world.participant("dev-carol", "Carol")
    kept = await board.submit(alice, "Make delivery predictable")
    dup = await board.submit(bob, "Deliver predictably")
    other = await board.submit(carol, "Happier clients")
    await board.act("open-voting")
    assert await board.vote(alice, kept.id, "v1") is ADDED
    assert await board.vote(bob, dup.id, "v2") is ADDED
    assert await board.vote(carol, dup.id, "v3") is ADDED
    assert await board.vote(carol, other.id, "v4") is ADDED

    merged = await board.service.merge(world.owner, board.wid, board.id, [kept.id, dup.id])

    assert merged.id == kept.id and merged.text == "Make delivery predictable"
    assert set(merged.author_ids) == {alice.participant_id, bob.participant_id}
    assert merged.author_names == ("Alice", "Bob")
    assert merged.votes == 3
    assert await board.service.store.get_objective(dup.id) is None
    assert board.rows("SELECT id FROM objectives ORDER BY created_at") == [
        (kept.id,), (other.id,)]
    assert board.votes_on(kept.id) == 3 and board.votes_on(other.id) == 1
    assert board.votes_on(dup.id) == 0
    wall = await board.wall(world.owner)
    assert [(o["id"], o["author"], o["votes"]) for o in wall] == [
        (kept.id, "Alice & Bob", 3), (other.id, "Carol", 1)]
    # both authors now own it: Bob can edit it, Carol cannot
    assert (await board.service.edit_own(bob, board.wid, board.id, kept.id,
                                         {"text": "Predictable delivery"})).text == (
        "Predictable delivery")
    with pytest.raises(Forbidden):
        await board.service.edit_own(carol, board.wid, board.id, kept.id, {"text": "x y z"})


async def test_merge_refuses_fewer_than_two_and_unknown_ids(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    one = await board.submit(alice, "Make delivery predictable")
    with pytest.raises(InvalidInput, match="at least two"):
        await board.service.merge(world.owner, board.wid, board.id, [one.id, one.id])
    with pytest.raises(NotFound):
        await board.service.merge(world.owner, board.wid, board.id, [one.id, "nope"])
    assert board.count("objectives") == 1
    with pytest.raises(Forbidden):
        await board.service.merge(alice, board.wid, board.id, [one.id, one.id])


async def test_theme_groups_and_is_validated(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    first = await board.submit(alice, "Make delivery predictable")
    second = await board.submit(alice, "Happier clients all year")
    themed = await board.service.set_theme(world.owner, board.wid, board.id, second.id,
                                           "  Clients ")
    assert themed.theme == "Clients"
    assert board.rows("SELECT id, theme FROM objectives ORDER BY created_at") == [
        (first.id, ""), (second.id, "Clients")]
    wall = await board.wall(alice)
    assert [(o["id"], o["theme"]) for o in wall] == [(second.id, "Clients"), (first.id, None)]
    with pytest.raises(InvalidInput, match="Theme is too long"):
        await board.service.set_theme(world.owner, board.wid, board.id, first.id, "t" * 61)
    cleared = await board.service.set_theme(world.owner, board.wid, board.id, second.id, "")
    assert cleared.theme == ""
    with pytest.raises(Forbidden):
        await board.service.set_theme(alice, board.wid, board.id, first.id, "Mine")


async def test_hide_removes_from_participants_but_not_facilitator_or_author(
        world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    bob = await world.participant("dev-bob")
    shown = await board.submit(alice, "Make delivery predictable")
    hidden = await board.submit(bob, "Something off topic for today")
    await board.service.moderate(world.owner, board.wid, board.id, hidden.id, "spotlight")
    assert (await board.service.board(board.activity)).spotlight_id == hidden.id

    result = await board.service.moderate(world.owner, board.wid, board.id, hidden.id, "hide")

    assert result.hidden is True
    assert board.rows("SELECT id, hidden FROM objectives ORDER BY created_at") == [
        (shown.id, 0), (hidden.id, 1)]
    assert changes(world, board.id)[-1] is Change.BOARD_CHANGED
    assert (await board.service.board(board.activity)).spotlight_id is None
    assert [o["id"] for o in await board.wall(alice)] == [shown.id]
    assert [(o["id"], o["hidden"]) for o in await board.wall(bob)] == [
        (shown.id, False), (hidden.id, True)]
    assert [(o["id"], o["hidden"]) for o in await board.wall(world.owner)] == [
        (shown.id, False), (hidden.id, True)]
    # hidden objectives take no votes
    await board.act("open-voting")
    with pytest.raises(NotFound):
        await board.vote(alice, hidden.id, "v-hidden")
    assert board.count("objective_votes") == 0

    await board.service.moderate(world.owner, board.wid, board.id, hidden.id, "unhide")
    assert [o["id"] for o in await board.wall(alice)] == [shown.id, hidden.id]
    with pytest.raises(InvalidInput):
        await board.service.moderate(world.owner, board.wid, board.id, hidden.id, "delete")
    with pytest.raises(Forbidden):
        await board.service.moderate(alice, board.wid, board.id, hidden.id, "hide")


async def test_silent_drafting_wall_shows_only_own_until_opened(world: World) -> None:
    board = await new_board(world, silent_drafting=True)
    alice = await world.participant("dev-alice")
    bob = await world.participant("dev-bob")
    a = await board.submit(alice, "Make delivery predictable")
    b = await board.submit(bob, "Happier clients all year")
    assert [o["id"] for o in await board.wall(alice)] == [a.id]
    assert [o["id"] for o in await board.wall(world.owner)] == [a.id, b.id]
    await board.act("open-wall")
    assert [o["id"] for o in await board.wall(alice)] == [a.id, b.id]
    await board.act("close-wall")
    assert [o["id"] for o in await board.wall(bob)] == [b.id]


# -- dot voting --------------------------------------------------------------------------


async def test_ten_concurrent_votes_spend_exactly_the_allowed_dots(world: World) -> None:
    board = await new_board(world, dots=3)
    author = await world.participant("dev-author")
    objectives = [await board.submit(author, f"Objective number {i} for the year")
                  for i in range(10)]
    await board.act("open-voting")
    voter = await world.participant("dev-voter")

    outcomes = await asyncio.gather(
        *(board.vote(voter, o.id, f"dot-{i}") for i, o in enumerate(objectives)),
        return_exceptions=True)

    assert sum(1 for o in outcomes if o is ADDED) == 3
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(refused) == 7
    assert all(isinstance(e, Conflict) and e.message == "You have used all 3 of your votes."
               for e in refused), refused
    assert board.rows(
        "SELECT COUNT(*), COUNT(DISTINCT objective_id), MIN(dot), MAX(dot)"
        " FROM objective_votes WHERE participant_id = ?", (voter.participant_id,)) == [
        (3, 3, 0, 2)]
    # a refused request keeps nothing, not even its client_id
    assert board.rows("SELECT COUNT(*) FROM applied_requests WHERE participant_id = ?",
                      (voter.participant_id,)) == [(3,)]
    assert len(await board.service.my_dots(voter.participant_id, board.activity)) == 3
    assert changes(world, board.id).count(Change.OBJECTIVES_CHANGED) == 10 + 3


async def test_two_concurrent_votes_on_one_objective_with_one_dot_each(world: World) -> None:
    board = await new_board(world, dots=3, max_dots_per_objective=1)
    author = await world.participant("dev-author")
    target = await board.submit(author, "Make delivery predictable")
    await board.act("open-voting")
    voter = await world.participant("dev-voter")

    outcomes = await asyncio.gather(board.vote(voter, target.id, "a"),
                                    board.vote(voter, target.id, "b"),
                                    return_exceptions=True)

    assert Counter(type(o).__name__ for o in outcomes) == {"DotOutcome": 1, "Conflict": 1}
    conflict = next(o for o in outcomes if isinstance(o, Conflict))
    assert conflict.message == "You already voted for this objective."
    assert board.votes_on(target.id) == 1


async def test_many_concurrent_votes_on_one_objective_respect_per_objective_cap(
        world: World) -> None:
    board = await new_board(world, dots=5, max_dots_per_objective=2)
    author = await world.participant("dev-author")
    target = await board.submit(author, "Make delivery predictable")
    other = await board.submit(author, "Happier clients all year")
    await board.act("open-voting")
    voter = await world.participant("dev-voter")
    outcomes = await asyncio.gather(*(board.vote(voter, target.id, f"v{i}") for i in range(6)),
                                    return_exceptions=True)
    assert sum(1 for o in outcomes if o is ADDED) == 2
    assert board.votes_on(target.id) == 2
    assert all(isinstance(o, Conflict) and "at most 2 votes" in o.message
               for o in outcomes if o is not ADDED)
    # the remaining dots are still there to spend elsewhere
    assert await board.vote(voter, other.id, "elsewhere") is ADDED


async def test_many_voters_concurrently_none_lost(world: World) -> None:
    board = await new_board(world, dots=2)
    author = await world.participant("dev-author")
    first = await board.submit(author, "Make delivery predictable")
    second = await board.submit(author, "Happier clients all year")
    await board.act("open-voting")
    voters = await asyncio.gather(*(world.participant(f"dev-{i}") for i in range(30)))
    outcomes = await asyncio.gather(*(
        board.vote(v, o.id, f"{o.id}-{i}")
        for i, v in enumerate(voters) for o in (first, second)))
    assert outcomes == [ADDED] * 60
    assert (board.votes_on(first.id), board.votes_on(second.id)) == (30, 30)


async def test_withdrawn_objective_gives_its_dots_back(world: World) -> None:
    board = await new_board(world, dots=1)
    author = await world.participant("dev-author")
    going = await board.submit(author, "Make delivery predictable")
    staying = await board.submit(author, "Happier clients all year")
    await board.act("open-voting")
    voter = await world.participant("dev-voter")
    assert await board.vote(voter, going.id, "v1") is ADDED
    with pytest.raises(Conflict, match="used all 1"):
        await board.vote(voter, staying.id, "v2")
    await board.service.withdraw(author, board.wid, board.id, going.id)
    assert board.count("objective_votes") == 0
    assert await board.vote(voter, staying.id, "v3") is ADDED


async def test_repeated_vote_client_id_counts_once(world: World) -> None:
    board = await new_board(world, dots=3, max_dots_per_objective=3)
    author = await world.participant("dev-author")
    target = await board.submit(author, "Make delivery predictable")
    await board.act("open-voting")
    voter = await world.participant("dev-voter")
    assert await board.vote(voter, target.id, "once") is ADDED
    published = len(world.events)
    assert await board.vote(voter, target.id, "once") is ALREADY
    assert board.votes_on(target.id) == 1
    assert len(world.events) == published
    assert await board.vote(voter, target.id, "twice") is ADDED
    assert board.votes_on(target.id) == 2


async def test_voting_only_while_open_and_dots_can_be_taken_back(world: World) -> None:
    board = await new_board(world, dots=1)
    author = await world.participant("dev-author")
    first = await board.submit(author, "Make delivery predictable")
    second = await board.submit(author, "Happier clients all year")
    voter = await world.participant("dev-voter")
    with pytest.raises(Conflict, match="Voting is not open"):
        await board.vote(voter, first.id, "early")
    await board.act("open-voting")
    assert (await board.service.board(board.activity)).voting is Voting.OPEN
    assert await board.vote(voter, first.id, "v1") is ADDED
    with pytest.raises(Conflict, match="used all 1"):
        await board.vote(voter, second.id, "v2")
    await board.service.unvote(voter, board.wid, board.id, first.id)
    assert board.votes_on(first.id) == 0
    with pytest.raises(Conflict, match="no vote on this objective"):
        await board.service.unvote(voter, board.wid, board.id, first.id)
    assert await board.vote(voter, second.id, "v3") is ADDED
    await board.act("close-voting")
    with pytest.raises(Conflict, match="Voting has closed"):
        await board.vote(voter, first.id, "late")
    with pytest.raises(Conflict):
        await board.service.unvote(voter, board.wid, board.id, second.id)
    assert (board.votes_on(first.id), board.votes_on(second.id)) == (0, 1)
    with pytest.raises(Conflict, match="Voting is not open"):
        await board.act("close-voting")


# -- drafts ------------------------------------------------------------------------------


async def test_draft_saved_restored_and_cleared_by_submitting(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    bob = await world.participant("dev-bob")
    assert await board.service.get_draft(alice, board.wid, board.id) is None
    typed = {"text": "Make delivery pre", "key_results": [{"text": "Raise on-time",
                                                           "target": "85"}]}
    saved = await board.service.save_draft(alice, board.wid, board.id, typed)
    restored = await board.service.get_draft(alice, board.wid, board.id)
    assert restored == saved
    assert restored is not None and restored["text"] == "Make delivery pre"
    assert restored["key_results"][0]["target"] == "85"
    assert await board.service.get_draft(bob, board.wid, board.id) is None  # per person
    await board.service.save_draft(bob, board.wid, board.id, {"text": "Bob's idea"})
    # saving again replaces
    await board.service.save_draft(alice, board.wid, board.id, {"text": "Make delivery"})
    assert (await board.service.get_draft(alice, board.wid, board.id) or {})["text"] == (
        "Make delivery")
    assert board.count("objective_drafts") == 2

    await board.submit(alice, "Make delivery predictable")

    assert await board.service.get_draft(alice, board.wid, board.id) is None
    assert (await board.service.get_draft(bob, board.wid, board.id) or {})["text"] == (
        "Bob's idea")


async def test_refused_submission_leaves_the_draft_alone(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    await board.service.save_draft(alice, board.wid, board.id, {"text": "x" * 250})
    with pytest.raises(InvalidInput, match="limit is 200"):
        await board.service.submit(alice, board.wid, board.id, draft("x" * 250), "c-1")
    assert (await board.service.get_draft(alice, board.wid, board.id) or {})["text"] == (
        "x" * 250)


# -- piping ------------------------------------------------------------------------------


async def voted_board(world: World) -> tuple[Board, dict[str, Objective]]:
    """Five objectives with votes 3, 1, 2, 0 and a hidden one with 4 votes."""
    board = await new_board(world, dots=5, max_dots_per_objective=5)
    author = await world.participant("dev-author")
    names = ("three", "one", "two", "zero", "hidden")
    made = {n: await board.submit(author, f"Objective with {n} votes") for n in names}
    await board.act("open-voting")
    for name, n in (("three", 3), ("one", 1), ("two", 2), ("hidden", 4)):
        voter = await world.participant(f"dev-voter-{name}")
        for i in range(n):
            assert await board.vote(voter, made[name].id, f"{name}-{i}") is ADDED
    await board.service.moderate(world.owner, board.wid, board.id, made["hidden"].id, "hide")
    await board.act("close-voting")
    return board, made


@pytest.mark.parametrize(("kind", "top", "expected"), [
    ("ranking", 2, ["three", "two"]),
    ("multiple_choice", 3, ["three", "two", "one"]),
    ("placement", 2, ["three", "two"]),
    ("single_choice", 4, ["three", "two", "one", "zero"]),
])
async def test_pipe_top_n_most_voted_visible_objectives(world: World, kind: str, top: int,
                                                        expected: list[str]) -> None:
    board, _ = await voted_board(world)
    created = await board.service.pipe(world.owner, board.wid, board.id, kind, top)
    assert created.kind is PollKind(kind)
    assert created.workshop_id == board.wid
    assert created.state is ActivityState.DRAFT
    assert [o.label for o in created.options] == [f"Objective with {n} votes"
                                                  for n in expected]
    stored = await world.services.store.get_activity(created.id)
    assert stored is not None and stored.options == created.options


async def test_piped_placement_poll_takes_votes(world: World) -> None:
    board, _ = await voted_board(world)
    created = await board.service.pipe(world.owner, board.wid, board.id, "placement", 2)
    opened = await world.services.polls.act(world.owner, board.wid, created.id, Action.OPEN)
    voter = await world.participant("dev-placer")
    first, second = (o.id for o in opened.options)
    await world.services.polls.respond(voter, board.wid, opened.id,
                                       {first: [5, 4], second: [1, 2]}, "place-1")
    results = await world.services.polls.results(world.owner, board.wid, opened.id)
    assert [(p.label, p.x, p.y, p.count) for p in results.points] == [
        ("Objective with three votes", 5.0, 4.0, 1), ("Objective with two votes", 1.0, 2.0, 1)]


async def test_pipe_without_top_takes_every_visible_objective(world: World) -> None:
    board, made = await voted_board(world)
    created = await board.service.pipe(world.owner, board.wid, board.id, "ranking")
    labels = [o.label for o in created.options]
    assert sorted(labels) == sorted(f"Objective with {n} votes"
                                    for n in ("three", "one", "two", "zero"))
    assert made["hidden"].text not in labels


@pytest.mark.parametrize(("kind", "top", "error"), [
    ("word_cloud", 2, InvalidInput),
    ("objectives", 2, InvalidInput),
    ("ranking", 1, InvalidInput),
    ("ranking", 21, InvalidInput),
    ("ranking", True, InvalidInput),
])
async def test_pipe_refuses_bad_kind_or_top(world: World, kind: str, top: Any,
                                            error: type[Exception]) -> None:
    board, _ = await voted_board(world)
    before = len(await world.services.store.list_activities(board.wid))
    with pytest.raises(error):
        await board.service.pipe(world.owner, board.wid, board.id, kind, top)
    assert len(await world.services.store.list_activities(board.wid)) == before


async def test_pipe_needs_two_visible_objectives_and_a_facilitator(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    only = await board.submit(alice, "Make delivery predictable")
    other = await board.submit(alice, "Happier clients all year")
    await board.service.moderate(world.owner, board.wid, board.id, other.id, "hide")
    with pytest.raises(Conflict, match="at least two visible objectives"):
        await board.service.pipe(world.owner, board.wid, board.id, "ranking", None)
    with pytest.raises(Forbidden):
        await board.service.pipe(alice, board.wid, board.id, "ranking", None)
    assert len(await world.services.store.list_activities(board.wid)) == 1
    assert only.id


async def test_pipe_makes_duplicate_texts_distinct_options(world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    bob = await world.participant("dev-bob")
    await board.submit(alice, "Make delivery predictable")
    await board.submit(bob, "make delivery predictable")
    created = await board.service.pipe(world.owner, board.wid, board.id, "single_choice")
    assert [o.label for o in created.options] == [
        "Make delivery predictable", "make delivery predictable (2)"]


async def test_activity_planned_from_a_board_gets_its_options_when_opened(
        world: World) -> None:
    board, _ = await voted_board(world)
    planned = await world.services.workshops.add_activity(world.owner, board.wid, {
        "kind": "ranking", "prompt": "Rank the top objectives",
        "settings": {"source_activity_id": board.id, "source_top": 3}})
    assert planned.options == ()
    opened = await world.services.polls.act(world.owner, board.wid, planned.id, Action.OPEN)
    assert opened.state is ActivityState.OPEN
    assert [o.label for o in opened.options] == [
        "Objective with three votes", "Objective with two votes", "Objective with one votes"]
    stored = await world.services.store.get_activity(planned.id)
    assert stored is not None and stored.options == opened.options
    # the options are real: a ranking ballot over them is accepted
    voter = await world.participant("dev-ranker")
    await world.services.polls.respond(voter, board.wid, planned.id,
                                       [o.id for o in reversed(opened.options)], "rank-1")
    assert (await world.services.polls.results(world.owner, board.wid, planned.id)).total == 1


async def test_planned_activity_refuses_to_open_with_fewer_than_two_objectives(
        world: World) -> None:
    board = await new_board(world)
    alice = await world.participant("dev-alice")
    planned = await world.services.workshops.add_activity(world.owner, board.wid, {
        "kind": "multiple_choice", "prompt": "Which ones?",
        "settings": {"source_activity_id": board.id}})
    with pytest.raises(Conflict, match="needs at least two visible objectives"):
        await world.services.polls.act(world.owner, board.wid, planned.id, Action.OPEN)
    await board.submit(alice, "Make delivery predictable")
    hidden = await board.submit(alice, "Happier clients all year")
    await board.service.moderate(world.owner, board.wid, board.id, hidden.id, "hide")
    with pytest.raises(Conflict, match="needs at least two visible objectives"):
        await world.services.polls.act(world.owner, board.wid, planned.id, Action.OPEN)
    stored = await world.services.store.get_activity(planned.id)
    assert stored is not None
    assert (stored.state, stored.options) == (ActivityState.DRAFT, ())

    await board.service.moderate(world.owner, board.wid, board.id, hidden.id, "unhide")
    opened = await world.services.polls.act(world.owner, board.wid, planned.id, Action.OPEN)
    assert [o.label for o in opened.options] == [
        "Make delivery predictable", "Happier clients all year"]


async def test_source_must_be_a_board_of_the_same_workshop(world: World) -> None:
    board = await new_board(world)
    poll = await world.poll("single_choice", ["a", "b"])
    with pytest.raises(InvalidInput, match="source_activity_id"):
        await world.services.workshops.add_activity(world.owner, board.wid, {
            "kind": "ranking", "prompt": "Rank",
            "settings": {"source_activity_id": poll.id}})
    other = await world.services.workshops.create(world.owner, {"title": "Other"})
    with pytest.raises(InvalidInput, match="source_activity_id"):
        await world.services.workshops.add_activity(world.owner, other.id, {
            "kind": "ranking", "prompt": "Rank",
            "settings": {"source_activity_id": board.id}})

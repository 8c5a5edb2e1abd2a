"""A fully used workshop for export tests: every poll kind with votes (one poll over two
rounds), an objectives board with themes, a merge, a hidden objective and dot votes, a
chat with a question, upvotes, a reply and a held-back message, and nested insights.

Everything goes through the real services. `fix_times` then rewrites every timestamp of
the workshop to fixed, increasing values so rendered documents are stable (goldens);
run the test under `utc_timezone()` so local-time rendering is stable too.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workshop.auth.actors import FacilitatorActor, ParticipantActor
from workshop.domain.flow import Action
from workshop.domain.models import Activity
from workshop.services.container import Services
from workshop.storage import Store

PASSWORD = "correct horse battery"
BASE_TIME = 1767261600.0  # 2026-01-01 10:00:00 UTC
TITLE = "Quarterly planning retro"
NAMES = ("Ana", "Ben", "Chloé", "", "Dev")  # the fourth participant gives no name


def _client_id() -> str:
    return uuid.uuid4().hex


async def _owner(services: Services, email: str | None) -> FacilitatorActor:
    address = email or f"seed-{uuid.uuid4().hex[:8]}@example.org"
    existing = await services.store.get_facilitator_by_email(address)
    if existing is not None:
        return FacilitatorActor(existing.id)
    created = await services.accounts.add_facilitator(address, PASSWORD)
    return FacilitatorActor(created.id)


class _Seeder:
    def __init__(self, services: Services, owner: FacilitatorActor, workshop_id: str,
                 people: list[ParticipantActor]) -> None:
        self.s = services
        self.owner = owner
        self.wid = workshop_id
        self.people = people

    async def add(self, kind: str, prompt: str, options: list[str] | None = None,
                  **settings: Any) -> Activity:
        data: dict[str, Any] = {"kind": kind, "prompt": prompt, "settings": settings}
        if options is not None:
            data["options"] = options
        return await self.s.workshops.add_activity(self.owner, self.wid, data)

    async def act(self, activity: Activity, action: Action) -> Activity:
        return await self.s.polls.act(self.owner, self.wid, activity.id, action)

    async def run_poll(self, activity: Activity, values: list[Any]) -> Activity:
        """Open, one answer per participant (None: no answer), close, reveal."""
        activity = await self.act(activity, Action.OPEN)
        for who, value in zip(self.people, values, strict=True):
            if value is not None:
                await self.s.polls.respond(who, self.wid, activity.id, value, _client_id())
        await self.act(activity, Action.CLOSE)
        return await self.act(activity, Action.REVEAL)


async def seed_full_workshop(services: Services, *, owner_email: str | None = None,
                             anonymity: str = "named") -> str:
    """Build the workshop; returns its id. `owner_email`: an existing facilitator (or one
    created with PASSWORD); `anonymity`: the chat's setting (named, anonymous_to_peers,
    anonymous)."""
    owner = await _owner(services, owner_email)
    workshop = await services.workshops.create(owner, {
        "title": TITLE,
        "description": "What went well last quarter, and our objectives for the next.",
        "slides_url": "https://example.org/slides/q1-retro",
        "recording_url": "https://example.org/recordings/q1-retro",
    })
    wid = workshop.id
    await services.chat.update_settings(owner, wid, {"anonymity": anonymity,
                                                     "blocked_words": ["spam"]})
    people = []
    for n, name in enumerate(NAMES, start=1):
        joined = await services.polls.join(workshop, f"seed-device-{n}", name)
        people.append(ParticipantActor(joined.id, wid))
    ana, ben, chloe, anon, dev = people
    seed = _Seeder(services, owner, wid, people)

    single = await seed.add("single_choice", "How often does your team set goals?",
                            ["Every quarter", "Twice a year", "Once a year"])
    o = [x.id for x in single.options]
    await seed.run_poll(single, [o[0], o[0], o[1], o[2], o[0]])

    multiple = await seed.add("multiple_choice", "What gets in the way of good goals?",
                              ["Too many priorities", "No clear owner",
                               "Metrics are hard to get", "No follow-up"], max_picks=2)
    o = [x.id for x in multiple.options]
    await seed.run_poll(multiple, [[o[0], o[3]], [o[0]], [o[1], o[2]], None, [o[0], o[2]]])

    rating = await seed.add("rating", "How confident are you writing a key result?")
    rating = await seed.run_poll(rating, [3, 4, 2, 5, None])
    rating = await seed.act(rating, Action.RESET)  # round 2, after the training part
    await seed.run_poll(rating, [4, 4, 5, 3, 4])

    scale = await seed.add("scale", "How well do our goals describe outcomes?", min=0,
                           max=10, min_label="Only tasks", max_label="Only outcomes")
    await seed.run_poll(scale, [6, 3, 7, 5, 8])

    words = await seed.add("word_cloud", "One word for a great objective", max_words=3)
    await seed.run_poll(words, [["Ambitious", "clear"], ["clear", "Measurable"],
                                ["inspiring"], None, ["Clear!", "focused"]])

    open_text = await seed.add("open_text", "What should we stop doing?")
    await seed.act(open_text, Action.OPEN)
    await services.workshops.set_current(owner, wid, open_text.id)
    for who, text in ((ana, "Status meetings without decisions"),
                      (chloe, "Setting goals nobody reads after week two"),
                      (dev, "Starting new projects before finishing old ones")):
        await services.polls.respond(who, wid, open_text.id, text, _client_id())
    await seed.act(open_text, Action.CLOSE)
    await seed.act(open_text, Action.REVEAL)

    ranking = await seed.add("ranking", "Rank the focus areas for next quarter",
                             ["Delivery predictability", "Portfolio transparency",
                              "Benefits tracking"])
    o = [x.id for x in ranking.options]
    await seed.run_poll(ranking, [[o[0], o[1], o[2]], [o[1], o[0], o[2]],
                                  [o[0], o[2], o[1]], None, [o[0], o[1], o[2]]])

    placement = await seed.add("placement", "Place each initiative", [
        "New intake process", "Portfolio dashboard", "Lessons-learned library"],
        x_label="Impact", y_label="Effort")
    o = [x.id for x in placement.options]
    await seed.run_poll(placement, [{o[0]: [4, 2], o[1]: [5, 4], o[2]: [2, 1]},
                                    {o[0]: [3, 3], o[1]: [4, 5], o[2]: [2, 2]},
                                    None, None,
                                    {o[0]: [5, 2], o[1]: [3, 4], o[2]: [1, 1]}])

    board_id, chloe_objective = await _board(seed, ana, ben, chloe, anon, dev)
    await services.workshops.set_current(owner, wid, open_text.id)
    question, ben_question = await _chat(services, wid, owner, ana, ben, chloe, anon, dev)
    await services.workshops.set_current(owner, wid, board_id)
    await _insights(services, wid, owner, open_text, question, ben_question,
                    chloe_objective)
    await services.chat.set_presenter_view(owner, wid, "insights")
    return wid


async def _board(seed: _Seeder, ana: ParticipantActor, ben: ParticipantActor,
                 chloe: ParticipantActor, anon: ParticipantActor, dev: ParticipantActor
                 ) -> tuple[str, str]:
    s, wid = seed.s, seed.wid
    board = await seed.add("objectives", "Draft your team's objective for next quarter",
                           ["Deliver predictably", "Grow our people"], dots=3,
                           max_dots_per_objective=2)
    org = [x.id for x in board.options]
    await seed.act(board, Action.OPEN)

    async def submit(who: ParticipantActor, text: str, krs: list[dict[str, str]],
                     aligns_to: str | None = None) -> str:
        objective, _ = await s.objectives.submit(who, wid, board.id, {
            "text": text, "key_results": krs, "aligns_to": aligns_to}, _client_id())
        return objective.id

    trust = await submit(ana, "Make delivery dates something people can trust", [
        {"text": "Raise on-time milestones from 60% to 85%", "metric": "on-time milestones",
         "baseline": "60%", "target": "85%", "due": "2026-06-30"},
        {"text": "Publish a forecast for every project each month"}], org[0])
    duplicate = await submit(ben, "Make our delivery predictable", [
        {"text": "Cut schedule slips from 12 to 4 a quarter"}], org[0])
    leads = await submit(chloe, "Grow a community of confident project leads", [
        {"text": "Run 6 peer-coaching circles", "target": "6", "unit": "circles"},
        {"text": "Raise lead confidence from 2.8 to 4 out of 5"}], org[1])
    intake = await submit(dev, "Halve the time from idea to approved project", [
        {"text": "Cut approval lead time from 40 to 20 days", "baseline": "40",
         "target": "20", "unit": "days"}])
    hidden = await submit(anon, "Stop starting, start finishing", [
        {"text": "Limit work in progress to 5 projects"}])

    owner = seed.owner
    await s.objectives.merge(owner, wid, board.id, [trust, duplicate])
    await s.objectives.set_theme(owner, wid, board.id, trust, "Delivery")
    await s.objectives.set_theme(owner, wid, board.id, intake, "Delivery")
    await s.objectives.set_theme(owner, wid, board.id, leads, "People")
    await s.objectives.moderate(owner, wid, board.id, hidden, "hide")
    await s.objectives.board_action(owner, wid, board.id, "open-voting")
    for who, objective in ((ana, leads), (ben, trust), (ben, trust), (chloe, trust),
                           (dev, intake), (chloe, intake), (anon, leads)):
        await s.objectives.vote(who, wid, board.id, objective, _client_id())
    await s.objectives.board_action(owner, wid, board.id, "close-voting")
    await s.objectives.moderate(owner, wid, board.id, leads, "spotlight")
    await s.objectives.board_action(owner, wid, board.id, "lock")
    return board.id, leads


async def _chat(services: Services, wid: str, owner: FacilitatorActor,
                ana: ParticipantActor, ben: ParticipantActor, chloe: ParticipantActor,
                anon: ParticipantActor, dev: ParticipantActor) -> tuple[str, str]:
    chat = services.chat

    async def post(who: ParticipantActor, text: str, **extra: Any) -> str:
        message, _ = await chat.post(who, wid, {"text": text, **extra}, _client_id())
        return message.id

    question = await post(ana, "Can we get the slides afterwards?", question=True)
    await chat.upvote(ben, wid, question)
    await chat.upvote(dev, wid, question)
    await post(chloe, "Great session so far")
    await post(dev, "They are linked in the description", reply_to=question)
    held = await post(anon, "This is spam, buy now")  # held back by the blocked word
    await chat.moderate(owner, wid, held, "hide")
    ben_question = await post(ben, "How do we track key results between quarters?",
                              question=True)
    await chat.upvote(chloe, wid, ben_question)
    await chat.moderate(owner, wid, ben_question, "answer")
    await chat.moderate(owner, wid, question, "spotlight")
    return question, ben_question


async def _insights(services: Services, wid: str, owner: FacilitatorActor,
                    open_text: Activity, question: str, ben_question: str,
                    objective_id: str) -> None:
    insights = services.insights
    first = await insights.create(owner, wid, {
        "text": "Goals need an owner and a follow-up rhythm"})
    answers = await services.polls.tally(open_text)
    await insights.create(owner, wid, {
        "source": {"type": "response", "id": answers.answer_ids[-1]},
        "parent_id": first.insight.id})
    await insights.create(owner, wid, {"source": {"type": "message", "id": ben_question},
                                       "parent_id": first.insight.id})
    people = await insights.create(owner, wid, {
        "text": "Invest in project leads", "source": {"type": "objective",
                                                      "id": objective_id}})
    await insights.create(owner, wid, {"text": "Peer coaching first, training later",
                                       "parent_id": people.insight.id})
    await insights.create(owner, wid, {"source": {"type": "message", "id": question}})


# -- stable times -------------------------------------------------------------------------
# (table, key columns, time columns, how the table's rows belong to the workshop)
_IN_ACTIVITIES = "activity_id IN (SELECT id FROM activities WHERE workshop_id = ?)"
_IN_PARTICIPANTS = "participant_id IN (SELECT id FROM participants WHERE workshop_id = ?)"
_TIMED: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str], ...] = (
    ("workshops", ("id",), ("created_at",), "id = ?"),
    ("activities", ("id",), ("created_at",), "workshop_id = ?"),
    ("participants", ("id",), ("created_at",), "workshop_id = ?"),
    ("ballots", ("id",), ("created_at", "updated_at"), _IN_ACTIVITIES),
    ("applied_requests", ("participant_id", "client_id"), ("created_at",), _IN_PARTICIPANTS),
    ("objectives", ("id",), ("created_at", "updated_at"), _IN_ACTIVITIES),
    ("objective_votes", ("activity_id", "participant_id", "dot"), ("created_at",),
     _IN_ACTIVITIES),
    ("objective_drafts", ("activity_id", "participant_id"), ("updated_at",), _IN_ACTIVITIES),
    ("messages", ("id",), ("created_at",), "workshop_id = ?"),
    ("message_upvotes", ("message_id", "participant_id"), ("created_at",),
     "message_id IN (SELECT id FROM messages WHERE workshop_id = ?)"),
    ("bans", ("workshop_id", "participant_id"), ("created_at",), "workshop_id = ?"),
    ("insights", ("id",), ("created_at",), "workshop_id = ?"),
    ("workshop_members", ("workshop_id", "facilitator_id"), ("created_at",),
     "workshop_id = ?"),
)


async def fix_times(store: Store, workshop_id: str, base: float = BASE_TIME,
                    step: float = 60.0) -> None:
    """Rewrite every created_at/updated_at of the workshop's rows (and the `said_at` of
    insight sources) to base, base + step, …, keeping their order: equal times stay
    equal, the earliest becomes `base`."""
    rows: list[tuple[str, tuple[str, ...], tuple[Any, ...], dict[str, float]]] = []
    for table, keys, columns, where in _TIMED:
        found = await store.db.fetch_all(
            f"SELECT {', '.join(keys + columns)} FROM {table} WHERE {where}", (workshop_id,))
        for row in found:
            rows.append((table, keys, tuple(row[k] for k in keys),
                         {c: float(row[c]) for c in columns}))
    old = sorted({value for *_, times in rows for value in times.values()})
    new = {value: base + n * step for n, value in enumerate(old)}
    insights = await store.db.fetch_all(
        "SELECT id, sources FROM insights WHERE workshop_id = ?", (workshop_id,))
    async with store.db.transaction() as tx:
        for table, keys, key_values, times in rows:
            sets = ", ".join(f"{c} = ?" for c in times)
            match = " AND ".join(f"{k} = ?" for k in keys)
            await tx.execute(f"UPDATE {table} SET {sets} WHERE {match}",
                             (*(new[v] for v in times.values()), *key_values))
        for row in insights:
            sources = json.loads(row["sources"])
            for source in sources:
                source["said_at"] = new.get(float(source["said_at"]), base)
            await tx.execute("UPDATE insights SET sources = ? WHERE id = ?",
                             (json.dumps(sources), row["id"]))


@contextmanager
def utc_timezone() -> Iterator[None]:
    """Render local times as UTC for the duration (exports format local time)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()

"""The complete workshop as a versioned JSON document (format "workshop", version 1; every
field is described in docs/export-format.md). `workshop import` reads it back.

Refs are positional (a1, a1-o2, obj3, m4, i5…), so the same content always exports the
same document. Participants are `p1, p2…` across the whole document only when names are
included; otherwise every activity and every message numbers its own participants
(`a3-p1`, `m2-p1`) and no ref links one person's answers across them.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from typing import Any

from workshop.domain.chat import Anonymity, Message
from workshop.domain.document import FORMAT, VERSION, iso_time, item_to_ref
from workshop.domain.insights import flatten, numbered
from workshop.domain.models import Activity, PollKind, Workshop
from workshop.exporters.registry import ExportFile, register, slug
from workshop.exporters.writeup import ExportOptions
from workshop.services.container import Services

MESSAGES_MAX = 1_000_000


class People:
    """Participant refs. Linked: one `pN` per person (join order). Unlinked: each scope
    numbers the people it mentions in order of first mention (`scope-pN`)."""

    def __init__(self, order: dict[str, int], linked: bool) -> None:
        self.order = order
        self.linked = linked
        self.scopes: dict[str, dict[str, int]] = {}
        self.listed: list[str] = []  # unlinked refs, in order of first mention

    def refs(self, scope: str, participant_ids: Iterable[str], *, scoped: bool = False
             ) -> list[str]:
        """The refs of these people, sorted; newcomers numbered in join order. `scoped`:
        scope refs even in a linked document (a message posted without names)."""
        ids = set(participant_ids)
        if self.linked and not scoped:
            return [f"p{n}" for n in sorted(self.order.get(p, 0) for p in ids)]
        numbers = self.scopes.setdefault(scope, {})
        for pid in sorted(ids - set(numbers), key=lambda p: self.order.get(p, 0)):
            numbers[pid] = len(numbers) + 1
            self.listed.append(f"{scope}-p{numbers[pid]}")
        return [f"{scope}-p{n}" for n in sorted(numbers[p] for p in ids)]

    def ref(self, scope: str, participant_id: str, *, scoped: bool = False) -> str:
        return self.refs(scope, [participant_id], scoped=scoped)[0]

    def rank(self, scope: str, participant_id: str) -> tuple[int, int]:
        """A sort key agreeing with the ref numbers (people not numbered yet: join order,
        after those who are)."""
        numbers = self.order if self.linked else self.scopes.get(scope, {})
        if participant_id in numbers:
            return 0, numbers[participant_id]
        return 1, self.order.get(participant_id, 0)


class _Builder:
    def __init__(self, services: Services, workshop: Workshop, options: ExportOptions,
                 people: People) -> None:
        self.services = services
        self.store = services.store
        self.workshop = workshop
        self.options = options
        self.people = people
        self.activities: dict[str, str] = {}
        self.responses: dict[str, str] = {}  # ballot id → ref
        self.objectives: dict[str, str] = {}
        self.message_refs: dict[str, str] = {}
        self.unnamed_messages: set[str] = set()  # posted while the chat hid names

    async def activity(self, activity: Activity) -> dict[str, Any]:
        ref = self.activities[activity.id]
        option_refs = {o.id: f"{ref}-o{n}" for n, o in enumerate(activity.options, start=1)}
        settings = dict(activity.settings)
        source = self.activities.get(settings.get("source_activity_id") or "")
        if source:
            settings["source_activity_id"] = source
        elif "source_activity_id" in settings:  # its board is not in this export
            settings.pop("source_activity_id")
            settings.pop("source_top", None)
        doc: dict[str, Any] = {
            "ref": ref, "kind": activity.kind.value, "prompt": activity.prompt,
            "options": [{"ref": option_refs[o.id], "label": o.label}
                        for o in activity.options],
            "settings": settings, "state": activity.state.value, "round": activity.round,
            "results_visible": activity.results_visible,
            "responses": await self._responses(activity, ref, option_refs),
        }
        if activity.kind is PollKind.OBJECTIVES:
            await self._board(activity, ref, option_refs, doc)
        return doc

    async def _responses(self, activity: Activity, ref: str, option_refs: dict[str, str]
                         ) -> list[dict[str, Any]]:
        rounds: dict[int, list[tuple[str, int, str, float, tuple[str, ...]]]] = {}
        for ballot in await self.store.list_ballots(activity.id):
            rounds.setdefault(ballot[1], []).append(ballot)
        out: list[dict[str, Any]] = []
        for round_ in sorted(rounds):  # one round at a time: ties follow earlier numbers
            ballots = sorted(rounds[round_], key=lambda b: (b[3], self.people.rank(ref, b[2])))
            for ballot_id, _, participant_id, updated_at, items in ballots:
                response_ref = f"{ref}-r{len(out) + 1}"
                self.responses[ballot_id] = response_ref
                out.append({"ref": response_ref, "round": round_,
                            "participant": self.people.ref(ref, participant_id),
                            "items": [item_to_ref(activity.kind, i, option_refs)
                                      for i in items],
                            "updated_at": iso_time(updated_at)})
        return out

    async def _board(self, activity: Activity, ref: str, option_refs: dict[str, str],
                     doc: dict[str, Any]) -> None:
        board = await self.services.objectives.board(activity)
        dots: dict[str, list[tuple[str, int]]] = {}
        for participant_id, objective_id, dot in await self.store.list_dots(activity.id):
            dots.setdefault(objective_id, []).append((participant_id, dot))
        objectives = sorted(await self.store.list_objectives(activity.id),
                            key=lambda o: (o.created_at, o.text))
        entries = []
        for objective in objectives:
            self.objectives[objective.id] = f"obj{len(self.objectives) + 1}"
            authors = self.people.refs(ref, objective.author_ids)
            votes = dots.get(objective.id, [])
            self.people.refs(ref, (p for p, _ in votes))
            votes.sort(key=lambda v: (self.people.rank(ref, v[0]), v[1]))
            entries.append({
                "ref": self.objectives[objective.id], "text": objective.text,
                "key_results": [kr.as_json() for kr in objective.key_results],
                "authors": authors,
                "aligns_to": option_refs.get(objective.aligns_to or ""),
                "theme": objective.theme, "hidden": objective.hidden,
                "created_at": iso_time(objective.created_at),
                "updated_at": iso_time(objective.updated_at),
                "votes": [{"participant": self.people.ref(ref, p), "dot": dot}
                          for p, dot in votes],
            })
        doc["board"] = {"voting": board.voting.value, "wall_open": board.wall_open,
                        "spotlight": self.objectives.get(board.spotlight_id or "")}
        doc["objectives"] = entries

    async def messages(self, messages: list[Message]) -> list[dict[str, Any]]:
        self.message_refs = {m.id: f"m{n}" for n, m in enumerate(messages, start=1)}
        self.unnamed_messages = {m.id for m in messages if unnamed(m)}
        upvotes: dict[str, list[str]] = {}
        for message_id, participant_id in await self.store.list_upvotes(self.workshop.id):
            upvotes.setdefault(message_id, []).append(participant_id)
        out = []
        for m in messages:
            scope = self.message_refs[m.id]
            author = self.people.ref(scope, m.participant_id, scoped=unnamed(m))
            out.append({
                "ref": scope, "participant": author, "text": m.text,
                "question": m.question, "reply_to": self.message_refs.get(m.reply_to or ""),
                "status": m.status.value, "answered": m.answered,
                "activity": self.activities.get(m.activity_id or ""),
                "created_at": iso_time(m.created_at),
                "private": m.private, "anonymity": m.posted_anonymity.value,
                "upvotes": self.people.refs(scope, upvotes.get(m.id, [])),
            })
        return out

    async def insights(self) -> list[dict[str, Any]]:
        nodes = flatten(numbered(await self.store.list_insights(self.workshop.id)))
        refs = {node.insight.id: f"i{n}" for n, node in enumerate(nodes, start=1)}
        found: dict[str, dict[str, str]] = {
            "message": self.message_refs, "response": self.responses,
            "objective": self.objectives}
        names = self.people.linked
        return [{
            "ref": refs[i.id], "text": i.text,
            "parent": refs.get(i.parent_id or ""), "position": i.position,
            "created_at": iso_time(i.created_at),
            "sources": [{
                "type": s.type.value, "ref": found[s.type.value].get(s.id),
                "text": s.text,
                "author": None if not names or s.id in self.unnamed_messages else s.author,
                "said_at": iso_time(s.said_at),
                "activity": self.activities.get(s.activity_id or ""),
                "activity_prompt": s.activity_prompt,
            } for s in i.sources],
        } for i in (node.insight for node in nodes)]


def unnamed(message: Message) -> bool:
    """Posted while the chat hid names: its author stays unnamed, whatever came later."""
    return message.posted_anonymity is not Anonymity.NAMED


async def _withheld(services: Services, workshop: Workshop, activities: list[Activity],
                    messages: list[Message]) -> set[str]:
    """People a named document leaves out: those it mentions only as the author of a
    message posted without names (they appear under that message's own ref)."""
    hidden = {m.participant_id for m in messages if unnamed(m)}
    if not hidden:
        return set()
    store = services.store
    seen = {m.participant_id for m in messages if not unnamed(m)}
    seen |= {p for _, p in await store.list_upvotes(workshop.id)}
    for activity in activities:
        seen |= {ballot[2] for ballot in await store.list_ballots(activity.id)}
        if activity.kind is PollKind.OBJECTIVES:
            seen |= {p for o in await store.list_objectives(activity.id) for p in o.author_ids}
            seen |= {dot[0] for dot in await store.list_dots(activity.id)}
    return hidden - seen


async def build_document(services: Services, workshop_id: str,
                         options: ExportOptions | None = None) -> dict[str, Any]:
    """The document as plain data (what `json.dumps` writes)."""
    options = options or ExportOptions()
    store = services.store
    workshop = await services.workshops.load(workshop_id)
    linked = options.include_names and workshop.chat.anonymity is Anonymity.NAMED
    chosen = [a for a in await store.list_activities(workshop.id) if options.includes(a)]
    messages = (await store.list_messages(workshop.id, MESSAGES_MAX)
                if options.include_chat else [])
    withheld = await _withheld(services, workshop, chosen, messages) if linked else set()
    participants = [p for p in await store.list_participants(workshop.id)
                    if p.id not in withheld]
    people = People({p.id: n for n, p in enumerate(participants, start=1)}, linked)
    builder = _Builder(services, workshop, options, people)
    builder.activities = {a.id: f"a{n}" for n, a in enumerate(chosen, start=1)}
    activities = [await builder.activity(a) for a in chosen]
    message_docs = await builder.messages(messages)
    insights = await builder.insights()
    chat = workshop.chat
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": iso_time(time.time()),
        "workshop": {
            "title": workshop.title, "description": workshop.description,
            "slides_url": workshop.slides_url, "recording_url": workshop.recording_url,
            "created_at": iso_time(workshop.created_at),
            "chat": {"mode": chat.mode.value, "anonymity": chat.anonymity.value,
                     "premoderation": chat.premoderation,
                     "blocked_words": list(chat.blocked_words)},
            "presenter_view": workshop.presenter_view,
            "current_activity": builder.activities.get(workshop.current_activity_id or ""),
            "spotlight_message": builder.message_refs.get(
                workshop.spotlight_message_id or ""),
        },
        "participants": (
            [{"ref": f"p{n}", "name": p.name, "joined_at": iso_time(p.created_at)}
             for n, p in enumerate(participants, start=1)] if linked else []
        ) + [{"ref": ref, "name": None} for ref in people.listed],
        "activities": activities,
        "messages": message_docs,
        "insights": insights,
    }


def render_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()


@register("json", "JSON (complete, re-importable)")
async def export_json(services: Services, workshop_id: str, options: ExportOptions
                      ) -> ExportFile:
    document = await build_document(services, workshop_id, options)
    return ExportFile(f"{slug(document['workshop']['title'])}.json", "application/json",
                      await asyncio.to_thread(render_json, document))

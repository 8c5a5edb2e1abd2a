"""Insights: keep the best remarks, number them, nest, reorder and merge them."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from workshop.auth.actors import Actor, FacilitatorActor, ParticipantActor
from workshop.domain.chat import Anonymity, author_for
from workshop.domain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from workshop.domain.events import Change, WorkshopChanged
from workshop.domain.ids import new_id
from workshop.domain.insights import (
    INSIGHTS_MAX,
    Insight,
    NumberedInsight,
    Provenance,
    SourceType,
    check_parent,
    clean_insight_text,
    move,
    numbered,
    reorder,
)
from workshop.domain.models import Workshop
from workshop.live.hub import Hub
from workshop.services.workshops import WorkshopService
from workshop.storage import Store


def _for_peers(node: NumberedInsight, anonymity: Anonymity) -> NumberedInsight:
    """An insight as participants may read it: no name they could not see elsewhere (a
    chat author only in a named chat, never who gave a poll answer)."""
    def shown(source: Provenance) -> Provenance:
        hidden = source.type is SourceType.RESPONSE or (
            source.type is SourceType.MESSAGE and anonymity is not Anonymity.NAMED)
        return replace(source, author=None) if hidden else source

    return replace(node, insight=replace(node.insight, sources=tuple(
        shown(s) for s in node.insight.sources)), children=tuple(
        _for_peers(child, anonymity) for child in node.children))


class InsightService:
    def __init__(self, store: Store, hub: Hub, workshops: WorkshopService) -> None:
        self.store = store
        self.hub = hub
        self.workshops = workshops

    async def _changed(self, workshop_id: str) -> None:
        await self.hub.publish(WorkshopChanged(workshop_id, Change.INSIGHTS_CHANGED))

    async def tree(self, workshop_id: str) -> list[NumberedInsight]:
        """System read used by screens and exports."""
        return numbered(await self.store.list_insights(workshop_id))

    async def visible(self, actor: Actor, workshop_id: str) -> list[NumberedInsight]:
        """Facilitators and curators always; participants while the presenter shows them."""
        workshop = await self.workshops.load(workshop_id)
        if await self.workshops.is_staff(actor, workshop):
            return await self.tree(workshop.id)
        if isinstance(actor, FacilitatorActor):
            raise Forbidden("You are not a facilitator of this workshop.")
        if not isinstance(actor, ParticipantActor):
            raise NotAuthenticated("Join the workshop first.")
        if actor.workshop_id != workshop.id:
            raise Forbidden("You are not part of this workshop.")
        if workshop.presenter_view != "insights":
            raise Forbidden("The facilitator has not shared the insights yet.")
        return [_for_peers(node, workshop.chat.anonymity)
                for node in await self.tree(workshop.id)]

    async def _by_id(self, workshop: Workshop) -> dict[str, Insight]:
        return {i.id: i for i in await self.store.list_insights(workshop.id)}

    async def _get(self, workshop: Workshop, insight_id: str) -> Insight:
        insight = (await self._by_id(workshop)).get(insight_id)
        if insight is None:
            raise NotFound("This workshop has no insight with that id.")
        return insight

    def _author(self, workshop: Workshop, name: str) -> str | None:
        if workshop.chat.anonymity is Anonymity.ANONYMOUS:
            return None
        return name or "Anonymous"

    async def _provenance(self, workshop: Workshop, source: Mapping[str, Any]) -> Provenance:
        try:
            kind = SourceType(str(source.get("type")))
        except ValueError:
            raise InvalidInput("source.type must be message, response or objective.") from None
        source_id = str(source.get("id") or "")
        if kind is SourceType.MESSAGE:
            message = await self.store.get_message(source_id)
            if message is None or message.workshop_id != workshop.id:
                raise NotFound("This workshop has no message with that id.")
            author = author_for(message, workshop.chat.anonymity, facilitator=True)
            return Provenance(kind, message.id, message.text, author, message.created_at,
                              message.activity_id, await self._prompt(message.activity_id))
        if kind is SourceType.RESPONSE:
            answer = await self.store.get_answer(source_id)
            activity = await self.store.get_activity(answer[0]) if answer else None
            if answer is None or activity is None or activity.workshop_id != workshop.id:
                raise NotFound("This workshop has no answer with that id.")
            participant = await self.store.get_participant(answer[1])
            return Provenance(kind, source_id, answer[2],
                              self._author(workshop, participant.name if participant else ""),
                              answer[3], activity.id, activity.prompt)
        objective = await self.store.get_objective(source_id)
        activity = await self.store.get_activity(objective.activity_id) if objective else None
        if objective is None or activity is None or activity.workshop_id != workshop.id:
            raise NotFound("This workshop has no objective with that id.")
        text = objective.text + "".join(f"\n- {kr.text}" for kr in objective.key_results)
        names = " & ".join(n for n in objective.author_names if n)
        show = activity.settings.get("show_names", True)
        return Provenance(kind, objective.id, text,
                          self._author(workshop, names) if show else None,
                          objective.created_at, activity.id, activity.prompt)

    async def _prompt(self, activity_id: str | None) -> str | None:
        if activity_id is None:
            return None
        activity = await self.store.get_activity(activity_id)
        return None if activity is None else activity.prompt

    async def create(self, actor: Actor, workshop_id: str, data: Mapping[str, Any]
                     ) -> NumberedInsight:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        existing = await self._by_id(workshop)
        if len(existing) >= INSIGHTS_MAX:
            raise InvalidInput(f"A workshop keeps at most {INSIGHTS_MAX} insights.")
        sources: tuple[Provenance, ...] = ()
        if data.get("source") is not None:
            if not isinstance(data["source"], Mapping):
                raise InvalidInput("source must be {type, id}.")
            sources = (await self._provenance(workshop, data["source"]),)
        raw_text = data.get("text")
        if raw_text in (None, "") and sources:
            raw_text = sources[0].text
        parent_id = data.get("parent_id") or None
        check_parent(existing, None, parent_id)
        insight = await self.store.insert_insight(Insight(
            new_id(), workshop.id, clean_insight_text(raw_text), parent_id, 0, sources,
            time.time()))
        await self._changed(workshop.id)
        return await self._numbered(workshop, insight.id)

    async def _numbered(self, workshop: Workshop, insight_id: str) -> NumberedInsight:
        for node in await self.tree(workshop.id):
            if node.insight.id == insight_id:
                return node
            for child in node.children:
                if child.insight.id == insight_id:
                    return child
        raise NotFound("This workshop has no insight with that id.")

    async def update(self, actor: Actor, workshop_id: str, insight_id: str,
                     data: Mapping[str, Any]) -> NumberedInsight:
        """Edit the words (the source keeps the original) and/or the parent."""
        workshop = await self.workshops.load_curated(actor, workshop_id)
        unknown = set(data) - {"text", "parent_id"}
        if unknown:
            raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
        existing = await self._by_id(workshop)
        insight = existing.get(insight_id)
        if insight is None:
            raise NotFound("This workshop has no insight with that id.")
        updated = insight
        if "text" in data:
            updated = replace(updated, text=clean_insight_text(data["text"]))
        if "parent_id" in data and data["parent_id"] != insight.parent_id:
            parent_id = data["parent_id"] or None
            check_parent(existing, insight.id, parent_id)
            siblings = [i for i in existing.values() if i.parent_id == parent_id]
            updated = replace(updated, parent_id=parent_id,
                              position=max((i.position for i in siblings), default=-1) + 1)
        await self.store.update_insight(updated)
        await self._changed(workshop.id)
        return await self._numbered(workshop, insight.id)

    async def delete(self, actor: Actor, workshop_id: str, insight_id: str) -> None:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        await self._get(workshop, insight_id)
        await self.store.delete_insight(insight_id)
        await self._changed(workshop.id)

    async def reorder(self, actor: Actor, workshop_id: str,
                      items: Sequence[Mapping[str, Any]]) -> list[NumberedInsight]:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        return await self._apply_order(workshop, await self._by_id(workshop), items)

    async def move(self, actor: Actor, workshop_id: str, insight_id: str, direction: str
                   ) -> list[NumberedInsight]:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        by_id = await self._by_id(workshop)
        if insight_id not in by_id:
            raise NotFound("This workshop has no insight with that id.")
        items = move(numbered(list(by_id.values())), insight_id, direction)
        return await self._apply_order(workshop, by_id, items)

    async def _apply_order(self, workshop: Workshop, by_id: Mapping[str, Insight],
                           items: Sequence[Mapping[str, Any]]) -> list[NumberedInsight]:
        await self.store.apply_order(reorder(by_id, items))
        await self._changed(workshop.id)
        return await self.tree(workshop.id)

    async def merge(self, actor: Actor, workshop_id: str, ids: Sequence[object]
                    ) -> NumberedInsight:
        """Merge into the first: texts joined, every source kept, sub-points moved."""
        workshop = await self.workshops.load_curated(actor, workshop_id)
        if not isinstance(ids, Sequence) or isinstance(ids, str) or len(set(ids)) < 2:
            raise InvalidInput("Give at least two different insight ids to merge.")
        existing = await self._by_id(workshop)
        chosen = []
        for raw in dict.fromkeys(ids):
            insight = existing.get(str(raw))
            if insight is None:
                raise NotFound("This workshop has no insight with that id.")
            chosen.append(insight)
        keep, rest = chosen[0], chosen[1:]
        parent = next((i for i in rest if i.id == keep.parent_id), None)
        if parent is not None:  # merged with its own parent: it takes the parent's place
            keep = replace(keep, parent_id=None, position=parent.position)
        text = "\n".join(i.text for i in chosen)
        merged = replace(keep, text=clean_insight_text(text[:2000]),
                         sources=tuple(s for i in chosen for s in i.sources))
        await self.store.merge_insights(merged, rest)
        await self._changed(workshop.id)
        return await self._numbered(workshop, keep.id)

"""Workshops and their agenda: create, edit, order activities, choose what is on screen."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from workshop.auth.actors import Actor, FacilitatorActor
from workshop.auth.permissions import (
    CURATES,
    RUNS_SESSION,
    Role,
    require_facilitator,
    require_role,
)
from workshop.domain import limits
from workshop.domain.errors import Conflict, InvalidInput, NotFound
from workshop.domain.events import Change, WorkshopChanged
from workshop.domain.ids import new_id, new_join_code, normalise_join_code
from workshop.domain.models import Activity, ActivityState, Option, PollKind, Workshop
from workshop.domain.polls import clean_option_labels, clean_settings, parse_kind
from workshop.domain.text import clean_line, clean_text, clean_url
from workshop.live.hub import Hub
from workshop.storage import Store

_CODE_ATTEMPTS = 20


def _workshop_fields(data: Mapping[str, Any], current: Workshop | None) -> dict[str, str]:
    def pick(key: str) -> object:
        return data[key] if key in data else (getattr(current, key) if current else "")

    return {
        "title": clean_line(pick("title"), field="Title", max_length=limits.TITLE_MAX),
        "description": clean_text(pick("description"), field="Description",
                                  max_length=limits.DESCRIPTION_MAX, required=False),
        "slides_url": clean_url(pick("slides_url"), field="Slide deck link",
                                max_length=limits.URL_MAX),
        "recording_url": clean_url(pick("recording_url"), field="Recording link",
                                   max_length=limits.URL_MAX),
    }


def merge_options(existing: tuple[Option, ...], labels: list[str]) -> tuple[Option, ...]:
    """Keep the id of every label that survives an edit so cast votes still count."""
    by_label = {o.label.casefold(): o for o in existing}
    return tuple(
        Option(by_label[label.casefold()].id if label.casefold() in by_label else new_id(), label)
        for label in labels
    )


class WorkshopService:
    def __init__(self, store: Store, hub: Hub) -> None:
        self.store = store
        self.hub = hub

    async def _publish(self, workshop_id: str, change: Change, activity_id: str | None = None
                       ) -> None:
        await self.hub.publish(WorkshopChanged(workshop_id, change, activity_id))

    # -- loading ---------------------------------------------------------------------
    async def load(self, workshop_id: str) -> Workshop:
        workshop = await self.store.get_workshop(workshop_id)
        if workshop is None:
            raise NotFound("No workshop has that id.")
        return workshop

    async def role_of(self, actor: Actor, workshop: Workshop) -> Role | None:
        if not isinstance(actor, FacilitatorActor):
            return None
        if actor.facilitator_id == workshop.owner_id:
            return Role.OWNER
        role = await self.store.member_role(workshop.id, actor.facilitator_id)
        return None if role is None else Role(role)

    async def is_staff(self, actor: Actor, workshop: Workshop) -> bool:
        """Any facilitator role in this workshop (owner, co-host or curator)."""
        return await self.role_of(actor, workshop) is not None

    async def load_managed(self, actor: Actor, workshop_id: str) -> Workshop:
        """Load for running the session: owner or co-host."""
        workshop = await self.load(workshop_id)
        require_role(actor, await self.role_of(actor, workshop), RUNS_SESSION)
        return workshop

    async def load_curated(self, actor: Actor, workshop_id: str) -> Workshop:
        """Load for moderating and curating: owner, co-host or curator."""
        workshop = await self.load(workshop_id)
        require_role(actor, await self.role_of(actor, workshop), CURATES)
        return workshop

    async def add_cofacilitator(self, actor: Actor, workshop_id: str, email: object,
                                role: object) -> tuple[str, Role]:
        """The owner invites another facilitator account as co-host or curator."""
        workshop = await self.load(workshop_id)
        require_role(actor, await self.role_of(actor, workshop), frozenset({Role.OWNER}))
        try:
            wanted = Role(str(role))
        except ValueError:
            wanted = None
        if wanted not in (Role.COHOST, Role.CURATOR):
            raise InvalidInput("role must be curator or cohost.")
        assert wanted is not None
        address = email.strip().lower() if isinstance(email, str) else ""
        other = await self.store.get_facilitator_by_email(address)
        if other is None:
            raise NotFound("No facilitator account has that email; create it first "
                           "(workshop facilitator add EMAIL).")
        if other.id == workshop.owner_id:
            raise Conflict("That facilitator owns this workshop.")
        await self.store.set_member(workshop.id, other.id, wanted.value)
        return other.email, wanted

    async def by_code(self, raw_code: str) -> Workshop:
        code = normalise_join_code(raw_code)
        workshop = await self.store.get_workshop_by_code(code) if code else None
        if workshop is None:
            raise NotFound("No workshop has that code. Check the digits and try again.")
        return workshop

    async def load_activity(self, actor: Actor, workshop_id: str, activity_id: str
                            ) -> tuple[Workshop, Activity]:
        workshop = await self.load_managed(actor, workshop_id)
        activity = await self.store.get_activity(activity_id)
        if activity is None or activity.workshop_id != workshop.id:
            raise NotFound("This workshop has no activity with that id.")
        return workshop, activity

    # -- workshops -------------------------------------------------------------------
    async def create(self, actor: Actor, data: Mapping[str, Any]) -> Workshop:
        facilitator = require_facilitator(actor)
        fields = _workshop_fields(data, None)
        for _ in range(_CODE_ATTEMPTS):
            workshop = Workshop(
                id=new_id(), code=new_join_code(), title=fields["title"],
                description=fields["description"], slides_url=fields["slides_url"],
                recording_url=fields["recording_url"], owner_id=facilitator.facilitator_id,
                current_activity_id=None, created_at=time.time(),
            )
            if await self.store.insert_workshop(workshop):
                return workshop
        raise Conflict("Could not find a free join code; try again.")  # pragma: no cover

    async def update(self, actor: Actor, workshop_id: str, data: Mapping[str, Any]) -> Workshop:
        workshop = await self.load_managed(actor, workshop_id)
        unknown = set(data) - {"title", "description", "slides_url", "recording_url"}
        if unknown:
            raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
        fields = _workshop_fields(data, workshop)
        updated = replace(workshop, title=fields["title"], description=fields["description"],
                          slides_url=fields["slides_url"], recording_url=fields["recording_url"])
        await self.store.update_workshop(updated)
        await self._publish(workshop.id, Change.WORKSHOP_UPDATED)
        return updated

    async def list_for(self, actor: Actor) -> list[Workshop]:
        """Workshops the facilitator owns, then those they co-host or curate."""
        facilitator = require_facilitator(actor)
        owned = await self.store.list_workshops(facilitator.facilitator_id)
        for workshop_id in await self.store.workshops_as_member(facilitator.facilitator_id):
            shared = await self.store.get_workshop(workshop_id)
            if shared is not None:
                owned.append(shared)
        return owned

    async def delete(self, actor: Actor, workshop_id: str) -> None:
        workshop = await self.load(workshop_id)
        require_role(actor, await self.role_of(actor, workshop), frozenset({Role.OWNER}))
        await self.store.delete_workshop(workshop.id)
        await self._publish(workshop.id, Change.WORKSHOP_UPDATED)

    # -- agenda ----------------------------------------------------------------------
    async def activities(self, workshop_id: str) -> list[Activity]:
        return await self.store.list_activities(workshop_id)

    async def add_activity(self, actor: Actor, workshop_id: str, data: Mapping[str, Any]
                           ) -> Activity:
        workshop = await self.load_managed(actor, workshop_id)
        if await self.store.count_activities(workshop.id) >= limits.ACTIVITIES_PER_WORKSHOP_MAX:
            raise Conflict(f"A workshop holds at most {limits.ACTIVITIES_PER_WORKSHOP_MAX} "
                           "activities.")
        kind = parse_kind(data.get("kind"))
        raw_settings = data.get("settings")
        sourced = isinstance(raw_settings, Mapping) and raw_settings.get("source_activity_id")
        if sourced:
            source = await self.store.get_activity(str(sourced))
            if source is None or source.workshop_id != workshop.id or (
                    source.kind is not PollKind.OBJECTIVES):
                raise InvalidInput("settings.source_activity_id must be an objectives "
                                   "activity of this workshop.")
        labels = ([] if sourced and not data.get("options")
                  else clean_option_labels(kind, data.get("options") or []))
        activity = Activity(
            id=new_id(), workshop_id=workshop.id, position=0, kind=kind,
            prompt=clean_line(data.get("prompt"), field="Question", max_length=limits.PROMPT_MAX),
            options=tuple(Option(new_id(), label) for label in labels),
            settings=clean_settings(kind, data.get("settings"), len(labels)),
            state=ActivityState.DRAFT, round=1, results_visible=False,
        )
        activity = replace(
            activity, results_visible=not activity.settings["hide_results"])
        stored = await self.store.insert_activity(activity)
        await self._publish(workshop.id, Change.AGENDA_CHANGED, stored.id)
        return stored

    async def update_activity(self, actor: Actor, workshop_id: str, activity_id: str,
                              data: Mapping[str, Any]) -> Activity:
        _, activity = await self.load_activity(actor, workshop_id, activity_id)
        unknown = set(data) - {"prompt", "options", "settings", "position"}
        if unknown:
            raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
        prompt = activity.prompt
        if "prompt" in data:
            prompt = clean_line(data["prompt"], field="Question", max_length=limits.PROMPT_MAX)
        options = activity.options
        if "options" in data:
            options = merge_options(
                activity.options, clean_option_labels(activity.kind, data["options"] or []))
        settings = activity.settings
        if "settings" in data:
            raw = data["settings"] or {}
            if isinstance(raw, Mapping):
                raw = {**activity.settings, **raw}
            settings = clean_settings(activity.kind, raw, len(options))
        elif "options" in data:
            settings = clean_settings(activity.kind, activity.settings, len(options))
        updated = replace(activity, prompt=prompt, options=options, settings=settings)
        await self.store.update_activity(updated)
        if "position" in data:
            position = data["position"]
            if isinstance(position, bool) or not isinstance(position, int):
                raise InvalidInput("position must be a whole number.")
            await self.store.move_activity(updated, position)
            await self._publish(workshop_id, Change.AGENDA_CHANGED, activity_id)
        await self._publish(workshop_id, Change.ACTIVITY_UPDATED, activity_id)
        return await self.store.get_activity(activity_id) or updated

    async def delete_activity(self, actor: Actor, workshop_id: str, activity_id: str) -> None:
        _, activity = await self.load_activity(actor, workshop_id, activity_id)
        await self.store.delete_activity(activity)
        await self._publish(workshop_id, Change.AGENDA_CHANGED, activity_id)
        await self._publish(workshop_id, Change.STAGE_CHANGED)

    async def set_current(self, actor: Actor, workshop_id: str, activity_id: str | None
                          ) -> Workshop:
        workshop = await self.load_managed(actor, workshop_id)
        if activity_id is not None:
            await self.load_activity(actor, workshop_id, activity_id)
        await self.store.set_current_activity(workshop.id, activity_id)
        await self._publish(workshop.id, Change.STAGE_CHANGED, activity_id)
        return await self.load(workshop.id)

    async def step(self, actor: Actor, workshop_id: str, offset: int) -> Workshop:
        """Put the next (+1) or previous (-1) activity on screen."""
        workshop = await self.load_managed(actor, workshop_id)
        ids = [a.id for a in await self.store.list_activities(workshop.id)]
        if not ids:
            raise Conflict("Add an activity first.")
        if workshop.current_activity_id in ids:
            index = ids.index(workshop.current_activity_id) + offset
        else:
            index = 0 if offset > 0 else len(ids) - 1
        index = max(0, min(index, len(ids) - 1))
        return await self.set_current(actor, workshop.id, ids[index])

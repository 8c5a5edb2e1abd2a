"""The objectives board: drafting, the wall, curation, dot voting and piping."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from workshop.auth.actors import Actor, FacilitatorActor, ParticipantActor
from workshop.auth.permissions import require_participant_of
from workshop.domain import limits
from workshop.domain.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from workshop.domain.events import Change, WorkshopChanged
from workshop.domain.hints import Hint, draft_hints
from workshop.domain.ids import new_id
from workshop.domain.models import Activity, ActivityState, Option, PollKind, Workshop
from workshop.domain.objectives import (
    BoardState,
    Objective,
    Voting,
    clean_draft,
    clean_objective,
    clean_theme,
    drafts_of,
)
from workshop.domain.piping import PIPE_PROMPTS, pipe_kind, pipe_top, unique_labels
from workshop.domain.text import clean_client_id
from workshop.domain.wall import WallItem, wall_for
from workshop.live.hub import Hub
from workshop.services.workshops import WorkshopService
from workshop.storage import Store
from workshop.storage.objectives import DotOutcome

BOARD_ACTIONS = ("lock", "unlock", "open-voting", "close-voting", "open-wall", "close-wall")



class ObjectiveService:
    def __init__(self, store: Store, hub: Hub, workshops: WorkshopService) -> None:
        self.store = store
        self.hub = hub
        self.workshops = workshops

    async def _changed(self, activity: Activity, change: Change = Change.OBJECTIVES_CHANGED
                       ) -> None:
        await self.hub.publish(WorkshopChanged(activity.workshop_id, change, activity.id))

    # -- loading ---------------------------------------------------------------------
    async def board_activity(self, workshop_id: str, activity_id: str
                             ) -> tuple[Workshop, Activity]:
        workshop = await self.workshops.load(workshop_id)
        activity = await self.store.get_activity(activity_id)
        if activity is None or activity.workshop_id != workshop.id:
            raise NotFound("This workshop has no activity with that id.")
        if activity.kind is not PollKind.OBJECTIVES:
            raise InvalidInput("That activity is not an objectives board.")
        return workshop, activity

    async def _as_member(self, actor: Actor, workshop_id: str, activity_id: str
                         ) -> tuple[Workshop, Activity]:
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        if not (await self.workshops.is_staff(actor, workshop) or (
                isinstance(actor, ParticipantActor) and actor.workshop_id == workshop.id)):
            if isinstance(actor, FacilitatorActor | ParticipantActor):
                raise Forbidden("You are not part of this workshop.")
            raise NotAuthenticated("Join the workshop first.")
        return workshop, activity

    async def _as_facilitator(self, actor: Actor, workshop_id: str, activity_id: str
                              ) -> tuple[Workshop, Activity]:
        """Running the board (lock, voting, piping): owner or co-host."""
        await self.workshops.load_managed(actor, workshop_id)
        return await self.board_activity(workshop_id, activity_id)

    async def _as_curator(self, actor: Actor, workshop_id: str, activity_id: str
                          ) -> tuple[Workshop, Activity]:
        """Curating objectives (hide, edit, merge, theme, spotlight): curators too."""
        await self.workshops.load_curated(actor, workshop_id)
        return await self.board_activity(workshop_id, activity_id)

    async def board(self, activity: Activity) -> BoardState:
        return await self.store.get_board(
            activity.id, silent=activity.settings.get("silent_drafting", False))

    async def _objective_in(self, activity: Activity, objective_id: str) -> Objective:
        objective = await self.store.get_objective(objective_id)
        if objective is None or objective.activity_id != activity.id:
            raise NotFound("This board has no objective with that id.")
        return objective

    # -- reading ---------------------------------------------------------------------
    async def wall(self, actor: Actor, workshop_id: str, activity_id: str) -> list[WallItem]:
        workshop, activity = await self._as_member(actor, workshop_id, activity_id)
        return await self.wall_of(activity,
                                  facilitator=await self.workshops.is_staff(actor, workshop),
                                  participant_id=getattr(actor, "participant_id", None))

    async def wall_of(self, activity: Activity, *, facilitator: bool,
                      participant_id: str | None = None) -> list[WallItem]:
        """System read used by screens; the caller decides the audience."""
        return wall_for(await self.store.list_objectives(activity.id), await self.board(activity),
                        activity.settings, facilitator=facilitator,
                        participant_id=participant_id)

    async def mine(self, participant_id: str, activity: Activity) -> list[Objective]:
        return await self.store.list_objectives_by(activity.id, participant_id)

    async def my_dots(self, participant_id: str, activity: Activity) -> list[str]:
        return await self.store.my_dots(activity.id, participant_id)

    async def hints(self, actor: Actor, workshop_id: str, activity_id: str, text: object,
                    key_results: object) -> list[Hint]:
        _, activity = await self._as_member(actor, workshop_id, activity_id)
        draft = clean_draft({"text": text, "key_results": key_results})
        return draft_hints(draft["text"], drafts_of(draft["key_results"]),
                           activity.settings["max_key_results"])

    # -- drafting --------------------------------------------------------------------
    def _require_drafting(self, activity: Activity) -> None:
        if activity.state is ActivityState.CLOSED:
            raise Conflict("The facilitator has locked this board: no more changes.")
        if activity.state is not ActivityState.OPEN:
            raise Conflict("Drafting has not started yet.")

    async def save_draft(self, actor: Actor, workshop_id: str, activity_id: str,
                         raw: object) -> dict[str, Any]:
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        participant = require_participant_of(actor, workshop)
        draft = clean_draft(raw)
        await self.store.save_draft(activity.id, participant.participant_id, draft)
        return draft

    async def get_draft(self, actor: Actor, workshop_id: str, activity_id: str
                        ) -> dict[str, Any] | None:
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        participant = require_participant_of(actor, workshop)
        return await self.store.get_draft(activity.id, participant.participant_id)

    def _aligns_to(self, activity: Activity, raw: object) -> str | None:
        if raw in (None, ""):
            return None
        if not isinstance(raw, str) or raw not in {o.id for o in activity.options}:
            raise InvalidInput("aligns_to must be one of the activity's organisation "
                               "objectives.")
        return raw

    async def submit(self, actor: Actor, workshop_id: str, activity_id: str,
                     data: Mapping[str, Any], client_id: object) -> tuple[Objective, bool]:
        """Submit an objective; (objective, False) when client_id was already applied."""
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        participant = require_participant_of(actor, workshop)
        request_id = clean_client_id(client_id)
        self._require_drafting(activity)
        text, key_results = clean_objective(data.get("text"), data.get("key_results") or [],
                                            activity.settings["max_key_results"])
        aligns_to = self._aligns_to(activity, data.get("aligns_to"))
        objective = Objective(new_id(), activity.id, (participant.participant_id,), text,
                              key_results, aligns_to, "", False, 0, time.time())
        if not await self.store.insert_objective(
                objective, request_id,
                per_participant=limits.OBJECTIVES_PER_PARTICIPANT_MAX):
            latest = await self.store.latest_objective_by(activity.id,
                                                          participant.participant_id)
            return latest or objective, False
        await self._changed(activity)
        return await self.store.get_objective(objective.id) or objective, True

    async def edit_own(self, actor: Actor, workshop_id: str, activity_id: str,
                       objective_id: str, data: Mapping[str, Any]) -> Objective:
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        participant = require_participant_of(actor, workshop)
        objective = await self._objective_in(activity, objective_id)
        if not objective.written_by(participant.participant_id):
            raise Forbidden("You can only edit your own objectives.")
        self._require_drafting(activity)
        return await self._rewrite(activity, objective, data)

    async def _rewrite(self, activity: Activity, objective: Objective,
                       data: Mapping[str, Any]) -> Objective:
        unknown = set(data) - {"text", "key_results", "aligns_to"}
        if unknown:
            raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
        text, key_results = clean_objective(
            data.get("text", objective.text),
            data.get("key_results", [kr.as_json() for kr in objective.key_results]),
            activity.settings["max_key_results"])
        aligns_to = (self._aligns_to(activity, data["aligns_to"]) if "aligns_to" in data
                     else objective.aligns_to)
        updated = replace(objective, text=text, key_results=key_results, aligns_to=aligns_to)
        await self.store.update_objective(updated)
        await self._changed(activity)
        return await self.store.get_objective(objective.id) or updated

    async def withdraw(self, actor: Actor, workshop_id: str, activity_id: str,
                       objective_id: str) -> None:
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        participant = require_participant_of(actor, workshop)
        objective = await self._objective_in(activity, objective_id)
        if not objective.written_by(participant.participant_id):
            raise Forbidden("You can only withdraw your own objectives.")
        self._require_drafting(activity)
        await self.store.delete_objective(objective.id)
        await self._changed(activity)

    # -- dot voting ------------------------------------------------------------------
    async def vote(self, actor: Actor, workshop_id: str, activity_id: str, objective_id: str,
                   client_id: object) -> DotOutcome:
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        participant = require_participant_of(actor, workshop)
        request_id = clean_client_id(client_id)
        board = await self.board(activity)
        if board.voting is not Voting.OPEN:
            raise Conflict("Voting is not open." if board.voting is Voting.NOT_STARTED
                           else "Voting has closed.")
        objective = await self._objective_in(activity, objective_id)
        if objective.hidden:
            raise NotFound("This board has no objective with that id.")
        outcome = await self.store.add_dot(
            activity_id=activity.id, objective_id=objective.id,
            participant_id=participant.participant_id, client_id=request_id,
            dots=activity.settings["dots"],
            per_objective=activity.settings["max_dots_per_objective"])
        if outcome is DotOutcome.ADDED:
            await self._changed(activity)
        return outcome

    async def unvote(self, actor: Actor, workshop_id: str, activity_id: str,
                     objective_id: str) -> None:
        workshop, activity = await self.board_activity(workshop_id, activity_id)
        participant = require_participant_of(actor, workshop)
        if (await self.board(activity)).voting is not Voting.OPEN:
            raise Conflict("Voting is not open.")
        await self._objective_in(activity, objective_id)
        if not await self.store.remove_dot(activity.id, objective_id,
                                           participant.participant_id):
            raise Conflict("You have no vote on this objective to take back.")
        await self._changed(activity)

    # -- facilitator curation ------------------------------------------------------------
    async def moderate(self, actor: Actor, workshop_id: str, activity_id: str,
                       objective_id: str, action: str) -> Objective:
        _, activity = await self._as_curator(actor, workshop_id, activity_id)
        objective = await self._objective_in(activity, objective_id)
        if action in ("hide", "unhide"):
            objective = replace(objective, hidden=action == "hide")
            await self.store.update_objective(objective)
            if action == "hide":
                board = await self.board(activity)
                if board.spotlight_id == objective.id:
                    await self.store.save_board(replace(board, spotlight_id=None))
        elif action in ("spotlight", "unspotlight"):
            board = await self.board(activity)
            await self.store.save_board(
                replace(board, spotlight_id=objective.id if action == "spotlight" else None))
        else:
            raise InvalidInput("Use hide, unhide, spotlight or unspotlight.")
        await self._changed(activity, Change.BOARD_CHANGED)
        return await self.store.get_objective(objective.id) or objective

    async def curated(self, actor: Actor, workshop_id: str, activity_id: str,
                      objective_id: str) -> tuple[Workshop, Activity, Objective]:
        """An objective as a facilitator or curator opens it for editing."""
        workshop, activity = await self._as_curator(actor, workshop_id, activity_id)
        return workshop, activity, await self._objective_in(activity, objective_id)

    async def edit(self, actor: Actor, workshop_id: str, activity_id: str, objective_id: str,
                   data: Mapping[str, Any]) -> Objective:
        _, activity = await self._as_curator(actor, workshop_id, activity_id)
        objective = await self._objective_in(activity, objective_id)
        return await self._rewrite(activity, objective, data)

    async def set_theme(self, actor: Actor, workshop_id: str, activity_id: str,
                        objective_id: str, theme: object) -> Objective:
        _, activity = await self._as_curator(actor, workshop_id, activity_id)
        objective = replace(await self._objective_in(activity, objective_id),
                            theme=clean_theme(theme))
        await self.store.update_objective(objective)
        await self._changed(activity)
        return await self.store.get_objective(objective.id) or objective

    async def merge(self, actor: Actor, workshop_id: str, activity_id: str,
                    ids: Sequence[object]) -> Objective:
        """Merge duplicates into the first id: authors and votes are kept."""
        _, activity = await self._as_curator(actor, workshop_id, activity_id)
        if not isinstance(ids, Sequence) or isinstance(ids, str) or len(set(ids)) < 2:
            raise InvalidInput("Give at least two different objective ids to merge.")
        if len(ids) > 20:
            raise InvalidInput("Merge at most 20 objectives at once.")
        objectives = [await self._objective_in(activity, str(i)) for i in dict.fromkeys(ids)]
        keep, rest = objectives[0], objectives[1:]
        await self.store.merge_objectives(keep.id, [o.id for o in rest])
        await self._changed(activity)
        return await self.store.get_objective(keep.id) or keep

    async def board_action(self, actor: Actor, workshop_id: str, activity_id: str,
                           action: str) -> BoardState:
        _, activity = await self._as_facilitator(actor, workshop_id, activity_id)
        board = await self.board(activity)
        if action in ("lock", "unlock"):
            state = ActivityState.CLOSED if action == "lock" else ActivityState.OPEN
            await self.store.update_activity(replace(activity, state=state))
        elif action == "open-voting":
            board = replace(board, voting=Voting.OPEN, wall_open=True)
        elif action == "close-voting":
            if board.voting is not Voting.OPEN:
                raise Conflict("Voting is not open.")
            board = replace(board, voting=Voting.CLOSED)
        elif action in ("open-wall", "close-wall"):
            board = replace(board, wall_open=action == "open-wall")
        else:
            raise InvalidInput(f"Unknown action; use one of: {', '.join(BOARD_ACTIONS)}.")
        await self.store.save_board(board)
        await self._changed(activity, Change.ACTIVITY_UPDATED)
        return board

    # -- piping ----------------------------------------------------------------------
    async def top_objectives(self, activity: Activity, top: int | None) -> list[Objective]:
        visible = [item.objective for item in await self.wall_of(activity, facilitator=True)
                   if not item.objective.hidden]
        if top is not None:
            visible = sorted(visible, key=lambda o: (-o.votes, o.created_at))[:top]
        return visible

    async def pipe(self, actor: Actor, workshop_id: str, activity_id: str, kind: object,
                   top: object = None) -> Activity:
        """Turn the board's objectives (or the top N by votes) into a new activity."""
        _, activity = await self._as_facilitator(actor, workshop_id, activity_id)
        target = pipe_kind(kind)
        chosen = await self.top_objectives(activity, pipe_top(top))
        if len(chosen) < 2:
            raise Conflict("Piping needs at least two visible objectives.")
        if len(chosen) > limits.OPTIONS_MAX:
            raise Conflict(f"A poll takes at most {limits.OPTIONS_MAX} options: give top.")
        return await self.workshops.add_activity(actor, workshop_id, {
            "kind": target.value, "prompt": PIPE_PROMPTS[target],
            "options": unique_labels([o.text for o in chosen])})

    async def fill_from_source(self, activity: Activity) -> Activity:
        """An activity planned to take its options from a board gets them when opened."""
        source_id = activity.settings.get("source_activity_id")
        if not source_id or activity.options:
            return activity
        source = await self.store.get_activity(source_id)
        if source is None or source.workshop_id != activity.workshop_id or (
                source.kind is not PollKind.OBJECTIVES):
            raise Conflict("The objectives board this activity draws from is gone.")
        chosen = await self.top_objectives(source, activity.settings.get("source_top", 8))
        if len(chosen) < 2:
            raise Conflict("This activity takes its options from the objectives board, "
                           "which needs at least two visible objectives first.")
        filled = replace(activity, options=tuple(
            Option(new_id(), label) for label in unique_labels([o.text for o in chosen])))
        await self.store.update_activity(filled)
        return filled

"""Running polls: joining, voting, the poll flow and results."""

from __future__ import annotations

import time

from workshop.auth.actors import Actor, FacilitatorActor, ParticipantActor
from workshop.auth.permissions import require_participant_of
from workshop.domain import limits
from workshop.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from workshop.domain.events import Change, WorkshopChanged
from workshop.domain.flow import Action, accepts_votes, apply_action
from workshop.domain.ids import new_id
from workshop.domain.models import Activity, Ballot, Participant, Workshop
from workshop.domain.polls import ballot_items
from workshop.domain.tally import Results, summarise
from workshop.domain.text import clean_client_id, clean_line
from workshop.live.hub import Hub
from workshop.services.objectives import ObjectiveService
from workshop.services.workshops import WorkshopService
from workshop.storage import Store
from workshop.storage.ballots import CastOutcome


class PollService:
    def __init__(self, store: Store, hub: Hub, workshops: WorkshopService,
                 objectives: ObjectiveService) -> None:
        self.store = store
        self.hub = hub
        self.workshops = workshops
        self.objectives = objectives

    # -- participants ----------------------------------------------------------------
    async def join(self, workshop: Workshop, device_id: str, name: object) -> Participant:
        display = clean_line(name, field="Name", max_length=limits.NAME_MAX, required=False)
        before = await self.store.participant_for_device(workshop.id, device_id)
        participant = await self.store.join(
            Participant(new_id(), workshop.id, display, time.time()), device_id)
        if before is None or before.name != participant.name:
            await self.hub.publish(WorkshopChanged(workshop.id, Change.PARTICIPANT_JOINED))
        return participant

    async def participant_actor(self, workshop_id: str, device_id: str) -> ParticipantActor | None:
        participant = await self.store.participant_for_device(workshop_id, device_id)
        return None if participant is None else ParticipantActor(participant.id, workshop_id)

    # -- facilitator flow --------------------------------------------------------------
    async def act(self, actor: Actor, workshop_id: str, activity_id: str, action: Action
                  ) -> Activity:
        _, activity = await self.workshops.load_activity(actor, workshop_id, activity_id)
        if action is Action.OPEN:
            activity = await self.objectives.fill_from_source(activity)
        updated = apply_action(activity, action)
        await self.store.update_activity(updated)
        change = (Change.RESULTS_TOGGLED if action in (Action.REVEAL, Action.HIDE)
                  else Change.ACTIVITY_UPDATED)
        await self.hub.publish(WorkshopChanged(workshop_id, change, activity_id))
        return updated

    # -- voting ----------------------------------------------------------------------
    async def activity_in(self, workshop: Workshop, activity_id: str) -> Activity:
        activity = await self.store.get_activity(activity_id)
        if activity is None or activity.workshop_id != workshop.id:
            raise NotFound("This workshop has no activity with that id.")
        return activity

    async def respond(self, actor: Actor, workshop_id: str, activity_id: str, value: object,
                      client_id: object) -> tuple[CastOutcome, Activity]:
        workshop = await self.workshops.load(workshop_id)
        participant = require_participant_of(actor, workshop)
        request_id = clean_client_id(client_id)
        activity = await self.activity_in(workshop, activity_id)
        if not activity.kind.is_poll:
            raise InvalidInput("Objectives are submitted to the activity's objectives "
                               "endpoint, not as responses.")
        if not accepts_votes(activity):
            raise Conflict("Voting on this poll is closed." if activity.state.value == "closed"
                           else "This poll is not open yet.")
        items = ballot_items(activity, value)
        outcome = await self.store.cast_ballot(
            activity_id=activity.id, round_=activity.round,
            participant_id=participant.participant_id, client_id=request_id, items=items,
        )
        if outcome is CastOutcome.RECORDED:
            await self.hub.publish(WorkshopChanged(workshop_id, Change.BALLOT_CAST, activity_id))
        return outcome, activity

    async def own_ballot(self, participant_id: str, activity: Activity) -> Ballot | None:
        return await self.store.get_ballot(activity.id, activity.round, participant_id)

    # -- results ---------------------------------------------------------------------
    async def tally(self, activity: Activity, round_: int | None = None) -> Results:
        """System read used by screens; callers check visibility themselves."""
        current = activity.round if round_ is None else round_
        total = await self.store.count_ballots(activity.id, current)
        if activity.kind.value == "open_text":
            answers = await self.store.latest_answers(activity.id, current)
            return summarise(activity, current, total, (), [text for _, text in answers],
                             [answer_id for answer_id, _ in answers])
        return summarise(activity, current, total,
                         await self.store.count_items(activity.id, current))

    async def results(self, actor: Actor, workshop_id: str, activity_id: str,
                      round_: int | None = None) -> Results:
        workshop = await self.workshops.load(workshop_id)
        activity = await self.activity_in(workshop, activity_id)
        if round_ is not None and not 1 <= round_ <= activity.round:
            raise InvalidInput(f"round must be between 1 and {activity.round}.")
        if not await self.workshops.is_staff(actor, workshop):
            if isinstance(actor, FacilitatorActor):
                raise Forbidden("You are not a facilitator of this workshop.")
            require_participant_of(actor, workshop)
            if not activity.results_visible:
                raise Forbidden("The facilitator has not revealed these results yet.")
        return await self.tally(activity, round_)



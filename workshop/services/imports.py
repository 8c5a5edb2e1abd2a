"""Importing a workshop document (format "workshop", version 1) as a new workshop.

The whole document is validated before anything is written; a failure while writing
removes the half-made workshop again. The caller owns the new workshop, which gets new
ids and a new join code. `plan_only` keeps the agenda alone (activities, options,
settings) as drafts; a full import also brings the participants (new device ids), every
round's responses, the boards with objectives and dots, the chat and the insights, with
their timestamps.
"""

from __future__ import annotations

import time
from dataclasses import replace

from workshop.auth.actors import Actor
from workshop.auth.permissions import require_facilitator
from workshop.domain.document import ImportPlan
from workshop.domain.document_reader import read_document
from workshop.domain.errors import Conflict
from workshop.domain.ids import new_join_code
from workshop.domain.models import Workshop
from workshop.storage import Store

_CODE_ATTEMPTS = 20


class ImportService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def import_document(self, actor: Actor, document: object, plan_only: bool
                              ) -> Workshop:
        facilitator = require_facilitator(actor)
        plan = read_document(document, owner_id=facilitator.facilitator_id,
                             plan_only=plan_only, now=time.time())
        workshop = await self._insert_workshop(plan.workshop)
        try:
            await self._write(plan, workshop)
        except Exception:
            await self.store.delete_workshop(workshop.id)
            raise
        return await self.store.get_workshop(workshop.id) or workshop

    async def _insert_workshop(self, planned: Workshop) -> Workshop:
        for _ in range(_CODE_ATTEMPTS):
            workshop = replace(planned, code=new_join_code())
            if await self.store.insert_workshop(workshop):
                return workshop
        raise Conflict("Could not find a free join code; try again.")  # pragma: no cover

    async def _write(self, plan: ImportPlan, workshop: Workshop) -> None:
        store = self.store
        await store.update_room_settings(workshop)
        for participant, device_id in plan.participants:
            await store.join(participant, device_id)
        for activity in plan.activities:
            await store.insert_activity(activity)
        if workshop.current_activity_id is not None:
            await store.set_current_activity(workshop.id, workshop.current_activity_id)
        for board in plan.boards:
            await store.save_board(board)
        await store.import_ballots(plan.ballots)
        await store.import_objectives(plan.objectives, plan.dots)
        await store.import_messages(plan.messages, plan.upvotes)
        await store.import_insights(plan.insights)

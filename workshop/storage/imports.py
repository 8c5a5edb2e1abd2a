"""Rows written by an import, as given: ids, rounds, dot numbers and timestamps are kept
(the everyday inserts assign their own). Each call is one transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

from workshop.domain.chat import Message
from workshop.domain.document import ImportedDot, ImportedUpvote
from workshop.domain.insights import Insight
from workshop.domain.models import Ballot, Facilitator
from workshop.domain.objectives import Objective
from workshop.storage.ballots import insert_items
from workshop.storage.base import Database
from workshop.storage.chat import insert_message_row
from workshop.storage.objectives import insert_objective_rows


class ImportQueries:
    db: Database

    async def sole_facilitator(self) -> Facilitator | None:
        """The only facilitator account, or None when there are none or several."""
        rows = await self.db.fetch_all(
            "SELECT id, email, password_hash, created_at FROM facilitators LIMIT 2")
        if len(rows) != 1:
            return None
        row = rows[0]
        return Facilitator(row["id"], row["email"], row["password_hash"], row["created_at"])

    async def import_ballots(self, ballots: Sequence[Ballot]) -> None:
        async with self.db.transaction() as tx:
            for b in ballots:
                await tx.execute(
                    "INSERT INTO ballots (id, activity_id, round, participant_id, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (b.id, b.activity_id, b.round, b.participant_id, b.updated_at,
                     b.updated_at))
                await insert_items(tx, b.id, b.activity_id, b.round, b.items)

    async def import_objectives(self, objectives: Sequence[Objective],
                                dots: Sequence[ImportedDot]) -> None:
        async with self.db.transaction() as tx:
            for o in objectives:
                await insert_objective_rows(tx, o)
            for d in dots:
                await tx.execute(
                    "INSERT INTO objective_votes (activity_id, participant_id, dot,"
                    " objective_id, created_at) VALUES (?, ?, ?, ?, ?)",
                    (d.activity_id, d.participant_id, d.dot, d.objective_id, d.created_at))

    async def import_messages(self, messages: Sequence[Message],
                              upvotes: Sequence[ImportedUpvote]) -> None:
        async with self.db.transaction() as tx:
            for m in messages:
                await insert_message_row(tx, m)
            for u in upvotes:
                await tx.execute(
                    "INSERT INTO message_upvotes (message_id, participant_id, created_at)"
                    " VALUES (?, ?, ?)", (u.message_id, u.participant_id, u.created_at))

    async def import_insights(self, insights: Sequence[Insight]) -> None:
        async with self.db.transaction() as tx:
            for i in insights:
                await tx.execute(
                    "INSERT INTO insights (id, workshop_id, parent_id, position, text,"
                    " sources, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (i.id, i.workshop_id, i.parent_id, i.position, i.text,
                     json.dumps([s.as_json() for s in i.sources]), i.created_at))

"""Whole-workshop reads for exports: every ballot, participant, dot and upvote."""

from __future__ import annotations

from workshop.domain.models import Participant
from workshop.storage.base import Database


class ExportQueries:
    db: Database

    async def list_participants(self, workshop_id: str) -> list[Participant]:
        rows = await self.db.fetch_all(
            "SELECT * FROM participants WHERE workshop_id = ? ORDER BY created_at, id",
            (workshop_id,))
        return [Participant(r["id"], r["workshop_id"], r["name"], r["created_at"])
                for r in rows]

    async def list_ballots(self, activity_id: str
                           ) -> list[tuple[str, int, str, float, tuple[str, ...]]]:
        """(ballot id, round, participant id, updated_at, items) for every round."""
        rows = await self.db.fetch_all(
            "SELECT b.id, b.round, b.participant_id, b.updated_at, i.item FROM ballots b"
            " JOIN ballot_items i ON i.ballot_id = b.id WHERE b.activity_id = ?"
            " ORDER BY b.round, b.updated_at, b.id, i.position",
            (activity_id,))
        ballots: dict[str, tuple[str, int, str, float, list[str]]] = {}
        for r in rows:
            entry = ballots.setdefault(
                r["id"], (r["id"], int(r["round"]), r["participant_id"], r["updated_at"], []))
            entry[4].append(r["item"])
        return [(b[0], b[1], b[2], b[3], tuple(b[4])) for b in ballots.values()]

    async def list_dots(self, activity_id: str) -> list[tuple[str, str, int]]:
        """(participant id, objective id, dot number) of every dot on a board."""
        rows = await self.db.fetch_all(
            "SELECT participant_id, objective_id, dot FROM objective_votes"
            " WHERE activity_id = ? ORDER BY participant_id, dot", (activity_id,))
        return [(r["participant_id"], r["objective_id"], int(r["dot"])) for r in rows]

    async def list_upvotes(self, workshop_id: str) -> list[tuple[str, str]]:
        """(message id, participant id) of every upvote in a workshop."""
        rows = await self.db.fetch_all(
            "SELECT u.message_id, u.participant_id FROM message_upvotes u"
            " JOIN messages m ON m.id = u.message_id WHERE m.workshop_id = ?"
            " ORDER BY u.created_at, u.message_id", (workshop_id,))
        return [(r["message_id"], r["participant_id"]) for r in rows]

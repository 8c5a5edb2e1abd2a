"""Ballots: one row per participant per round, items exploded for GROUP BY tallies."""

from __future__ import annotations

import enum
import time
from collections.abc import Sequence

from workshop.domain.errors import Conflict
from workshop.domain.ids import new_id
from workshop.domain.models import Ballot
from workshop.domain.tally import ItemCount
from workshop.storage.base import Database, Tx
from workshop.storage.steps import claim_request

OPEN_TEXT_WALL_MAX = 200


class CastOutcome(enum.Enum):
    RECORDED = "recorded"
    ALREADY_APPLIED = "already_applied"


class BallotQueries:
    db: Database

    async def cast_ballot(
        self,
        *,
        activity_id: str,
        round_: int,
        participant_id: str,
        client_id: str,
        items: Sequence[str],
    ) -> CastOutcome:
        """Record or replace a participant's ballot in one transaction.

        A `client_id` already applied for this participant changes nothing. The poll must
        still be open at `round_` when the transaction runs, else Conflict (nothing kept).
        """
        now = time.time()
        async with self.db.transaction() as tx:
            if not await claim_request(tx, participant_id, client_id, now):
                return CastOutcome.ALREADY_APPLIED
            state = await tx.fetch_one(
                "SELECT state, round FROM activities WHERE id = ?", (activity_id,)
            )
            if state is None or state["state"] != "open" or state["round"] != round_:
                raise Conflict("Voting on this poll is closed.")
            await tx.execute(
                "INSERT INTO ballots (id, activity_id, round, participant_id, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (activity_id, round, participant_id)"
                " DO UPDATE SET updated_at = excluded.updated_at",
                (new_id(), activity_id, round_, participant_id, now, now),
            )
            row = await tx.fetch_one(
                "SELECT id FROM ballots WHERE activity_id = ? AND round = ? AND participant_id = ?",
                (activity_id, round_, participant_id),
            )
            assert row is not None
            ballot_id = row["id"]
            await tx.execute("DELETE FROM ballot_items WHERE ballot_id = ?", (ballot_id,))
            await insert_items(tx, ballot_id, activity_id, round_, items)
        return CastOutcome.RECORDED

    async def get_ballot(
        self, activity_id: str, round_: int, participant_id: str
    ) -> Ballot | None:
        row = await self.db.fetch_one(
            "SELECT id, updated_at FROM ballots"
            " WHERE activity_id = ? AND round = ? AND participant_id = ?",
            (activity_id, round_, participant_id),
        )
        if row is None:
            return None
        items = await self.db.fetch_all(
            "SELECT item FROM ballot_items WHERE ballot_id = ? ORDER BY position", (row["id"],)
        )
        return Ballot(activity_id, round_, participant_id, tuple(i["item"] for i in items),
                      row["updated_at"], row["id"])
    async def count_ballots(self, activity_id: str, round_: int) -> int:
        row = await self.db.fetch_one(
            "SELECT COUNT(*) AS n FROM ballots WHERE activity_id = ? AND round = ?",
            (activity_id, round_),
        )
        return int(row["n"]) if row else 0

    async def count_items(self, activity_id: str, round_: int) -> list[ItemCount]:
        rows = await self.db.fetch_all(
            "SELECT item, COUNT(*) AS n, SUM(position) AS pos FROM ballot_items"
            " WHERE activity_id = ? AND round = ? GROUP BY item",
            (activity_id, round_),
        )
        return [ItemCount(r["item"], int(r["n"]), int(r["pos"] or 0)) for r in rows]
    async def latest_answers(self, activity_id: str, round_: int) -> list[tuple[str, str]]:
        """(ballot id, text) of the newest open-text answers."""
        rows = await self.db.fetch_all(
            "SELECT b.id, i.item FROM ballot_items i JOIN ballots b ON b.id = i.ballot_id"
            " WHERE i.activity_id = ? AND i.round = ? ORDER BY b.updated_at DESC, b.id"
            f" LIMIT {OPEN_TEXT_WALL_MAX}",
            (activity_id, round_),
        )
        return [(r["id"], r["item"]) for r in rows]

    async def get_answer(self, ballot_id: str) -> tuple[str, str, str, float] | None:
        """(activity id, participant id, text, time) of one open-text answer."""
        row = await self.db.fetch_one(
            "SELECT b.activity_id, b.participant_id, b.updated_at, i.item FROM ballots b"
            " JOIN ballot_items i ON i.ballot_id = b.id WHERE b.id = ? AND i.position = 0",
            (ballot_id,),
        )
        if row is None:
            return None
        return row["activity_id"], row["participant_id"], row["item"], row["updated_at"]

    async def ballot_items_by_participant(
        self, activity_id: str, round_: int
    ) -> dict[str, tuple[str, ...]]:
        """Every participant's items for one round, in one query (for rendering screens)."""
        rows = await self.db.fetch_all(
            "SELECT b.participant_id, i.item FROM ballots b"
            " JOIN ballot_items i ON i.ballot_id = b.id"
            " WHERE b.activity_id = ? AND b.round = ? ORDER BY b.participant_id, i.position",
            (activity_id, round_),
        )
        items: dict[str, list[str]] = {}
        for row in rows:
            items.setdefault(row["participant_id"], []).append(row["item"])
        return {pid: tuple(values) for pid, values in items.items()}


async def insert_items(tx: Tx, ballot_id: str, activity_id: str, round_: int,
                       items: Sequence[str]) -> None:
    """A ballot's items, one row each in order (what tallies GROUP BY)."""
    for position, item in enumerate(items):
        await tx.execute(
            "INSERT INTO ballot_items (ballot_id, activity_id, round, position, item)"
            " VALUES (?, ?, ?, ?, ?)",
            (ballot_id, activity_id, round_, position, item),
        )

"""Objectives, their authors, dot votes, autosaved drafts and each board's switches."""

from __future__ import annotations

import enum
import json
import time
from collections.abc import Sequence
from typing import Any

from workshop.domain.errors import Conflict
from workshop.domain.objectives import BoardState, KeyResult, Objective, Voting, can_add_dot
from workshop.storage.base import Database, Row, Tx
from workshop.storage.steps import claim_request, lock_participant

_OBJECTIVE_COLUMNS = (
    "o.id, o.activity_id, o.participant_id, o.text, o.key_results, o.aligns_to, o.theme,"
    " o.hidden, o.created_at, o.updated_at,"
    " (SELECT COUNT(*) FROM objective_votes v WHERE v.objective_id = o.id) AS votes"
)


class DotOutcome(enum.Enum):
    ADDED = "added"
    ALREADY_APPLIED = "already_applied"


def _key_results(raw: str) -> tuple[KeyResult, ...]:
    return tuple(KeyResult(**kr) for kr in json.loads(raw))


def _key_results_json(key_results: Sequence[KeyResult]) -> str:
    return json.dumps([kr.as_json() for kr in key_results])


class ObjectiveQueries:
    db: Database

    # -- board switches --------------------------------------------------------------
    async def get_board(self, activity_id: str, *, silent: bool = False) -> BoardState:
        row = await self.db.fetch_one(
            "SELECT * FROM objective_boards WHERE activity_id = ?", (activity_id,))
        if row is None:
            return BoardState(activity_id, wall_open=not silent)
        return BoardState(activity_id, bool(row["wall_open"]), Voting(row["voting"]),
                          row["spotlight_id"])

    async def save_board(self, board: BoardState) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO objective_boards (activity_id, wall_open, voting, spotlight_id)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (activity_id) DO UPDATE"
                " SET wall_open = excluded.wall_open, voting = excluded.voting,"
                " spotlight_id = excluded.spotlight_id",
                (board.activity_id, int(board.wall_open), board.voting.value,
                 board.spotlight_id),
            )

    # -- objectives ------------------------------------------------------------------
    async def _authors(self, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = await self.db.fetch_all(
            "SELECT a.objective_id, a.participant_id, p.name FROM objective_authors a"
            " JOIN participants p ON p.id = a.participant_id"
            f" WHERE a.objective_id IN ({marks}) ORDER BY p.created_at",
            tuple(ids),
        )
        authors: dict[str, list[tuple[str, str]]] = {}
        for row in rows:
            authors.setdefault(row["objective_id"], []).append(
                (row["participant_id"], row["name"]))
        return authors

    def _objective(self, row: Row, authors: list[tuple[str, str]]) -> Objective:
        return Objective(
            id=row["id"], activity_id=row["activity_id"],
            author_ids=tuple(a[0] for a in authors) or (row["participant_id"],),
            text=row["text"], key_results=_key_results(row["key_results"]),
            aligns_to=row["aligns_to"], theme=row["theme"], hidden=bool(row["hidden"]),
            votes=int(row["votes"]), created_at=row["created_at"],
            updated_at=row["updated_at"], author_names=tuple(a[1] for a in authors),
        )

    async def list_objectives(self, activity_id: str) -> list[Objective]:
        return await self._objectives_where("o.activity_id = ?", (activity_id,))

    async def list_objectives_by(self, activity_id: str, participant_id: str
                                 ) -> list[Objective]:
        """One participant's objectives on a board (read for their own page, so it should
        not read the whole wall)."""
        return await self._objectives_where(
            "o.activity_id = ? AND o.id IN (SELECT objective_id FROM objective_authors"
            " WHERE participant_id = ?)", (activity_id, participant_id))

    async def _objectives_where(self, where: str, params: tuple[str, ...]) -> list[Objective]:
        rows = await self.db.fetch_all(
            f"SELECT {_OBJECTIVE_COLUMNS} FROM objectives o WHERE {where}"
            " ORDER BY o.created_at, o.id",
            params,
        )
        authors = await self._authors([r["id"] for r in rows])
        return [self._objective(r, authors.get(r["id"], [])) for r in rows]

    async def get_objective(self, objective_id: str) -> Objective | None:
        row = await self.db.fetch_one(
            f"SELECT {_OBJECTIVE_COLUMNS} FROM objectives o WHERE o.id = ?", (objective_id,))
        if row is None:
            return None
        authors = await self._authors([objective_id])
        return self._objective(row, authors.get(objective_id, []))


    async def insert_objective(self, objective: Objective, client_id: str, *,
                               per_participant: int | None = None) -> bool:
        """Insert with its author; False when `client_id` was already applied.

        With `per_participant`, Conflict (nothing kept) when the author already has that
        many objectives on the board; counted under the same lock as `add_dot`, so
        concurrent submits cannot exceed it.
        """
        author = objective.author_ids[0]
        async with self.db.transaction() as tx:
            await lock_participant(tx, author)
            if not await claim_request(tx, author, client_id):
                return False
            if per_participant is not None:
                row = await tx.fetch_one(
                    "SELECT COUNT(*) AS n FROM objective_authors a JOIN objectives o"
                    " ON o.id = a.objective_id WHERE o.activity_id = ?"
                    " AND a.participant_id = ?",
                    (objective.activity_id, author),
                )
                if row is not None and int(row["n"]) >= per_participant:
                    raise Conflict(f"You can submit at most {per_participant} objectives "
                                   "here.")
            await insert_objective_rows(tx, objective)
            await tx.execute(
                "DELETE FROM objective_drafts WHERE activity_id = ? AND participant_id = ?",
                (objective.activity_id, author),
            )
        return True

    async def latest_objective_by(self, activity_id: str, participant_id: str
                                  ) -> Objective | None:
        """The participant's newest objective (answer to a repeated submit)."""
        row = await self.db.fetch_one(
            "SELECT o.id FROM objectives o JOIN objective_authors a ON a.objective_id = o.id"
            " WHERE o.activity_id = ? AND a.participant_id = ?"
            " ORDER BY o.created_at DESC LIMIT 1",
            (activity_id, participant_id),
        )
        return None if row is None else await self.get_objective(row["id"])

    async def update_objective(self, objective: Objective) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE objectives SET text = ?, key_results = ?, aligns_to = ?, theme = ?,"
                " hidden = ?, updated_at = ? WHERE id = ?",
                (objective.text, _key_results_json(objective.key_results),
                 objective.aligns_to, objective.theme, int(objective.hidden), time.time(),
                 objective.id),
            )

    async def delete_objective(self, objective_id: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE objective_boards SET spotlight_id = NULL WHERE spotlight_id = ?",
                (objective_id,))
            await tx.execute("DELETE FROM objectives WHERE id = ?", (objective_id,))

    async def merge_objectives(self, keep_id: str, merged_ids: Sequence[str]) -> None:
        """Fold objectives into `keep_id`: their authors and dots move over."""
        async with self.db.transaction() as tx:
            for merged in merged_ids:
                await tx.execute(
                    "INSERT INTO objective_authors (objective_id, participant_id)"
                    " SELECT ?, participant_id FROM objective_authors WHERE objective_id = ?"
                    " ON CONFLICT (objective_id, participant_id) DO NOTHING",
                    (keep_id, merged),
                )
                await tx.execute(
                    "UPDATE objective_votes SET objective_id = ? WHERE objective_id = ?",
                    (keep_id, merged),
                )
                await tx.execute(
                    "UPDATE objective_boards SET spotlight_id = ? WHERE spotlight_id = ?",
                    (keep_id, merged))
                await tx.execute("DELETE FROM objectives WHERE id = ?", (merged,))
            await tx.execute("UPDATE objectives SET updated_at = ? WHERE id = ?",
                             (time.time(), keep_id))

    # -- dots ------------------------------------------------------------------------
    async def my_dots(self, activity_id: str, participant_id: str) -> list[str]:
        """The objective id of each dot this participant spent (one entry per dot)."""
        rows = await self.db.fetch_all(
            "SELECT objective_id FROM objective_votes WHERE activity_id = ?"
            " AND participant_id = ? ORDER BY dot",
            (activity_id, participant_id),
        )
        return [r["objective_id"] for r in rows]

    async def add_dot(self, *, activity_id: str, objective_id: str, participant_id: str,
                      client_id: str, dots: int, per_objective: int) -> DotOutcome:
        """Spend one dot; Conflict (nothing kept, not even the client_id) over a limit.

        The participant row is locked first (PostgreSQL) and the write lock is held
        (SQLite), and the dot number must be free below `dots`: concurrent requests can
        never spend more dots than allowed.
        """
        async with self.db.transaction() as tx:
            await lock_participant(tx, participant_id)
            if not await claim_request(tx, participant_id, client_id):
                return DotOutcome.ALREADY_APPLIED
            rows = await tx.fetch_all(
                "SELECT dot, objective_id FROM objective_votes WHERE activity_id = ?"
                " AND participant_id = ?",
                (activity_id, participant_id),
            )
            used = {int(r["dot"]) for r in rows}
            on_this = sum(1 for r in rows if r["objective_id"] == objective_id)
            refusal = can_add_dot(len(used), on_this, {"dots": dots,
                                                        "max_dots_per_objective": per_objective})
            if refusal is not None:
                raise Conflict(refusal)
            free = min(set(range(dots)) - used)
            await tx.execute(
                "INSERT INTO objective_votes (activity_id, participant_id, dot, objective_id,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (activity_id, participant_id, free, objective_id, time.time()),
            )
        return DotOutcome.ADDED

    async def remove_dot(self, activity_id: str, objective_id: str, participant_id: str
                         ) -> bool:
        async with self.db.transaction() as tx:
            row = await tx.fetch_one(
                "SELECT MAX(dot) AS dot FROM objective_votes WHERE activity_id = ?"
                " AND participant_id = ? AND objective_id = ?",
                (activity_id, participant_id, objective_id),
            )
            if row is None or row["dot"] is None:
                return False
            await tx.execute(
                "DELETE FROM objective_votes WHERE activity_id = ? AND participant_id = ?"
                " AND dot = ?",
                (activity_id, participant_id, int(row["dot"])),
            )
        return True

    # -- drafts ----------------------------------------------------------------------
    async def save_draft(self, activity_id: str, participant_id: str, content: dict[str, Any]
                         ) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO objective_drafts (activity_id, participant_id, content,"
                " updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (activity_id, participant_id)"
                " DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at",
                (activity_id, participant_id, json.dumps(content), time.time()),
            )

    async def get_draft(self, activity_id: str, participant_id: str) -> dict[str, Any] | None:
        row = await self.db.fetch_one(
            "SELECT content FROM objective_drafts WHERE activity_id = ? AND participant_id = ?",
            (activity_id, participant_id),
        )
        if row is None:
            return None
        content: dict[str, Any] = json.loads(row["content"])
        return content


async def insert_objective_rows(tx: Tx, objective: Objective) -> None:
    """The objective and its authors (the first is the one who submitted it)."""
    await tx.execute(
        "INSERT INTO objectives (id, activity_id, participant_id, text, key_results,"
        " aligns_to, theme, hidden, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (objective.id, objective.activity_id, objective.author_ids[0], objective.text,
         _key_results_json(objective.key_results), objective.aligns_to, objective.theme,
         int(objective.hidden), objective.created_at,
         objective.updated_at or objective.created_at),
    )
    for author in objective.author_ids:
        await tx.execute(
            "INSERT INTO objective_authors (objective_id, participant_id) VALUES (?, ?)",
            (objective.id, author),
        )

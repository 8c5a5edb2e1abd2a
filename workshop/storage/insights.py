"""Insights (numbered, nestable one level) and the workshop's co-facilitators."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from workshop.domain.insights import Insight, Provenance, SourceType
from workshop.storage.base import Database, Row
from workshop.storage.steps import lock_workshop


def _sources(raw: str) -> tuple[Provenance, ...]:
    return tuple(Provenance(SourceType(s["type"]), s["id"], s["text"], s.get("author"),
                            s["said_at"], s.get("activity_id"), s.get("activity_prompt"))
                 for s in json.loads(raw))


def _sources_json(sources: Sequence[Provenance]) -> str:
    return json.dumps([s.as_json() for s in sources])


def _insight(row: Row) -> Insight:
    return Insight(row["id"], row["workshop_id"], row["text"], row["parent_id"],
                   int(row["position"]), _sources(row["sources"]), row["created_at"])


class InsightQueries:
    db: Database

    async def list_insights(self, workshop_id: str) -> list[Insight]:
        rows = await self.db.fetch_all(
            "SELECT * FROM insights WHERE workshop_id = ? ORDER BY position, created_at",
            (workshop_id,),
        )
        return [_insight(r) for r in rows]

    async def insert_insight(self, insight: Insight) -> Insight:
        """Append at the end of its level (position assigned in the transaction)."""
        async with self.db.transaction() as tx:
            await lock_workshop(tx, insight.workshop_id)
            if insight.parent_id is None:
                row = await tx.fetch_one(
                    "SELECT COALESCE(MAX(position), -1) + 1 AS next FROM insights"
                    " WHERE workshop_id = ? AND parent_id IS NULL", (insight.workshop_id,))
            else:
                row = await tx.fetch_one(
                    "SELECT COALESCE(MAX(position), -1) + 1 AS next FROM insights"
                    " WHERE workshop_id = ? AND parent_id = ?",
                    (insight.workshop_id, insight.parent_id))
            position = int(row["next"]) if row else 0
            await tx.execute(
                "INSERT INTO insights (id, workshop_id, parent_id, position, text, sources,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (insight.id, insight.workshop_id, insight.parent_id, position, insight.text,
                 _sources_json(insight.sources), insight.created_at),
            )
        return Insight(insight.id, insight.workshop_id, insight.text, insight.parent_id,
                       position, insight.sources, insight.created_at)

    async def update_insight(self, insight: Insight) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE insights SET text = ?, parent_id = ?, position = ?, sources = ?"
                " WHERE id = ?",
                (insight.text, insight.parent_id, insight.position,
                 _sources_json(insight.sources), insight.id),
            )

    async def delete_insight(self, insight_id: str) -> None:
        """Delete; its sub-points move up to top level at the end."""
        async with self.db.transaction() as tx:
            row = await tx.fetch_one("SELECT workshop_id FROM insights WHERE id = ?",
                                     (insight_id,))
            if row is None:
                return
            await tx.execute("DELETE FROM insights WHERE id = ?", (insight_id,))
            top = await tx.fetch_one(
                "SELECT COALESCE(MAX(position), -1) + 1 AS next FROM insights"
                " WHERE workshop_id = ? AND parent_id IS NULL", (row["workshop_id"],))
            start = int(top["next"]) if top else 0
            kids = await tx.fetch_all(
                "SELECT id FROM insights WHERE parent_id = ? ORDER BY position", (insight_id,))
            for offset, kid in enumerate(kids):
                await tx.execute(
                    "UPDATE insights SET parent_id = NULL, position = ? WHERE id = ?",
                    (start + offset, kid["id"]))

    async def apply_order(self, order: Sequence[tuple[str, str | None, int]]) -> None:
        async with self.db.transaction() as tx:
            for insight_id, parent_id, position in order:
                await tx.execute(
                    "UPDATE insights SET parent_id = ?, position = ? WHERE id = ?",
                    (parent_id, position, insight_id))

    async def merge_insights(self, keep: Insight, merged: Sequence[Insight]) -> None:
        """`keep` (already holding the merged text, sources, parent and position) replaces
        the others; their sub-points move under `keep` when it is top level."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE insights SET text = ?, sources = ?, parent_id = ?, position = ?"
                " WHERE id = ?",
                (keep.text, _sources_json(keep.sources), keep.parent_id, keep.position,
                 keep.id))
            for other in merged:
                await tx.execute(
                    "UPDATE insights SET parent_id = ? WHERE parent_id = ?",
                    (keep.id if keep.parent_id is None else keep.parent_id, other.id))
                await tx.execute("DELETE FROM insights WHERE id = ?", (other.id,))

    # -- co-facilitators ---------------------------------------------------------------
    async def set_member(self, workshop_id: str, facilitator_id: str, role: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO workshop_members (workshop_id, facilitator_id, role, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id, facilitator_id)"
                " DO UPDATE SET role = excluded.role",
                (workshop_id, facilitator_id, role, time.time()),
            )

    async def member_role(self, workshop_id: str, facilitator_id: str) -> str | None:
        row = await self.db.fetch_one(
            "SELECT role FROM workshop_members WHERE workshop_id = ? AND facilitator_id = ?",
            (workshop_id, facilitator_id),
        )
        return None if row is None else str(row["role"])

    async def list_members(self, workshop_id: str) -> list[tuple[str, str]]:
        rows = await self.db.fetch_all(
            "SELECT f.email, m.role FROM workshop_members m JOIN facilitators f"
            " ON f.id = m.facilitator_id WHERE m.workshop_id = ? ORDER BY f.email",
            (workshop_id,),
        )
        return [(r["email"], r["role"]) for r in rows]

    async def workshops_as_member(self, facilitator_id: str) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT workshop_id FROM workshop_members WHERE facilitator_id = ?",
            (facilitator_id,))
        return [r["workshop_id"] for r in rows]

"""Published write-ups: at most one read-only results link per workshop."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workshop.storage.base import Database, Row


@dataclass(frozen=True, slots=True)
class Publication:
    workshop_id: str
    token: str  # the secret in the public URL /r/{token}
    options: Mapping[str, Any] = field(hash=False)  # what the public page shows
    created_at: float


def _publication(row: Row) -> Publication:
    return Publication(row["workshop_id"], row["token"], json.loads(row["options"]),
                       row["created_at"])


class PublicationQueries:
    db: Database

    async def publish(self, publication: Publication) -> tuple[Publication, bool]:
        """Insert, or keep the existing token and take the new options.

        Returns (the stored publication, True when this call created it).
        """
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO publications (workshop_id, token, options, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id)"
                " DO UPDATE SET options = excluded.options",
                (publication.workshop_id, publication.token,
                 json.dumps(dict(publication.options)), publication.created_at))
            row = await tx.fetch_one("SELECT * FROM publications WHERE workshop_id = ?",
                                     (publication.workshop_id,))
        assert row is not None
        stored = _publication(row)
        return stored, stored.token == publication.token

    async def get_publication(self, workshop_id: str) -> Publication | None:
        row = await self.db.fetch_one("SELECT * FROM publications WHERE workshop_id = ?",
                                      (workshop_id,))
        return None if row is None else _publication(row)

    async def publication_by_token(self, token: str) -> Publication | None:
        row = await self.db.fetch_one("SELECT * FROM publications WHERE token = ?", (token,))
        return None if row is None else _publication(row)

    async def unpublish(self, workshop_id: str) -> bool:
        async with self.db.transaction() as tx:
            removed = await tx.execute("DELETE FROM publications WHERE workshop_id = ?",
                                       (workshop_id,))
        return removed > 0

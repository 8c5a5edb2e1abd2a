"""Steps several writes share inside one transaction: row locks and request ids."""

from __future__ import annotations

import time

from workshop.storage.base import Tx


async def claim_request(tx: Tx, participant_id: str, client_id: str,
                        at: float | None = None) -> bool:
    """Record a participant's request id (at the write's own time when given); False
    when it was already applied (a retry). Inside the write's transaction, so a refused
    write keeps no id either."""
    fresh = await tx.execute(
        "INSERT INTO applied_requests (participant_id, client_id, created_at)"
        " VALUES (?, ?, ?) ON CONFLICT (participant_id, client_id) DO NOTHING",
        (participant_id, client_id, time.time() if at is None else at),
    )
    return fresh == 1


async def lock_workshop(tx: Tx, workshop_id: str) -> None:
    """Serialise edits of one workshop's lists (agenda, insights) before reading positions.

    SQLite already runs one writer at a time; PostgreSQL at READ COMMITTED would let two
    concurrent appends read the same MAX(position). A no-op UPDATE of the workshop row
    takes its row lock portably (no `FOR UPDATE`, which SQLite lacks); it leaves key
    columns alone so participants joining (a foreign-key share lock) are not blocked.
    """
    await tx.execute("UPDATE workshops SET title = title WHERE id = ?", (workshop_id,))


async def lock_participant(tx: Tx, participant_id: str) -> None:
    """Serialise one participant's limited writes (dots, objectives) on PostgreSQL."""
    await tx.execute("UPDATE participants SET name = name WHERE id = ?", (participant_id,))

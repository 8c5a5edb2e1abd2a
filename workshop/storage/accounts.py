"""Facilitator accounts, API tokens, one-time setup tokens and instance metadata."""

from __future__ import annotations

import time

from workshop.domain.models import Facilitator
from workshop.storage.base import Database, Row


def _facilitator(row: Row) -> Facilitator:
    return Facilitator(row["id"], row["email"], row["password_hash"], row["created_at"])


class AccountQueries:
    db: Database

    async def get_meta(self, key: str) -> str | None:
        row = await self.db.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    async def set_meta_if_absent(self, key: str, value: str) -> str:
        """Store `value` unless the key exists; return whatever is stored now."""
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
            row = await tx.fetch_one("SELECT value FROM meta WHERE key = ?", (key,))
        assert row is not None
        return str(row["value"])

    async def count_facilitators(self) -> int:
        row = await self.db.fetch_one("SELECT COUNT(*) AS n FROM facilitators")
        return int(row["n"]) if row else 0

    async def insert_facilitator(self, facilitator: Facilitator) -> bool:
        """Insert; False when the email is taken."""
        async with self.db.transaction() as tx:
            changed = await tx.execute(
                "INSERT INTO facilitators (id, email, password_hash, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
                (facilitator.id, facilitator.email, facilitator.password_hash,
                 facilitator.created_at),
            )
        return changed == 1

    async def update_password(self, facilitator_id: str, password_hash: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE facilitators SET password_hash = ? WHERE id = ?",
                (password_hash, facilitator_id),
            )

    async def get_facilitator(self, facilitator_id: str) -> Facilitator | None:
        row = await self.db.fetch_one("SELECT * FROM facilitators WHERE id = ?", (facilitator_id,))
        return None if row is None else _facilitator(row)

    async def get_facilitator_by_email(self, email: str) -> Facilitator | None:
        row = await self.db.fetch_one("SELECT * FROM facilitators WHERE email = ?", (email,))
        return None if row is None else _facilitator(row)

    async def insert_api_token(self, token_hash: str, facilitator_id: str, name: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO api_tokens (token_hash, facilitator_id, name, created_at) "
                "VALUES (?, ?, ?, ?)",
                (token_hash, facilitator_id, name, time.time()),
            )

    async def facilitator_for_token(self, token_hash: str) -> Facilitator | None:
        row = await self.db.fetch_one(
            "SELECT f.* FROM api_tokens t JOIN facilitators f ON f.id = t.facilitator_id "
            "WHERE t.token_hash = ?",
            (token_hash,),
        )
        return None if row is None else _facilitator(row)

    async def insert_setup_token(self, token_hash: str, expires_at: float) -> None:
        async with self.db.transaction() as tx:
            await tx.execute("DELETE FROM setup_tokens WHERE expires_at < ?", (time.time(),))
            await tx.execute(
                "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)",
                (token_hash, expires_at),
            )

    async def setup_token_valid(self, token_hash: str) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 AS ok FROM setup_tokens WHERE token_hash = ? AND expires_at > ?",
            (token_hash, time.time()),
        )
        return row is not None

    async def create_first_facilitator(self, token_hash: str, facilitator: Facilitator) -> bool:
        """Consume the setup token and create the account in one transaction."""
        async with self.db.transaction() as tx:
            used = await tx.execute(
                "DELETE FROM setup_tokens WHERE token_hash = ? AND expires_at > ?",
                (token_hash, time.time()),
            )
            if used != 1:
                return False
            created = await tx.execute(
                "INSERT INTO facilitators (id, email, password_hash, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (email) DO NOTHING",
                (facilitator.id, facilitator.email, facilitator.password_hash,
                 facilitator.created_at),
            )
            if created != 1:
                raise EmailTaken()
        return True


class EmailTaken(Exception):
    """The email already belongs to an account."""

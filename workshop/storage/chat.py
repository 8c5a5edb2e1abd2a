"""Chat messages, question upvotes and bans."""

from __future__ import annotations

import time

from workshop.domain.chat import Anonymity, Message, MessageStatus
from workshop.domain.errors import Conflict
from workshop.storage.base import Database, Row, Tx
from workshop.storage.steps import claim_request

_MESSAGE_COLUMNS = (
    "m.id, m.workshop_id, m.participant_id, m.text, m.question, m.reply_to, m.status,"
    " m.answered, m.activity_id, m.created_at, m.private, m.anonymity,"
    " p.name AS author_name,"
    " (SELECT COUNT(*) FROM message_upvotes u WHERE u.message_id = m.id) AS upvotes"
)


def _message(row: Row) -> Message:
    return Message(
        id=row["id"], workshop_id=row["workshop_id"], participant_id=row["participant_id"],
        author_name=row["author_name"] or "", text=row["text"], question=bool(row["question"]),
        reply_to=row["reply_to"], status=MessageStatus(row["status"]),
        answered=bool(row["answered"]), upvotes=int(row["upvotes"]),
        activity_id=row["activity_id"], created_at=row["created_at"],
        private=bool(row["private"]), posted_anonymity=Anonymity(row["anonymity"]),
    )


class ChatQueries:
    db: Database

    async def insert_message(self, message: Message, client_id: str) -> bool:
        """Insert; False when this participant's `client_id` was already applied."""
        async with self.db.transaction() as tx:
            if not await claim_request(tx, message.participant_id, client_id):
                return False
            await insert_message_row(tx, message)
        return True

    async def list_messages(self, workshop_id: str, limit: int = 500) -> list[Message]:
        """The newest `limit` messages, oldest first."""
        rows = await self.db.fetch_all(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages m JOIN participants p"
            " ON p.id = m.participant_id WHERE m.workshop_id = ?"
            f" ORDER BY m.created_at DESC, m.id LIMIT {int(limit)}",
            (workshop_id,),
        )
        return [_message(r) for r in reversed(rows)]

    async def get_message(self, message_id: str) -> Message | None:
        row = await self.db.fetch_one(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages m JOIN participants p"
            " ON p.id = m.participant_id WHERE m.id = ?",
            (message_id,),
        )
        return None if row is None else _message(row)

    async def latest_message_by(self, workshop_id: str, participant_id: str) -> Message | None:
        row = await self.db.fetch_one(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages m JOIN participants p"
            " ON p.id = m.participant_id WHERE m.workshop_id = ? AND m.participant_id = ?"
            " ORDER BY m.created_at DESC LIMIT 1",
            (workshop_id, participant_id),
        )
        return None if row is None else _message(row)

    async def update_message(self, message: Message) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE messages SET status = ?, answered = ? WHERE id = ?",
                (message.status.value, int(message.answered), message.id),
            )

    async def count_recent_posts(self, participant_id: str, since: float) -> int:
        row = await self.db.fetch_one(
            "SELECT COUNT(*) AS n FROM messages WHERE participant_id = ? AND created_at > ?",
            (participant_id, since),
        )
        return int(row["n"]) if row else 0

    async def count_recent_upvotes(self, participant_id: str, since: float) -> int:
        row = await self.db.fetch_one(
            "SELECT COUNT(*) AS n FROM message_upvotes WHERE participant_id = ?"
            " AND created_at > ?",
            (participant_id, since),
        )
        return int(row["n"]) if row else 0

    async def add_upvote(self, message_id: str, participant_id: str) -> None:
        async with self.db.transaction() as tx:
            added = await tx.execute(
                "INSERT INTO message_upvotes (message_id, participant_id, created_at)"
                " VALUES (?, ?, ?) ON CONFLICT (message_id, participant_id) DO NOTHING",
                (message_id, participant_id, time.time()),
            )
            if added != 1:
                raise Conflict("You already upvoted this question.")

    async def remove_upvote(self, message_id: str, participant_id: str) -> None:
        async with self.db.transaction() as tx:
            removed = await tx.execute(
                "DELETE FROM message_upvotes WHERE message_id = ? AND participant_id = ?",
                (message_id, participant_id),
            )
            if removed != 1:
                raise Conflict("You have not upvoted this question.")

    async def my_upvotes(self, workshop_id: str, participant_id: str) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT u.message_id FROM message_upvotes u JOIN messages m ON m.id = u.message_id"
            " WHERE m.workshop_id = ? AND u.participant_id = ?",
            (workshop_id, participant_id),
        )
        return [r["message_id"] for r in rows]

    async def ban(self, workshop_id: str, participant_id: str) -> None:
        async with self.db.transaction() as tx:
            await tx.execute(
                "INSERT INTO bans (workshop_id, participant_id, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (workshop_id, participant_id) DO NOTHING",
                (workshop_id, participant_id, time.time()),
            )

    async def unban(self, workshop_id: str, participant_id: str) -> bool:
        async with self.db.transaction() as tx:
            removed = await tx.execute(
                "DELETE FROM bans WHERE workshop_id = ? AND participant_id = ?",
                (workshop_id, participant_id),
            )
        return removed == 1

    async def is_banned(self, workshop_id: str, participant_id: str) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 AS banned FROM bans WHERE workshop_id = ? AND participant_id = ?",
            (workshop_id, participant_id),
        )
        return row is not None

    async def banned_ids(self, workshop_id: str) -> set[str]:
        rows = await self.db.fetch_all(
            "SELECT participant_id FROM bans WHERE workshop_id = ?", (workshop_id,))
        return {r["participant_id"] for r in rows}


async def insert_message_row(tx: Tx, message: Message) -> None:
    await tx.execute(
        "INSERT INTO messages (id, workshop_id, participant_id, text, question,"
        " reply_to, status, answered, activity_id, created_at, private, anonymity)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (message.id, message.workshop_id, message.participant_id, message.text,
         int(message.question), message.reply_to, message.status.value,
         int(message.answered), message.activity_id, message.created_at,
         int(message.private), message.posted_anonymity.value),
    )

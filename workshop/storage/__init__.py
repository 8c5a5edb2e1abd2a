"""Storage: one Store over a database adapter chosen by URL."""

from __future__ import annotations

from workshop.storage.accounts import AccountQueries
from workshop.storage.ballots import BallotQueries
from workshop.storage.base import Database
from workshop.storage.chat import ChatQueries
from workshop.storage.exports import ExportQueries
from workshop.storage.imports import ImportQueries
from workshop.storage.insights import InsightQueries
from workshop.storage.migrations import migrate
from workshop.storage.objectives import ObjectiveQueries
from workshop.storage.publications import PublicationQueries
from workshop.storage.workshops import WorkshopQueries


class Store(AccountQueries, WorkshopQueries, BallotQueries, ObjectiveQueries, ChatQueries,
            InsightQueries, ExportQueries, ImportQueries, PublicationQueries):
    """Every query the services need; the SQL is portable across adapters."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def close(self) -> None:
        await self.db.close()


def database_for_url(url: str) -> Database:
    if url.startswith("sqlite:///"):
        from workshop.storage.sqlite import SqliteDatabase

        return SqliteDatabase(url.removeprefix("sqlite:///") or ":memory:")
    if url.startswith(("postgresql://", "postgres://")):
        from workshop.storage.postgres import PostgresDatabase

        return PostgresDatabase(url)
    raise ValueError(
        f"Unsupported database URL {url!r}: use sqlite:///PATH or postgresql://…"
    )


async def open_store(url: str, *, run_migrations: bool = True) -> Store:
    db = database_for_url(url)
    await db.connect()
    if run_migrations:
        try:
            await migrate(db)
        except BaseException:
            await db.close()
            raise
    return Store(db)

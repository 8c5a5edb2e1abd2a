"""SQLite adapter: WAL, foreign keys on, one writer with BEGIN IMMEDIATE, reads apart.

All writes go through a single connection guarded by a lock, so SQLite never sees two
writers from this process; reads use their own connection and see committed data (WAL).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from workshop.storage.base import Params, Row

_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


class SqliteTx:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        cursor = await self._conn.execute(sql, tuple(params))
        return cursor.rowcount

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        # One job on the connection's thread: the statement runs to completion before any
        # other read starts, so its read snapshot ends with it. Interleaved cursors on a
        # shared connection would keep an old snapshot open and miss fresh commits.
        rows = await self._conn.execute_fetchall(sql, tuple(params))
        return list(rows)  # type: ignore[arg-type]


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()

    async def _open(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        for pragma in _PRAGMAS:
            await conn.execute(pragma)
        return conn

    async def connect(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._writer = await self._open()
        self._reader = await self._open()

    async def close(self) -> None:
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None

    @property
    def writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise RuntimeError("database is not connected")
        return self._writer

    @property
    def reader(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise RuntimeError("database is not connected")
        return self._reader

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTx]:
        async with self._write_lock:
            await self.writer.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTx(self.writer)
            except BaseException:
                await self.writer.execute("ROLLBACK")
                raise
            await self.writer.execute("COMMIT")

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        return await SqliteTx(self.reader).fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return await SqliteTx(self.reader).fetch_all(sql, params)

    async def applied_migrations(self) -> set[int]:
        await self.writer.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"
        )
        rows = await SqliteTx(self.writer).fetch_all("SELECT version FROM schema_migrations")
        return {int(r["version"]) for r in rows}

    async def apply_migration(self, version: int, script: str) -> None:
        """Apply one migration unless another process got there first.

        BEGIN IMMEDIATE takes SQLite's write lock across processes; the applied versions
        are checked again under it, then each statement runs in that one transaction.
        """
        async with self.transaction() as tx:
            done = await tx.fetch_one(
                "SELECT 1 AS done FROM schema_migrations WHERE version = ?", (version,))
            if done is not None:
                return
            for statement in split_statements(script):
                await tx.execute(statement)
            await tx.execute("INSERT INTO schema_migrations (version) VALUES (?)", (version,))


def split_statements(script: str) -> list[str]:
    """Split a migration script into complete SQL statements."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]}")
    return statements

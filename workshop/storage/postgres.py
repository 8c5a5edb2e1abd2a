"""PostgreSQL adapter (asyncpg): a connection pool, `?` placeholders rewritten to `$n`.

Why it looks like this:
- The shared SQL is written once with `?`; asyncpg only speaks `$1..$n`, so each statement
  is translated once and cached (the set of statements is small and fixed).
- `Tx.execute` must report rows changed (the queries rely on it, e.g. 0 when an
  `ON CONFLICT DO NOTHING` skipped); asyncpg gives a status string such as "INSERT 0 1",
  whose last word is that count.
- Transactions run at PostgreSQL's default READ COMMITTED on one pooled connection; reads
  outside a transaction take any pooled connection and see committed data.
- Several processes may start at once against one database, so migrations serialise on a
  transaction-scoped advisory lock and re-check what is applied once they hold it.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from workshop.storage.base import Params, Row

POOL_MIN_SIZE = 1
POOL_MAX_SIZE = 10

# Arbitrary constant shared by every process of this application: "workshop" in ASCII.
_MIGRATION_LOCK_KEY = 0x776F726B73686F70

_CREATE_MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)"
)


@functools.lru_cache(maxsize=512)
def translate_placeholders(sql: str) -> str:
    """Rewrite `?` to `$1, $2, …`, leaving quoted literals, identifiers and comments alone."""
    out: list[str] = []
    n = 0
    i = 0
    length = len(sql)
    while i < length:
        ch = sql[i]
        if ch in ("'", '"'):
            end = sql.find(ch, i + 1)
            # A doubled quote inside a literal is an escaped quote: keep scanning.
            while end != -1 and end + 1 < length and sql[end + 1] == ch:
                end = sql.find(ch, end + 2)
            end = length if end == -1 else end + 1
            out.append(sql[i:end])
            i = end
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = length if end == -1 else end
            out.append(sql[i:end])
            i = end
        elif ch == "?":
            n += 1
            out.append(f"${n}")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def rows_changed(status: str) -> int:
    """Rows affected from a command status: "INSERT 0 1" → 1, "UPDATE 3" → 3, "BEGIN" → 0."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


class PostgresTx:
    """Statements on one connection, inside the transaction the caller opened."""

    def __init__(self, conn: asyncpg.pool.PoolConnectionProxy[asyncpg.Record]) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        status = await self._conn.execute(translate_placeholders(sql), *params)
        return rows_changed(status)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row = await self._conn.fetchrow(translate_placeholders(sql), *params)
        return row  # type: ignore[return-value]  # Record maps column names to values

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        rows = await self._conn.fetch(translate_placeholders(sql), *params)
        return rows  # type: ignore[return-value]  # Record maps column names to values


class PostgresDatabase:
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url
        self._pool: asyncpg.Pool[asyncpg.Record] | None = None

    async def connect(self) -> None:
        self._pool = await asyncpg.create_pool(
            self.url, min_size=POOL_MIN_SIZE, max_size=POOL_MAX_SIZE
        )

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    @property
    def pool(self) -> asyncpg.Pool[asyncpg.Record]:
        if self._pool is None:
            raise RuntimeError("database is not connected")
        return self._pool

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTx]:
        async with self.pool.acquire() as conn, conn.transaction():
            yield PostgresTx(conn)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row = await self.pool.fetchrow(translate_placeholders(sql), *params)
        return row  # type: ignore[return-value]  # Record maps column names to values

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        rows = await self.pool.fetch(translate_placeholders(sql), *params)
        return rows  # type: ignore[return-value]  # Record maps column names to values

    async def applied_migrations(self) -> set[int]:
        async with self.pool.acquire() as conn, conn.transaction():
            # Concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalog.
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK_KEY)
            await conn.execute(_CREATE_MIGRATIONS_TABLE)
            rows = await conn.fetch("SELECT version FROM schema_migrations")
        return {int(r["version"]) for r in rows}

    async def apply_migration(self, version: int, script: str) -> None:
        """Run `script` and record `version` atomically; a no-op if another process won."""
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK_KEY)
            await conn.execute(_CREATE_MIGRATIONS_TABLE)
            done = await conn.fetchval(
                "SELECT 1 FROM schema_migrations WHERE version = $1", version
            )
            if done is not None:
                return
            await conn.execute(script)  # no arguments: simple protocol, many statements
            await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)

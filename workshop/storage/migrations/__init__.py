"""Numbered SQL migrations, one folder per backend (`NNNN_name.sql`)."""

from __future__ import annotations

from importlib import resources

from workshop.storage.base import Database


def migration_scripts(dialect: str) -> list[tuple[int, str]]:
    folder = resources.files(__package__).joinpath(dialect)
    scripts = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            scripts.append((int(entry.name.split("_", 1)[0]), entry.read_text("utf-8")))
    return sorted(scripts)


async def migrate(db: Database) -> list[int]:
    """Apply every migration not yet applied, in order; return the versions applied."""
    done = await db.applied_migrations()
    applied = []
    for version, script in migration_scripts(db.dialect):
        if version not in done:
            await db.apply_migration(version, script)
            applied.append(version)
    return applied

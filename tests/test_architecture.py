"""The import direction between layers (see the README's architecture section)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "workshop"
WEB_FRAMEWORKS = ("fastapi", "starlette", "uvicorn")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def layer_params(*layers: str) -> list[Path]:
    return [path for layer in layers for path in modules(layer)]


@pytest.mark.parametrize("path", layer_params("domain"), ids=str)
def test_domain_is_pure(path: Path) -> None:
    for name in imports_of(path):
        if name.startswith("workshop"):
            assert name.startswith("workshop.domain"), f"{path.name} imports {name}"
        assert not name.startswith((*WEB_FRAMEWORKS, "aiosqlite", "asyncpg", "redis"))


@pytest.mark.parametrize("path", layer_params("services", "storage", "live", "auth"), ids=str)
def test_only_web_imports_the_web_framework(path: Path) -> None:
    for name in imports_of(path):
        assert not name.startswith(WEB_FRAMEWORKS), f"{path} imports {name}"
        assert not name.startswith("workshop.web"), f"{path} imports {name}"


@pytest.mark.parametrize("path", layer_params("storage", "live"), ids=str)
def test_adapters_do_not_reach_up(path: Path) -> None:
    for name in imports_of(path):
        assert not name.startswith(("workshop.services", "workshop.exporters")), (
            f"{path} imports {name}")


@pytest.mark.parametrize("path", layer_params("domain", "services", "live", "auth", "web"),
                         ids=str)
def test_sql_lives_in_storage(path: Path) -> None:
    for name in imports_of(path):
        assert not name.startswith(("aiosqlite", "asyncpg", "sqlite3")), f"{path}: {name}"

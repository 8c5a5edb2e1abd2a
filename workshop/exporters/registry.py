"""The registry of export formats. Each exporter returns an ExportFile."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from workshop.domain.errors import InvalidInput
from workshop.exporters.writeup import ExportOptions
from workshop.services.container import Services


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    media_type: str
    content: bytes


Export = Callable[[Services, str, ExportOptions], Awaitable[ExportFile]]


@dataclass(frozen=True, slots=True)
class Exporter:
    name: str
    label: str
    export: Export


EXPORTERS: dict[str, Exporter] = {}


def register(name: str, label: str) -> Callable[[Export], Export]:
    def add(export: Export) -> Export:
        EXPORTERS[name] = Exporter(name, label, export)
        return export

    return add


def exporter_for(name: str) -> Exporter:
    _load_builtin_exporters()
    try:
        return EXPORTERS[name]
    except KeyError:
        formats = ", ".join(sorted(EXPORTERS))
        raise InvalidInput(f"Unknown format {name!r}; use one of: {formats}.") from None


def slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return words[:60].rstrip("-") or "workshop"


def _load_builtin_exporters() -> None:
    # Importing a module registers its formats (kept lazy: PDF pulls in WeasyPrint).
    from workshop.exporters import markdown, spreadsheets  # noqa: F401

    for optional in ("workshop.exporters.html", "workshop.exporters.pdf",
                     "workshop.exporters.json_document"):
        try:
            __import__(optional)
        except ModuleNotFoundError as error:
            if error.name != optional:
                raise

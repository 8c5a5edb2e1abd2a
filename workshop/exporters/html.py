"""The write-up as one standalone HTML page (inline CSS and SVG, no scripts), and a
participant's take-away page built on it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from workshop.domain.models import Activity, Workshop
from workshop.exporters import charts
from workshop.exporters.registry import ExportFile, register, slug
from workshop.exporters.templating import export_environment
from workshop.exporters.writeup import ExportOptions, ObjectiveEntry, WriteUp, build_writeup
from workshop.services.container import Services

HTML_MEDIA_TYPE = "text/html; charset=utf-8"


def render_html(writeup: WriteUp, *, public: bool = False) -> str:
    """The document; `public` marks the published page (not indexed, no referrer)."""
    template = export_environment().get_template("exports/writeup.html")
    return template.render(w=writeup, charts=charts, public=public)


@dataclass(frozen=True, slots=True)
class TakeawayBoard:
    """One objectives activity and what this participant wrote on it."""

    activity: Activity
    objectives: tuple[ObjectiveEntry, ...]


def render_takeaway(workshop: Workshop, date: str, name: str,
                    boards: Sequence[TakeawayBoard], writeup: WriteUp | None) -> str:
    """A participant's own objectives, and the published write-up when there is one."""
    template = export_environment().get_template("exports/takeaway.html")
    return template.render(workshop=workshop, date=date, name=name, boards=boards,
                           w=writeup, charts=charts, public=True)


@register("html", "HTML page")
async def export_html(services: Services, workshop_id: str, options: ExportOptions
                      ) -> ExportFile:
    writeup = await build_writeup(services, workshop_id, options)
    html = await asyncio.to_thread(render_html, writeup)  # never stall the live room
    return ExportFile(f"{slug(writeup.workshop.title)}.html", HTML_MEDIA_TYPE, html.encode())

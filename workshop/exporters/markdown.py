"""The write-up as Markdown: readable as plain text and rendered."""

from __future__ import annotations

import asyncio

from workshop.exporters.registry import ExportFile, register, slug
from workshop.exporters.templating import export_environment
from workshop.exporters.writeup import ExportOptions, WriteUp, build_writeup
from workshop.services.container import Services


def render_markdown(writeup: WriteUp) -> str:
    template = export_environment(markdown=True).get_template("exports/writeup.md")
    text = template.render(w=writeup)
    lines = [line.rstrip() for line in text.splitlines()]
    cleaned: list[str] = []
    for line in lines:  # at most one blank line in a row
        if line or (cleaned and cleaned[-1]):
            cleaned.append(line)
    return "\n".join(cleaned).strip() + "\n"


@register("md", "Markdown")
async def export_markdown(services: Services, workshop_id: str, options: ExportOptions
                          ) -> ExportFile:
    writeup = await build_writeup(services, workshop_id, options)
    text = await asyncio.to_thread(render_markdown, writeup)  # never stall the live room
    return ExportFile(f"{slug(writeup.workshop.title)}.md", "text/markdown; charset=utf-8",
                      text.encode())

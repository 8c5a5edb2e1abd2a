"""The Jinja2 environment for export templates (templates/exports/)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from workshop.exporters.safety import markdown_cell, markdown_text
from workshop.web.resources import resource_dir


def _bar(share: float, width: int = 20) -> str:
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled)


@cache
def export_environment(*, markdown: bool = False) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_dir("templates"))),
        autoescape=False if markdown else select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_text
    env.filters["md_cell"] = markdown_cell
    env.filters["bar"] = _bar
    env.filters["percent"] = lambda share: f"{round(share * 100)}%"
    return env

"""Jinja2 environment and rendering of whole pages or single named blocks (fragments)."""

from __future__ import annotations

import time
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from workshop.domain.ids import format_join_code, new_id
from workshop.web.resources import resource_dir


def build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_dir("templates"))),
        autoescape=select_autoescape(["html", "xml"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        enable_async=False,
    )
    env.filters["join_code"] = format_join_code
    env.filters["percent"] = lambda share: f"{round(share * 100)}%"
    env.filters["clock"] = lambda ts: time.strftime("%H:%M", time.localtime(ts))
    env.filters["zip"] = lambda left, right: list(zip(left, right, strict=False))
    env.globals["new_id"] = new_id  # a fresh client_id in forms rendered for one person
    return env


class Templates:
    def __init__(self) -> None:
        self.env = build_environment()

    # The template and block names are positional-only so that context variables may use
    # any name, `name` included (the join page passes the participant's name).
    def page(self, name: str, /, **context: Any) -> str:
        return self.env.get_template(name).render(**context)

    def block(self, name: str, block: str, /, **context: Any) -> str:
        """Render one named block of a template alone (a fragment with a stable id)."""
        template = self.env.get_template(name)
        render = template.blocks[block]
        return "".join(render(template.new_context(context)))

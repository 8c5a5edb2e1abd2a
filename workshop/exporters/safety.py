"""Escaping participant text for each output format."""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^[#>+\-=]")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def spreadsheet_cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (prefix a quote)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def markdown_text(value: str) -> str:
    """Participant text as inert Markdown: structure characters escaped, one line."""
    flattened = " ".join(value.split())
    escaped = _MD_INLINE.sub(r"\\\1", flattened)
    escaped = _MD_LINE_START.sub(lambda m: "\\" + m.group(0), escaped)
    return _MD_NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def markdown_cell(value: str) -> str:
    """Inside a table cell (the pipe is already escaped by markdown_text)."""
    return markdown_text(value)

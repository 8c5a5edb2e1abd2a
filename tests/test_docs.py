"""Every setting and every limit people can hit is documented in the README."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from workshop.settings import SETTING_DOCS, Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_setting_is_documented(name: str) -> None:
    assert name in SETTING_DOCS
    assert f"`WORKSHOP_{name.upper()}`" in README


def test_quickstart_is_two_commands() -> None:
    assert "make run" in README and "make test" in README

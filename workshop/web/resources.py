"""Where templates and static files live: beside the package in a checkout, inside it
when installed from a wheel (see pyproject's force-include)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    installed = _PACKAGE / "_resources" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise RuntimeError(f"cannot find the {name}/ folder next to the workshop package")

"""Reading one setting from what a form or the API sent (pure): numbers and switches."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workshop.domain.errors import InvalidInput


def whole_number(settings: Mapping[str, Any], key: str, default: int | None) -> int | None:
    """A whole number, also from a form's "12" or JSON's 12.0; empty means the default."""
    value = settings.get(key, default)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise InvalidInput(f"settings.{key} must be a whole number.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        raise InvalidInput(f"settings.{key} must be a whole number.")
    return value


def number_between(settings: Mapping[str, Any], key: str, default: int, low: int,
                   high: int) -> int:
    number = whole_number(settings, key, default)
    assert number is not None
    if not low <= number <= high:
        raise InvalidInput(f"settings.{key} must be between {low} and {high}.")
    return number


def switch(settings: Mapping[str, Any], key: str, default: bool) -> bool:
    """true/false, also from a form's "on" or an unticked (missing or empty) box."""
    value = settings.get(key, default)
    if isinstance(value, bool):
        return value
    if value in ("true", "on", "1", 1):
        return True
    if value in ("false", "off", "0", 0, "", None):
        return False
    raise InvalidInput(f"settings.{key} must be true or false.")

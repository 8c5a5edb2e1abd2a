"""Cleaning and checking the short texts people type."""

import unicodedata

from workshop.domain.errors import InvalidInput


def printable(value: str, keep: str = "") -> str:
    """Drop control characters (NUL and friends) that no person means to send."""
    return "".join(
        ch for ch in value if ch in keep or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def clean_line(value: object, *, field: str, max_length: int, required: bool = True) -> str:
    """Collapse whitespace, strip, and enforce a length limit with a clear message."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text.")
    cleaned = " ".join(printable(value, keep=" \t\n\r").split())
    if required and not cleaned:
        raise InvalidInput(f"{field} must not be empty.")
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"{field} is too long: {len(cleaned)} characters, the limit is {max_length}.")
    return cleaned


def clean_text(value: object, *, field: str, max_length: int, required: bool = True) -> str:
    """Like clean_line but keeps line breaks (for open answers and descriptions)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text.")
    value = printable(value.replace("\r\n", "\n"), keep="\n\t ")
    lines = [" ".join(line.split()) for line in value.split("\n")]
    cleaned = "\n".join(lines).strip()
    if required and not cleaned:
        raise InvalidInput(f"{field} must not be empty.")
    if len(cleaned) > max_length:
        raise InvalidInput(
            f"{field} is too long: {len(cleaned)} characters, the limit is {max_length}.")
    return cleaned


def clean_url(value: object, *, field: str, max_length: int) -> str:
    url = clean_line(value, field=field, max_length=max_length, required=False)
    if url and not (url.startswith("https://") or url.startswith("http://")):
        raise InvalidInput(f"{field} must start with https:// or http://.")
    return url

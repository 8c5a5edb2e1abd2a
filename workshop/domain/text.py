"""Cleaning and checking the short texts people type."""

from workshop.domain.errors import InvalidInput


def clean_line(value: object, *, field: str, max_length: int, required: bool = True) -> str:
    """Collapse whitespace, strip, and enforce a length limit with a clear message."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text.")
    cleaned = " ".join(value.split())
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
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
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

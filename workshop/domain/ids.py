"""Identifiers: opaque ids, numeric join codes, secrets."""

import secrets
import uuid

JOIN_CODE_DIGITS = 6


def new_id() -> str:
    return uuid.uuid4().hex


def new_join_code() -> str:
    """Six digits, never starting with 0 so it reads well grouped as `482 913`."""
    first = secrets.choice("123456789")
    rest = "".join(secrets.choice("0123456789") for _ in range(JOIN_CODE_DIGITS - 1))
    return first + rest


def normalise_join_code(raw: str) -> str:
    """Accept `482 913`, `482-913` or `482913`; return the bare digits."""
    return "".join(ch for ch in raw if ch.isdigit())


def format_join_code(code: str) -> str:
    return f"{code[:3]} {code[3:]}" if len(code) == JOIN_CODE_DIGITS else code


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)

"""Checks for the fields of a workshop document (pure): each names the field it refuses,
e.g. `activities[2].round must be a whole number from 1 to 3.`"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from workshop.domain import limits
from workshop.domain.document import OPTION_KINDS, REMOVED_OPTION
from workshop.domain.errors import InvalidInput
from workshop.domain.ids import new_id
from workshop.domain.models import Activity, PollKind
from workshop.domain.polls import RATING_MAX, placement_item
from workshop.domain.text import clean_text

REF_MAX = 64
ROUNDS_MAX = 10_000
SOURCE_TEXT_MAX = 5000


@contextmanager
def at(where: str) -> Iterator[None]:
    """Prefix the location to a domain rule's message."""
    try:
        yield
    except InvalidInput as error:
        raise InvalidInput(f"{where}: {error.message}") from None


def as_object(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{where} must be an object.")
    return value


def as_list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput(f"{where} must be a list.")
    return value


def as_bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{where} must be true or false.")
    return value


def as_int(value: object, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{where} must be a whole number from {low} to {high}.")
    return value


def as_text(value: object, where: str, max_length: int) -> str:
    if not isinstance(value, str) or len(value) > max_length:
        raise InvalidInput(f"{where} must be text of at most {max_length} characters.")
    return value


def as_choice(cls: Any, value: object, where: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in cls)
        raise InvalidInput(f"{where} must be one of: {allowed}.") from None


def new_ref(value: object, where: str, taken: Mapping[str, object]) -> str:
    if not isinstance(value, str) or not value or len(value) > REF_MAX:
        raise InvalidInput(f"{where} must be a ref: text of 1 to {REF_MAX} characters.")
    if value in taken:
        raise InvalidInput(f"{where}: the ref {value!r} is used twice.")
    return value


def lookup(refs: Mapping[str, str], value: object, where: str, what: str) -> str:
    if not isinstance(value, str) or value not in refs:
        raise InvalidInput(f"{where}: unknown {what} ref {value!r}.")
    return refs[value]


def optional_ref(refs: Mapping[str, str], value: object, where: str, what: str) -> str | None:
    return None if value is None else lookup(refs, value, where, what)




def response_items(activity: Activity, raw: object, options: Mapping[str, str],
                   where: str) -> tuple[str, ...]:
    """A response's items, option refs turned into the new option ids."""
    values = as_list(raw, where)
    if not values or not all(isinstance(v, str) for v in values):
        raise InvalidInput(f"{where} must be a non-empty list of texts.")
    kind = activity.kind

    def option(ref: str) -> str:
        if ref == REMOVED_OPTION:
            return new_id()
        return lookup(options, ref, where, "option")

    if kind in OPTION_KINDS:
        if kind is PollKind.SINGLE_CHOICE and len(values) != 1:
            raise InvalidInput(f"{where}: a single-choice response names one option.")
        if len(set(values) - {REMOVED_OPTION}) != len(values) - values.count(REMOVED_OPTION):
            raise InvalidInput(f"{where} names an option twice.")
        return tuple(option(v) for v in values)
    if kind is PollKind.PLACEMENT:
        items = []
        for value in values:
            parts = value.rsplit(":", 2)
            if len(parts) != 3 or not (is_int(parts[1]) and is_int(parts[2])):
                raise InvalidInput(f"{where}: a placement item is option:x:y, not {value!r}.")
            items.append(placement_item(option(parts[0]), int(parts[1]), int(parts[2])))
        return tuple(items)
    if kind in (PollKind.RATING, PollKind.SCALE):
        low, high = (1, RATING_MAX) if kind is PollKind.RATING else (-10**6, 10**6)
        if len(values) != 1 or not is_int(values[0]) or not low <= int(values[0]) <= high:
            raise InvalidInput(f"{where}: a {kind.value} response is one whole number.")
        return (str(int(values[0])),)
    if kind is PollKind.WORD_CLOUD:
        if len(values) > limits.WORDS_PER_BALLOT_MAX or any(
                not v.strip() or len(v) > limits.WORD_MAX for v in values):
            raise InvalidInput(f"{where}: at most {limits.WORDS_PER_BALLOT_MAX} words of at "
                               f"most {limits.WORD_MAX} characters.")
        return tuple(values)
    if len(values) != 1:
        raise InvalidInput(f"{where}: an open-text response is one answer.")
    with at(where):
        return (clean_text(values[0], field="Answer", max_length=limits.OPEN_TEXT_MAX),)


def is_int(text: str) -> bool:
    return text.lstrip("-").isdigit() and len(text) <= 12

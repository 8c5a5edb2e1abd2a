"""Poll kinds: what settings each accepts and what a valid ballot is.

A ballot is stored as an ordered tuple of short strings ("items"): option ids, a number,
normalised words or one answer text. Tallies count items with GROUP BY (see tally.py).
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from workshop.domain import limits
from workshop.domain.errors import InvalidInput
from workshop.domain.models import Activity, PollKind
from workshop.domain.objectives import OBJECTIVE_SETTINGS, ORG_OBJECTIVES_MAX, clean_board_settings
from workshop.domain.setting_values import switch, whole_number
from workshop.domain.text import clean_line, clean_text, printable

RATING_MAX = 5
WORDS_PER_BALLOT_DEFAULT = 3
PLACEMENT_SPAN_MAX = 10
_STRIP = string.punctuation + "\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026\u2013\u2014\u00a1\u00bf"


def parse_kind(raw: object) -> PollKind:
    try:
        return PollKind(str(raw))
    except ValueError:
        kinds = ", ".join(k.value for k in PollKind)
        raise InvalidInput(f"Unknown activity kind {raw!r}; use one of: {kinds}.") from None


def clean_option_labels(kind: PollKind, labels: object) -> list[str]:
    if kind is PollKind.OBJECTIVES:
        return _organisation_objectives(labels)
    if not kind.has_options:
        if labels:
            raise InvalidInput(f"A {kind.label.lower()} poll takes no options.")
        return []
    if not isinstance(labels, Sequence) or isinstance(labels, str):
        raise InvalidInput("options must be a list of labels.")
    cleaned = [
        clean_line(label, field="Option", max_length=limits.OPTION_LABEL_MAX) for label in labels
    ]
    if len(cleaned) < limits.OPTIONS_MIN:
        raise InvalidInput(
            f"A {kind.label.lower()} poll needs at least {limits.OPTIONS_MIN} options.")
    if len(cleaned) > limits.OPTIONS_MAX:
        raise InvalidInput(f"A poll takes at most {limits.OPTIONS_MAX} options.")
    if len({label.casefold() for label in cleaned}) != len(cleaned):
        raise InvalidInput("Two options have the same label.")
    return cleaned


def _organisation_objectives(labels: object) -> list[str]:
    """An objectives activity's options are the organisation objectives to align to."""
    if not labels:
        return []
    if not isinstance(labels, Sequence) or isinstance(labels, str):
        raise InvalidInput("options must be a list of organisation objectives.")
    cleaned = [clean_line(label, field="Organisation objective",
                          max_length=limits.OPTION_LABEL_MAX) for label in labels]
    if len(cleaned) > ORG_OBJECTIVES_MAX:
        raise InvalidInput(f"At most {ORG_OBJECTIVES_MAX} organisation objectives.")
    return cleaned


def clean_settings(kind: PollKind, raw: object, option_count: int) -> dict[str, Any]:
    """Validate a kind's settings and fill in defaults. Unknown keys are refused."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise InvalidInput("settings must be an object.")
    allowed = {"hide_results"} | _KIND_SETTINGS[kind]
    if kind.has_options:
        allowed |= {"source_activity_id", "source_top"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise InvalidInput(f"Unknown setting(s) for {kind.value}: {', '.join(unknown)}.")
    if kind is PollKind.OBJECTIVES:
        return clean_board_settings(raw)
    settings: dict[str, Any] = {"hide_results": switch(raw, "hide_results", False)}
    if raw.get("source_activity_id"):
        settings["source_activity_id"] = clean_line(
            raw["source_activity_id"], field="settings.source_activity_id", max_length=64)
        top = whole_number(raw, "source_top", 8)
        assert top is not None
        if not 1 <= top <= limits.OPTIONS_MAX:
            raise InvalidInput(f"settings.source_top must be between 1 and {limits.OPTIONS_MAX}.")
        settings["source_top"] = top
        option_count = max(option_count, top)
    if kind is PollKind.MULTIPLE_CHOICE:
        max_picks = whole_number(raw, "max_picks", None)
        if max_picks is not None and not 1 <= max_picks <= option_count:
            raise InvalidInput(f"settings.max_picks must be between 1 and {option_count}.")
        settings["max_picks"] = max_picks
    elif kind in (PollKind.SCALE, PollKind.PLACEMENT):
        placement = kind is PollKind.PLACEMENT
        low = whole_number(raw, "min", 1)
        high = whole_number(raw, "max", 5 if placement else 10)
        assert low is not None and high is not None
        if high <= low:
            raise InvalidInput("settings.max must be greater than settings.min.")
        if high - low > limits.SCALE_SPAN_MAX:
            raise InvalidInput(f"A scale spans at most {limits.SCALE_SPAN_MAX} steps.")
        settings["min"], settings["max"] = low, high
        if placement:
            if high - low > PLACEMENT_SPAN_MAX:
                raise InvalidInput(f"A 2×2 axis spans at most {PLACEMENT_SPAN_MAX} steps.")
            for key, default in (("x_label", "Impact"), ("y_label", "Confidence")):
                settings[key] = clean_line(
                    raw.get(key) or default, field=f"settings.{key}",
                    max_length=limits.OPTION_LABEL_MAX)
            return settings
        for key in ("min_label", "max_label"):
            settings[key] = clean_line(
                raw.get(key, ""), field=f"settings.{key}",
                max_length=limits.OPTION_LABEL_MAX, required=False,
            )
    elif kind is PollKind.WORD_CLOUD:
        words = whole_number(raw, "max_words", WORDS_PER_BALLOT_DEFAULT)
        assert words is not None
        if not 1 <= words <= limits.WORDS_PER_BALLOT_MAX:
            raise InvalidInput(
                f"settings.max_words must be between 1 and {limits.WORDS_PER_BALLOT_MAX}."
            )
        settings["max_words"] = words
    return settings


_KIND_SETTINGS: dict[PollKind, set[str]] = {
    PollKind.SINGLE_CHOICE: set(),
    PollKind.MULTIPLE_CHOICE: {"max_picks"},
    PollKind.RATING: set(),
    PollKind.SCALE: {"min", "max", "min_label", "max_label"},
    PollKind.WORD_CLOUD: {"max_words"},
    PollKind.OPEN_TEXT: set(),
    PollKind.RANKING: set(),
    PollKind.PLACEMENT: {"min", "max", "x_label", "y_label"},
    PollKind.OBJECTIVES: set(OBJECTIVE_SETTINGS),
}


def normalise_word(raw: str) -> str:
    """Case-fold, collapse inner whitespace, strip surrounding punctuation."""
    return " ".join(printable(raw).split()).strip(_STRIP + " ").casefold()


def _option_ids(activity: Activity, value: object, *, many: bool) -> list[str]:
    known = {option.id for option in activity.options}
    picks = value if many else [value]
    if not isinstance(picks, list) or not all(isinstance(p, str) for p in picks):
        expected = "a list of option ids" if many else "an option id"
        raise InvalidInput(f"value must be {expected}.")
    for pick in picks:
        if pick not in known:
            raise InvalidInput("That option is not part of this poll.")
    if len(set(picks)) != len(picks):
        raise InvalidInput("Each option can be picked only once.")
    return list(picks)


def _number(value: object, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise InvalidInput("value must be a whole number.")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise InvalidInput("value must be a whole number.") from None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise InvalidInput("value must be a whole number.")
    if not low <= value <= high:
        raise InvalidInput(f"value must be between {low} and {high}.")
    return value


def ballot_items(activity: Activity, value: object) -> tuple[str, ...]:
    """Check a submitted value against the activity and return the items to store."""
    kind = activity.kind
    if kind is PollKind.SINGLE_CHOICE:
        return tuple(_option_ids(activity, value, many=False))
    if kind is PollKind.MULTIPLE_CHOICE:
        picks = _option_ids(activity, value, many=True)
        if not picks:
            raise InvalidInput("Pick at least one option.")
        max_picks = activity.settings.get("max_picks")
        if max_picks and len(picks) > max_picks:
            raise InvalidInput(f"Pick at most {max_picks} options.")
        order = {option.id: i for i, option in enumerate(activity.options)}
        return tuple(sorted(picks, key=order.__getitem__))
    if kind is PollKind.RATING:
        return (str(_number(value, 1, RATING_MAX)),)
    if kind is PollKind.SCALE:
        return (str(_number(value, activity.settings["min"], activity.settings["max"])),)
    if kind is PollKind.WORD_CLOUD:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise InvalidInput("value must be a list of words.")
        words: list[str] = []
        for raw in value:
            if len(raw) > limits.WORD_MAX * 2:
                raise InvalidInput(f"A word cloud entry is at most {limits.WORD_MAX} characters.")
            word = normalise_word(raw)
            if len(word) > limits.WORD_MAX:
                raise InvalidInput(f"A word cloud entry is at most {limits.WORD_MAX} characters.")
            if word and word not in words:
                words.append(word)
        if not words:
            raise InvalidInput("Enter at least one word.")
        max_words = activity.settings.get("max_words", WORDS_PER_BALLOT_DEFAULT)
        if len(words) > max_words:
            raise InvalidInput(f"Enter at most {max_words} entries.")
        return tuple(words)
    if kind is PollKind.OPEN_TEXT:
        if isinstance(value, str) and len(value) > limits.OPEN_TEXT_MAX * 2:
            raise InvalidInput(
                f"Answer is too long; the limit is {limits.OPEN_TEXT_MAX} characters.")
        return (clean_text(value, field="Answer", max_length=limits.OPEN_TEXT_MAX),)
    if kind is PollKind.PLACEMENT:
        return _placement_items(activity, value)
    if kind is PollKind.RANKING:
        ranked = _option_ids(activity, value, many=True)
        if len(ranked) != len(activity.options):
            raise InvalidInput("Rank every option: send all option ids in your order.")
        return tuple(ranked)
    raise InvalidInput("Objectives are submitted to the activity's objectives endpoint.")


def placement_item(option_id: str, x: int, y: int) -> str:
    return f"{option_id}:{x}:{y}"


def parse_placement_item(item: str) -> tuple[str, int, int]:
    option_id, x, y = item.rsplit(":", 2)
    return option_id, int(x), int(y)


def _placement_items(activity: Activity, value: object) -> tuple[str, ...]:
    """`{option_id: [x, y]}` for every option → one item per option, in option order."""
    if not isinstance(value, Mapping):
        raise InvalidInput("value must map each option id to [x, y].")
    known = [o.id for o in activity.options]
    if set(value) != set(known):
        raise InvalidInput("Place every item: send [x, y] for each option id.")
    low, high = activity.settings["min"], activity.settings["max"]
    items = []
    for option_id in known:
        point = value[option_id]
        if not isinstance(point, Sequence) or isinstance(point, str) or len(point) != 2:
            raise InvalidInput("Each placement must be [x, y].")
        x, y = (_number(coordinate, low, high) for coordinate in point)
        items.append(placement_item(option_id, x, y))
    return tuple(items)

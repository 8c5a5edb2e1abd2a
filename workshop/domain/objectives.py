"""Objectives with key results, drafted by participants, curated and dot-voted (pure)."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workshop.domain import limits
from workshop.domain.errors import InvalidInput
from workshop.domain.setting_values import number_between, switch
from workshop.domain.text import clean_line

KEY_RESULT_FIELDS = ("metric", "baseline", "target", "unit", "due")
KEY_RESULT_FIELD_MAX = 60
THEME_MAX = 60
MAX_KEY_RESULTS_DEFAULT = 5
MAX_KEY_RESULTS_LIMIT = 10
DOTS_DEFAULT = 3
DOTS_LIMIT = 20
ORG_OBJECTIVES_MAX = 10


class Voting(enum.StrEnum):
    NOT_STARTED = "not_started"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class KeyResult:
    text: str
    metric: str = ""
    baseline: str = ""
    target: str = ""
    unit: str = ""
    due: str = ""

    def as_json(self) -> dict[str, str]:
        data = {"text": self.text}
        for name in KEY_RESULT_FIELDS:
            value = getattr(self, name)
            if value:
                data[name] = value
        return data


@dataclass(frozen=True, slots=True)
class Objective:
    id: str
    activity_id: str
    author_ids: tuple[str, ...]
    text: str
    key_results: tuple[KeyResult, ...]
    aligns_to: str | None
    theme: str
    hidden: bool
    votes: int
    created_at: float
    updated_at: float = 0.0
    author_names: tuple[str, ...] = field(default=())

    def written_by(self, participant_id: str) -> bool:
        return participant_id in self.author_ids


@dataclass(frozen=True, slots=True)
class BoardState:
    """The facilitator's switches on one objectives activity."""

    activity_id: str
    wall_open: bool = True
    voting: Voting = Voting.NOT_STARTED
    spotlight_id: str | None = None


def clean_board_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Settings of an `objectives` activity, with defaults."""
    dots = number_between(raw, "dots", DOTS_DEFAULT, 1, DOTS_LIMIT)
    return {
        "hide_results": switch(raw, "hide_results", False),
        "max_key_results": number_between(raw, "max_key_results", MAX_KEY_RESULTS_DEFAULT,
                                          1, MAX_KEY_RESULTS_LIMIT),
        "show_names": switch(raw, "show_names", True),
        "silent_drafting": switch(raw, "silent_drafting", False),
        "dots": dots,
        "max_dots_per_objective": number_between(raw, "max_dots_per_objective", 1, 1, dots),
        "hide_votes_until_closed": switch(raw, "hide_votes_until_closed", False),
    }


OBJECTIVE_SETTINGS = frozenset({
    "hide_results", "max_key_results", "show_names", "silent_drafting", "dots",
    "max_dots_per_objective", "hide_votes_until_closed",
})


def clean_key_result(raw: object, index: int) -> KeyResult:
    label = f"Key result {index + 1}"
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, Mapping):
        raise InvalidInput(f"{label} must be an object with a text.")
    unknown = set(raw) - {"text", *KEY_RESULT_FIELDS}
    if unknown:
        raise InvalidInput(f"{label} has unknown field(s): {', '.join(sorted(unknown))}.")
    text = clean_line(raw.get("text"), field=label, max_length=limits.KEY_RESULT_MAX)
    extras = {
        name: clean_line(raw.get(name), field=f"{label} {name}",
                         max_length=KEY_RESULT_FIELD_MAX, required=False)
        for name in KEY_RESULT_FIELDS
    }
    return KeyResult(text, **extras)


def clean_objective(text: object, key_results: object, max_key_results: int
                    ) -> tuple[str, tuple[KeyResult, ...]]:
    """Validate a submitted objective: one sentence and 1..max key results."""
    cleaned = clean_line(text, field="Objective", max_length=limits.OBJECTIVE_MAX)
    if not isinstance(key_results, Sequence) or isinstance(key_results, str):
        raise InvalidInput("key_results must be a list.")
    filled = [kr for kr in key_results
              if not (isinstance(kr, Mapping) and not str(kr.get("text") or "").strip())
              and not (isinstance(kr, str) and not kr.strip())]
    if not filled:
        raise InvalidInput("Add at least one key result.")
    if len(filled) > max_key_results:
        raise InvalidInput(f"An objective takes at most {max_key_results} key results.")
    return cleaned, tuple(clean_key_result(kr, i) for i, kr in enumerate(filled))


def clean_theme(raw: object) -> str:
    return clean_line(raw, field="Theme", max_length=THEME_MAX, required=False)


def clean_draft(raw: object) -> dict[str, Any]:
    """An autosaved draft: kept as typed (within limits), never rejected for content."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("A draft must be an object with text and key_results.")
    text = raw.get("text") or ""
    if not isinstance(text, str):
        raise InvalidInput("text must be text.")
    if len(text) > limits.OBJECTIVE_MAX * 2:
        raise InvalidInput(f"The objective is over {limits.OBJECTIVE_MAX} characters.")
    krs = raw.get("key_results") or []
    if not isinstance(krs, list) or len(krs) > MAX_KEY_RESULTS_LIMIT:
        raise InvalidInput(f"A draft holds at most {MAX_KEY_RESULTS_LIMIT} key results.")
    key_results = []
    for kr in krs:
        if isinstance(kr, str):
            kr = {"text": kr}
        if not isinstance(kr, Mapping):
            raise InvalidInput("Each key result must be an object with a text.")
        item = {}
        for name in ("text", *KEY_RESULT_FIELDS):
            value = kr.get(name) or ""
            if not isinstance(value, str):
                raise InvalidInput(f"{name} must be text.")
            cap = limits.KEY_RESULT_MAX * 2 if name == "text" else KEY_RESULT_FIELD_MAX * 2
            if len(value) > cap:
                raise InvalidInput(f"A key result {name} is too long.")
            item[name] = value
        key_results.append(item)
    aligns_to = raw.get("aligns_to")
    return {"text": text, "key_results": key_results,
            "aligns_to": aligns_to if isinstance(aligns_to, str) else None}


def drafts_of(key_results: Sequence[Mapping[str, Any]]) -> list[KeyResult]:
    return [KeyResult(**{k: str(kr.get(k) or "") for k in ("text", *KEY_RESULT_FIELDS)})
            for kr in key_results if isinstance(kr, Mapping)]


def can_add_dot(mine_total: int, mine_on_objective: int, settings: Mapping[str, Any]) -> str | None:
    """Why a participant may not spend another dot, or None when they may."""
    if mine_total >= settings["dots"]:
        return f"You have used all {settings['dots']} of your votes."
    if mine_on_objective >= settings["max_dots_per_objective"]:
        per = settings["max_dots_per_objective"]
        return ("You already voted for this objective." if per == 1
                else f"You can give at most {per} votes to one objective.")
    return None


def order_wall(objectives: Sequence[Objective], *, by_votes: bool) -> list[Objective]:
    """Themes together (unthemed last), then by votes when voting, else oldest first."""
    def key(o: Objective) -> tuple[int, str, int, float]:
        return (0 if o.theme else 1, o.theme.casefold(), -o.votes if by_votes else 0,
                o.created_at)

    return sorted(objectives, key=key)

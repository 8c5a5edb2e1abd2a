"""Turning objectives into the options of a poll (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from workshop.domain import limits
from workshop.domain.errors import InvalidInput
from workshop.domain.models import PollKind
from workshop.domain.text import clean_line

PIPE_PROMPTS: dict[PollKind, str] = {
    PollKind.RANKING: "Rank these objectives",
    PollKind.SINGLE_CHOICE: "Which objective matters most?",
    PollKind.MULTIPLE_CHOICE: "Which objectives should we pursue?",
    PollKind.PLACEMENT: "Place each objective: impact and confidence",
}


def pipe_kind(raw: object) -> PollKind:
    try:
        kind = PollKind(str(raw))
    except ValueError:
        kind = None
    if kind not in PIPE_PROMPTS:
        raise InvalidInput("kind must be ranking, single_choice, multiple_choice or "
                           "placement.")
    assert kind is not None
    return kind


def pipe_top(raw: object) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 2 <= raw <= limits.OPTIONS_MAX:
        raise InvalidInput(f"top must be a whole number from 2 to {limits.OPTIONS_MAX}.")
    return raw


def option_label(text: str) -> str:
    cap = limits.OPTION_LABEL_MAX
    return text if len(text) <= cap else text[: cap - 1] + "…"


def unique_labels(texts: Sequence[str]) -> list[str]:
    """Objective texts as option labels: cut to the label limit, duplicates numbered."""
    labels: list[str] = []
    seen: set[str] = set()
    for text in texts:
        label = option_label(clean_line(text, field="Option", max_length=limits.OBJECTIVE_MAX))
        base, n = label, 2
        while label.casefold() in seen:
            label = option_label(f"{base} ({n})")
            n += 1
        seen.add(label.casefold())
        labels.append(label)
    return labels

"""The whole-workshop JSON document, format "workshop" version 1 (docs/export-format.md):
its marker, its times, how ballot items name options, and what an import will write.

Pure: the exporter builds the document from the store, `document_reader` reads one back
into the rows below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from workshop.domain.chat import Message
from workshop.domain.errors import InvalidInput
from workshop.domain.insights import Insight
from workshop.domain.models import Activity, Ballot, Participant, PollKind, Workshop
from workshop.domain.objectives import BoardState, Objective
from workshop.domain.polls import parse_placement_item

FORMAT = "workshop"
VERSION = 1
REMOVED_OPTION = "removed"  # a ballot item naming an option that was since deleted
OPTION_KINDS = (PollKind.SINGLE_CHOICE, PollKind.MULTIPLE_CHOICE, PollKind.RANKING)


def iso_time(ts: float) -> str:
    """UTC, ISO 8601, to the microsecond when there is one: 2026-01-01T10:00:00Z."""
    moment = datetime.fromtimestamp(ts, UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def parse_time(value: object, where: str) -> float:
    """An ISO 8601 time (UTC when it names no zone) or seconds since the epoch."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value):
            return float(value)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.timestamp()
    raise InvalidInput(f"{where} must be an ISO 8601 time such as 2026-01-01T10:00:00Z.")


def item_to_ref(kind: PollKind, item: str, option_refs: Mapping[str, str]) -> str:
    """A stored ballot item as the document writes it: option ids become option refs."""
    if kind in OPTION_KINDS:
        return option_refs.get(item, REMOVED_OPTION)
    if kind is PollKind.PLACEMENT:
        option_id, x, y = parse_placement_item(item)
        return f"{option_refs.get(option_id, REMOVED_OPTION)}:{x}:{y}"
    return item


@dataclass(frozen=True, slots=True)
class ImportedDot:
    activity_id: str
    participant_id: str
    dot: int
    objective_id: str
    created_at: float


@dataclass(frozen=True, slots=True)
class ImportedUpvote:
    message_id: str
    participant_id: str
    created_at: float


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Every row an import writes, with new ids; the workshop's join code is still ""."""

    workshop: Workshop
    participants: tuple[tuple[Participant, str], ...]  # (participant, new device id)
    activities: tuple[Activity, ...]
    boards: tuple[BoardState, ...]
    ballots: tuple[Ballot, ...]
    objectives: tuple[Objective, ...]
    dots: tuple[ImportedDot, ...]
    messages: tuple[Message, ...]
    upvotes: tuple[ImportedUpvote, ...]
    insights: tuple[Insight, ...]

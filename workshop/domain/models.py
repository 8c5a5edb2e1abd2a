"""The nouns of a live workshop, as frozen dataclasses."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from workshop.domain.chat import ChatSettings


class PollKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    RATING = "rating"
    SCALE = "scale"
    WORD_CLOUD = "word_cloud"
    OPEN_TEXT = "open_text"
    RANKING = "ranking"
    PLACEMENT = "placement"
    OBJECTIVES = "objectives"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]

    @property
    def has_options(self) -> bool:
        return self in (PollKind.SINGLE_CHOICE, PollKind.MULTIPLE_CHOICE, PollKind.RANKING,
                        PollKind.PLACEMENT)

    @property
    def is_poll(self) -> bool:
        """Answered with one ballot per participant per round."""
        return self is not PollKind.OBJECTIVES


KIND_LABELS = {
    PollKind.SINGLE_CHOICE: "Single choice",
    PollKind.MULTIPLE_CHOICE: "Multiple choice",
    PollKind.RATING: "Rating (1 to 5 stars)",
    PollKind.SCALE: "Scale",
    PollKind.WORD_CLOUD: "Word cloud",
    PollKind.OPEN_TEXT: "Open text",
    PollKind.RANKING: "Ranking",
    PollKind.PLACEMENT: "2×2 placement",
    PollKind.OBJECTIVES: "Objectives (OKR drafting)",
}


class ActivityState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Facilitator:
    id: str
    email: str
    password_hash: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Workshop:
    id: str
    code: str
    title: str
    description: str
    slides_url: str
    recording_url: str
    owner_id: str
    current_activity_id: str | None
    created_at: float
    chat: ChatSettings = field(default_factory=ChatSettings)
    presenter_view: str = "activity"  # "activity" or "insights"
    spotlight_message_id: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Activity:
    id: str
    workshop_id: str
    position: int
    kind: PollKind
    prompt: str
    options: tuple[Option, ...]
    settings: dict[str, Any] = field(hash=False)
    state: ActivityState
    round: int
    results_visible: bool

    def option_label(self, option_id: str) -> str:
        for option in self.options:
            if option.id == option_id:
                return option.label
        return option_id


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    workshop_id: str
    name: str
    created_at: float

    @property
    def display_name(self) -> str:
        return self.name or "Anonymous"


@dataclass(frozen=True, slots=True)
class Ballot:
    """One participant's answer to one round of one activity."""

    activity_id: str
    round: int
    participant_id: str
    items: tuple[str, ...]
    updated_at: float
    id: str = ""

"""What happened, published after commit. Events carry ids only, never content."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass


class Change(enum.StrEnum):
    BALLOT_CAST = "ballot_cast"          # results of one activity moved
    ACTIVITY_UPDATED = "activity_updated"  # prompt, options, state or visibility changed
    AGENDA_CHANGED = "agenda_changed"    # activities added, removed or reordered
    STAGE_CHANGED = "stage_changed"      # the activity on screen changed
    RESULTS_TOGGLED = "results_toggled"  # results revealed or hidden
    OBJECTIVES_CHANGED = "objectives_changed"  # a board's objectives or their votes
    BOARD_CHANGED = "board_changed"  # hidden/spotlighted objectives on a board
    CHAT_CHANGED = "chat_changed"  # messages, questions, upvotes, moderation
    SPOTLIGHT_CHANGED = "spotlight_changed"  # the question on the presenter screen
    INSIGHTS_CHANGED = "insights_changed"
    PARTICIPANT_JOINED = "participant_joined"
    WORKSHOP_UPDATED = "workshop_updated"


@dataclass(frozen=True, slots=True)
class WorkshopChanged:
    workshop_id: str
    change: Change
    activity_id: str | None = None

    def encode(self) -> bytes:
        return json.dumps(
            {"w": self.workshop_id, "c": self.change.value, "a": self.activity_id}
        ).encode()

    @classmethod
    def decode(cls, raw: bytes | str) -> WorkshopChanged:
        data = json.loads(raw)
        return cls(data["w"], Change(data["c"]), data.get("a"))

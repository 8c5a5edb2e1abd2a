"""Who sees what on an objectives wall (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workshop.domain.objectives import BoardState, Objective, Voting, order_wall


@dataclass(frozen=True, slots=True)
class WallItem:
    objective: Objective
    author: str | None  # None when names are not shown to this viewer
    votes: int | None  # None while counts are hidden from this viewer
    mine: bool

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.objective.id,
            "text": self.objective.text,
            "key_results": [kr.as_json() for kr in self.objective.key_results],
            "votes": self.votes,
            "theme": self.objective.theme or None,
            "aligns_to": self.objective.aligns_to,
            "hidden": self.objective.hidden,
            "mine": self.mine,
        }
        if self.author is not None:
            data["author"] = self.author
        return data


def _names(objective: Objective) -> str:
    names = [n for n in objective.author_names if n]
    return " & ".join(names) if names else "Anonymous"


def wall_for(objectives: Sequence[Objective], board: BoardState, settings: Mapping[str, Any],
             *, facilitator: bool, participant_id: str | None = None) -> list[WallItem]:
    """The objectives one viewer may see, in wall order.

    Facilitators see everything (hidden ones marked) with names and counts. Others see
    visible objectives, names only if the activity shows names, counts only once voting
    has closed when counts are hidden during the vote, and, in silent drafting, only
    their own objectives until the facilitator opens the wall.
    """
    counts_hidden = (not facilitator and settings.get("hide_votes_until_closed", False)
                     and board.voting is not Voting.CLOSED)
    by_votes = board.voting is not Voting.NOT_STARTED and not counts_hidden
    items = []
    for objective in order_wall(objectives, by_votes=by_votes):
        mine = participant_id is not None and objective.written_by(participant_id)
        if not facilitator and not mine and (objective.hidden or not board.wall_open):
            continue
        show_name = facilitator or settings.get("show_names", True)
        items.append(WallItem(objective, _names(objective) if show_name else None,
                              None if counts_hidden else objective.votes, mine))
    return items


def themes_of(objectives: Sequence[Objective]) -> list[str]:
    return sorted({o.theme for o in objectives if o.theme}, key=str.casefold)

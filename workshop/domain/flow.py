"""The life of a poll: draft → open → closed, reveal/hide, reset to a new round (pure)."""

from __future__ import annotations

import enum
from dataclasses import replace

from workshop.domain.errors import Conflict, InvalidInput
from workshop.domain.models import Activity, ActivityState


class Action(enum.StrEnum):
    OPEN = "open"
    CLOSE = "close"
    REVEAL = "reveal"
    HIDE = "hide"
    RESET = "reset"


def parse_action(raw: str) -> Action:
    try:
        return Action(raw)
    except ValueError:
        names = ", ".join(a.value for a in Action)
        raise InvalidInput(f"Unknown action {raw!r}; use one of: {names}.") from None


def apply_action(activity: Activity, action: Action) -> Activity:
    """Return the activity after `action`; refuse transitions that make no sense."""
    if action is Action.OPEN:
        if activity.state is ActivityState.OPEN:
            raise Conflict("This poll is already open.")
        return replace(activity, state=ActivityState.OPEN)
    if action is Action.CLOSE:
        if activity.state is not ActivityState.OPEN:
            raise Conflict("This poll is not open.")
        return replace(activity, state=ActivityState.CLOSED)
    if action is Action.REVEAL:
        return replace(activity, results_visible=True)
    if action is Action.HIDE:
        return replace(activity, results_visible=False)
    # RESET: a new round; the old round's ballots stay in storage under their round number.
    return replace(
        activity,
        round=activity.round + 1,
        state=ActivityState.DRAFT,
        results_visible=not activity.settings.get("hide_results", False),
    )


def accepts_votes(activity: Activity) -> bool:
    return activity.state is ActivityState.OPEN

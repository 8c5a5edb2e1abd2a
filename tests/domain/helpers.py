"""Build domain objects for pure tests (no storage, no web)."""

from __future__ import annotations

from typing import Any

from workshop.domain.models import Activity, ActivityState, Option, PollKind
from workshop.domain.polls import clean_settings


def activity(
    kind: PollKind,
    labels: tuple[str, ...] = (),
    *,
    state: ActivityState = ActivityState.OPEN,
    round_: int = 1,
    results_visible: bool = True,
    **settings: Any,
) -> Activity:
    """An activity whose options have ids o0, o1, … and whose settings went through
    clean_settings (so defaults are filled in exactly as the service does)."""
    return Activity(
        id="act-1",
        workshop_id="ws-1",
        position=0,
        kind=kind,
        prompt="Question?",
        options=tuple(Option(f"o{i}", label) for i, label in enumerate(labels)),
        settings=clean_settings(kind, settings, len(labels)),
        state=state,
        round=round_,
        results_visible=results_visible,
    )

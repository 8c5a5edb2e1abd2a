"""What a participant's own part of an objectives board shows (shared by the pages)."""

from __future__ import annotations

from typing import Any

from workshop.domain.hints import Hint, draft_hints
from workshop.domain.ids import new_id
from workshop.domain.models import Activity, Workshop
from workshop.domain.objectives import Objective, drafts_of
from workshop.services.container import Services


def hints_for(activity: Activity, draft: dict[str, Any] | None) -> list[Hint]:
    if not draft:
        return []
    return draft_hints(draft.get("text", ""), drafts_of(draft.get("key_results", [])),
                       activity.settings["max_key_results"])


async def mine_context(services: Services, workshop: Workshop, activity: Activity,
                       participant_id: str, *, draft: dict[str, Any] | None = None,
                       editing: Objective | None = None, **extra: Any) -> dict[str, Any]:
    """Everything `participant/_mine.html` shows for one participant."""
    if draft is None and editing is None:
        draft = await services.store.get_draft(activity.id, participant_id)
    if editing is not None and draft is None:
        draft = {"text": editing.text, "aligns_to": editing.aligns_to,
                 "key_results": [kr.as_json() for kr in editing.key_results]}
    return {
        "workshop": workshop, "current": activity,
        "board": await services.objectives.board(activity), "draft": draft,
        "mine": await services.objectives.mine(participant_id, activity),
        "dots": await services.objectives.my_dots(participant_id, activity),
        "hints": hints_for(activity, draft), "client_id": new_id(), "editing": editing,
        "notice": None, "error": None, "dot_error": None, **extra,
    }

"""Read a poll answer from an HTML form into the value the JSON API takes."""

from __future__ import annotations

from starlette.datastructures import FormData

from workshop.domain.errors import InvalidInput
from workshop.domain.models import Activity, PollKind

RANK_PREFIX = "rank-"


def _strings(form: FormData, key: str) -> list[str]:
    return [v for v in form.getlist(key) if isinstance(v, str)]


def _one(form: FormData, key: str) -> str | None:
    value = form.get(key)
    return value if isinstance(value, str) else None


def ballot_value(activity: Activity, form: FormData) -> object:
    kind = activity.kind
    if kind is PollKind.SINGLE_CHOICE:
        choice = _one(form, "option")
        if not choice:
            raise InvalidInput("Pick an option.")
        return choice
    if kind is PollKind.MULTIPLE_CHOICE:
        return _strings(form, "options")
    if kind in (PollKind.RATING, PollKind.SCALE):
        value = _one(form, "value")
        if not value:
            raise InvalidInput("Pick a value.")
        return value
    if kind is PollKind.WORD_CLOUD:
        return [w for w in _strings(form, "words") if w.strip()]
    if kind is PollKind.OPEN_TEXT:
        return _one(form, "text") or ""
    if kind is PollKind.PLACEMENT:
        placements: dict[str, list[str]] = {}
        for option in activity.options:
            x, y = _one(form, f"x-{option.id}"), _one(form, f"y-{option.id}")
            if not x or not y:
                raise InvalidInput("Place every item on both axes.")
            placements[option.id] = [x, y]
        return placements
    if kind is PollKind.RANKING:
        ranks: dict[str, int] = {}
        for option in activity.options:
            raw = _one(form, RANK_PREFIX + option.id)
            try:
                ranks[option.id] = int(raw or "")
            except ValueError:
                raise InvalidInput("Give every option a place.") from None
        if sorted(ranks.values()) != list(range(1, len(activity.options) + 1)):
            raise InvalidInput("Give each option a different place, from 1 to "
                               f"{len(activity.options)}.")
        return sorted(ranks, key=ranks.__getitem__)
    raise InvalidInput("This activity takes no answers.")


KR_FIELDS = ("text", "metric", "baseline", "target", "unit", "due")
KEY_RESULT_ROWS_MAX = 10


def objective_from_form(form: FormData, *, keep_rows: bool = False) -> dict[str, object]:
    """The objective form (`text`, `kr-N-text`, `kr-N-metric`, …, `aligns_to`) as the
    JSON API's objective/draft shape. Empty key result rows are dropped, except for a
    draft (`keep_rows`), where each row keeps its place up to the last filled one."""
    key_results: list[dict[str, str]] = []
    last_filled = -1
    for index in range(KEY_RESULT_ROWS_MAX):
        row = {name: _one(form, f"kr-{index}-{name}") or "" for name in KR_FIELDS}
        filled = any(value.strip() for value in row.values())
        if filled:
            last_filled = len(key_results)
        if filled or keep_rows:
            key_results.append({k: v for k, v in row.items() if v.strip() or k == "text"})
    if keep_rows:
        key_results = key_results[: last_filled + 1]
    return {"text": _one(form, "text") or "", "key_results": key_results,
            "aligns_to": _one(form, "aligns_to") or None}

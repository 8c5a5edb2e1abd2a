"""Turn counted ballot items into a kind's result summary (pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from workshop.domain.models import Activity, PollKind
from workshop.domain.polls import RATING_MAX, parse_placement_item


@dataclass(frozen=True, slots=True)
class ItemCount:
    """One row of `SELECT item, COUNT(*), SUM(position) ... GROUP BY item`."""

    item: str
    count: int
    position_sum: int


@dataclass(frozen=True, slots=True)
class Bar:
    key: str
    label: str
    count: int
    share: float  # 0..1 of ballots (or of the largest count for word clouds)


@dataclass(frozen=True, slots=True)
class RankRow:
    key: str
    label: str
    average_rank: float | None
    points: int  # Borda: n-1 points for first place, 0 for last


@dataclass(frozen=True, slots=True)
class Point:
    """Where the room placed one item on a 2×2: averages and spread (std. deviation)."""

    key: str
    label: str
    x: float | None
    y: float | None
    x_spread: float
    y_spread: float
    count: int


@dataclass(frozen=True, slots=True)
class Results:
    activity_id: str
    kind: PollKind
    round: int
    total: int
    bars: tuple[Bar, ...] = ()
    mean: float | None = None
    ranking: tuple[RankRow, ...] = ()
    texts: tuple[str, ...] = field(default=())
    points: tuple[Point, ...] = ()
    answer_ids: tuple[str, ...] = ()  # open text: the id of each answer in `texts`

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "activity_id": self.activity_id,
            "kind": self.kind.value,
            "round": self.round,
            "total": self.total,
        }
        if self.kind in (PollKind.SINGLE_CHOICE, PollKind.MULTIPLE_CHOICE):
            data["counts"] = [
                {"option_id": b.key, "label": b.label, "count": b.count} for b in self.bars
            ]
        elif self.kind in (PollKind.RATING, PollKind.SCALE):
            data["distribution"] = [{"value": int(b.key), "count": b.count} for b in self.bars]
            data["mean"] = self.mean
        elif self.kind is PollKind.WORD_CLOUD:
            data["words"] = [{"word": b.key, "count": b.count} for b in self.bars]
        elif self.kind is PollKind.OPEN_TEXT:
            data["answers"] = list(self.texts)
            if self.answer_ids:
                data["responses"] = [{"id": i, "text": t}
                                     for i, t in zip(self.answer_ids, self.texts, strict=True)]
        elif self.kind is PollKind.PLACEMENT:
            data["points"] = [
                {"option_id": p.key, "label": p.label, "x": p.x, "y": p.y,
                 "x_spread": p.x_spread, "y_spread": p.y_spread, "count": p.count}
                for p in self.points
            ]
        elif self.kind is PollKind.RANKING:
            data["ranking"] = [
                {"option_id": r.key, "label": r.label, "average_rank": r.average_rank,
                 "points": r.points}
                for r in self.ranking
            ]
        return data


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def summarise(
    activity: Activity,
    round_: int,
    total: int,
    counts: Sequence[ItemCount],
    texts: Sequence[str] = (),
    answer_ids: Sequence[str] = (),
) -> Results:
    by_item = {c.item: c for c in counts}
    base = Results(activity.id, activity.kind, round_, total)
    kind = activity.kind
    if kind in (PollKind.SINGLE_CHOICE, PollKind.MULTIPLE_CHOICE):
        bars = tuple(
            Bar(o.id, o.label, n, _share(n, total))
            for o in activity.options
            for n in [by_item[o.id].count if o.id in by_item else 0]
        )
        return replace(base, bars=bars)
    if kind in (PollKind.RATING, PollKind.SCALE):
        low, high = (1, RATING_MAX) if kind is PollKind.RATING else (
            activity.settings["min"], activity.settings["max"])
        bars = tuple(
            Bar(str(v), str(v), n, _share(n, total))
            for v in range(low, high + 1)
            for n in [by_item[str(v)].count if str(v) in by_item else 0]
        )
        weighted = sum(int(c.item) * c.count for c in counts if c.item.lstrip("-").isdigit())
        mean = round(weighted / total, 2) if total else None
        return replace(base, bars=bars, mean=mean)
    if kind is PollKind.WORD_CLOUD:
        ordered = sorted(counts, key=lambda c: (-c.count, c.item))
        top = ordered[0].count if ordered else 0
        bars = tuple(Bar(c.item, c.item, c.count, _share(c.count, top)) for c in ordered)
        return replace(base, bars=bars)
    if kind is PollKind.OPEN_TEXT:
        return replace(base, texts=tuple(texts), answer_ids=tuple(answer_ids))
    if kind is PollKind.RANKING:
        n = len(activity.options)
        rows = []
        for o in activity.options:
            c = by_item.get(o.id)
            # positions are stored 0-based; rank 1 is first place
            average = round(c.position_sum / c.count + 1, 2) if c and c.count else None
            points = (n - 1) * c.count - c.position_sum if c else 0
            rows.append(RankRow(o.id, o.label, average, points))
        rows.sort(key=lambda r: (-r.points, r.average_rank or n + 1, r.label))
        return replace(base, ranking=tuple(rows))
    if kind is PollKind.PLACEMENT:
        return replace(base, points=_placements(activity, counts))
    return base  # pragma: no cover


def _spread(values: list[tuple[int, int]], mean: float, n: int) -> float:
    return round(math.sqrt(sum(c * (v - mean) ** 2 for v, c in values) / n), 2)


def _placements(activity: Activity, counts: Sequence[ItemCount]) -> tuple[Point, ...]:
    xs: dict[str, list[tuple[int, int]]] = {}
    ys: dict[str, list[tuple[int, int]]] = {}
    for count in counts:
        option_id, x, y = parse_placement_item(count.item)
        xs.setdefault(option_id, []).append((x, count.count))
        ys.setdefault(option_id, []).append((y, count.count))
    points = []
    for option in activity.options:
        n = sum(c for _, c in xs.get(option.id, []))
        if not n:
            points.append(Point(option.id, option.label, None, None, 0.0, 0.0, 0))
            continue
        mean_x = sum(v * c for v, c in xs[option.id]) / n
        mean_y = sum(v * c for v, c in ys[option.id]) / n
        points.append(Point(option.id, option.label, round(mean_x, 2), round(mean_y, 2),
                            _spread(xs[option.id], mean_x, n),
                            _spread(ys[option.id], mean_y, n), n))
    return tuple(points)

"""Chart geometry for the HTML write-up (pure): where each bar, column and point goes.

Only numbers are computed here. The template draws the SVG and writes every label
through Jinja's autoescaping, so participant text never becomes markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.domain.models import Activity, PollKind
from workshop.domain.tally import Results

WIDTH = 360
LABEL_CHARS = 46
WORDS_SHOWN = 60


def clip(text: str, limit: int = LABEL_CHARS) -> str:
    """One line of label text for a chart (the table beside it has the full text)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class HBar:
    """A labelled horizontal bar: label above, bar below, value at its end."""

    label: str
    value: str
    y: float  # top of the label line
    width: float
    top: bool  # the largest value (drawn in the strong colour)


@dataclass(frozen=True, slots=True)
class HBars:
    bars: tuple[HBar, ...]
    width: int
    height: int
    track: int  # the full length of a bar
    row: int = 34


def hbars(items: list[tuple[str, float, str]]) -> HBars:
    """(label, value, value text) in display order → rows of bars scaled to the largest."""
    row, track = 34, WIDTH - 70
    largest = max((value for _, value, _ in items), default=0.0)
    bars = tuple(
        HBar(clip(label), text, index * row, track * value / largest if largest else 0.0,
             bool(largest) and value == largest)
        for index, (label, value, text) in enumerate(items))
    return HBars(bars, WIDTH, max(row, len(bars) * row), track, row)


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    count: int
    x: float
    y: float
    height: float
    top: bool
    tick: bool  # draw its value under the axis


@dataclass(frozen=True, slots=True)
class Columns:
    columns: tuple[Column, ...]
    width: int
    height: int
    base: float  # y of the axis
    step: float  # horizontal distance between column centres
    bar: float  # column width
    left: float  # x of the first column centre
    mean_x: float | None
    mean: str
    low_label: str
    high_label: str


def columns(activity: Activity, results: Results) -> Columns:
    """A distribution over a numeric scale (rating 1–5, a scale min–max)."""
    height, top_pad, base = 200, 36, 168.0
    n = max(1, len(results.bars))
    step = (WIDTH - 20) / n
    bar = max(2.0, min(44.0, step * 0.68))
    left = 10 + step / 2
    most = max((b.count for b in results.bars), default=0)
    every = 1 if n <= 12 else (n + 10) // 11
    cols = []
    for index, b in enumerate(results.bars):
        h = (base - top_pad) * b.count / most if most else 0.0
        cols.append(Column(b.label, b.count, left + index * step, base - h, h,
                           bool(most) and b.count == most,
                           index % every == 0 or index == n - 1))
    mean_x = None
    if results.mean is not None and results.bars:
        first = int(results.bars[0].key)
        mean_x = left + (results.mean - first) * step
    settings = activity.settings
    low = settings.get("min_label", "") if activity.kind is PollKind.SCALE else ""
    high = settings.get("max_label", "") if activity.kind is PollKind.SCALE else ""
    return Columns(tuple(cols), WIDTH, height, base, step, bar, left, mean_x,
                   _number(results.mean) if results.mean is not None else "",
                   clip(str(low), 28), clip(str(high), 28))


@dataclass(frozen=True, slots=True)
class Dot:
    number: int
    x: float
    y: float
    rx: float  # the spread (one standard deviation), in pixels
    ry: float


@dataclass(frozen=True, slots=True)
class Scatter:
    dots: tuple[Dot, ...]
    size: int  # the square plot's side
    left: int  # margin for the y axis label
    low: int
    high: int
    x_label: str
    y_label: str

    @property
    def width(self) -> int:
        return self.left + self.size + 12

    @property
    def height(self) -> int:
        return self.size + 44

    @property
    def middle(self) -> float:
        return self.size / 2


def scatter(activity: Activity, results: Results) -> Scatter:
    """Where the room placed each item on the 2×2, numbered as in the table."""
    size, left = 260, 34
    low = int(activity.settings.get("min", 1))
    high = int(activity.settings.get("max", 5))
    span = max(1, high - low)
    scale = size / span
    dots = tuple(
        Dot(number, left + (p.x - low) * scale, 8 + size - (p.y - low) * scale,
            max(0.0, p.x_spread * scale), max(0.0, p.y_spread * scale))
        for number, p in enumerate(results.points, start=1)
        if p.x is not None and p.y is not None)
    return Scatter(dots, size, left, low, high,
                   clip(str(activity.settings.get("x_label", "")), 40),
                   clip(str(activity.settings.get("y_label", "")), 40))


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    count: int
    size: float  # em


def words(results: Results) -> tuple[Word, ...]:
    """The most frequent words, sized by count (alphabetical, like a printed cloud)."""
    shown = results.bars[:WORDS_SHOWN]
    sized = [Word(b.label, b.count, round(0.85 + 1.65 * b.share, 2)) for b in shown]
    return tuple(sorted(sized, key=lambda w: w.text.casefold()))


def choice_bars(results: Results) -> HBars:
    return hbars([(b.label, float(b.count), f"{b.count} · {round(b.share * 100)}%")
                  for b in results.bars])


def ranking_bars(results: Results) -> HBars:
    return hbars([(f"{n}. {r.label}", float(r.points),
                   f"{r.points} {'pt' if r.points == 1 else 'pts'}")
                  for n, r in enumerate(results.ranking, start=1)])

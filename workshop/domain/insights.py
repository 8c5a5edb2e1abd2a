"""Insights: the facilitator's numbered list of what the session produced (pure).

Top-level insights are numbered 1, 2, 3…; an insight may hold sub-points one level deep,
numbered 1.1, 1.2… Each keeps its provenance: what it came from (a chat message, a poll
answer or an objective), who said it, when, and which activity was on screen.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workshop.domain.errors import InvalidInput
from workshop.domain.text import clean_text

INSIGHT_MAX = 1000
INSIGHTS_MAX = 500


class SourceType(enum.StrEnum):
    MESSAGE = "message"
    RESPONSE = "response"
    OBJECTIVE = "objective"


@dataclass(frozen=True, slots=True)
class Provenance:
    type: SourceType
    id: str
    text: str  # the original words, kept even when the insight is edited
    author: str | None  # None where anonymity hides it
    said_at: float
    activity_id: str | None
    activity_prompt: str | None

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type.value, "id": self.id, "text": self.text,
                "author": self.author, "said_at": self.said_at,
                "activity_id": self.activity_id, "activity_prompt": self.activity_prompt}


@dataclass(frozen=True, slots=True)
class Insight:
    id: str
    workshop_id: str
    text: str
    parent_id: str | None
    position: int
    sources: tuple[Provenance, ...] = ()
    created_at: float = 0.0


@dataclass(frozen=True, slots=True)
class NumberedInsight:
    insight: Insight
    number: str
    children: tuple[NumberedInsight, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        first = self.insight.sources[0] if self.insight.sources else None
        return {
            "id": self.insight.id,
            "number": self.number,
            "text": self.insight.text,
            "parent_id": self.insight.parent_id,
            "source": first.as_json() if first else None,
            "sources": [s.as_json() for s in self.insight.sources],
            "children": [c.as_json() for c in self.children],
        }


def clean_insight_text(raw: object) -> str:
    return clean_text(raw, field="Insight", max_length=INSIGHT_MAX)


def numbered(insights: Sequence[Insight]) -> list[NumberedInsight]:
    """Top level in position order, children under their parent, numbered."""
    tops = sorted((i for i in insights if i.parent_id is None),
                  key=lambda i: (i.position, i.created_at))
    by_parent: dict[str, list[Insight]] = {}
    for insight in insights:
        if insight.parent_id is not None:
            by_parent.setdefault(insight.parent_id, []).append(insight)
    result = []
    for n, top in enumerate(tops, start=1):
        kids = sorted(by_parent.get(top.id, []), key=lambda i: (i.position, i.created_at))
        result.append(NumberedInsight(top, str(n), tuple(
            NumberedInsight(kid, f"{n}.{m}") for m, kid in enumerate(kids, start=1))))
    return result


def flatten(tree: Sequence[NumberedInsight]) -> list[NumberedInsight]:
    out: list[NumberedInsight] = []
    for node in tree:
        out.append(node)
        out.extend(node.children)
    return out


def check_parent(insights: Mapping[str, Insight], insight_id: str | None,
                 parent_id: str | None) -> None:
    """A parent must exist, be top level, and not be the insight itself."""
    if parent_id is None:
        return
    parent = insights.get(parent_id)
    if parent is None:
        raise InvalidInput("parent_id must be an insight of this workshop.")
    if parent_id == insight_id:
        raise InvalidInput("An insight cannot be its own parent.")
    if parent.parent_id is not None:
        raise InvalidInput("Insights nest one level deep: the parent must be top level.")
    if insight_id is not None and any(i.parent_id == insight_id for i in insights.values()):
        raise InvalidInput("This insight has sub-points, so it cannot become one.")


def reorder(insights: Mapping[str, Insight], items: Sequence[Mapping[str, Any]]
            ) -> list[tuple[str, str | None, int]]:
    """A full new order: every insight exactly once; returns (id, parent_id, position)."""
    ids = [item.get("id") for item in items]
    if sorted(map(str, ids)) != sorted(insights) or len(set(ids)) != len(ids):
        raise InvalidInput("items must list every insight of the workshop exactly once.")
    parents = {str(item["id"]): item.get("parent_id") for item in items}
    result: list[tuple[str, str | None, int]] = []
    positions: dict[str | None, int] = {}
    for item in items:
        insight_id = str(item["id"])
        parent = parents[insight_id]
        if parent is not None:
            if parent not in insights:
                raise InvalidInput("parent_id must be an insight of this workshop.")
            if parent == insight_id:
                raise InvalidInput("An insight cannot be its own parent.")
            if parents.get(parent) is not None:
                raise InvalidInput("Insights nest one level deep: the parent must be top "
                                   "level.")
        position = positions.get(parent, 0)
        positions[parent] = position + 1
        result.append((insight_id, parent, position))
    return result


def move(tree: Sequence[NumberedInsight], insight_id: str, direction: str
         ) -> list[dict[str, str | None]]:
    """The order after moving one insight up/down among its siblings, or indenting it
    under the previous top-level insight / outdenting it to top level."""
    flat = [(n.insight.id, n.insight.parent_id) for n in flatten(tree)]
    index = next((i for i, (iid, _) in enumerate(flat) if iid == insight_id), None)
    if index is None:
        raise InvalidInput("No insight has that id.")
    iid, parent = flat[index]
    siblings = [i for i, (_, p) in enumerate(flat) if p == parent]
    position = siblings.index(index)
    if direction in ("up", "down"):
        if parent is None:
            blocks = _top_blocks(flat)
            b = next(i for i, block in enumerate(blocks) if block[0][0] == iid)
            j = b - 1 if direction == "up" else b + 1
            if 0 <= j < len(blocks):
                blocks[b], blocks[j] = blocks[j], blocks[b]
            flat = [entry for block in blocks for entry in block]
        else:
            j = position - 1 if direction == "up" else position + 1
            if 0 <= j < len(siblings):
                a, c = siblings[position], siblings[j]
                flat[a], flat[c] = flat[c], flat[a]
    elif direction == "indent":
        if parent is not None:
            raise InvalidInput("This insight is already a sub-point.")
        if any(p == iid for _, p in flat):
            raise InvalidInput("This insight has sub-points, so it cannot become one.")
        tops_before = [e for e in flat[:index] if e[1] is None]
        if not tops_before:
            raise InvalidInput("The first insight cannot become a sub-point.")
        flat[index] = (iid, tops_before[-1][0])
    elif direction == "outdent":
        if parent is None:
            raise InvalidInput("This insight is already top level.")
        entry = flat.pop(index)
        blocks = _top_blocks(flat)
        b = next(i for i, block in enumerate(blocks) if block[0][0] == parent)
        blocks.insert(b + 1, [(entry[0], None)])
        flat = [e for block in blocks for e in block]
    else:
        raise InvalidInput("Use up, down, indent or outdent.")
    return [{"id": i, "parent_id": p} for i, p in flat]


def _top_blocks(flat: list[tuple[str, str | None]]) -> list[list[tuple[str, str | None]]]:
    blocks: list[list[tuple[str, str | None]]] = []
    for entry in flat:
        if entry[1] is None or not blocks:
            blocks.append([entry])
        else:
            blocks[-1].append(entry)
    return blocks

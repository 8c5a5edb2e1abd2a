"""Insights' pure rules: numbering (1, 1.1, 2…), nesting one level deep, validating a
full new order (every insight once, parents top level, nobody its own parent) and
moving one insight up, down, in under the one above, or out to top level."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from workshop.domain.errors import InvalidInput
from workshop.domain.insights import (
    INSIGHT_MAX,
    Insight,
    NumberedInsight,
    Provenance,
    SourceType,
    check_parent,
    clean_insight_text,
    flatten,
    move,
    numbered,
    reorder,
)


def insight(iid: str, position: int, parent: str | None = None, created: float = 0.0
            ) -> Insight:
    return Insight(iid, "ws-1", f"Text of {iid}", parent, position, (), created)


def by_id(*insights: Insight) -> dict[str, Insight]:
    return {i.id: i for i in insights}


def numbers(tree: Sequence[NumberedInsight]) -> list[tuple[str, str]]:
    """(number, id) in reading order."""
    return [(n.number, n.insight.id) for n in flatten(tree)]


def outline(items: Sequence[dict[str, str | None]]) -> list[tuple[str, str | None]]:
    return [(str(item["id"]), item["parent_id"]) for item in items]


def tree_of(*entries: tuple[str, str | None]) -> list[NumberedInsight]:
    """A numbered tree from (id, parent) pairs in reading order."""
    positions: dict[str | None, int] = {}
    built = []
    for iid, parent in entries:
        built.append(insight(iid, positions.get(parent, 0), parent))
        positions[parent] = positions.get(parent, 0) + 1
    return numbered(built)


def apply(items: Sequence[dict[str, str | None]]) -> list[tuple[str, str]]:
    """Validate a new order with `reorder`, store it, and read back the numbers."""
    current = by_id(*(insight(str(i["id"]), 0) for i in items))
    order = reorder(current, items)
    return numbers(numbered([insight(iid, pos, parent) for iid, parent, pos in order]))


# -- numbering ---------------------------------------------------------------------------


def test_numbered_top_level_then_sub_points() -> None:
    tree = numbered([insight("c", 2), insight("a", 0), insight("a2", 1, "a"),
                     insight("b", 1), insight("a1", 0, "a"), insight("c1", 0, "c")])
    assert numbers(tree) == [("1", "a"), ("1.1", "a1"), ("1.2", "a2"), ("2", "b"),
                             ("3", "c"), ("3.1", "c1")]
    assert [n.insight.id for n in tree] == ["a", "b", "c"]
    assert tree[1].children == ()


def test_numbered_breaks_position_ties_by_creation_time() -> None:
    tree = numbered([insight("late", 0, created=20.0), insight("early", 0, created=10.0)])
    assert numbers(tree) == [("1", "early"), ("2", "late")]


def test_numbering_has_no_gaps_when_positions_do() -> None:
    tree = numbered([insight("a", 3), insight("b", 10), insight("b1", 7, "b")])
    assert numbers(tree) == [("1", "a"), ("2", "b"), ("2.1", "b1")]


def test_numbered_empty() -> None:
    assert numbered([]) == []


def test_as_json_carries_number_children_and_every_source() -> None:
    said = Provenance(SourceType.MESSAGE, "m-1", "Original words", "Alice", 5.0, "act-1",
                      "Best day?")
    other = Provenance(SourceType.RESPONSE, "b-1", "Other words", None, 6.0, None, None)
    top = Insight("a", "ws-1", "Edited words", None, 0, (said, other), 1.0)
    tree = numbered([top, insight("a1", 0, "a")])
    data = tree[0].as_json()
    assert data["number"] == "1" and data["text"] == "Edited words"
    assert data["source"] == {"type": "message", "id": "m-1", "text": "Original words",
                              "author": "Alice", "said_at": 5.0, "activity_id": "act-1",
                              "activity_prompt": "Best day?"}
    assert [s["id"] for s in data["sources"]] == ["m-1", "b-1"]
    assert data["sources"][1]["author"] is None
    assert [(c["number"], c["id"], c["parent_id"]) for c in data["children"]] == [
        ("1.1", "a1", "a")]
    assert data["children"][0]["source"] is None and data["children"][0]["sources"] == []


# -- text --------------------------------------------------------------------------------


def test_clean_insight_text() -> None:
    assert clean_insight_text("  Ship   smaller \n batches ") == "Ship smaller\nbatches"
    assert clean_insight_text("x" * INSIGHT_MAX) == "x" * INSIGHT_MAX
    with pytest.raises(InvalidInput, match=f"the limit is {INSIGHT_MAX}"):
        clean_insight_text("x" * (INSIGHT_MAX + 1))
    for empty in ("", "  ", None):
        with pytest.raises(InvalidInput, match="must not be empty"):
            clean_insight_text(empty)


# -- check_parent ------------------------------------------------------------------------

EXISTING = by_id(insight("a", 0), insight("a1", 0, "a"), insight("b", 1), insight("c", 2))


def test_check_parent_accepts_a_top_level_parent_or_none() -> None:
    check_parent(EXISTING, None, "a")  # a new insight under a
    check_parent(EXISTING, "b", "c")  # b (no sub-points) under c
    check_parent(EXISTING, "a1", "b")  # a sub-point moving to another parent
    check_parent(EXISTING, "a", None)


@pytest.mark.parametrize(("insight_id", "parent_id", "message"), [
    (None, "nope", "must be an insight of this workshop"),
    (None, "a1", "nest one level deep"),
    ("b", "a1", "nest one level deep"),
    ("b", "b", "cannot be its own parent"),
    ("a1", "a1", "cannot be its own parent"),
    ("a", "b", "has sub-points"),
])
def test_check_parent_refuses(insight_id: str | None, parent_id: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_parent(EXISTING, insight_id, parent_id)


# -- reorder -----------------------------------------------------------------------------


def test_reorder_returns_positions_per_level_in_the_given_order() -> None:
    items: list[dict[str, Any]] = [{"id": "c"}, {"id": "a1", "parent_id": "c"},
                                   {"id": "a"}, {"id": "b", "parent_id": "c"}]
    assert reorder(EXISTING, items) == [("c", None, 0), ("a1", "c", 0), ("a", None, 1),
                                        ("b", "c", 1)]


def test_reorder_can_list_a_sub_point_before_its_parent() -> None:
    assert apply([{"id": "x1", "parent_id": "x"}, {"id": "y"}, {"id": "x"}]) == [
        ("1", "y"), ("2", "x"), ("2.1", "x1")]


@pytest.mark.parametrize("items", [
    [{"id": "a"}, {"id": "a1", "parent_id": "a"}, {"id": "b"}],  # c missing
    [{"id": "a"}, {"id": "a1", "parent_id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "c"}],
    [{"id": "a"}, {"id": "a1", "parent_id": "a"}, {"id": "b"}, {"id": "b"}],  # b twice, no c
    [{"id": "a"}, {"id": "a1", "parent_id": "a"}, {"id": "b"}, {"id": "c"},
     {"id": "zzz"}],  # not an insight here
    [],
], ids=["missing", "twice", "twice-instead-of-another", "unknown", "empty"])
def test_reorder_needs_every_insight_exactly_once(items: list[dict[str, Any]]) -> None:
    with pytest.raises(InvalidInput, match="every insight of the workshop exactly once"):
        reorder(EXISTING, items)


def test_reorder_of_nothing_is_fine_when_there_is_nothing() -> None:
    assert reorder({}, []) == []


@pytest.mark.parametrize(("items", "message"), [
    ([{"id": "a"}, {"id": "a1", "parent_id": "nope"}, {"id": "b"}, {"id": "c"}],
     "must be an insight of this workshop"),
    # b under a1, which stays a sub-point of a: two levels
    ([{"id": "a"}, {"id": "a1", "parent_id": "a"}, {"id": "b", "parent_id": "a1"},
      {"id": "c"}], "nest one level deep"),
    # a (which keeps a sub-point) under b
    ([{"id": "a", "parent_id": "b"}, {"id": "a1", "parent_id": "a"}, {"id": "b"},
      {"id": "c"}], "nest one level deep"),
    ([{"id": "a"}, {"id": "a1", "parent_id": "a"}, {"id": "b", "parent_id": "b"},
      {"id": "c"}], "cannot be its own parent"),
], ids=["unknown-parent", "two-levels-down", "parent-becomes-child", "own-parent"])
def test_reorder_refuses_a_bad_parent(items: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        reorder(EXISTING, items)


def test_reorder_lets_a_sub_point_become_top_level_and_nest_another() -> None:
    # a1 leaves a and takes b as its sub-point: both levels change at once
    items: list[dict[str, Any]] = [{"id": "a"}, {"id": "a1"}, {"id": "b", "parent_id": "a1"},
                                   {"id": "c"}]
    assert reorder(EXISTING, items) == [("a", None, 0), ("a1", None, 1), ("b", "a1", 0),
                                        ("c", None, 2)]


# -- move --------------------------------------------------------------------------------

TREE = tree_of(("a", None), ("a1", "a"), ("a2", "a"), ("a3", "a"), ("b", None),
               ("c", None), ("c1", "c"))


def moved(insight_id: str, direction: str, tree: list[NumberedInsight] = TREE
          ) -> list[tuple[str, str]]:
    return apply(move(tree, insight_id, direction))


def test_the_example_tree() -> None:
    assert numbers(TREE) == [("1", "a"), ("1.1", "a1"), ("1.2", "a2"), ("1.3", "a3"),
                             ("2", "b"), ("3", "c"), ("3.1", "c1")]


def test_move_returns_every_insight_once() -> None:
    for _, iid in numbers(TREE):
        for direction in ("up", "down"):
            items = move(TREE, iid, direction)
            assert sorted(str(i["id"]) for i in items) == sorted(
                n.insight.id for n in flatten(TREE))


def test_moving_a_top_level_insight_carries_its_sub_points() -> None:
    assert moved("c", "up") == [("1", "a"), ("1.1", "a1"), ("1.2", "a2"), ("1.3", "a3"),
                                ("2", "c"), ("2.1", "c1"), ("3", "b")]
    assert moved("a", "down") == [("1", "b"), ("2", "a"), ("2.1", "a1"), ("2.2", "a2"),
                                  ("2.3", "a3"), ("3", "c"), ("3.1", "c1")]


def test_moving_past_either_end_changes_nothing() -> None:
    unchanged = numbers(TREE)
    assert moved("a", "up") == unchanged
    assert moved("c", "down") == unchanged
    assert moved("a1", "up") == unchanged  # a sub-point does not leave its parent
    assert moved("a3", "down") == unchanged
    assert moved("c1", "up") == unchanged and moved("c1", "down") == unchanged


def test_moving_a_sub_point_among_its_siblings() -> None:
    assert moved("a2", "up") == [("1", "a"), ("1.1", "a2"), ("1.2", "a1"), ("1.3", "a3"),
                                 ("2", "b"), ("3", "c"), ("3.1", "c1")]
    assert moved("a2", "down") == [("1", "a"), ("1.1", "a1"), ("1.2", "a3"), ("1.3", "a2"),
                                   ("2", "b"), ("3", "c"), ("3.1", "c1")]


def test_indent_nests_under_the_previous_top_level_insight_as_its_last_sub_point() -> None:
    assert moved("b", "indent") == [("1", "a"), ("1.1", "a1"), ("1.2", "a2"), ("1.3", "a3"),
                                    ("1.4", "b"), ("2", "c"), ("2.1", "c1")]


def test_indent_refusals() -> None:
    with pytest.raises(InvalidInput, match="first insight cannot become a sub-point"):
        move(tree_of(("x", None), ("y", None)), "x", "indent")
    with pytest.raises(InvalidInput, match="has sub-points"):
        move(TREE, "a", "indent")  # first, and holding sub-points
    with pytest.raises(InvalidInput, match="already a sub-point"):
        move(TREE, "a2", "indent")
    with pytest.raises(InvalidInput, match="has sub-points"):
        move(TREE, "c", "indent")  # c holds c1: it would be two levels deep


def test_outdent_puts_a_sub_point_right_after_its_parent() -> None:
    assert moved("a2", "outdent") == [("1", "a"), ("1.1", "a1"), ("1.2", "a3"), ("2", "a2"),
                                      ("3", "b"), ("4", "c"), ("4.1", "c1")]
    assert moved("c1", "outdent") == [("1", "a"), ("1.1", "a1"), ("1.2", "a2"),
                                      ("1.3", "a3"), ("2", "b"), ("3", "c"), ("4", "c1")]


def test_outdent_refuses_a_top_level_insight() -> None:
    with pytest.raises(InvalidInput, match="already top level"):
        move(TREE, "b", "outdent")


def test_indent_then_outdent_restores_the_order() -> None:
    indented = tree_of(*[(str(i["id"]), i["parent_id"]) for i in move(TREE, "b", "indent")])
    assert moved("b", "outdent", indented) == numbers(TREE)


def test_move_refuses_an_unknown_insight_or_direction() -> None:
    with pytest.raises(InvalidInput, match="No insight has that id"):
        move(TREE, "nope", "up")
    with pytest.raises(InvalidInput, match="up, down, indent or outdent"):
        move(TREE, "b", "sideways")


def test_move_in_a_single_insight_list() -> None:
    alone = tree_of(("only", None))
    assert outline(move(alone, "only", "up")) == [("only", None)]
    assert outline(move(alone, "only", "down")) == [("only", None)]
    with pytest.raises(InvalidInput, match="first insight"):
        move(alone, "only", "indent")

"""Result summaries for each poll kind (workshop.domain.tally.summarise)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pytest

from tests.domain.helpers import activity
from workshop.domain.models import Activity, PollKind
from workshop.domain.polls import ballot_items
from workshop.domain.tally import Bar, ItemCount, RankRow, Results, summarise

K = PollKind


def tally(poll: Activity, values: Sequence[object], round_: int = 1) -> Results:
    """Validate each value like the service does, then count items exactly like the store's
    `SELECT item, COUNT(*), SUM(position) … GROUP BY item`, then summarise."""
    ballots = [ballot_items(poll, value) for value in values]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for items in ballots:
        for position, item in enumerate(items):
            counts[item][0] += 1
            counts[item][1] += position
    rows = [ItemCount(item, n, pos) for item, (n, pos) in counts.items()]
    texts = [items[0] for items in reversed(ballots)] if poll.kind is K.OPEN_TEXT else []
    return summarise(poll, round_, len(ballots), rows, texts)


def test_single_choice_counts_and_shares() -> None:
    poll = activity(K.SINGLE_CHOICE, ("Mon", "Tue", "Fri"))
    results = tally(poll, ["o2", "o2", "o0", "o2"])
    assert results.total == 4
    assert results.bars == (
        Bar("o0", "Mon", 1, 0.25), Bar("o1", "Tue", 0, 0.0), Bar("o2", "Fri", 3, 0.75))
    assert results.mean is None and results.ranking == () and results.texts == ()


def test_multiple_choice_shares_are_of_ballots_not_of_picks() -> None:
    poll = activity(K.MULTIPLE_CHOICE, ("a", "b", "c"))
    results = tally(poll, [["o0", "o1"], ["o0"], ["o0", "o1", "o2"], ["o2"]])
    assert results.total == 4
    assert [(b.label, b.count, b.share) for b in results.bars] == [
        ("a", 3, 0.75), ("b", 2, 0.5), ("c", 2, 0.5)]
    assert sum(b.count for b in results.bars) == 7  # picks, not ballots


@pytest.mark.parametrize("kind", [K.SINGLE_CHOICE, K.MULTIPLE_CHOICE])
def test_choice_without_votes_lists_every_option_at_zero(kind: PollKind) -> None:
    results = tally(activity(kind, ("a", "b")), [])
    assert results.total == 0
    assert [(b.key, b.count, b.share) for b in results.bars] == [("o0", 0, 0.0), ("o1", 0, 0.0)]


def test_counts_for_options_no_longer_in_the_poll_are_ignored() -> None:
    poll = activity(K.SINGLE_CHOICE, ("a", "b"))
    results = summarise(poll, 1, 3, [ItemCount("o0", 2, 0), ItemCount("gone", 1, 0)])
    assert [(b.key, b.count) for b in results.bars] == [("o0", 2), ("o1", 0)]


def test_rating_distribution_over_every_star_and_mean() -> None:
    results = tally(activity(K.RATING), [5, 4, 4, 1])
    assert [(b.key, b.count) for b in results.bars] == [
        ("1", 1), ("2", 0), ("3", 0), ("4", 2), ("5", 1)]
    assert results.bars[3].share == 0.5
    assert results.mean == 3.5


def test_mean_is_rounded_to_two_places() -> None:
    assert tally(activity(K.RATING), [1, 1, 2]).mean == 1.33
    assert tally(activity(K.RATING), [2, 2, 1]).mean == 1.67


def test_scale_distribution_uses_its_own_range_including_negatives() -> None:
    poll = activity(K.SCALE, min=-2, max=2)
    results = tally(poll, [-2, -2, 2, 1])
    assert [b.key for b in results.bars] == ["-2", "-1", "0", "1", "2"]
    assert [b.count for b in results.bars] == [2, 0, 0, 1, 1]
    assert results.mean == -0.25


@pytest.mark.parametrize("poll", [activity(K.RATING), activity(K.SCALE)],
                         ids=["rating", "scale"])
def test_no_votes_has_no_mean(poll: Activity) -> None:
    results = tally(poll, [])
    assert results.total == 0 and results.mean is None
    assert all(b.count == 0 and b.share == 0 for b in results.bars)


def test_word_cloud_orders_by_count_then_alphabetically() -> None:
    poll = activity(K.WORD_CLOUD)
    results = tally(poll, [["Focus", "speed"], ["focus!", "Clarity"], ["FOCUS"], ["clarity"],
                           ["apple"]])
    assert [(b.key, b.count) for b in results.bars] == [
        ("focus", 3), ("clarity", 2), ("apple", 1), ("speed", 1)]
    # shares are relative to the most frequent word (drives the font size)
    assert [b.share for b in results.bars] == [1.0, 2 / 3, 1 / 3, 1 / 3]
    assert results.total == 5


def test_word_cloud_without_votes_is_empty() -> None:
    results = tally(activity(K.WORD_CLOUD), [])
    assert results.bars == () and results.total == 0


def test_open_text_keeps_the_answers_given() -> None:
    poll = activity(K.OPEN_TEXT)
    results = tally(poll, ["first", "second <b>"])
    assert results.texts == ("second <b>", "first")
    assert results.total == 2 and results.bars == ()


def test_ranking_average_rank_and_borda_points() -> None:
    poll = activity(K.RANKING, ("x", "y", "z"))
    # three voters: x,y,z / y,x,z / y,z,x
    results = tally(poll, [["o0", "o1", "o2"], ["o1", "o0", "o2"], ["o1", "o2", "o0"]])
    # points: first place 2, second 1, last 0
    #   y: 1 + 2 + 2 = 5   x: 2 + 1 + 0 = 3   z: 0 + 0 + 1 = 1
    # average rank (1 = first): y (2+1+1)/3, x (1+2+3)/3, z (3+3+2)/3
    assert results.ranking == (
        RankRow("o1", "y", 1.33, 5),
        RankRow("o0", "x", 2.0, 3),
        RankRow("o2", "z", 2.67, 1),
    )
    # Borda points always add up to n(n-1)/2 per ballot
    assert sum(r.points for r in results.ranking) == 3 * 3


def test_ranking_ties_on_points_break_by_average_then_label() -> None:
    poll = activity(K.RANKING, ("b", "a"))
    results = tally(poll, [["o0", "o1"], ["o1", "o0"]])
    assert [(r.label, r.points, r.average_rank) for r in results.ranking] == [
        ("a", 1, 1.5), ("b", 1, 1.5)]


def test_ranking_without_votes_keeps_option_order_with_no_average() -> None:
    poll = activity(K.RANKING, ("b", "a", "c"))
    results = tally(poll, [])
    assert [(r.label, r.points, r.average_rank) for r in results.ranking] == [
        ("a", 0, None), ("b", 0, None), ("c", 0, None)]


def test_results_carry_activity_kind_and_round() -> None:
    poll = activity(K.RATING, round_=3)
    results = tally(poll, [2], round_=3)
    assert (results.activity_id, results.kind, results.round, results.total) == (
        "act-1", K.RATING, 3, 1)


@pytest.mark.parametrize(("poll", "values", "expected"), [
    (activity(K.SINGLE_CHOICE, ("a", "b")), ["o1"],
     {"counts": [{"option_id": "o0", "label": "a", "count": 0},
                 {"option_id": "o1", "label": "b", "count": 1}]}),
    (activity(K.RATING), [4, 5],
     {"distribution": [{"value": v, "count": int(v in (4, 5))} for v in range(1, 6)],
      "mean": 4.5}),
    (activity(K.SCALE, min=0, max=2), [0],
     {"distribution": [{"value": 0, "count": 1}, {"value": 1, "count": 0},
                       {"value": 2, "count": 0}], "mean": 0.0}),
    (activity(K.WORD_CLOUD), [["Hi"]], {"words": [{"word": "hi", "count": 1}]}),
    (activity(K.OPEN_TEXT), ["hello"], {"answers": ["hello"]}),
    (activity(K.RANKING, ("x", "y")), [["o1", "o0"]],
     {"ranking": [{"option_id": "o1", "label": "y", "average_rank": 1.0, "points": 1},
                  {"option_id": "o0", "label": "x", "average_rank": 2.0, "points": 0}]}),
], ids=["single_choice", "rating", "scale", "word_cloud", "open_text", "ranking"])
def test_as_json_shape_per_kind(poll: Activity, values: list[object],
                                expected: dict[str, object]) -> None:
    data = tally(poll, values).as_json()
    assert data == {"activity_id": "act-1", "kind": poll.kind.value, "round": 1,
                    "total": len(values), **expected}

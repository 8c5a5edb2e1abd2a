"""The objectives board's pure rules: validating objectives, board settings and drafts,
who sees what on the wall and in which order, and the 2×2 placement poll a board pipes
into (ballot items and tally)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest

from tests.domain.helpers import activity
from workshop.domain import limits
from workshop.domain.errors import InvalidInput
from workshop.domain.models import Activity, PollKind
from workshop.domain.objectives import (
    DOTS_DEFAULT,
    DOTS_LIMIT,
    MAX_KEY_RESULTS_DEFAULT,
    MAX_KEY_RESULTS_LIMIT,
    BoardState,
    KeyResult,
    Objective,
    Voting,
    can_add_dot,
    clean_board_settings,
    clean_draft,
    clean_objective,
    order_wall,
)
from workshop.domain.polls import ballot_items, clean_settings
from workshop.domain.tally import ItemCount, Point, Results, summarise
from workshop.domain.wall import wall_for

KR = {"text": "Raise on-time milestones from 62% to 85%"}


# -- clean_objective ---------------------------------------------------------------------


def test_clean_objective_collapses_whitespace_and_keeps_key_result_fields() -> None:
    text, krs = clean_objective(
        "  Make   delivery\tpredictable  ",
        [{"text": " Cut  lead time ", "metric": "lead time", "baseline": "30",
          "target": "15", "unit": "days", "due": "Q3"}, "Raise NPS from 20 to 40"],
        MAX_KEY_RESULTS_DEFAULT)
    assert text == "Make delivery predictable"
    assert krs == (KeyResult("Cut lead time", "lead time", "30", "15", "days", "Q3"),
                   KeyResult("Raise NPS from 20 to 40"))
    assert krs[0].as_json() == {"text": "Cut lead time", "metric": "lead time",
                                "baseline": "30", "target": "15", "unit": "days",
                                "due": "Q3"}
    assert krs[1].as_json() == {"text": "Raise NPS from 20 to 40"}  # empty fields left out


def test_clean_objective_needs_at_least_one_key_result() -> None:
    with pytest.raises(InvalidInput, match="at least one key result"):
        clean_objective("Make delivery predictable", [], 5)


def test_clean_objective_drops_empty_rows_before_counting() -> None:
    rows: list[Any] = [{"text": ""}, {"text": "   ", "metric": "ignored"}, "", "  ",
                       KR, {"text": None}]
    _, krs = clean_objective("Make delivery predictable", rows, 1)
    assert krs == (KeyResult(KR["text"]),)
    with pytest.raises(InvalidInput, match="at least one key result"):
        clean_objective("Make delivery predictable", [{"text": ""}, "  "], 5)


@pytest.mark.parametrize("maximum", [1, 3, MAX_KEY_RESULTS_LIMIT])
def test_clean_objective_takes_up_to_max_key_results(maximum: int) -> None:
    rows = [{"text": f"Raise metric {i} from 1 to 2"} for i in range(maximum + 1)]
    _, krs = clean_objective("Make delivery predictable", rows[:maximum], maximum)
    assert len(krs) == maximum
    with pytest.raises(InvalidInput, match=rf"at most {maximum} key results"):
        clean_objective("Make delivery predictable", rows, maximum)


def test_over_long_objective_is_refused_with_the_limit() -> None:
    assert limits.OBJECTIVE_MAX == 200
    exactly = "x" * 200
    assert clean_objective(exactly, [KR], 5)[0] == exactly
    with pytest.raises(InvalidInput) as refused:
        clean_objective("x" * 201, [KR], 5)
    assert "Objective" in refused.value.message
    assert "201" in refused.value.message and "200" in refused.value.message


def test_over_long_key_result_is_refused_with_the_limit_and_its_number() -> None:
    assert limits.KEY_RESULT_MAX == 200
    ok = "k" * 200
    assert clean_objective("Make delivery predictable", [KR, ok], 5)[1][1].text == ok
    with pytest.raises(InvalidInput) as refused:
        clean_objective("Make delivery predictable", [KR, "k" * 201], 5)
    assert "Key result 2" in refused.value.message
    assert "limit is 200" in refused.value.message


@pytest.mark.parametrize(("text", "key_results", "message"), [
    ("", [KR], "Objective must not be empty"),
    ("   ", [KR], "Objective must not be empty"),
    (42, [KR], "Objective must be text"),
    ("Make delivery predictable", "Raise X from 1 to 2", "key_results must be a list"),
    ("Make delivery predictable", {"text": "x"}, "key_results must be a list"),
    ("Make delivery predictable", [7], "Key result 1 must be an object"),
    ("Make delivery predictable", [{"text": "Raise X", "owner": "me"}], "unknown field"),
    ("Make delivery predictable", [{"text": "Raise X", "target": "9" * 61}],
     "Key result 1 target is too long"),
])
def test_clean_objective_refuses_bad_shapes(text: object, key_results: object,
                                            message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        clean_objective(text, key_results, 5)


# -- board settings ----------------------------------------------------------------------


def test_board_settings_defaults() -> None:
    expected = {
        "hide_results": False, "max_key_results": MAX_KEY_RESULTS_DEFAULT,
        "show_names": True, "silent_drafting": False, "dots": DOTS_DEFAULT,
        "max_dots_per_objective": 1, "hide_votes_until_closed": False,
    }
    assert clean_board_settings({}) == expected
    # the poll-kind entry point gives the same defaults
    assert clean_settings(PollKind.OBJECTIVES, None, 0) == expected


def test_board_settings_accept_form_values() -> None:
    settings = clean_board_settings({
        "max_key_results": "3", "dots": "5", "max_dots_per_objective": 2,
        "show_names": "off", "silent_drafting": "on", "hide_votes_until_closed": "true",
        "hide_results": "", "": None})
    assert settings == {
        "hide_results": False, "max_key_results": 3, "show_names": False,
        "silent_drafting": True, "dots": 5, "max_dots_per_objective": 2,
        "hide_votes_until_closed": True,
    }


def test_board_settings_limits_inclusive() -> None:
    low = clean_board_settings({"dots": 1, "max_key_results": 1})
    assert (low["dots"], low["max_key_results"], low["max_dots_per_objective"]) == (1, 1, 1)
    high = clean_board_settings({"dots": DOTS_LIMIT, "max_key_results": MAX_KEY_RESULTS_LIMIT,
                                 "max_dots_per_objective": DOTS_LIMIT})
    assert (high["dots"], high["max_key_results"], high["max_dots_per_objective"]) == (
        DOTS_LIMIT, MAX_KEY_RESULTS_LIMIT, DOTS_LIMIT)


@pytest.mark.parametrize(("raw", "message"), [
    ({"dots": 0}, f"settings.dots must be between 1 and {DOTS_LIMIT}"),
    ({"dots": DOTS_LIMIT + 1}, f"settings.dots must be between 1 and {DOTS_LIMIT}"),
    ({"dots": True}, "settings.dots must be a whole number"),
    ({"dots": "many"}, "settings.dots must be a whole number"),
    ({"max_key_results": 0}, f"between 1 and {MAX_KEY_RESULTS_LIMIT}"),
    ({"max_key_results": MAX_KEY_RESULTS_LIMIT + 1}, f"between 1 and {MAX_KEY_RESULTS_LIMIT}"),
    ({"dots": 3, "max_dots_per_objective": 4}, "max_dots_per_objective must be between 1 and 3"),
    ({"max_dots_per_objective": 0}, "max_dots_per_objective must be between 1 and 3"),
    ({"show_names": "maybe"}, "settings.show_names must be true or false"),
])
def test_board_settings_refuse_out_of_range(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        clean_board_settings(raw)


def test_board_settings_refuse_unknown_keys_and_poll_only_keys() -> None:
    with pytest.raises(InvalidInput, match="Unknown setting"):
        clean_settings(PollKind.OBJECTIVES, {"dots": 3, "colour": "red"}, 0)
    with pytest.raises(InvalidInput, match="source_activity_id"):
        clean_settings(PollKind.OBJECTIVES, {"source_activity_id": "x"}, 0)


def test_can_add_dot() -> None:
    settings = clean_board_settings({"dots": 3, "max_dots_per_objective": 2})
    assert can_add_dot(0, 0, settings) is None
    assert can_add_dot(2, 1, settings) is None
    assert can_add_dot(3, 0, settings) == "You have used all 3 of your votes."
    assert can_add_dot(2, 2, settings) == "You can give at most 2 votes to one objective."
    single = clean_board_settings({})
    assert can_add_dot(1, 1, single) == "You already voted for this objective."


# -- drafts ------------------------------------------------------------------------------


def test_clean_draft_keeps_what_was_typed() -> None:
    typed = {"text": "  half a thought, " + "y" * 250, "aligns_to": "org-1",
             "key_results": ["Raise X", {"text": "", "metric": "NPS"},
                             {"text": "k" * 300, "due": "Q4"}]}
    draft = clean_draft(typed)
    # over the submit limit (200) but under the draft cap: kept as typed, not rejected
    assert draft["text"] == typed["text"]
    assert draft["aligns_to"] == "org-1"
    assert draft["key_results"] == [
        {"text": "Raise X", "metric": "", "baseline": "", "target": "", "unit": "",
         "due": ""},
        {"text": "", "metric": "NPS", "baseline": "", "target": "", "unit": "", "due": ""},
        {"text": "k" * 300, "metric": "", "baseline": "", "target": "", "unit": "",
         "due": "Q4"},
    ]


def test_clean_draft_of_nothing_is_empty() -> None:
    assert clean_draft({}) == {"text": "", "key_results": [], "aligns_to": None}
    assert clean_draft({"text": None, "key_results": None, "aligns_to": 5}) == {
        "text": "", "key_results": [], "aligns_to": None}


def test_clean_draft_limits() -> None:
    cap = limits.OBJECTIVE_MAX * 2
    assert clean_draft({"text": "t" * cap})["text"] == "t" * cap
    with pytest.raises(InvalidInput, match=f"over {limits.OBJECTIVE_MAX} characters"):
        clean_draft({"text": "t" * (cap + 1)})
    rows = [{"text": f"kr {i}"} for i in range(MAX_KEY_RESULTS_LIMIT)]
    assert len(clean_draft({"key_results": rows})["key_results"]) == MAX_KEY_RESULTS_LIMIT
    with pytest.raises(InvalidInput, match=f"at most {MAX_KEY_RESULTS_LIMIT} key results"):
        clean_draft({"key_results": [*rows, {"text": "one more"}]})
    kr_cap = limits.KEY_RESULT_MAX * 2
    assert clean_draft({"key_results": [{"text": "k" * kr_cap}]})["key_results"][0][
        "text"] == "k" * kr_cap
    with pytest.raises(InvalidInput, match="key result text is too long"):
        clean_draft({"key_results": [{"text": "k" * (kr_cap + 1)}]})
    with pytest.raises(InvalidInput, match="key result metric is too long"):
        clean_draft({"key_results": [{"text": "k", "metric": "m" * 121}]})


@pytest.mark.parametrize(("raw", "message"), [
    ("just text", "A draft must be an object"),
    ({"text": 5}, "text must be text"),
    ({"key_results": "Raise X"}, "at most"),
    ({"key_results": [5]}, "Each key result must be an object"),
    ({"key_results": [{"text": ["a"]}]}, "text must be text"),
])
def test_clean_draft_refuses_bad_shapes(raw: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        clean_draft(raw)


# -- the wall ----------------------------------------------------------------------------

SETTINGS = clean_board_settings({})


def objective(oid: str, author: str = "p-alice", *, name: str = "Alice", theme: str = "",
              hidden: bool = False, votes: int = 0, created: float = 0.0,
              text: str | None = None) -> Objective:
    return Objective(
        id=oid, activity_id="act-1", author_ids=(author,),
        text=text or f"Objective {oid}", key_results=(KeyResult("Raise X from 1 to 2"),),
        aligns_to=None, theme=theme, hidden=hidden, votes=votes, created_at=created,
        author_names=(name,))


def board(voting: Voting = Voting.NOT_STARTED, *, wall_open: bool = True) -> BoardState:
    return BoardState("act-1", wall_open=wall_open, voting=voting)


def ids(items: Sequence[Any]) -> list[str]:
    return [item.objective.id for item in items]


WALL = [
    objective("a", "p-alice", name="Alice", created=1),
    objective("b", "p-bob", name="Bob", hidden=True, created=2, votes=4),
    objective("c", "p-carol", name="Carol", created=3, votes=2),
]


def test_facilitator_sees_everything_including_hidden() -> None:
    items = wall_for(WALL, board(), SETTINGS, facilitator=True)
    assert ids(items) == ["a", "b", "c"]
    assert [i.objective.hidden for i in items] == [False, True, False]
    assert [i.author for i in items] == ["Alice", "Bob", "Carol"]
    assert [i.votes for i in items] == [0, 4, 2]
    assert items[1].as_json()["hidden"] is True


def test_participants_do_not_see_hidden_objectives_except_their_own() -> None:
    assert ids(wall_for(WALL, board(), SETTINGS, facilitator=False)) == ["a", "c"]
    assert ids(wall_for(WALL, board(), SETTINGS, facilitator=False,
                        participant_id="p-alice")) == ["a", "c"]
    bobs = wall_for(WALL, board(), SETTINGS, facilitator=False, participant_id="p-bob")
    assert ids(bobs) == ["a", "b", "c"]
    assert [i.mine for i in bobs] == [False, True, False]
    assert bobs[1].as_json()["mine"] is True and bobs[1].as_json()["hidden"] is True


def test_silent_drafting_with_the_wall_closed_shows_only_your_own() -> None:
    closed = board(wall_open=False)
    assert ids(wall_for(WALL, closed, SETTINGS, facilitator=False,
                        participant_id="p-carol")) == ["c"]
    assert ids(wall_for(WALL, closed, SETTINGS, facilitator=False)) == []
    assert ids(wall_for(WALL, closed, SETTINGS, facilitator=True)) == ["a", "b", "c"]
    assert ids(wall_for(WALL, board(), SETTINGS, facilitator=False,
                        participant_id="p-carol")) == ["a", "c"]


def test_show_names_false_hides_authors_from_participants_only() -> None:
    anonymous = clean_board_settings({"show_names": False})
    public = wall_for(WALL, board(), anonymous, facilitator=False, participant_id="p-alice")
    assert [i.author for i in public] == [None, None]
    assert all("author" not in i.as_json() for i in public)
    facilitator = wall_for(WALL, board(), anonymous, facilitator=True)
    assert [i.author for i in facilitator] == ["Alice", "Bob", "Carol"]
    assert facilitator[0].as_json()["author"] == "Alice"
    named = wall_for(WALL, board(), SETTINGS, facilitator=False)
    assert [i.as_json()["author"] for i in named] == ["Alice", "Carol"]


def test_merged_objective_names_every_author_and_nameless_is_anonymous() -> None:
    merged = Objective("m", "act-1", ("p-a", "p-b"), "Merged", (KeyResult("Raise X"),),
                       None, "", False, 3, 0.0, author_names=("Alice", "Bob"))
    nameless = objective("n", "p-x", name="")
    items = wall_for([merged, nameless], board(), SETTINGS, facilitator=False)
    assert [i.author for i in items] == ["Alice & Bob", "Anonymous"]
    assert items[0].mine is False
    assert wall_for([merged], board(), SETTINGS, facilitator=False,
                    participant_id="p-b")[0].mine is True


@pytest.mark.parametrize("voting", [Voting.NOT_STARTED, Voting.OPEN])
def test_hidden_vote_counts_until_voting_closes(voting: Voting) -> None:
    secret = clean_board_settings({"hide_votes_until_closed": True})
    public = wall_for(WALL, board(voting), secret, facilitator=False)
    assert [i.votes for i in public] == [None, None]
    assert all(i.as_json()["votes"] is None for i in public)
    # and the order does not give the counts away
    assert ids(public) == ["a", "c"]
    expected = [0, 4, 2] if voting is Voting.NOT_STARTED else [4, 2, 0]
    assert [i.votes for i in wall_for(WALL, board(voting), secret,
                                      facilitator=True)] == expected


def test_vote_counts_shown_once_voting_closed() -> None:
    secret = clean_board_settings({"hide_votes_until_closed": True})
    public = wall_for(WALL, board(Voting.CLOSED), secret, facilitator=False)
    assert ids(public) == ["c", "a"]
    assert [i.votes for i in public] == [2, 0]
    # without the setting, counts are always visible
    assert [i.votes for i in wall_for(WALL, board(Voting.OPEN), SETTINGS,
                                      facilitator=False)] == [2, 0]


THEMED = [
    objective("u1", created=1, votes=9),
    objective("g1", theme="growth", created=2, votes=1),
    objective("c1", theme="Cost", created=3, votes=0),
    objective("g2", theme="Growth", created=4, votes=5),
    objective("c2", theme="Cost", created=5, votes=7),
    objective("u2", created=6, votes=9),
    objective("g3", theme="Growth", created=7, votes=5),
]


def test_order_wall_groups_themes_then_oldest_first_before_voting() -> None:
    assert [o.id for o in order_wall(THEMED, by_votes=False)] == [
        "c1", "c2", "g1", "g2", "g3", "u1", "u2"]


def test_order_wall_by_votes_within_each_theme_ties_oldest_first() -> None:
    assert [o.id for o in order_wall(THEMED, by_votes=True)] == [
        "c2", "c1", "g2", "g3", "g1", "u1", "u2"]


def test_wall_orders_by_votes_once_voting_started() -> None:
    assert ids(wall_for(THEMED, board(), SETTINGS, facilitator=True)) == [
        "c1", "c2", "g1", "g2", "g3", "u1", "u2"]
    for voting in (Voting.OPEN, Voting.CLOSED):
        assert ids(wall_for(THEMED, board(voting), SETTINGS, facilitator=False)) == [
            "c2", "c1", "g2", "g3", "g1", "u1", "u2"]


def test_wall_item_json_shape() -> None:
    item = wall_for([objective("a", theme="Cost", votes=2)], board(), SETTINGS,
                    facilitator=False)[0]
    assert item.as_json() == {
        "id": "a", "text": "Objective a",
        "key_results": [{"text": "Raise X from 1 to 2"}], "votes": 2, "theme": "Cost",
        "aligns_to": None, "hidden": False, "mine": False, "author": "Alice"}
    plain = wall_for([objective("b")], board(), SETTINGS, facilitator=False)[0]
    assert plain.as_json()["theme"] is None


# -- 2×2 placement -----------------------------------------------------------------------


def placement(**settings: Any) -> Activity:
    return activity(PollKind.PLACEMENT, ("Ship faster", "Fewer incidents", "Happier team"),
                    **settings)


def test_placement_settings_defaults() -> None:
    assert placement().settings == {"hide_results": False, "min": 1, "max": 5,
                                    "x_label": "Impact", "y_label": "Confidence"}
    with pytest.raises(InvalidInput, match="spans at most 10"):
        placement(min=0, max=11)


def test_placement_ballot_items_one_per_option_in_option_order() -> None:
    poll = placement()
    items = ballot_items(poll, {"o2": [5, 1], "o0": [1, 5], "o1": ["3", 3.0]})
    assert items == ("o0:1:5", "o1:3:3", "o2:5:1")


@pytest.mark.parametrize(("value", "message"), [
    ({"o0": [1, 1], "o1": [1, 1]}, "Place every item"),
    ({"o0": [1, 1], "o1": [1, 1], "o2": [1, 1], "o9": [1, 1]}, "Place every item"),
    ({"o0": [1, 1], "o1": [1, 1], "o2": [0, 1]}, "between 1 and 5"),
    ({"o0": [1, 1], "o1": [1, 1], "o2": [1, 6]}, "between 1 and 5"),
    ({"o0": [1, 1], "o1": [1, 1], "o2": [1]}, r"must be \[x, y\]"),
    ({"o0": [1, 1], "o1": [1, 1], "o2": "1,1"}, r"must be \[x, y\]"),
    ({"o0": [1, 1], "o1": [1, 1], "o2": [True, 1]}, "whole number"),
    ({"o0": [1, 1], "o1": [1, 1], "o2": [1.5, 1]}, "whole number"),
    ([[1, 1], [1, 1], [1, 1]], "map each option id"),
])
def test_placement_ballot_items_refuse_bad_values(value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ballot_items(placement(), value)


def tally(poll: Activity, values: Sequence[object]) -> Results:
    """Validate like the service, count items like the store's GROUP BY, summarise."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ballots = [ballot_items(poll, value) for value in values]
    for items in ballots:
        for position, item in enumerate(items):
            counts[item][0] += 1
            counts[item][1] += position
    rows = [ItemCount(item, n, pos) for item, (n, pos) in counts.items()]
    return summarise(poll, 1, len(ballots), rows)


def test_placement_tally_averages_and_spread() -> None:
    poll = placement()
    results = tally(poll, [
        {"o0": [1, 2], "o1": [5, 5], "o2": [2, 4]},
        {"o0": [3, 2], "o1": [5, 5], "o2": [2, 4]},
        {"o0": [5, 2], "o1": [5, 4], "o2": [2, 4]},
        {"o0": [3, 2], "o1": [5, 4], "o2": [2, 4]},
    ])
    assert results.total == 4
    by_key = {p.key: p for p in results.points}
    assert [p.key for p in results.points] == ["o0", "o1", "o2"]  # option order
    # o0: x = 1, 3, 5, 3 → mean 3, population std sqrt((4+0+4+0)/4) = 1.41; y all 2
    assert by_key["o0"] == Point("o0", "Ship faster", 3.0, 2.0,
                                 round(math.sqrt(2), 2), 0.0, 4)
    # o1: y = 5, 5, 4, 4 → mean 4.5, std 0.5
    assert by_key["o1"] == Point("o1", "Fewer incidents", 5.0, 4.5, 0.0, 0.5, 4)
    assert by_key["o2"] == Point("o2", "Happier team", 2.0, 4.0, 0.0, 0.0, 4)
    assert results.as_json()["points"][1] == {
        "option_id": "o1", "label": "Fewer incidents", "x": 5.0, "y": 4.5,
        "x_spread": 0.0, "y_spread": 0.5, "count": 4}


def test_placement_tally_rounds_and_handles_no_ballots() -> None:
    poll = placement()
    empty = tally(poll, [])
    assert empty.total == 0
    assert empty.points == tuple(Point(f"o{i}", label, None, None, 0.0, 0.0, 0)
                                 for i, label in enumerate(
                                     ("Ship faster", "Fewer incidents", "Happier team")))
    thirds = tally(poll, [{"o0": [1, 1], "o1": [1, 1], "o2": [1, 1]},
                          {"o0": [1, 1], "o1": [1, 1], "o2": [1, 1]},
                          {"o0": [2, 5], "o1": [1, 1], "o2": [1, 1]}])
    first = thirds.points[0]
    assert (first.x, first.y) == (1.33, 2.33)
    assert (first.x_spread, first.y_spread) == (0.47, 1.89)
    assert first.count == 3

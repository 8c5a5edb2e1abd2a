"""The poll life cycle (workshop.domain.flow): transitions, refusals, reset."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.domain.helpers import activity
from workshop.domain.errors import Conflict, InvalidInput
from workshop.domain.flow import Action, accepts_votes, apply_action, parse_action
from workshop.domain.models import Activity, ActivityState, PollKind

S = ActivityState
A = Action


def poll(state: ActivityState, *, visible: bool = True, round_: int = 1,
         hide_results: bool = False) -> Activity:
    return activity(PollKind.SINGLE_CHOICE, ("a", "b"), state=state, round_=round_,
                    results_visible=visible, hide_results=hide_results)


TRANSITIONS: list[tuple[ActivityState, Action, ActivityState]] = [
    (S.DRAFT, A.OPEN, S.OPEN),
    (S.CLOSED, A.OPEN, S.OPEN),  # reopen
    (S.OPEN, A.CLOSE, S.CLOSED),
    (S.DRAFT, A.REVEAL, S.DRAFT),
    (S.OPEN, A.REVEAL, S.OPEN),
    (S.CLOSED, A.REVEAL, S.CLOSED),
    (S.DRAFT, A.HIDE, S.DRAFT),
    (S.OPEN, A.HIDE, S.OPEN),
    (S.CLOSED, A.HIDE, S.CLOSED),
]


@pytest.mark.parametrize(("before", "action", "after"), TRANSITIONS)
def test_transitions(before: ActivityState, action: Action, after: ActivityState) -> None:
    start = poll(before)
    result = apply_action(start, action)
    assert result.state is after
    assert result.round == start.round
    assert (result.id, result.options, result.prompt) == (start.id, start.options, start.prompt)
    assert start.state is before  # pure: the input is untouched


@pytest.mark.parametrize(("state", "action", "message"), [
    (S.OPEN, A.OPEN, "already open"),
    (S.DRAFT, A.CLOSE, "not open"),
    (S.CLOSED, A.CLOSE, "not open"),
])
def test_refused_transitions(state: ActivityState, action: Action, message: str) -> None:
    with pytest.raises(Conflict, match=message):
        apply_action(poll(state), action)


@pytest.mark.parametrize("state", list(ActivityState))
@pytest.mark.parametrize(("action", "visible"), [(A.REVEAL, True), (A.HIDE, False)])
def test_reveal_and_hide_set_visibility_and_keep_state(
        state: ActivityState, action: Action, visible: bool) -> None:
    for start_visible in (True, False):
        result = apply_action(poll(state, visible=start_visible), action)
        assert result.results_visible is visible
        assert result.state is state


@pytest.mark.parametrize("state", list(ActivityState))
@pytest.mark.parametrize(("hide_results", "visible_after"), [(False, True), (True, False)])
def test_reset_starts_a_new_round_in_draft(state: ActivityState, hide_results: bool,
                                           visible_after: bool) -> None:
    # start from the opposite visibility so the reset must actually set it
    start = poll(state, round_=2, visible=not visible_after, hide_results=hide_results)
    result = apply_action(start, A.RESET)
    assert result.round == 3
    assert result.state is S.DRAFT
    assert result.results_visible is visible_after
    assert result.settings == start.settings


def test_reset_twice_bumps_the_round_each_time() -> None:
    once = apply_action(poll(S.CLOSED), A.RESET)
    twice = apply_action(replace(once, state=S.OPEN), A.RESET)
    assert (once.round, twice.round) == (2, 3)


@pytest.mark.parametrize(("state", "accepts"), [(S.DRAFT, False), (S.OPEN, True),
                                                (S.CLOSED, False)])
def test_accepts_votes_only_when_open(state: ActivityState, accepts: bool) -> None:
    assert accepts_votes(poll(state)) is accepts


@pytest.mark.parametrize("action", list(Action))
def test_parse_action_accepts_every_action(action: Action) -> None:
    assert parse_action(action.value) is action


@pytest.mark.parametrize("raw", ["start", "", "OPEN", "delete", "open "])
def test_parse_action_refuses_unknown_actions(raw: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_action(raw)
    assert "Unknown action" in caught.value.message
    assert all(a.value in caught.value.message for a in Action)

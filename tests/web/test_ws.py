"""Live updates over real WebSocket connections to the real server.

Each socket first receives the full current state of its screen, then fragments (HTML
elements with stable ids) as things change. Waits are bounded; nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support import Facilitator, LiveServer, Participant, csrf_from
from tests.web.helpers import (
    AudienceSockets,
    assert_no_server_errors,
    attribute,
    first,
    fragment,
    wait_for,
)


@pytest.fixture(autouse=True)
def _no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_server_errors(caplog)


def total_is(element_id: str, value: int) -> Any:
    return lambda m: attribute(m, element_id, "data-total") == str(value)


class Room(AudienceSockets):
    """A workshop with two polls on the agenda, the first on screen and open."""

    def __init__(self, server: LiveServer, facilitator: Facilitator, **settings: Any) -> None:
        self.server = server
        self.facilitator = facilitator
        self.workshop = facilitator.create_workshop("Live room")
        self.wid = self.workshop["id"]
        self.code = self.workshop["code"]
        self.poll = facilitator.add_activity(self.wid, "single_choice", "Best day?",
                                             ["Monday", "Friday"], **settings)
        self.next_poll = facilitator.add_activity(self.wid, "word_cloud", "One word?")
        facilitator.act(self.wid, self.poll["id"], "open")
        facilitator.show(self.wid, self.poll["id"])
        self.browser = facilitator.browser_client()

    def option(self, index: int) -> str:
        return str(self.poll["options"][index]["id"])


@pytest.fixture
def room(server: LiveServer, facilitator: Facilitator) -> Room:
    return Room(server, facilitator)


# -- the first message is the whole screen ------------------------------------------------


def test_participant_gets_the_full_state_first(room: Room) -> None:
    alice = Participant(room.server, room.code, "Alice")
    with room.participant_socket(alice) as ws:
        message = first(ws)
    assert attribute(message, "stage", "data-activity-id") == room.poll["id"]
    assert attribute(message, "stage", "data-state") == "open"
    assert "Best day?" in message and "Monday" in message and "Friday" in message
    assert attribute(message, "results", "data-total") == "0"
    assert fragment(message, "workshop-title") is not None


def test_console_gets_the_full_state_first(room: Room) -> None:
    with room.console_socket() as ws:
        message = first(ws)
    for element_id in ("console-title", "agenda", "stage", "results", "participant-count"):
        assert fragment(message, element_id) is not None, element_id
    assert attribute(message, "stage", "data-activity-id") == room.poll["id"]
    assert attribute(message, "results", "data-total") == "0"
    assert attribute(message, "agenda", "data-total") == "2"
    assert "One word?" in message  # the whole agenda


def test_presenter_gets_the_full_state_first(room: Room) -> None:
    with room.presenter_socket() as ws:
        message = first(ws)
    assert attribute(message, "stage", "data-activity-id") == room.poll["id"]
    assert attribute(message, "stage", "data-total") == "0"
    count = fragment(message, "participant-count")
    assert count is not None and "<strong>0</strong>" in count


# -- votes, stage changes, reconnects ---------------------------------------------------


def test_votes_update_every_screen(room: Room) -> None:
    alice = Participant(room.server, room.code, "Alice")
    bob = Participant(room.server, room.code, "Bob")
    with (room.participant_socket(alice) as participant, room.console_socket() as console,
          room.presenter_socket() as presenter):
        for ws in (participant, console, presenter):
            first(ws)

        assert alice.respond(room.poll["id"], room.option(1)).status_code == 201
        message = wait_for(participant, total_is("results", 1), what="participant total 1")
        assert 'id="results"' in message
        wait_for(console, total_is("results", 1), what="console total 1")
        wait_for(presenter, total_is("stage", 1), what="presenter total 1")

        assert bob.respond(room.poll["id"], room.option(0)).status_code == 201
        wait_for(participant, total_is("results", 2), what="participant total 2")
        console_message = wait_for(console, total_is("results", 2), what="console total 2")
        wait_for(presenter, total_is("stage", 2), what="presenter total 2")
    results = fragment(console_message, "results")
    assert results is not None and "Monday" in results and "Friday" in results


def test_a_retried_vote_sends_no_new_total(room: Room) -> None:
    alice = Participant(room.server, room.code)
    bob = Participant(room.server, room.code)
    with room.console_socket() as console:
        first(console)
        assert alice.respond(room.poll["id"], room.option(0), "same").status_code == 201
        wait_for(console, total_is("results", 1))
        assert alice.respond(room.poll["id"], room.option(0), "same").status_code == 200
        assert bob.respond(room.poll["id"], room.option(0)).status_code == 201
        # the next update counts Bob: the retry did not add a ballot in between
        message = wait_for(console, lambda m: attribute(m, "results", "data-total") is not None)
    assert attribute(message, "results", "data-total") == "2"


def test_moving_to_the_next_activity_sends_a_new_stage(room: Room) -> None:
    alice = Participant(room.server, room.code)
    with room.participant_socket(alice) as ws, room.presenter_socket() as presenter:
        assert attribute(first(ws), "stage", "data-activity-id") == room.poll["id"]
        first(presenter)
        # the console's "Next" button, as htmx posts it (CSRF header, 204)
        token = csrf_from(room.browser.get(f"/console/{room.wid}").text)
        response = room.browser.post(f"/console/{room.wid}/next",
                                     headers={"HX-Request": "true", "X-CSRF-Token": token})
        assert response.status_code == 204
        message = wait_for(ws, lambda m: attribute(m, "stage", "data-activity-id")
                           == room.next_poll["id"], what="the next activity's stage")
        wait_for(presenter, lambda m: attribute(m, "stage", "data-activity-id")
                 == room.next_poll["id"], what="the presenter's next stage")
    assert "One word?" in message
    assert attribute(message, "stage", "data-state") == "draft"
    assert "Voting opens in a moment" in message


def test_opening_and_closing_voting_updates_the_participant_stage(room: Room) -> None:
    alice = Participant(room.server, room.code)
    with room.participant_socket(alice) as ws:
        first(ws)
        room.facilitator.act(room.wid, room.poll["id"], "close")
        closed = wait_for(ws, lambda m: attribute(m, "stage", "data-state") == "closed")
        assert "Voting is closed" in closed and "<form" not in (fragment(closed, "stage") or "")
        room.facilitator.act(room.wid, room.poll["id"], "open")
        reopened = wait_for(ws, lambda m: attribute(m, "stage", "data-state") == "open")
    assert "<form" in (fragment(reopened, "stage") or "")


def test_reconnecting_replays_the_current_state(room: Room) -> None:
    alice = Participant(room.server, room.code, "Alice")
    bob = Participant(room.server, room.code, "Bob")
    with room.participant_socket(alice) as ws:
        first(ws)
        assert alice.respond(room.poll["id"], room.option(1)).status_code == 201
        wait_for(ws, total_is("results", 1))
    # while Alice is away, Bob votes
    assert bob.respond(room.poll["id"], room.option(0)).status_code == 201
    with room.participant_socket(alice) as ws:
        message = first(ws)
    assert attribute(message, "results", "data-total") == "2"
    assert attribute(message, "stage", "data-activity-id") == room.poll["id"]
    # Alice's own answer is part of her stage
    stage = fragment(message, "stage")
    assert stage is not None and "Your answer is in" in stage and "Friday" in stage
    with room.console_socket() as console:
        assert attribute(first(console), "results", "data-total") == "2"


def test_presenter_participant_count_follows_joins(room: Room) -> None:
    with room.presenter_socket() as presenter, room.console_socket() as console:
        first(presenter)
        first(console)
        Participant(room.server, room.code, "Alice")
        message = wait_for(presenter, lambda m: "<strong>1</strong>" in (
            fragment(m, "participant-count") or ""), what="count 1 on the presenter")
        assert "1 participant" in " ".join(message.split()).replace("</strong>", "")
        wait_for(console, lambda m: "<strong>1</strong>" in (
            fragment(m, "participant-count") or ""), what="count 1 on the console")
        Participant(room.server, room.code, "Bob")
        wait_for(presenter, lambda m: "<strong>2</strong>" in (
            fragment(m, "participant-count") or ""), what="count 2 on the presenter")


def test_hidden_results_reach_participants_only_once_revealed(
        server: LiveServer, facilitator: Facilitator) -> None:
    room = Room(server, facilitator, hide_results=True)
    alice = Participant(room.server, room.code, "Alice")
    bob = Participant(room.server, room.code, "Bob")
    with (room.participant_socket(bob) as watcher, room.presenter_socket() as presenter,
          room.console_socket() as console):
        assert "Friday" in first(watcher)  # the option is on the voting form
        assert "Friday" not in first(presenter)  # the big screen shows no results yet
        first(console)

        assert alice.respond(room.poll["id"], room.option(1)).status_code == 201
        hidden = wait_for(watcher, total_is("results", 1), what="hidden results update")
        results = fragment(hidden, "results")
        assert results is not None
        assert " hidden" in results[: results.find(">") + 1]
        assert "<h2>Results" not in results and "Friday" not in results
        assert "bar" not in results and "%" not in results
        hidden_presenter = wait_for(presenter, total_is("stage", 1))
        assert "Results are hidden" in hidden_presenter
        assert 'class="bars' not in hidden_presenter
        # the facilitator sees the results all along
        console_results = fragment(wait_for(console, total_is("results", 1)), "results") or ""
        assert "Friday" in console_results and "100%" in console_results

        room.facilitator.act(room.wid, room.poll["id"], "reveal")
        shown = wait_for(watcher, lambda m: "<h2>Results" in (fragment(m, "results") or ""),
                         what="revealed results")
        revealed = fragment(shown, "results") or ""
        assert " hidden" not in revealed[: revealed.find(">") + 1]
        assert "Friday" in revealed and "100%" in revealed
        on_screen = wait_for(presenter, lambda m: 'class="bars' in m, what="presenter bars")
        assert "Results are hidden" not in on_screen and "Friday" in on_screen

        room.facilitator.act(room.wid, room.poll["id"], "hide")
        again = wait_for(watcher, lambda m: "<h2>Results" not in m
                         and fragment(m, "results") is not None, what="results hidden again")
        assert "Friday" not in (fragment(again, "results") or "")


def test_sockets_of_one_workshop_hear_nothing_of_another(
        server: LiveServer, facilitator: Facilitator) -> None:
    quiet = Room(server, facilitator)
    busy = Room(server, facilitator)
    watcher = Participant(server, quiet.code)
    voter = Participant(server, busy.code)
    with quiet.participant_socket(watcher) as ws, busy.console_socket() as console:
        first(ws)
        first(console)
        assert voter.respond(busy.poll["id"], busy.option(0)).status_code == 201
        wait_for(console, total_is("results", 1))
        # a change in the quiet room is the next thing its socket hears
        quiet.facilitator.act(quiet.wid, quiet.poll["id"], "close")
        message = wait_for(ws, lambda m: True)
    assert busy.poll["id"] not in message
    assert attribute(message, "stage", "data-activity-id") in (quiet.poll["id"], None)

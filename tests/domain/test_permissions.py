"""Permission predicates (workshop.auth.permissions), for every kind of actor."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workshop.auth.actors import ANONYMOUS, Actor, FacilitatorActor, ParticipantActor
from workshop.auth.permissions import (
    can_view_workshop,
    is_facilitator_of,
    require_facilitator,
    require_facilitator_of,
    require_participant_of,
)
from workshop.domain.errors import Forbidden, NotAuthenticated, WorkshopError
from workshop.domain.models import Workshop

WORKSHOP = Workshop(id="w1", code="482913", title="T", description="", slides_url="",
                    recording_url="", owner_id="owner", current_activity_id=None,
                    created_at=0.0)

OWNER = FacilitatorActor("owner")
OTHER_FACILITATOR = FacilitatorActor("someone-else")
PARTICIPANT = ParticipantActor("p1", "w1")
OTHER_PARTICIPANT = ParticipantActor("p2", "w2")  # joined another workshop

ACTORS: dict[str, Actor] = {
    "owner": OWNER,
    "other facilitator": OTHER_FACILITATOR,
    "participant": PARTICIPANT,
    "participant elsewhere": OTHER_PARTICIPANT,
    "anonymous": ANONYMOUS,
}

# actor → (is_facilitator_of, can_view_workshop)
PREDICATES = {
    "owner": (True, True),
    "other facilitator": (False, False),
    "participant": (False, True),
    "participant elsewhere": (False, False),
    "anonymous": (False, False),
}

Outcome = type[WorkshopError] | None

# actor → expected outcome of each require_* (None: allowed)
REQUIRES: dict[str, tuple[Outcome, Outcome, Outcome]] = {
    #                        require_facilitator, …_facilitator_of, require_participant_of
    "owner": (None, None, Forbidden),
    "other facilitator": (None, Forbidden, Forbidden),
    "participant": (Forbidden, Forbidden, None),
    "participant elsewhere": (Forbidden, Forbidden, NotAuthenticated),
    "anonymous": (NotAuthenticated, NotAuthenticated, NotAuthenticated),
}


@pytest.mark.parametrize("name", list(ACTORS))
def test_predicates(name: str) -> None:
    actor = ACTORS[name]
    assert (is_facilitator_of(actor, WORKSHOP), can_view_workshop(actor, WORKSHOP)) == (
        PREDICATES[name])


def _check(call: Callable[[], object], expected: Outcome, actor: Actor) -> None:
    if expected is None:
        assert call() is actor
        return
    with pytest.raises(WorkshopError) as caught:
        call()
    assert type(caught.value) is expected
    assert caught.value.message  # always a sentence for people


@pytest.mark.parametrize("name", list(ACTORS))
def test_requirements(name: str) -> None:
    actor = ACTORS[name]
    facilitator, facilitator_of, participant_of = REQUIRES[name]
    _check(lambda: require_facilitator(actor), facilitator, actor)
    _check(lambda: require_facilitator_of(actor, WORKSHOP), facilitator_of, actor)
    _check(lambda: require_participant_of(actor, WORKSHOP), participant_of, actor)


def test_error_statuses() -> None:
    assert (NotAuthenticated.status, Forbidden.status) == (401, 403)

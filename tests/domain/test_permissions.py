"""Permission predicates (workshop.auth.permissions), for every kind of actor and role."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workshop.auth.actors import ANONYMOUS, Actor, FacilitatorActor, ParticipantActor
from workshop.auth.permissions import (
    CURATES,
    RUNS_SESSION,
    Role,
    require_facilitator,
    require_participant_of,
    require_role,
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

Outcome = type[WorkshopError] | None

# actor → expected outcome of (require_facilitator, require_participant_of); None: allowed
REQUIRES: dict[str, tuple[Outcome, Outcome]] = {
    "owner": (None, Forbidden),
    "other facilitator": (None, Forbidden),
    "participant": (Forbidden, None),
    "participant elsewhere": (Forbidden, NotAuthenticated),
    "anonymous": (NotAuthenticated, NotAuthenticated),
}


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
    facilitator, participant_of = REQUIRES[name]
    _check(lambda: require_facilitator(actor), facilitator, actor)
    _check(lambda: require_participant_of(actor, WORKSHOP), participant_of, actor)


# role → (may run the session, may curate)
ROLES: dict[Role | None, tuple[bool, bool]] = {
    Role.OWNER: (True, True),
    Role.COHOST: (True, True),
    Role.CURATOR: (False, True),
    None: (False, False),  # a facilitator with no part in this workshop
}


@pytest.mark.parametrize("role", list(ROLES))
def test_roles(role: Role | None) -> None:
    runs, curates = ROLES[role]
    for allowed, may in ((RUNS_SESSION, runs), (CURATES, curates)):
        _check(lambda allowed=allowed: require_role(OWNER, role, allowed),
               None if may else Forbidden, OWNER)


@pytest.mark.parametrize("name", ["participant", "anonymous"])
def test_roles_need_a_facilitator(name: str) -> None:
    actor = ACTORS[name]
    expected = Forbidden if name == "participant" else NotAuthenticated
    _check(lambda: require_role(actor, Role.OWNER, CURATES), expected, actor)


def test_error_statuses() -> None:
    assert (NotAuthenticated.status, Forbidden.status) == (401, 403)

"""Pure permission predicates. Services call `require_*`; every edge shares them."""

from __future__ import annotations

import enum

from workshop.auth.actors import Actor, FacilitatorActor, ParticipantActor
from workshop.domain.errors import Forbidden, NotAuthenticated
from workshop.domain.models import Workshop


def require_facilitator(actor: Actor) -> FacilitatorActor:
    if isinstance(actor, FacilitatorActor):
        return actor
    if isinstance(actor, ParticipantActor):
        raise Forbidden("Only a facilitator can do this.")
    raise NotAuthenticated("Sign in as a facilitator first.")


def require_participant_of(actor: Actor, workshop: Workshop) -> ParticipantActor:
    if isinstance(actor, ParticipantActor) and actor.workshop_id == workshop.id:
        return actor
    if isinstance(actor, FacilitatorActor):
        raise Forbidden("Facilitators do not vote; join as a participant to answer.")
    raise NotAuthenticated("Join the workshop first.")


class Role(enum.StrEnum):
    """A facilitator's part in one workshop."""

    OWNER = "owner"
    COHOST = "cohost"  # runs the session like the owner
    CURATOR = "curator"  # moderates and curates insights; does not run the session


RUNS_SESSION = frozenset({Role.OWNER, Role.COHOST})
CURATES = frozenset({Role.OWNER, Role.COHOST, Role.CURATOR})


def require_role(actor: Actor, role: Role | None, allowed: frozenset[Role]
                 ) -> FacilitatorActor:
    facilitator = require_facilitator(actor)
    if role is None:
        raise Forbidden("You are not a facilitator of this workshop.")
    if role not in allowed:
        raise Forbidden("As a curator you can moderate and curate insights, but not run "
                        "the session.")
    return facilitator

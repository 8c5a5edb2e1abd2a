"""Actors: the three kinds of caller every service receives."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FacilitatorActor:
    facilitator_id: str


@dataclass(frozen=True, slots=True)
class ParticipantActor:
    participant_id: str
    workshop_id: str


@dataclass(frozen=True, slots=True)
class AnonymousActor:
    pass


Actor = FacilitatorActor | ParticipantActor | AnonymousActor
ANONYMOUS = AnonymousActor()

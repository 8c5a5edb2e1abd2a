"""JSON API of the objectives board, under /api/v1/workshops/{id}/activities/{activity_id}.

Registered before the generic activity routes so `…/{action}` does not shadow these.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from workshop.auth.actors import Actor
from workshop.domain import limits
from workshop.domain.objectives import BoardState
from workshop.storage.objectives import DotOutcome
from workshop.web.deps import SameOrigin, ServicesDep, actor_for, participant_first, resolve_actor
from workshop.web.schemas import ERRORS, ActivityOut, Strict

router = APIRouter(prefix="/api/v1/workshops/{workshop_id}/activities/{activity_id}",
                   responses=ERRORS, dependencies=[SameOrigin], tags=["objectives"])




class KeyResultIn(Strict):
    text: str = Field(max_length=limits.KEY_RESULT_MAX)
    metric: str | None = Field(None, max_length=200)
    baseline: str | None = Field(None, max_length=200)
    target: str | None = Field(None, max_length=200)
    unit: str | None = Field(None, max_length=200)
    due: str | None = Field(None, max_length=200)


class ObjectiveIn(Strict):
    text: str = Field(max_length=limits.OBJECTIVE_MAX,
                      description=f"One sentence, at most {limits.OBJECTIVE_MAX} characters.")
    key_results: list[KeyResultIn] = Field(max_length=20)
    aligns_to: str | None = Field(None, description="Id of an organisation objective "
                                                    "(an option of the activity).")
    client_id: str = Field(max_length=limits.CLIENT_ID_MAX)


class ObjectivePatch(Strict):
    text: str | None = Field(None, max_length=limits.OBJECTIVE_MAX)
    key_results: list[KeyResultIn] | None = Field(None, max_length=20)
    aligns_to: str | None = None


class DraftIn(BaseModel):
    text: str = Field("", max_length=limits.OBJECTIVE_MAX * 2)
    key_results: list[dict[str, Any]] = Field(default_factory=list, max_length=20)
    aligns_to: str | None = None


class HintsIn(BaseModel):
    text: str = Field("", max_length=limits.OBJECTIVE_MAX * 2)
    key_results: list[dict[str, Any] | str] = Field(default_factory=list, max_length=20)


class HintOut(BaseModel):
    field: str = Field(description="`objective`, `key_results` or `key_results.N` (0-based)")
    code: str
    message: str


class HintsOut(BaseModel):
    hints: list[HintOut]


class VoteIn(BaseModel):
    client_id: str = Field(max_length=limits.CLIENT_ID_MAX)


class MergeIn(Strict):
    ids: list[str] = Field(min_length=2, max_length=20,
                           description="The first id is kept; the others fold into it.")


class ThemeIn(Strict):
    theme: str | None = Field(None, max_length=200)


class PipeIn(Strict):
    kind: str = Field(description="ranking, single_choice, multiple_choice or placement")
    top: int | None = Field(None, description="Only the N objectives with most votes.")


class PipeOut(BaseModel):
    activity_id: str
    activity: ActivityOut


def _board(board: BoardState) -> dict[str, Any]:
    return {"voting": board.voting.value, "wall_open": board.wall_open,
            "spotlight_id": board.spotlight_id}


def _objective_json(objective: Any) -> dict[str, Any]:
    return {"id": objective.id, "text": objective.text,
            "key_results": [kr.as_json() for kr in objective.key_results],
            "aligns_to": objective.aligns_to, "theme": objective.theme or None,
            "hidden": objective.hidden, "votes": objective.votes}


@router.get("/objectives", summary="The wall: what the caller may see")
async def list_objectives(workshop_id: str, activity_id: str, services: ServicesDep,
                          actor: Actor = Depends(participant_first)) -> dict[str, Any]:
    items = await services.objectives.wall(actor, workshop_id, activity_id)
    _, activity = await services.objectives.board_activity(workshop_id, activity_id)
    return {"objectives": [item.as_json() for item in items],
            "board": _board(await services.objectives.board(activity))}


@router.post("/objectives", status_code=201,
             summary="Submit an objective (participant); 200 on a repeated client_id",
             responses={200: {"description": "client_id already applied"}})
async def submit(workshop_id: str, activity_id: str, body: ObjectiveIn,
                 services: ServicesDep, actor: Actor = Depends(participant_first)
                 ) -> Response:
    data = body.model_dump(exclude={"client_id"}, exclude_none=True)
    objective, created = await services.objectives.submit(actor, workshop_id, activity_id,
                                                          data, body.client_id)
    return JSONResponse({"id": objective.id}, status_code=201 if created else 200)


@router.post("/objectives/merge", summary="Merge duplicates, keeping every author (facilitator)")
async def merge(workshop_id: str, activity_id: str, body: MergeIn, services: ServicesDep,
                actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    kept = await services.objectives.merge(actor, workshop_id, activity_id, body.ids)
    return _objective_json(kept)


@router.patch("/objectives/{objective_id}",
              summary="Edit an objective: participants their own, facilitators any")
async def edit(workshop_id: str, activity_id: str, objective_id: str, body: ObjectivePatch,
               services: ServicesDep, request: Request) -> dict[str, Any]:
    data = body.model_dump(exclude_unset=True)
    if "key_results" in data and data["key_results"] is not None:
        data["key_results"] = [{k: v for k, v in kr.items() if v is not None}
                               for kr in data["key_results"]]
    facilitator = await resolve_actor(request, workshop_id)
    workshop = await services.workshops.load(workshop_id)
    if await services.workshops.is_staff(facilitator, workshop):
        updated = await services.objectives.edit(facilitator, workshop_id, activity_id,
                                                 objective_id, data)
    else:
        participant = await participant_first(request)
        updated = await services.objectives.edit_own(participant, workshop_id, activity_id,
                                                     objective_id, data)
    return _objective_json(updated)


@router.delete("/objectives/{objective_id}", status_code=204,
               summary="Withdraw your own objective (participant)")
async def withdraw(workshop_id: str, activity_id: str, objective_id: str,
                   services: ServicesDep, actor: Actor = Depends(participant_first)
                   ) -> Response:
    await services.objectives.withdraw(actor, workshop_id, activity_id, objective_id)
    return Response(status_code=204)


@router.post("/objectives/{objective_id}/votes", status_code=201,
             summary="Spend one dot on an objective (participant)")
async def vote(workshop_id: str, activity_id: str, objective_id: str, body: VoteIn,
               services: ServicesDep, actor: Actor = Depends(participant_first)) -> Response:
    outcome = await services.objectives.vote(actor, workshop_id, activity_id, objective_id,
                                             body.client_id)
    return JSONResponse({"status": outcome.value},
                        status_code=201 if outcome is DotOutcome.ADDED else 200)


@router.delete("/objectives/{objective_id}/votes", status_code=204,
               summary="Take one of your dots back (participant)")
async def unvote(workshop_id: str, activity_id: str, objective_id: str,
                 services: ServicesDep, actor: Actor = Depends(participant_first)) -> Response:
    await services.objectives.unvote(actor, workshop_id, activity_id, objective_id)
    return Response(status_code=204)


@router.put("/objectives/{objective_id}/theme", summary="Group into a theme (facilitator)")
async def theme(workshop_id: str, activity_id: str, objective_id: str, body: ThemeIn,
                services: ServicesDep, actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    updated = await services.objectives.set_theme(actor, workshop_id, activity_id,
                                                  objective_id, body.theme or "")
    return _objective_json(updated)


@router.post("/objectives/{objective_id}/{action}",
             summary="hide, unhide, spotlight or unspotlight an objective (facilitator)")
async def moderate(workshop_id: str, activity_id: str, objective_id: str, action: str,
                   services: ServicesDep, actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    updated = await services.objectives.moderate(actor, workshop_id, activity_id,
                                                 objective_id, action)
    return _objective_json(updated)


@router.put("/draft", summary="Autosave the participant's draft")
async def put_draft(workshop_id: str, activity_id: str, body: DraftIn, services: ServicesDep,
                    actor: Actor = Depends(participant_first)) -> dict[str, Any]:
    return await services.objectives.save_draft(actor, workshop_id, activity_id,
                                                body.model_dump())


@router.get("/draft", summary="The participant's autosaved draft (empty when none)")
async def get_draft(workshop_id: str, activity_id: str, services: ServicesDep,
                    actor: Actor = Depends(participant_first)) -> dict[str, Any]:
    draft = await services.objectives.get_draft(actor, workshop_id, activity_id)
    return draft or {"text": "", "key_results": [], "aligns_to": None}


@router.post("/hints", response_model=HintsOut,
             summary="Hints for a draft objective (anyone in the workshop)")
async def hints(workshop_id: str, activity_id: str, body: HintsIn, services: ServicesDep,
                actor: Actor = Depends(participant_first)) -> HintsOut:
    found = await services.objectives.hints(actor, workshop_id, activity_id, body.text,
                                            body.key_results)
    return HintsOut(hints=[HintOut(**h.as_json()) for h in found])


@router.post("/pipe", status_code=201, response_model=PipeOut,
             summary="Turn the objectives (or the top N) into a new poll (facilitator)")
async def pipe(workshop_id: str, activity_id: str, body: PipeIn, services: ServicesDep,
               actor: Actor = Depends(actor_for)) -> PipeOut:
    created = await services.objectives.pipe(actor, workshop_id, activity_id, body.kind,
                                              body.top)
    return PipeOut(activity_id=created.id, activity=ActivityOut.of(created))


async def _board_action(action: str, workshop_id: str, activity_id: str,
                        services: ServicesDep, actor: Actor) -> dict[str, Any]:
    board = await services.objectives.board_action(actor, workshop_id, activity_id, action)
    return _board(board)


def _board_route(action: str) -> None:
    async def endpoint(workshop_id: str, activity_id: str, services: ServicesDep,
                       actor: Actor = Depends(actor_for)) -> dict[str, Any]:
        return await _board_action(action, workshop_id, activity_id, services, actor)

    endpoint.__name__ = f"board_{action.replace('-', '_')}"
    router.add_api_route(f"/{action}", endpoint, methods=["POST"],
                         summary=f"{action.replace('-', ' ').capitalize()} (facilitator)")


for _action in ("lock", "unlock", "open-voting", "close-voting", "open-wall", "close-wall"):
    _board_route(_action)

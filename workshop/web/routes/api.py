"""JSON API under /api/v1. Same services, same permission checks as the pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse, Response

from workshop.auth.actors import Actor
from workshop.domain.flow import Action
from workshop.domain.ids import new_id
from workshop.storage.ballots import CastOutcome
from workshop.web.deps import (
    CookiesDep,
    SameOrigin,
    ServicesDep,
    UrlsDep,
    actor_for,
    participant_first,
)
from workshop.web.schemas import (
    ERRORS,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    CurrentIn,
    JoinIn,
    JoinOut,
    ResponseIn,
    ResponseOut,
    WorkshopCreated,
    WorkshopIn,
    WorkshopOut,
    WorkshopPatch,
)
from workshop.web.urls import Urls

router = APIRouter(prefix="/api/v1", responses=ERRORS, dependencies=[SameOrigin])




def _links(urls: Urls, workshop_id: str, code: str) -> dict[str, str]:
    return {"join_url": urls.join_absolute(code),
            "present_url": urls.present_absolute(workshop_id),
            "console_url": urls.console_absolute(workshop_id)}


@router.post("/workshops", status_code=201, response_model=WorkshopCreated,
             tags=["workshops"], summary="Create a workshop (facilitator)")
async def create_workshop(body: WorkshopIn, services: ServicesDep, urls: UrlsDep,
                          actor: Actor = Depends(actor_for)) -> WorkshopCreated:
    workshop = await services.workshops.create(actor, body.model_dump())
    return WorkshopCreated(id=workshop.id, code=workshop.code,
                           **_links(urls, workshop.id, workshop.code))


@router.get("/workshops", response_model=list[WorkshopCreated], tags=["workshops"],
            summary="List your workshops (facilitator)")
async def list_workshops(services: ServicesDep, urls: UrlsDep,
                         actor: Actor = Depends(actor_for)) -> list[WorkshopCreated]:
    return [WorkshopCreated(id=w.id, code=w.code, **_links(urls, w.id, w.code))
            for w in await services.workshops.list_for(actor)]


async def _workshop_out(services: ServicesDep, urls: Urls, workshop_id: str) -> WorkshopOut:
    workshop = await services.workshops.load(workshop_id)
    return WorkshopOut.of(workshop, await services.workshops.activities(workshop.id),
                          await services.store.count_participants(workshop.id),
                          _links(urls, workshop.id, workshop.code))


@router.get("/workshops/{workshop_id}", response_model=WorkshopOut, tags=["workshops"],
            summary="A workshop's state, activities and participant count (facilitator)")
async def get_workshop(workshop_id: str, services: ServicesDep, urls: UrlsDep,
                       actor: Actor = Depends(actor_for)) -> WorkshopOut:
    await services.workshops.load_curated(actor, workshop_id)
    return await _workshop_out(services, urls, workshop_id)


@router.patch("/workshops/{workshop_id}", response_model=WorkshopOut, tags=["workshops"],
              summary="Edit a workshop's details (facilitator) and chat settings "
                      "(facilitator or curator)")
async def patch_workshop(workshop_id: str, body: WorkshopPatch, services: ServicesDep,
                         urls: UrlsDep, actor: Actor = Depends(actor_for)) -> WorkshopOut:
    given = body.model_dump(exclude_none=True)
    details = {k: v for k, v in given.items() if k in WorkshopPatch.DETAILS}
    chat = {k: v for k, v in given.items() if k not in WorkshopPatch.DETAILS}
    if details or not chat:
        await services.workshops.update(actor, workshop_id, details)
    if chat:
        await services.chat.update_settings(actor, workshop_id, chat)
    return await _workshop_out(services, urls, workshop_id)


@router.delete("/workshops/{workshop_id}", status_code=204, tags=["workshops"],
               summary="Delete a workshop and everything in it (facilitator)")
async def delete_workshop(workshop_id: str, services: ServicesDep,
                          actor: Actor = Depends(actor_for)) -> Response:
    await services.workshops.delete(actor, workshop_id)
    return Response(status_code=204)


@router.post("/workshops/{workshop_id}/activities", status_code=201,
             response_model=ActivityOut, tags=["activities"],
             summary="Add an activity at the end of the agenda (facilitator)")
async def add_activity(workshop_id: str, body: ActivityIn, services: ServicesDep,
                       actor: Actor = Depends(actor_for)) -> ActivityOut:
    activity = await services.workshops.add_activity(actor, workshop_id,
                                                     body.model_dump(exclude_none=True))
    return ActivityOut.of(activity)


@router.patch("/workshops/{workshop_id}/activities/{activity_id}",
              response_model=ActivityOut, tags=["activities"],
              summary="Edit an activity's prompt, options, settings or position (facilitator)")
async def patch_activity(workshop_id: str, activity_id: str, body: ActivityPatch,
                         services: ServicesDep, actor: Actor = Depends(actor_for)
                         ) -> ActivityOut:
    activity = await services.workshops.update_activity(
        actor, workshop_id, activity_id, body.model_dump(exclude_unset=True))
    return ActivityOut.of(activity)


@router.delete("/workshops/{workshop_id}/activities/{activity_id}", status_code=204,
               tags=["activities"], summary="Delete an activity (facilitator)")
async def delete_activity(workshop_id: str, activity_id: str, services: ServicesDep,
                          actor: Actor = Depends(actor_for)) -> Response:
    await services.workshops.delete_activity(actor, workshop_id, activity_id)
    return Response(status_code=204)


@router.put("/workshops/{workshop_id}/current", response_model=WorkshopOut,
            tags=["activities"], summary="Choose what is on screen (facilitator)")
async def set_current(workshop_id: str, body: CurrentIn, services: ServicesDep,
                      urls: UrlsDep, actor: Actor = Depends(actor_for)) -> WorkshopOut:
    await services.workshops.set_current(actor, workshop_id, body.activity_id)
    return await _workshop_out(services, urls, workshop_id)


@router.post("/join", status_code=201, response_model=JoinOut, tags=["participants"],
             summary="Join a workshop by code; sets the participant cookie")
async def join(request: Request, body: JoinIn, services: ServicesDep, cookies: CookiesDep
               ) -> Response:
    workshop = await services.workshops.by_code(body.code)
    device = cookies.device_id(request) or new_id()
    participant = await services.polls.join(workshop, device, body.name)
    response = JSONResponse(
        JoinOut(workshop_id=workshop.id, participant_id=participant.id,
                name=participant.name).model_dump(), status_code=201)
    cookies.set_device(response, device)
    return response


@router.post("/workshops/{workshop_id}/activities/{activity_id}/responses",
             status_code=201, response_model=ResponseOut, tags=["participants"],
             summary="Answer a poll (participant); 200 when client_id was already applied",
             responses={200: {"model": ResponseOut,
                              "description": "client_id already applied; nothing changed"}})
async def respond(workshop_id: str, activity_id: str, body: ResponseIn,
                  services: ServicesDep, actor: Actor = Depends(participant_first)
                  ) -> Response:
    outcome, activity = await services.polls.respond(actor, workshop_id, activity_id,
                                                     body.value, body.client_id)
    out = ResponseOut(status=outcome.value, activity_id=activity.id, round=activity.round)
    status = 201 if outcome is CastOutcome.RECORDED else 200
    return JSONResponse(out.model_dump(), status_code=status)


@router.get("/workshops/{workshop_id}/activities/{activity_id}/results",
            tags=["activities"],
            summary="Results of a round (facilitator; participants once revealed)",
            description="`counts` per option (choice polls), `distribution` and `mean` "
                        "(rating, scale), `words` (word cloud), `answers` (open text), "
                        "`ranking` with average rank and Borda points (ranking); always "
                        "`round` and `total` (ballots counted).")
async def results(workshop_id: str, activity_id: str, services: ServicesDep,
                  round: int | None = Query(None, ge=1),
                  actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    tally = await services.polls.results(actor, workshop_id, activity_id, round)
    return tally.as_json()


# Registered last: `{action}` would otherwise shadow …/responses and …/results.
@router.post("/workshops/{workshop_id}/activities/{activity_id}/{action}",
             response_model=ActivityOut, tags=["activities"],
             summary="open, close, reveal, hide or reset a poll (facilitator)",
             description="`reset` starts a new round; earlier rounds keep their results "
                         "(`GET …/results?round=N`).")
async def activity_action(workshop_id: str, activity_id: str, action: Action,
                          services: ServicesDep, actor: Actor = Depends(actor_for)
                          ) -> ActivityOut:
    activity = await services.polls.act(actor, workshop_id, activity_id, action)
    return ActivityOut.of(activity)

"""The participant's side of an objectives board: drafting with autosave and hints,
their own objectives, and dot votes. Form posts; htmx swaps the answers in place."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from workshop.auth.actors import ParticipantActor
from workshop.domain.errors import NotAuthenticated, NotFound, WorkshopError
from workshop.domain.models import Activity, Workshop
from workshop.domain.objectives import Objective, clean_draft
from workshop.web.deps import Csrf, ServicesDep, participant_actor
from workshop.web.forms import objective_from_form
from workshop.web.objective_views import hints_for, mine_context
from workshop.web.pages import is_htmx, render_fragment, see_other
from workshop.web.routes.participant import participant_page

router = APIRouter(include_in_schema=False)

BASE = "/j/{code}/activities/{activity_id}"


async def _context(request: Request, services: ServicesDep, code: str, activity_id: str
                   ) -> tuple[Workshop, Activity, ParticipantActor]:
    workshop = await services.workshops.by_code(code)
    actor = await participant_actor(request, workshop.id)
    if actor is None:
        raise NotAuthenticated("Join the workshop first.")
    _, activity = await services.objectives.board_activity(workshop.id, activity_id)
    return workshop, activity, actor


def _mine_response(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    return render_fragment(request, "participant/_mine.html", None, status=status, **context)


@router.get(BASE + "/mine")
async def mine(request: Request, code: str, activity_id: str, services: ServicesDep
               ) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    return _mine_response(request, await mine_context(services, workshop, activity,
                                                      actor.participant_id))


@router.put(BASE + "/draft", dependencies=[Csrf])
async def save_draft(request: Request, code: str, activity_id: str, services: ServicesDep
                     ) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    form = await request.form()
    try:
        draft = await services.objectives.save_draft(actor, workshop.id, activity.id,
                                                     objective_from_form(form, keep_rows=True))
        status = f"Draft saved at {time.strftime('%H:%M')}."
    except WorkshopError as error:
        draft, status = clean_draft({}), error.message
    fields = [("objective", "hint-objective"), ("key_results", "hint-key_results")] + [
        (f"key_results.{i}", f"hint-kr-{i}")
        for i in range(activity.settings["max_key_results"])]
    return render_fragment(request, "participant/_hints.html", None, fields=fields,
                           hints=hints_for(activity, draft), status_text=status)


async def _after(request: Request, services: ServicesDep, workshop: Workshop,
                 activity: Activity, actor: ParticipantActor, *, notice: str | None = None,
                 error: WorkshopError | None = None, draft: dict[str, Any] | None = None,
                 editing: Objective | None = None) -> Response:
    if not is_htmx(request) and error is None:
        return see_other(f"/j/{workshop.code}")
    context = await mine_context(services, workshop, activity, actor.participant_id,
                                 draft=draft, editing=editing, notice=notice,
                                 error=error.message if error else None)
    if not is_htmx(request):
        return await participant_page(request, services, workshop, actor,
                                      status=error.status if error else 200,
                                      error=error.message if error else None)
    return _mine_response(request, context, status=error.status if error else 200)


@router.post(BASE + "/objectives", dependencies=[Csrf])
async def submit(request: Request, code: str, activity_id: str, services: ServicesDep
                 ) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    form = await request.form()
    data = objective_from_form(form)
    try:
        await services.objectives.submit(actor, workshop.id, activity.id, data,
                                         form.get("client_id"))
    except WorkshopError as error:
        draft = await _keep_draft(services, activity, actor, data)
        return await _after(request, services, workshop, activity, actor, error=error,
                            draft=draft)
    return await _after(request, services, workshop, activity, actor,
                        notice="Objective submitted. It is on the wall now.")


async def _keep_draft(services: ServicesDep, activity: Activity, actor: ParticipantActor,
                      data: dict[str, Any]) -> dict[str, Any]:
    """A refused submission never loses what was typed: it stays the saved draft."""
    try:
        draft = clean_draft(data)
    except WorkshopError:
        return {"text": str(data.get("text", ""))[:400], "key_results": [],
                "aligns_to": None}
    await services.store.save_draft(activity.id, actor.participant_id, draft)
    return draft


@router.get(BASE + "/objectives/{objective_id}/edit")
async def edit_form(request: Request, code: str, activity_id: str, objective_id: str,
                    services: ServicesDep) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    objective = next((o for o in await services.objectives.mine(actor.participant_id, activity)
                      if o.id == objective_id), None)
    if objective is None:
        raise NotFound("You have no objective with that id here.")
    return _mine_response(request, await mine_context(
        services, workshop, activity, actor.participant_id, editing=objective))


@router.post(BASE + "/objectives/{objective_id}/edit", dependencies=[Csrf])
async def edit(request: Request, code: str, activity_id: str, objective_id: str,
               services: ServicesDep) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    data = objective_from_form(await request.form())
    try:
        await services.objectives.edit_own(actor, workshop.id, activity.id, objective_id,
                                           data)
    except WorkshopError as error:
        objective = await services.store.get_objective(objective_id)
        return await _after(request, services, workshop, activity, actor, error=error,
                            draft=clean_draft(data), editing=objective)
    return await _after(request, services, workshop, activity, actor,
                        notice="Objective updated.")


@router.post(BASE + "/objectives/{objective_id}/withdraw", dependencies=[Csrf])
async def withdraw(request: Request, code: str, activity_id: str, objective_id: str,
                   services: ServicesDep) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    try:
        await services.objectives.withdraw(actor, workshop.id, activity.id, objective_id)
    except WorkshopError as error:
        return await _after(request, services, workshop, activity, actor, error=error)
    return await _after(request, services, workshop, activity, actor,
                        notice="Objective withdrawn.")


async def _dots(request: Request, services: ServicesDep, workshop: Workshop,
                activity: Activity, actor: ParticipantActor, error: WorkshopError | None
                ) -> Response:
    if not is_htmx(request):
        if error is None:
            return see_other(f"/j/{workshop.code}")
        raise error
    return render_fragment(
        request, "participant/_my_dots.html", None, status=error.status if error else 200,
        dots=await services.objectives.my_dots(actor.participant_id, activity),
        current=activity, board=await services.objectives.board(activity),
        dot_error=error.message if error else None)


@router.post(BASE + "/objectives/{objective_id}/vote", dependencies=[Csrf])
async def vote(request: Request, code: str, activity_id: str, objective_id: str,
               services: ServicesDep) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    form = await request.form()
    error = None
    try:
        await services.objectives.vote(actor, workshop.id, activity.id, objective_id,
                                       form.get("client_id"))
    except WorkshopError as caught:
        error = caught
    return await _dots(request, services, workshop, activity, actor, error)


@router.post(BASE + "/objectives/{objective_id}/unvote", dependencies=[Csrf])
async def unvote(request: Request, code: str, activity_id: str, objective_id: str,
                 services: ServicesDep) -> Response:
    workshop, activity, actor = await _context(request, services, code, activity_id)
    error = None
    try:
        await services.objectives.unvote(actor, workshop.id, activity.id, objective_id)
    except WorkshopError as caught:
        error = caught
    return await _dots(request, services, workshop, activity, actor, error)

"""The facilitator's side of an objectives board: curation, voting, piping; and the
"OKR drafting for a PMO" template. Form posts: 204 for htmx, 303 without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from workshop.domain.errors import InvalidInput, WorkshopError
from workshop.domain.templates import OKR_PMO_ACTIVITIES, OKR_PMO_WORKSHOP
from workshop.web.console import console_done, console_facilitator, form_text
from workshop.web.deps import Csrf, ServicesDep
from workshop.web.forms import objective_from_form
from workshop.web.pages import render_page, see_other

router = APIRouter(include_in_schema=False)

BASE = "/console/{workshop_id}/activities/{activity_id}"


@router.post("/console/templates/okr-pmo", dependencies=[Csrf])
async def start_from_template(request: Request, services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    workshop = await services.workshops.create(actor, OKR_PMO_WORKSHOP)
    board_id = None
    for plan in OKR_PMO_ACTIVITIES:
        data = {k: v for k, v in plan.items() if k != "source"}
        if plan.get("source"):
            data["settings"] = {**data.get("settings", {}), "source_activity_id": board_id}
        activity = await services.workshops.add_activity(actor, workshop.id, data)
        if activity.kind.value == "objectives":
            board_id = activity.id
    return see_other(f"/console/{workshop.id}")


@router.post(BASE + "/board/{action}", dependencies=[Csrf])
async def board_action(request: Request, workshop_id: str, activity_id: str, action: str,
                       services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    await services.objectives.board_action(actor, workshop_id, activity_id, action)
    return console_done(request, workshop_id)


@router.post(BASE + "/pipe", dependencies=[Csrf])
async def pipe(request: Request, workshop_id: str, activity_id: str, services: ServicesDep
               ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    top_raw = form_text(form, "top").strip()
    try:
        top = int(top_raw) if top_raw else None
    except ValueError:
        raise InvalidInput("top must be a whole number.") from None
    await services.objectives.pipe(actor, workshop_id, activity_id, form_text(form, "kind"),
                                   top)
    return console_done(request, workshop_id)


@router.post(BASE + "/objectives/merge", dependencies=[Csrf])
async def merge(request: Request, workshop_id: str, activity_id: str, services: ServicesDep
                ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    ids = [v for v in form.getlist("ids") if isinstance(v, str)]
    await services.objectives.merge(actor, workshop_id, activity_id, ids)
    return console_done(request, workshop_id)


@router.post(BASE + "/objectives/{objective_id}/theme", dependencies=[Csrf])
async def theme(request: Request, workshop_id: str, activity_id: str, objective_id: str,
                services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    await services.objectives.set_theme(actor, workshop_id, activity_id, objective_id,
                                        form_text(form, "theme"))
    return console_done(request, workshop_id)


@router.get(BASE + "/objectives/{objective_id}/edit")
async def edit_form(request: Request, workshop_id: str, activity_id: str, objective_id: str,
                    services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    workshop, activity, objective = await services.objectives.curated(
        actor, workshop_id, activity_id, objective_id)
    return render_page(request, "facilitator/edit_objective.html", workshop=workshop,
                       activity=activity, objective=objective, error=None)


@router.post(BASE + "/objectives/{objective_id}/edit", dependencies=[Csrf])
async def edit(request: Request, workshop_id: str, activity_id: str, objective_id: str,
               services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    data = objective_from_form(form)
    data.pop("aligns_to", None)
    try:
        await services.objectives.edit(actor, workshop_id, activity_id, objective_id, data)
    except WorkshopError as error:
        workshop, activity, objective = await services.objectives.curated(
            actor, workshop_id, activity_id, objective_id)
        return render_page(request, "facilitator/edit_objective.html", status=error.status,
                           workshop=workshop, activity=activity, objective=objective,
                           error=error.message)
    return see_other(f"/console/{workshop_id}")


@router.post(BASE + "/objectives/{objective_id}/{action}", dependencies=[Csrf])
async def moderate(request: Request, workshop_id: str, activity_id: str, objective_id: str,
                   action: str, services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    await services.objectives.moderate(actor, workshop_id, activity_id, objective_id, action)
    return console_done(request, workshop_id)

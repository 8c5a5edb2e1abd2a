"""The facilitator's pages: dashboard, workshop console and its form actions.

Every action is an ordinary form post (works without JavaScript: 303 back to the console).
With htmx the answer is 204: the console's WebSocket brings the new state.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from workshop.domain.errors import InvalidInput, WorkshopError
from workshop.domain.flow import parse_action
from workshop.domain.models import PollKind
from workshop.web.console import console_done, console_facilitator, form_text
from workshop.web.deps import Csrf, ServicesDep, facilitator_actor
from workshop.web.pages import render_page, see_other

router = APIRouter(include_in_schema=False)

CONSOLE = "facilitator/console.html"


def activity_data_from_form(form: FormData, kind: PollKind | None) -> dict[str, Any]:
    """The console's add/edit form → the same dict the JSON API accepts."""
    data: dict[str, Any] = {"prompt": form_text(form, "prompt")}
    if kind is not None:
        data["kind"] = kind.value
    if kind is None or kind.has_options:
        labels = [line for line in form_text(form, "options").splitlines() if line.strip()]
        if kind is not None or labels:
            data["options"] = labels
    settings: dict[str, Any] = {"hide_results": form.get("hide_results") == "on"}
    for key in ("max_picks", "min", "max", "max_words"):
        if form_text(form, key).strip():
            settings[key] = form_text(form, key).strip()
    for key in ("min_label", "max_label"):
        if key in form:
            settings[key] = form_text(form, key)
    if kind is not None:
        allowed = {
            PollKind.MULTIPLE_CHOICE: {"max_picks"},
            PollKind.SCALE: {"min", "max", "min_label", "max_label"},
            PollKind.WORD_CLOUD: {"max_words"},
        }.get(kind, set()) | {"hide_results"}
        settings = {k: v for k, v in settings.items() if k in allowed}
    data["settings"] = settings
    return data


@router.get("/console")
async def dashboard(request: Request, services: ServicesDep) -> Response:
    actor = await facilitator_actor(request)
    if actor is None:
        return see_other("/login")
    workshops = await services.workshops.list_for(actor)
    facilitator = await services.accounts.facilitator(actor.facilitator_id)
    return render_page(request, "facilitator/dashboard.html", workshops=workshops,
                       facilitator=facilitator, error=None, new_token=None)


@router.post("/console/tokens", dependencies=[Csrf])
async def create_token(request: Request, services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    token = await services.accounts.create_token_for(actor, form_text(form, "name") or "console")
    workshops = await services.workshops.list_for(actor)
    facilitator = await services.accounts.facilitator(actor.facilitator_id)
    return render_page(request, "facilitator/dashboard.html", workshops=workshops,
                       facilitator=facilitator, error=None, new_token=token)


@router.post("/console/workshops", dependencies=[Csrf])
async def create_workshop(request: Request, services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    data = {k: form_text(form, k) for k in ("title", "description", "slides_url", "recording_url")}
    try:
        workshop = await services.workshops.create(actor, data)
    except WorkshopError as error:
        workshops = await services.workshops.list_for(actor)
        facilitator = await services.accounts.facilitator(actor.facilitator_id)
        return render_page(request, "facilitator/dashboard.html", status=error.status,
                           workshops=workshops, facilitator=facilitator, error=error.message,
                           new_token=None, form=data)
    return see_other(f"/console/{workshop.id}")


async def _console(request: Request, services: ServicesDep, workshop_id: str, *,
                   status: int = 200, error: str | None = None,
                   form: dict[str, Any] | None = None) -> Response:
    actor = await console_facilitator(request)
    workshop = await services.workshops.load_curated(actor, workshop_id)
    state = await request.app.state.screens.load(workshop.id)
    return render_page(request, CONSOLE, status=status, state=state, workshop=workshop,
                       current=state.current, results=state.results, kinds=list(PollKind),
                       error=error, form=form or {})


@router.get("/console/{workshop_id}")
async def console(request: Request, workshop_id: str, services: ServicesDep) -> Response:
    return await _console(request, services, workshop_id)


@router.post("/console/{workshop_id}/details", dependencies=[Csrf])
async def update_details(request: Request, workshop_id: str, services: ServicesDep
                         ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    data = {k: form_text(form, k) for k in ("title", "description", "slides_url", "recording_url")}
    try:
        await services.workshops.update(actor, workshop_id, data)
    except WorkshopError as error:
        return await _console(request, services, workshop_id, status=error.status,
                              error=error.message)
    return see_other(f"/console/{workshop_id}")


@router.post("/console/{workshop_id}/activities", dependencies=[Csrf])
async def add_activity(request: Request, workshop_id: str, services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    try:
        kind = PollKind(form_text(form, "kind"))
    except ValueError:
        kind = None
    try:
        if kind is None:
            raise InvalidInput("Choose what kind of activity to add.")
        await services.workshops.add_activity(actor, workshop_id,
                                              activity_data_from_form(form, kind))
    except WorkshopError as error:
        return await _console(request, services, workshop_id, status=error.status,
                              error=error.message, form={k: form_text(form, k) for k in form})
    return see_other(f"/console/{workshop_id}")


@router.get("/console/{workshop_id}/activities/{activity_id}/edit")
async def edit_activity_form(request: Request, workshop_id: str, activity_id: str,
                             services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    workshop, activity = await services.workshops.load_activity(actor, workshop_id, activity_id)
    return render_page(request, "facilitator/edit_activity.html", workshop=workshop,
                       activity=activity, error=None)


@router.post("/console/{workshop_id}/activities/{activity_id}/edit", dependencies=[Csrf])
async def edit_activity(request: Request, workshop_id: str, activity_id: str,
                        services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    workshop, activity = await services.workshops.load_activity(actor, workshop_id, activity_id)
    form = await request.form()
    data = activity_data_from_form(form, None)
    if activity.kind.has_options:
        data["options"] = [line for line in form_text(form, "options").splitlines() if line.strip()]
    else:
        data.pop("options", None)
    data["settings"] = activity_data_from_form(form, activity.kind)["settings"]
    try:
        await services.workshops.update_activity(actor, workshop_id, activity_id, data)
    except WorkshopError as error:
        return render_page(request, "facilitator/edit_activity.html", status=error.status,
                           workshop=workshop, activity=activity, error=error.message)
    return see_other(f"/console/{workshop_id}")


@router.post("/console/{workshop_id}/activities/{activity_id}/{action}", dependencies=[Csrf])
async def activity_action(request: Request, workshop_id: str, activity_id: str, action: str,
                          services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    if action == "show":
        await services.workshops.set_current(actor, workshop_id, activity_id)
    elif action == "delete":
        await services.workshops.delete_activity(actor, workshop_id, activity_id)
    elif action in ("up", "down"):
        _, activity = await services.workshops.load_activity(actor, workshop_id, activity_id)
        offset = -1 if action == "up" else 1
        await services.workshops.update_activity(
            actor, workshop_id, activity_id, {"position": max(0, activity.position + offset)})
    else:
        await services.polls.act(actor, workshop_id, activity_id, parse_action(action))
    return console_done(request, workshop_id)


@router.post("/console/{workshop_id}/{step}", dependencies=[Csrf])
async def step(request: Request, workshop_id: str, step: str, services: ServicesDep
               ) -> Response:
    actor = await console_facilitator(request)
    if step == "next":
        await services.workshops.step(actor, workshop_id, 1)
    elif step == "previous":
        await services.workshops.step(actor, workshop_id, -1)
    elif step == "blank":
        await services.workshops.set_current(actor, workshop_id, None)
    else:
        raise InvalidInput("Unknown step; use next, previous or blank.")
    return console_done(request, workshop_id)

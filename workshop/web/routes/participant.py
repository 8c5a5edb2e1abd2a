"""The participant's pages: join, the current activity, voting by form post."""

from __future__ import annotations

import io
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from workshop.auth.actors import ParticipantActor
from workshop.domain.errors import WorkshopError
from workshop.domain.ids import new_id
from workshop.domain.models import PollKind, Workshop
from workshop.live.rooms import Part
from workshop.web.deps import CookiesDep, Csrf, ServicesDep, participant_actor, urls_of
from workshop.web.forms import ballot_value
from workshop.web.objective_views import mine_context
from workshop.web.pages import is_htmx, render_fragment, render_page, see_other
from workshop.web.security import NAME_COOKIE

router = APIRouter(include_in_schema=False)

PAGE = "participant/page.html"


async def participant_page(request: Request, services: ServicesDep, workshop: Workshop,
                            actor: ParticipantActor, *, status: int = 200,
                            error: str | None = None) -> Response:
    screens = request.app.state.screens
    state = await screens.load(workshop.id)
    participant = await services.store.get_participant(actor.participant_id)
    ballot = await screens.own_ballot(state, actor.participant_id)
    personal: dict[str, Any] = {"client_id": new_id()}
    if state.current is not None and state.current.kind is PollKind.OBJECTIVES:
        personal = await mine_context(services, workshop, state.current, actor.participant_id)
        for shared in ("error", "workshop", "current"):
            personal.pop(shared)
    personal["my_upvotes"] = await services.chat.my_upvotes(actor)
    return render_page(request, PAGE, status=status, state=state, workshop=workshop,
                       current=state.current, results=state.results, ballot=ballot,
                       participant=participant, error=error, **personal)


@router.get("/j/{code}")
async def join_page(request: Request, code: str, services: ServicesDep) -> Response:
    workshop = await services.workshops.by_code(code)
    if workshop.code != code:
        return see_other(f"/j/{workshop.code}")
    actor = await participant_actor(request, workshop.id)
    if actor is None:
        return render_page(request, "participant/join.html", workshop=workshop,
                           name=request.cookies.get(NAME_COOKIE, ""), error=None)
    return await participant_page(request, services, workshop, actor)


@router.post("/j/{code}", dependencies=[Csrf])
async def join(request: Request, code: str, services: ServicesDep, cookies: CookiesDep,
               name: Annotated[str, Form(max_length=200)] = "") -> Response:
    workshop = await services.workshops.by_code(code)
    device = cookies.device_id(request) or new_id()
    try:
        participant = await services.polls.join(workshop, device, name)
    except WorkshopError as error:
        return render_page(request, "participant/join.html", status=error.status,
                           workshop=workshop, name=name, error=error.message)
    response = see_other(f"/j/{workshop.code}")
    cookies.set_device(response, device)
    if participant.name:
        cookies.set_name(response, participant.name)
    return response


@router.post("/j/{code}/activities/{activity_id}/vote", dependencies=[Csrf])
async def vote(request: Request, code: str, activity_id: str, services: ServicesDep
               ) -> Response:
    workshop = await services.workshops.by_code(code)
    actor = await participant_actor(request, workshop.id)
    if actor is None:
        return see_other(f"/j/{workshop.code}")
    form = await request.form()
    error: WorkshopError | None = None
    try:
        activity = await services.polls.activity_in(workshop, activity_id)
        await services.polls.respond(actor, workshop.id, activity_id,
                                     ballot_value(activity, form), form.get("client_id"))
    except WorkshopError as caught:
        error = caught
    if not is_htmx(request):
        if error is None:
            return see_other(f"/j/{workshop.code}")
        return await participant_page(request, services, workshop, actor,
                                       status=error.status, error=error.message)
    screens = request.app.state.screens
    state = await screens.load(workshop.id, frozenset({Part.STAGE}))  # no chat, per vote
    ballot = await screens.own_ballot(state, actor.participant_id)
    return render_fragment(request, PAGE, "stage", status=error.status if error else 200,
                           state=state, workshop=workshop, current=state.current,
                           results=state.results, ballot=ballot, client_id=new_id(),
                           error=error.message if error else None, just_voted=error is None)


@router.get("/j/{code}/qr.svg")
async def join_qr(request: Request, code: str, services: ServicesDep) -> Response:
    workshop = await services.workshops.by_code(code)
    link = urls_of(request).join_absolute(workshop.code)
    qr = segno.make(link, error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=10, border=2, dark="#111111", light="#ffffff",
            title=f"QR code for {link}", xmldecl=False, svgclass=None, lineclass=None)
    svg = out.getvalue()
    return Response(svg, media_type="image/svg+xml",
                    headers={"cache-control": "public, max-age=3600"})

"""The presenter screen: a full-screen page for the projector."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from workshop.auth.actors import AnonymousActor
from workshop.domain.errors import NotAuthenticated
from workshop.web.deps import ServicesDep, resolve_actor
from workshop.web.pages import render_page

router = APIRouter(include_in_schema=False)


@router.get("/present/{workshop_id}")
async def present(request: Request, workshop_id: str, services: ServicesDep) -> Response:
    actor = await resolve_actor(request, workshop_id)
    if isinstance(actor, AnonymousActor):
        raise NotAuthenticated("Sign in as a facilitator to open the presenter screen.")
    workshop = await services.workshops.load_curated(actor, workshop_id)
    state = await request.app.state.screens.load(workshop.id)
    return render_page(request, "presenter/screen.html", state=state, workshop=workshop,
                       current=state.current, results=state.results)

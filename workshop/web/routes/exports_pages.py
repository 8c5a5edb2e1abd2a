"""The write-up for people: console downloads, the published results page (/r/{token}),
a participant's take-away, and the JSON API that publishes and revokes the link."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, Field
from starlette.responses import HTMLResponse, JSONResponse, Response

from workshop.auth.actors import Actor
from workshop.domain.errors import NotAuthenticated, NotFound, WorkshopError
from workshop.domain.models import Activity, PollKind
from workshop.domain.objectives import Objective
from workshop.domain.text import clean_text
from workshop.exporters.html import HTML_MEDIA_TYPE, TakeawayBoard, render_html, render_takeaway
from workshop.exporters.registry import exporter_for, slug
from workshop.exporters.writeup import ExportOptions, ObjectiveEntry, build_writeup
from workshop.services.publications import SUMMARY_MAX
from workshop.storage.publications import Publication
from workshop.web.console import console_facilitator
from workshop.web.deps import (
    Csrf,
    SameOrigin,
    ServicesDep,
    actor_for,
    participant_actor,
    urls_of,
)
from workshop.web.pages import is_htmx, render_fragment, render_page, see_other
from workshop.web.schemas import ERRORS, Strict

router = APIRouter()

API = "/api/v1/workshops/{workshop_id}/publication"
PUBLISHED = "exports/published.html"
# The published page is a document, never an app: nothing runs, nothing is fetched.
PUBLIC_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "img-src data:; base-uri 'none'; form-action 'none'; "
                               "frame-ancestors 'none'",
}


def export_options(options: Mapping[str, Any]) -> ExportOptions:
    """A publication's stored options → the write-up's options."""
    ids = options.get("activity_ids")
    return ExportOptions(activity_ids=None if ids is None else frozenset(ids),
                         include_names=bool(options.get("include_names", False)),
                         include_chat=bool(options.get("include_chat", True)),
                         summary=str(options.get("summary") or ""))


def public_url(request: Request, token: str) -> str:
    return urls_of(request).absolute(f"/r/{token}")


def attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


# -- JSON API -------------------------------------------------------------------------

class PublicationIn(Strict):
    include_names: bool = Field(False, description="Show participant names (only when the "
                                                   "workshop's anonymity allows them).")
    include_chat: bool = Field(True, description="Add the chat as an appendix.")
    activity_ids: list[str] | None = Field(None, max_length=200,
                                           description="Only these activities (default: "
                                                       "all).")
    summary: str = Field("", max_length=SUMMARY_MAX, description="Shown at the top.")


class PublicationOut(BaseModel):
    url: str = Field(description="The read-only results page; no sign-in needed.")
    token: str


def _publication_json(request: Request, publication: Publication) -> dict[str, str]:
    return {"url": public_url(request, publication.token), "token": publication.token}


@router.post(API, status_code=201, response_model=PublicationOut, tags=["exports"],
             responses=ERRORS, dependencies=[SameOrigin],
             summary="Publish the write-up as a read-only page (owner or co-host); 200 with "
                     "the same link when already published (its options are updated)")
async def publish(request: Request, workshop_id: str, services: ServicesDep,
                  body: Annotated[PublicationIn | None, Body()] = None,
                  actor: Actor = Depends(actor_for)) -> Response:
    publication, created = await services.publications.publish(
        actor, workshop_id, body.model_dump() if body else {})
    return JSONResponse(_publication_json(request, publication),
                        status_code=201 if created else 200)


@router.get(API, response_model=PublicationOut, tags=["exports"], responses=ERRORS,
            summary="The published results page's link (404 when not published)")
async def get_publication(request: Request, workshop_id: str, services: ServicesDep,
                          actor: Actor = Depends(actor_for)) -> dict[str, str]:
    publication = await services.publications.current(actor, workshop_id)
    if publication is None:
        raise NotFound("This workshop's write-up is not published.")
    return _publication_json(request, publication)


@router.delete(API, status_code=204, tags=["exports"], responses=ERRORS,
               dependencies=[SameOrigin],
               summary="Unpublish (owner or co-host): the link answers 404 from now on")
async def unpublish(workshop_id: str, services: ServicesDep,
                    actor: Actor = Depends(actor_for)) -> Response:
    await services.publications.unpublish(actor, workshop_id)
    return Response(status_code=204)


# -- the public page --------------------------------------------------------------------
@router.get("/r/{token}", include_in_schema=False)
async def published_page(token: str, services: ServicesDep) -> Response:
    publication = await services.publications.by_token(token)
    writeup = await build_writeup(services, publication.workshop_id,
                                  export_options(publication.options))
    html = await asyncio.to_thread(render_html, writeup, public=True)  # off the live loop
    return HTMLResponse(html, headers=PUBLIC_HEADERS)


# -- the console ------------------------------------------------------------------------

@router.get("/console/{workshop_id}/export", include_in_schema=False)
async def console_export(request: Request, workshop_id: str, services: ServicesDep
                         ) -> Response:
    """The export panel's form: ?format=…&activity=…&names=on&chat=on&summary=…"""
    actor = await console_facilitator(request)
    workshop = await services.workshops.load_curated(actor, workshop_id)
    query = request.query_params
    exporter = exporter_for(query.get("format", "html"))
    chosen = query.getlist("activity")
    options = ExportOptions(
        activity_ids=frozenset(i for i in chosen if i) if chosen else None,
        include_names=query.get("names") == "on", include_chat=query.get("chat") == "on",
        summary=clean_text(query.get("summary", ""), field="Summary", max_length=SUMMARY_MAX,
                           required=False))
    exported = await exporter.export(services, workshop.id, options)
    return Response(exported.content, media_type=exported.media_type,
                    headers=attachment(exported.filename))


async def _publication_view(request: Request, services: ServicesDep, workshop_id: str, *,
                            error: WorkshopError | None = None) -> Response:
    actor = await console_facilitator(request)
    workshop = await services.workshops.load_curated(actor, workshop_id)
    publication = await services.publications.current(actor, workshop.id)
    context: dict[str, Any] = {
        "workshop": workshop, "publication": publication,
        "public_url": public_url(request, publication.token) if publication else None,
        "error": error.message if error else None}
    status = error.status if error else 200
    if is_htmx(request):
        return render_fragment(request, PUBLISHED, "publication", status=status, **context)
    return render_page(request, PUBLISHED, status=status, **context)


@router.get("/console/{workshop_id}/publication", include_in_schema=False)
async def publication_page(request: Request, workshop_id: str, services: ServicesDep
                           ) -> Response:
    return await _publication_view(request, services, workshop_id)


@router.post("/console/{workshop_id}/publication", dependencies=[Csrf],
             include_in_schema=False)
async def publish_from_console(request: Request, workshop_id: str, services: ServicesDep
                               ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    summary = form.get("summary")
    try:
        await services.publications.publish(actor, workshop_id, {
            "include_names": form.get("names") == "on",
            "include_chat": form.get("chat") == "on",
            "summary": summary if isinstance(summary, str) else ""})
    except WorkshopError as error:
        return await _publication_view(request, services, workshop_id, error=error)
    if is_htmx(request):
        return await _publication_view(request, services, workshop_id)
    return see_other(f"/console/{workshop_id}/publication")


@router.post("/console/{workshop_id}/publication/delete", dependencies=[Csrf],
             include_in_schema=False)
async def unpublish_from_console(request: Request, workshop_id: str, services: ServicesDep
                                 ) -> Response:
    actor = await console_facilitator(request)
    await services.publications.unpublish(actor, workshop_id)
    if is_htmx(request):
        return await _publication_view(request, services, workshop_id)
    return see_other(f"/console/{workshop_id}/publication")


# -- the participant's take-away ----------------------------------------------------------
def _entry(activity: Activity, objective: Objective) -> ObjectiveEntry:
    return ObjectiveEntry(objective.text, objective.key_results, None, objective.votes,
                          activity.option_label(objective.aligns_to)
                          if objective.aligns_to else None)


@router.get("/j/{code}/takeaway", include_in_schema=False)
async def takeaway(request: Request, code: str, services: ServicesDep) -> Response:
    """Your own objectives and key results, and the published write-up if there is one."""
    workshop = await services.workshops.by_code(code)
    actor = await participant_actor(request, workshop.id)
    if actor is None:
        raise NotAuthenticated("Join the workshop first.")
    participant = await services.store.get_participant(actor.participant_id)
    boards = [TakeawayBoard(activity, tuple(
                  _entry(activity, o)
                  for o in await services.objectives.mine(actor.participant_id, activity)))
              for activity in await services.store.list_activities(workshop.id)
              if activity.kind is PollKind.OBJECTIVES]
    publication = await services.publications.of_workshop(workshop.id)
    writeup = (await build_writeup(services, workshop.id, export_options(publication.options))
               if publication else None)
    date = time.strftime("%d %B %Y", time.localtime(workshop.created_at))
    html = await asyncio.to_thread(render_takeaway, workshop, date,
                                   participant.name if participant else "", boards, writeup)
    return Response(html.encode(), media_type=HTML_MEDIA_TYPE,
                    headers=attachment(f"{slug(workshop.title)}-takeaway.html"))

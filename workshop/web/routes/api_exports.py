"""JSON API of exports and imports: download a workshop as a file (the write-up in
Markdown, HTML or PDF; the answers as CSV or XLSX; everything as JSON), and import a JSON
export as a new workshop."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query
from starlette.responses import Response

from workshop.auth.actors import Actor
from workshop.domain import limits
from workshop.domain.errors import NotFound
from workshop.exporters.registry import exporter_for
from workshop.exporters.writeup import ExportOptions
from workshop.web.deps import SameOrigin, ServicesDep, UrlsDep, actor_for
from workshop.web.schemas import ERRORS, WorkshopCreated

router = APIRouter(prefix="/api/v1/workshops", responses=ERRORS, dependencies=[SameOrigin],
                   tags=["exports"])

FORMATS = "md, html, pdf, xlsx, csv or json"



@router.get(
    "/{workshop_id}/export",
    summary="Download the workshop as a file (facilitator or curator)",
    description=(
        f"`format`: {FORMATS}. `md`, `html` and `pdf` are the session write-up; `csv` is "
        "every answer in long form (one row per answer: workshop, activity, kind, prompt, "
        "round, participant, value, time); `xlsx` a summary sheet and one sheet per "
        "activity; `json` the complete workshop in the documented, versioned format that "
        "`POST /api/v1/workshops/import` reads back (docs/export-format.md). Names appear "
        "only with `names=true` in a workshop whose chat is `named`; otherwise each "
        "activity gets its own pseudonyms. The answer is the file, with "
        "`Content-Disposition: attachment`; an unknown format is a 422 listing the "
        "formats."),
    responses={200: {"description": "The file", "content": {
        "text/markdown": {}, "text/html": {}, "application/pdf": {}, "text/csv": {},
        "application/json": {},
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}},
    response_class=Response,
)
async def export_workshop(
    workshop_id: str, services: ServicesDep,
    format_: str = Query(alias="format", max_length=20, description=FORMATS),
    activity: list[str] | None = Query(
        None, max_length=limits.ACTIVITIES_PER_WORKSHOP_MAX,
        description="Only these activities (repeat the parameter); default: all."),
    names: bool = Query(True, description="Include participant names when the workshop's "
                                          "chat is `named`."),
    chat: bool = Query(True, description="Include the chat (appendix / messages)."),
    summary: str = Query("", max_length=limits.DESCRIPTION_MAX,
                         description="A summary paragraph for the write-up."),
    actor: Actor = Depends(actor_for),
) -> Response:
    workshop = await services.workshops.load_curated(actor, workshop_id)
    exporter = exporter_for(format_)
    if activity:
        known = {a.id for a in await services.workshops.activities(workshop.id)}
        if not set(activity) <= known:
            raise NotFound("This workshop has no activity with that id.")
    options = ExportOptions(frozenset(activity) if activity else None, names, chat, summary)
    file = await exporter.export(services, workshop.id, options)
    return Response(file.content, media_type=file.media_type, headers={
        "Content-Disposition": f'attachment; filename="{file.filename}"'})


@router.post(
    "/import", status_code=201, response_model=WorkshopCreated,
    summary="Import a JSON export as a new workshop (facilitator)",
    description=(
        "The body is a document from `GET …/export?format=json` (format `workshop`, "
        "version 1; see docs/export-format.md). The caller owns the new workshop, which "
        "gets new ids and a new join code. `plan_only=true` keeps only the agenda "
        "(activities, options, settings) as drafts; otherwise participants, every round's "
        "responses, boards, objectives and dots, the chat and the insights come along "
        "with their timestamps. A malformed document is a 422 naming the field, and "
        "nothing is created. Bodies over `WORKSHOP_MAX_BODY_BYTES` (64 KiB by default) "
        "get a 413: import bigger files with `workshop import FILE`."),
)
async def import_workshop(
    services: ServicesDep, urls: UrlsDep,
    document: Any = Body(description="A workshop document (format `workshop`, version 1)."),
    plan_only: bool = Query(False, description="Import the activities only, as drafts."),
    actor: Actor = Depends(actor_for),
) -> WorkshopCreated:
    workshop = await services.imports.import_document(actor, document, plan_only)
    return WorkshopCreated(id=workshop.id, code=workshop.code,
                           join_url=urls.join_absolute(workshop.code),
                           present_url=urls.present_absolute(workshop.id),
                           console_url=urls.console_absolute(workshop.id))

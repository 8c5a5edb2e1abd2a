"""The console's room panel: moderation, insights, chat settings, presenter view and
co-facilitators. Form posts: 204 for htmx (the console's socket brings the change),
303 back to the console without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from workshop.domain.chat import DEFAULT_BLOCKED_WORDS
from workshop.domain.errors import InvalidInput
from workshop.web.console import console_done, console_facilitator, form_text
from workshop.web.deps import Csrf, ServicesDep
from workshop.web.pages import see_other

router = APIRouter(include_in_schema=False)

MESSAGE_ACTIONS = ("approve", "hide", "unhide", "answer", "unanswer", "spotlight",
                   "unspotlight")


@router.post("/console/{workshop_id}/messages/{message_id}/{action}", dependencies=[Csrf])
async def moderate(request: Request, workshop_id: str, message_id: str, action: str,
                   services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    if action == "ban":
        await services.chat.ban_author(actor, workshop_id, message_id)
    elif action in MESSAGE_ACTIONS:
        await services.chat.moderate(actor, workshop_id, message_id, action)
    else:
        raise InvalidInput("Unknown moderation action.")
    return console_done(request, workshop_id)


@router.post("/console/{workshop_id}/insights", dependencies=[Csrf])
async def create_insight(request: Request, workshop_id: str, services: ServicesDep
                         ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    data: dict[str, object] = {"text": form_text(form, "text") or None}
    if form_text(form, "source_type"):
        data["source"] = {"type": form_text(form, "source_type"),
                          "id": form_text(form, "source_id")}
    if form_text(form, "parent_id"):
        data["parent_id"] = form_text(form, "parent_id")
    await services.insights.create(actor, workshop_id, data)
    return console_done(request, workshop_id)


@router.post("/console/{workshop_id}/insights/merge", dependencies=[Csrf])
async def merge_insights(request: Request, workshop_id: str, services: ServicesDep
                         ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    await services.insights.merge(actor, workshop_id,
                                  [v for v in form.getlist("ids") if isinstance(v, str)])
    return console_done(request, workshop_id)


@router.post("/console/{workshop_id}/insights/{insight_id}/{action}", dependencies=[Csrf])
async def insight_action(request: Request, workshop_id: str, insight_id: str, action: str,
                         services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    if action == "edit":
        form = await request.form()
        await services.insights.update(actor, workshop_id, insight_id,
                                       {"text": form_text(form, "text")})
    elif action == "delete":
        await services.insights.delete(actor, workshop_id, insight_id)
    else:
        await services.insights.move(actor, workshop_id, insight_id, action)
    return console_done(request, workshop_id)


@router.post("/console/{workshop_id}/chat-settings", dependencies=[Csrf])
async def chat_settings(request: Request, workshop_id: str, services: ServicesDep
                        ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    words: object = form_text(form, "blocked_words")
    defaults = form_text(form, "defaults")
    if defaults in DEFAULT_BLOCKED_WORDS:
        words = list(DEFAULT_BLOCKED_WORDS[defaults])
    await services.chat.update_settings(actor, workshop_id, {
        "chat": form_text(form, "chat") or "on",
        "anonymity": form_text(form, "anonymity") or "named",
        "premoderation": form.get("premoderation") == "on", "blocked_words": words})
    return see_other(f"/console/{workshop_id}")


@router.post("/console/{workshop_id}/presenter/{view}", dependencies=[Csrf])
async def presenter_view(request: Request, workshop_id: str, view: str,
                         services: ServicesDep) -> Response:
    actor = await console_facilitator(request)
    await services.chat.set_presenter_view(actor, workshop_id, view)
    return console_done(request, workshop_id)


@router.post("/console/{workshop_id}/cofacilitators", dependencies=[Csrf])
async def add_cofacilitator(request: Request, workshop_id: str, services: ServicesDep
                            ) -> Response:
    actor = await console_facilitator(request)
    form = await request.form()
    await services.workshops.add_cofacilitator(actor, workshop_id, form_text(form, "email"),
                                               form_text(form, "role"))
    return see_other(f"/console/{workshop_id}")

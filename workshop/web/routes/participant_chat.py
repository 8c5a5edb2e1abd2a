"""The participant's chat: post a message or question, upvote questions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from markupsafe import escape
from starlette.responses import Response

from workshop.auth.actors import ParticipantActor
from workshop.domain.chat import ChatMode, MessageStatus
from workshop.domain.errors import NotAuthenticated, NotFound, WorkshopError
from workshop.domain.models import Workshop
from workshop.web.deps import Csrf, ServicesDep, participant_actor
from workshop.web.pages import is_htmx, render_fragment, see_other
from workshop.web.routes.participant import participant_page

router = APIRouter(include_in_schema=False)

CHAT = "participant/_chat.html"


async def _context(request: Request, services: ServicesDep, code: str
                   ) -> tuple[Workshop, ParticipantActor]:
    workshop = await services.workshops.by_code(code)
    actor = await participant_actor(request, workshop.id)
    if actor is None:
        raise NotAuthenticated("Join the workshop first.")
    return workshop, actor


@router.post("/j/{code}/messages", dependencies=[Csrf])
async def post_message(request: Request, code: str, services: ServicesDep) -> Response:
    workshop, actor = await _context(request, services, code)
    form = await request.form()
    reply_to = form.get("reply_to")
    data = {"text": form.get("text"), "question": form.get("question") == "true",
            "reply_to": reply_to if isinstance(reply_to, str) and reply_to else None}
    notice = error = None
    status = 200
    try:
        message, _ = await services.chat.post(actor, workshop.id, data, form.get("client_id"))
        if message.status is MessageStatus.PENDING:
            notice = "Sent. It appears once the facilitator approves it."
        elif workshop.chat.mode is ChatMode.FACILITATOR_ONLY:
            notice = "Sent to the facilitator."
        else:
            notice = "Question sent." if message.question else None
    except WorkshopError as caught:
        error, status = caught.message, caught.status
    if not is_htmx(request):
        if error is None:
            return see_other(f"/j/{workshop.code}#chat")
        return await participant_page(request, services, workshop, actor, status=status,
                                      error=error)
    return render_fragment(request, CHAT, "form", status=status, workshop=workshop,
                           chat_notice=notice, chat_error=error)


async def _upvotes(request: Request, services: ServicesDep, workshop: Workshop,
                   actor: ParticipantActor, error: WorkshopError | None) -> Response:
    if not is_htmx(request):
        if error is not None:
            raise error
        return see_other(f"/j/{workshop.code}#chat")
    upvoted = " ".join(await services.chat.my_upvotes(actor))
    html = (f'<p id="my-upvotes" data-upvoted="{escape(upvoted)}" class="error" role="alert">'
            f"{escape(error.message) if error else ''}</p>")
    return Response(html, media_type="text/html", status_code=error.status if error else 200)


@router.post("/j/{code}/messages/{message_id}/{action}", dependencies=[Csrf])
async def upvote(request: Request, code: str, message_id: str, action: str,
                 services: ServicesDep) -> Response:
    """`upvote` a question, or `unupvote` to take the upvote back."""
    workshop, actor = await _context(request, services, code)
    change = {"upvote": services.chat.upvote, "unupvote": services.chat.withdraw_upvote}
    error = None
    try:
        if action not in change:
            raise NotFound("Nothing here.")
        await change[action](actor, workshop.id, message_id)
    except WorkshopError as caught:
        error = caught
    return await _upvotes(request, services, workshop, actor, error)

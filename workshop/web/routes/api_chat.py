"""JSON API of the chat, Q&A, moderation, insights and co-facilitators, under
/api/v1/workshops/{workshop_id}."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from workshop.auth.actors import Actor
from workshop.domain import limits
from workshop.domain.chat import MESSAGE_MAX
from workshop.domain.insights import INSIGHT_MAX
from workshop.web.deps import SameOrigin, ServicesDep, actor_for, participant_first
from workshop.web.schemas import ERRORS, Strict

router = APIRouter(prefix="/api/v1/workshops/{workshop_id}", responses=ERRORS,
                   dependencies=[SameOrigin])




class MessageIn(Strict):
    text: str = Field(max_length=MESSAGE_MAX, description="At most 500 characters.")
    question: bool = Field(False, description="Post as a question for the Q&A.")
    reply_to: str | None = Field(None, description="Reply to a message (one level).")
    client_id: str = Field(max_length=limits.CLIENT_ID_MAX)


class BanIn(Strict):
    participant_id: str


class SourceIn(Strict):
    type: Literal["message", "response", "objective"]
    id: str


class InsightIn(Strict):
    text: str | None = Field(None, max_length=INSIGHT_MAX)
    source: SourceIn | None = Field(None, description="Keep a chat message, an open-text "
                                                      "answer or an objective.")
    parent_id: str | None = Field(None, description="Nest under a top-level insight.")


class InsightPatch(Strict):
    text: str | None = Field(None, max_length=INSIGHT_MAX)
    parent_id: str | None = None


class OrderItem(Strict):
    id: str
    parent_id: str | None = None


class OrderIn(Strict):
    items: list[OrderItem] = Field(max_length=600)


class IdsIn(Strict):
    ids: list[str] = Field(min_length=2, max_length=50)


class MoveIn(Strict):
    direction: Literal["up", "down", "indent", "outdent"]


class CofacilitatorIn(Strict):
    email: str = Field(max_length=limits.EMAIL_MAX)
    role: Literal["curator", "cohost"]


class PresenterIn(Strict):
    view: Literal["activity", "insights"]


class MessageOut(BaseModel):
    id: str
    status: str = Field(description="visible, or pending when it waits for approval")


@router.post("/messages", status_code=201, response_model=MessageOut, tags=["chat"],
             summary="Post to the chat or ask a question (participant); 200 on a "
                     "repeated client_id")
async def post_message(workshop_id: str, body: MessageIn, services: ServicesDep,
                       actor: Actor = Depends(participant_first)) -> Response:
    message, created = await services.chat.post(
        actor, workshop_id, body.model_dump(exclude={"client_id"}), body.client_id)
    return JSONResponse({"id": message.id, "status": message.status.value},
                        status_code=201 if created else 200)


@router.get("/messages", tags=["chat"], summary="The messages the caller may see")
async def list_messages(workshop_id: str, services: ServicesDep,
                        actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    return {"messages": await services.chat.messages(actor, workshop_id)}


@router.post("/messages/{message_id}/upvote", tags=["chat"],
             summary="Upvote a question (participant, once)")
async def upvote(workshop_id: str, message_id: str, services: ServicesDep,
                 actor: Actor = Depends(participant_first)) -> dict[str, Any]:
    message = await services.chat.upvote(actor, workshop_id, message_id)
    return {"id": message.id, "upvotes": message.upvotes}


@router.delete("/messages/{message_id}/upvote", tags=["chat"],
               summary="Withdraw your upvote (participant)")
async def withdraw_upvote(workshop_id: str, message_id: str, services: ServicesDep,
                          actor: Actor = Depends(participant_first)) -> dict[str, Any]:
    message = await services.chat.withdraw_upvote(actor, workshop_id, message_id)
    return {"id": message.id, "upvotes": message.upvotes}


@router.post("/messages/{message_id}/ban-author", status_code=204, tags=["moderation"],
             summary="Ban whoever wrote this message (facilitator or curator)")
async def ban_author(workshop_id: str, message_id: str, services: ServicesDep,
                     actor: Actor = Depends(actor_for)) -> Response:
    await services.chat.ban_author(actor, workshop_id, message_id)
    return Response(status_code=204)


@router.post("/messages/{message_id}/{action}", tags=["moderation"],
             summary="approve, hide, unhide, answer, unanswer, spotlight or unspotlight "
                     "(facilitator or curator)")
async def moderate(workshop_id: str, message_id: str,
                   action: Literal["approve", "hide", "unhide", "answer", "unanswer",
                                   "spotlight", "unspotlight"],
                   services: ServicesDep, actor: Actor = Depends(actor_for)
                   ) -> dict[str, Any]:
    message = await services.chat.moderate(actor, workshop_id, message_id, action)
    return {"id": message.id, "status": message.status.value, "answered": message.answered}


@router.post("/bans", status_code=201, tags=["moderation"],
             summary="Stop a participant from posting (facilitator or curator)")
async def ban(workshop_id: str, body: BanIn, services: ServicesDep,
              actor: Actor = Depends(actor_for)) -> dict[str, str]:
    await services.chat.ban(actor, workshop_id, body.participant_id)
    return {"participant_id": body.participant_id}


@router.delete("/bans/{participant_id}", status_code=204, tags=["moderation"],
               summary="Let a banned participant post again (facilitator or curator)")
async def unban(workshop_id: str, participant_id: str, services: ServicesDep,
                actor: Actor = Depends(actor_for)) -> Response:
    await services.chat.unban(actor, workshop_id, participant_id)
    return Response(status_code=204)


@router.get("/insights", tags=["insights"],
            summary="Numbered insights with nested sub-points, in order")
async def list_insights(workshop_id: str, services: ServicesDep,
                        actor: Actor = Depends(participant_first)) -> dict[str, Any]:
    tree = await services.insights.visible(actor, workshop_id)
    return {"insights": [node.as_json() for node in tree]}


@router.post("/insights", status_code=201, tags=["insights"],
             summary="Keep something as an insight, or write one (facilitator or curator)")
async def create_insight(workshop_id: str, body: InsightIn, services: ServicesDep,
                         actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    data = body.model_dump(exclude_none=True)
    node = await services.insights.create(actor, workshop_id, data)
    return {"id": node.insight.id, "number": node.number, **node.as_json()}


@router.put("/insights/order", tags=["insights"],
            summary="Set the whole order and nesting (facilitator or curator)")
async def order_insights(workshop_id: str, body: OrderIn, services: ServicesDep,
                         actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    tree = await services.insights.reorder(actor, workshop_id,
                                           [item.model_dump() for item in body.items])
    return {"insights": [node.as_json() for node in tree]}


@router.post("/insights/merge", tags=["insights"],
             summary="Merge insights into the first (facilitator or curator)")
async def merge_insights(workshop_id: str, body: IdsIn, services: ServicesDep,
                         actor: Actor = Depends(actor_for)) -> dict[str, Any]:
    node = await services.insights.merge(actor, workshop_id, body.ids)
    return node.as_json()


@router.patch("/insights/{insight_id}", tags=["insights"],
              summary="Edit an insight's words or parent (facilitator or curator)")
async def patch_insight(workshop_id: str, insight_id: str, body: InsightPatch,
                        services: ServicesDep, actor: Actor = Depends(actor_for)
                        ) -> dict[str, Any]:
    node = await services.insights.update(actor, workshop_id, insight_id,
                                          body.model_dump(exclude_unset=True))
    return node.as_json()


@router.delete("/insights/{insight_id}", status_code=204, tags=["insights"],
               summary="Delete an insight; its sub-points move to top level")
async def delete_insight(workshop_id: str, insight_id: str, services: ServicesDep,
                         actor: Actor = Depends(actor_for)) -> Response:
    await services.insights.delete(actor, workshop_id, insight_id)
    return Response(status_code=204)


@router.post("/insights/{insight_id}/move", tags=["insights"],
             summary="Move up/down, indent under the previous, or outdent")
async def move_insight(workshop_id: str, insight_id: str, body: MoveIn,
                       services: ServicesDep, actor: Actor = Depends(actor_for)
                       ) -> dict[str, Any]:
    tree = await services.insights.move(actor, workshop_id, insight_id, body.direction)
    return {"insights": [node.as_json() for node in tree]}


@router.post("/cofacilitators", status_code=201, tags=["workshops"],
             summary="Invite a facilitator account as curator or co-host (owner)")
async def add_cofacilitator(workshop_id: str, body: CofacilitatorIn, services: ServicesDep,
                            actor: Actor = Depends(actor_for)) -> dict[str, str]:
    email, role = await services.workshops.add_cofacilitator(actor, workshop_id, body.email,
                                                             body.role)
    return {"email": email, "role": role.value}


@router.put("/presenter", tags=["workshops"],
            summary="What the presenter screen shows: the activity or the insights")
async def presenter_view(workshop_id: str, body: PresenterIn, services: ServicesDep,
                         actor: Actor = Depends(actor_for)) -> dict[str, str]:
    workshop = await services.chat.set_presenter_view(actor, workshop_id, body.view)
    return {"view": workshop.presenter_view}

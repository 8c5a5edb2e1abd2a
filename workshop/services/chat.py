"""The chat and Q&A: posting, upvoting, moderation and the room's chat settings."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from workshop.auth.actors import Actor, ParticipantActor
from workshop.auth.permissions import require_participant_of
from workshop.domain.chat import (
    UPVOTES_PER_MINUTE,
    Anonymity,
    ChatMode,
    ChatSettings,
    Message,
    MessageStatus,
    author_for,
    check_can_post,
    clean_blocked_words,
    clean_message,
    initial_status,
    moderate,
    visible_to,
)
from workshop.domain.errors import Conflict, InvalidInput, NotFound
from workshop.domain.events import Change, WorkshopChanged
from workshop.domain.ids import new_id
from workshop.domain.models import Workshop
from workshop.domain.text import clean_client_id
from workshop.live.hub import Hub
from workshop.services.workshops import WorkshopService
from workshop.storage import Store

RATE_WINDOW_SECONDS = 60.0


def message_json(message: Message, author: str | None, *, facilitator: bool
                 ) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": message.id, "text": message.text, "question": message.question,
        "upvotes": message.upvotes, "status": message.status.value,
        "answered": message.answered, "reply_to": message.reply_to,
        "created_at": message.created_at,
    }
    if author is not None:
        data["author"] = author
    if facilitator and author is not None:
        data["participant_id"] = message.participant_id
    return data


class ChatService:
    def __init__(self, store: Store, hub: Hub, workshops: WorkshopService) -> None:
        self.store = store
        self.hub = hub
        self.workshops = workshops

    async def _changed(self, workshop_id: str, change: Change = Change.CHAT_CHANGED) -> None:
        await self.hub.publish(WorkshopChanged(workshop_id, change))

    async def _message_in(self, workshop: Workshop, message_id: str) -> Message:
        message = await self.store.get_message(message_id)
        if message is None or message.workshop_id != workshop.id:
            raise NotFound("This workshop has no message with that id.")
        return message

    # -- participants ----------------------------------------------------------------
    async def post(self, actor: Actor, workshop_id: str, data: Mapping[str, Any],
                   client_id: object) -> tuple[Message, bool]:
        """Post a message or question; (message, False) for a repeated client_id."""
        workshop = await self.workshops.load(workshop_id)
        participant = require_participant_of(actor, workshop)
        request_id = clean_client_id(client_id)
        text = clean_message(data.get("text"))
        question = data.get("question", False)
        if not isinstance(question, bool):
            raise InvalidInput("question must be true or false.")
        reply_to = data.get("reply_to")
        if reply_to is not None:
            parent = await self._message_in(workshop, str(reply_to))
            if parent.reply_to is not None:
                reply_to = parent.reply_to  # replies stay one level deep
            if parent.status is not MessageStatus.VISIBLE:
                raise Conflict("You can only reply to a message in the chat.")
        since = time.time() - RATE_WINDOW_SECONDS
        check_can_post(workshop.chat,
                       await self.store.is_banned(workshop.id, participant.participant_id),
                       await self.store.count_recent_posts(participant.participant_id, since))
        message = Message(
            id=new_id(), workshop_id=workshop.id, participant_id=participant.participant_id,
            author_name="", text=text, question=question, reply_to=reply_to,
            status=initial_status(workshop.chat, text), answered=False, upvotes=0,
            activity_id=workshop.current_activity_id, created_at=time.time(),
            private=workshop.chat.mode is ChatMode.FACILITATOR_ONLY,
            posted_anonymity=workshop.chat.anonymity,
        )
        if not await self.store.insert_message(message, request_id):
            latest = await self.store.latest_message_by(workshop.id, participant.participant_id)
            return latest or message, False
        await self._changed(workshop.id)
        return await self.store.get_message(message.id) or message, True

    async def upvote(self, actor: Actor, workshop_id: str, message_id: str) -> Message:
        workshop = await self.workshops.load(workshop_id)
        participant = require_participant_of(actor, workshop)
        message = await self._message_in(workshop, message_id)
        if not message.question or message.status is not MessageStatus.VISIBLE:
            raise Conflict("Only questions in the chat can be upvoted.")
        if message.participant_id == participant.participant_id:
            raise Conflict("You cannot upvote your own question.")
        recent = await self.store.count_recent_upvotes(participant.participant_id,
                                                       time.time() - RATE_WINDOW_SECONDS)
        if recent >= UPVOTES_PER_MINUTE:
            raise Conflict(f"Slow down: at most {UPVOTES_PER_MINUTE} upvotes a minute.")
        await self.store.add_upvote(message.id, participant.participant_id)
        await self._changed(workshop.id)
        return await self.store.get_message(message.id) or message

    async def withdraw_upvote(self, actor: Actor, workshop_id: str, message_id: str
                              ) -> Message:
        workshop = await self.workshops.load(workshop_id)
        participant = require_participant_of(actor, workshop)
        message = await self._message_in(workshop, message_id)
        await self.store.remove_upvote(message.id, participant.participant_id)
        await self._changed(workshop.id)
        return await self.store.get_message(message.id) or message

    async def my_upvotes(self, participant: ParticipantActor) -> list[str]:
        return await self.store.my_upvotes(participant.workshop_id, participant.participant_id)

    # -- reading ---------------------------------------------------------------------
    async def messages(self, actor: Actor, workshop_id: str) -> list[dict[str, Any]]:
        """What the caller may see, oldest first, authors as anonymity allows."""
        workshop = await self.workshops.load(workshop_id)
        staff = await self.workshops.is_staff(actor, workshop)
        viewer = None
        if not staff:
            viewer = require_participant_of(actor, workshop).participant_id
        return [message_json(m, author_for(m, workshop.chat.anonymity, facilitator=staff,
                                           viewer_id=viewer), facilitator=staff)
                for m in await self.store.list_messages(workshop.id)
                if visible_to(m, workshop.chat, facilitator=staff, viewer_id=viewer)]

    # -- moderation (facilitators and curators) -----------------------------------------
    async def moderate(self, actor: Actor, workshop_id: str, message_id: str, action: str
                       ) -> Message:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        message = await self._message_in(workshop, message_id)
        if action in ("spotlight", "unspotlight"):
            if action == "spotlight" and (not message.question
                                          or message.status is not MessageStatus.VISIBLE):
                raise Conflict("Only a question in the chat can be spotlighted.")
            spotlight = message.id if action == "spotlight" else None
            if action == "unspotlight" and workshop.spotlight_message_id != message.id:
                raise Conflict("This question is not in the spotlight.")
            await self.store.update_room_settings(
                replace(workshop, spotlight_message_id=spotlight))
            await self._changed(workshop.id, Change.SPOTLIGHT_CHANGED)
            return message
        updated = moderate(message, action)
        await self.store.update_message(updated)
        if updated.status is MessageStatus.HIDDEN and workshop.spotlight_message_id == message.id:
            await self.store.update_room_settings(replace(workshop, spotlight_message_id=None))
            await self._changed(workshop.id, Change.SPOTLIGHT_CHANGED)
        await self._changed(workshop.id)
        return await self.store.get_message(message.id) or updated

    async def ban(self, actor: Actor, workshop_id: str, participant_id: object) -> None:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        await self._ban(workshop, str(participant_id))

    async def ban_author(self, actor: Actor, workshop_id: str, message_id: str) -> None:
        """Ban whoever wrote a message (works even when the chat is anonymous)."""
        workshop = await self.workshops.load_curated(actor, workshop_id)
        message = await self._message_in(workshop, message_id)
        await self._ban(workshop, message.participant_id)

    async def _ban(self, workshop: Workshop, participant_id: str) -> None:
        participant = await self.store.get_participant(participant_id)
        if participant is None or participant.workshop_id != workshop.id:
            raise NotFound("This workshop has no participant with that id.")
        await self.store.ban(workshop.id, participant.id)
        await self._changed(workshop.id)

    async def unban(self, actor: Actor, workshop_id: str, participant_id: str) -> None:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        if not await self.store.unban(workshop.id, participant_id):
            raise NotFound("That participant is not banned here.")
        await self._changed(workshop.id)

    async def update_settings(self, actor: Actor, workshop_id: str, data: Mapping[str, Any]
                              ) -> Workshop:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        chat = workshop.chat
        try:
            mode = ChatMode(data["chat"]) if "chat" in data else chat.mode
            anonymity = (Anonymity(data["anonymity"]) if "anonymity" in data
                         else chat.anonymity)
        except ValueError:
            raise InvalidInput("chat must be on, off or facilitator_only; anonymity must be "
                               "named, anonymous_to_peers or anonymous.") from None
        premoderation = data.get("premoderation", chat.premoderation)
        if not isinstance(premoderation, bool):
            raise InvalidInput("premoderation must be true or false.")
        blocked = (clean_blocked_words(data["blocked_words"]) if "blocked_words" in data
                   else chat.blocked_words)
        updated = replace(workshop, chat=ChatSettings(mode, anonymity, premoderation, blocked))
        await self.store.update_room_settings(updated)
        await self._changed(workshop.id, Change.WORKSHOP_UPDATED)
        return updated

    async def set_presenter_view(self, actor: Actor, workshop_id: str, view: str) -> Workshop:
        workshop = await self.workshops.load_curated(actor, workshop_id)
        if view not in ("activity", "insights"):
            raise InvalidInput("view must be activity or insights.")
        updated = replace(workshop, presenter_view=view)
        await self.store.update_room_settings(updated)
        # the stage of every screen and the console's toggle both change
        await self._changed(workshop.id, Change.WORKSHOP_UPDATED)
        return updated

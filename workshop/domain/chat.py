"""Chat and Q&A: modes, anonymity, moderation and rate limits (pure)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from workshop.domain.errors import Conflict, InvalidInput
from workshop.domain.text import clean_text

MESSAGE_MAX = 500
BLOCKED_WORDS_MAX = 200
BLOCKED_WORD_MAX = 40
POSTS_PER_MINUTE = 20
UPVOTES_PER_MINUTE = 60


class ChatMode(enum.StrEnum):
    ON = "on"
    OFF = "off"
    FACILITATOR_ONLY = "facilitator_only"


class Anonymity(enum.StrEnum):
    NAMED = "named"
    ANONYMOUS_TO_PEERS = "anonymous_to_peers"
    ANONYMOUS = "anonymous"

    @property
    def notice(self) -> str:
        return {
            Anonymity.NAMED: "Your name is shown with your message.",
            Anonymity.ANONYMOUS_TO_PEERS: "Other participants don't see your name; the "
                                          "facilitator does.",
            Anonymity.ANONYMOUS: "Anonymous: nobody sees your name, not even the "
                                 "facilitator.",
        }[self]


class MessageStatus(enum.StrEnum):
    VISIBLE = "visible"
    PENDING = "pending"
    HIDDEN = "hidden"


@dataclass(frozen=True, slots=True)
class ChatSettings:
    mode: ChatMode = ChatMode.ON
    anonymity: Anonymity = Anonymity.NAMED
    premoderation: bool = False
    blocked_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    workshop_id: str
    participant_id: str
    author_name: str
    text: str
    question: bool
    reply_to: str | None
    status: MessageStatus
    answered: bool
    upvotes: int
    activity_id: str | None  # what was on screen when it was posted
    created_at: float
    private: bool = False  # posted while the chat went to the facilitator only
    posted_anonymity: Anonymity = Anonymity.NAMED  # the promise made when it was posted


def clean_message(text: object) -> str:
    return clean_text(text, field="Message", max_length=MESSAGE_MAX)


def clean_blocked_words(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [w for w in re.split(r"[\n,]", raw)]
    if not isinstance(raw, Sequence):
        raise InvalidInput("blocked_words must be a list of words.")
    words: list[str] = []
    for word in raw:
        if not isinstance(word, str):
            raise InvalidInput("blocked_words must be a list of words.")
        cleaned = " ".join(word.split()).casefold()
        if len(cleaned) > BLOCKED_WORD_MAX:
            raise InvalidInput(f"A blocked word is at most {BLOCKED_WORD_MAX} characters.")
        if cleaned and cleaned not in words:
            words.append(cleaned)
    if len(words) > BLOCKED_WORDS_MAX:
        raise InvalidInput(f"At most {BLOCKED_WORDS_MAX} blocked words.")
    return tuple(words)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.casefold())


def contains_blocked(text: str, blocked: Iterable[str]) -> bool:
    """Whole-word (or whole-phrase) match, case-insensitive."""
    haystack = " " + " ".join(_words(text)) + " "
    return any(f" {' '.join(_words(word))} " in haystack for word in blocked if _words(word))


def initial_status(settings: ChatSettings, text: str) -> MessageStatus:
    """Premoderated chats and messages with a blocked word wait in the queue."""
    if settings.premoderation or contains_blocked(text, settings.blocked_words):
        return MessageStatus.PENDING
    return MessageStatus.VISIBLE


def check_can_post(settings: ChatSettings, banned: bool, recent_posts: int) -> None:
    if settings.mode is ChatMode.OFF:
        raise Conflict("The chat is off.")
    if banned:
        raise Conflict("The facilitator has stopped you from posting in this workshop.")
    if recent_posts >= POSTS_PER_MINUTE:
        raise Conflict(f"Slow down: at most {POSTS_PER_MINUTE} messages a minute. Try again "
                       "in a moment.")


def moderate(message: Message, action: str) -> Message:
    """approve / hide / unhide / answer / unanswer → the message after the action."""
    if action == "approve":
        if message.status is not MessageStatus.PENDING:
            raise Conflict("Only a message waiting for approval can be approved.")
        return replace(message, status=MessageStatus.VISIBLE)
    if action == "hide":
        if message.status is MessageStatus.HIDDEN:
            raise Conflict("This message is already hidden.")
        return replace(message, status=MessageStatus.HIDDEN)
    if action == "unhide":
        if message.status is not MessageStatus.HIDDEN:
            raise Conflict("This message is not hidden.")
        return replace(message, status=MessageStatus.VISIBLE)
    if action in ("answer", "unanswer"):
        if not message.question:
            raise Conflict("Only questions can be marked answered.")
        return replace(message, answered=action == "answer")
    raise InvalidInput("Use approve, hide, unhide, answer, unanswer or spotlight.")


_STRICTNESS = {Anonymity.NAMED: 0, Anonymity.ANONYMOUS_TO_PEERS: 1, Anonymity.ANONYMOUS: 2}


def stricter(a: Anonymity, b: Anonymity) -> Anonymity:
    return a if _STRICTNESS[a] >= _STRICTNESS[b] else b


def author_for(message: Message, anonymity: Anonymity, *, facilitator: bool,
               viewer_id: str | None = None) -> str | None:
    """The name a viewer may see, or None when anonymity hides it. A message keeps the
    anonymity it was posted under even if the chat is made less anonymous later."""
    anonymity = stricter(anonymity, message.posted_anonymity)
    if anonymity is Anonymity.ANONYMOUS:
        return None
    if anonymity is Anonymity.ANONYMOUS_TO_PEERS and not facilitator and (
            viewer_id != message.participant_id):
        return None
    return message.author_name or "Anonymous"


def visible_to(message: Message, settings: ChatSettings, *, facilitator: bool,
               viewer_id: str | None = None) -> bool:
    if facilitator:
        return True
    mine = viewer_id is not None and viewer_id == message.participant_id
    if settings.mode is ChatMode.OFF:
        return False
    if settings.mode is ChatMode.FACILITATOR_ONLY or message.private:
        return mine and message.status is not MessageStatus.HIDDEN
    if message.status is MessageStatus.VISIBLE:
        return True
    return mine and message.status is MessageStatus.PENDING


DEFAULT_BLOCKED_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("fuck", "fucking", "shit", "bitch", "bastard", "asshole", "cunt", "dick",
           "wanker", "retard", "slut", "whore", "nigger", "faggot"),
    "de": ("scheiße", "scheisse", "arschloch", "fotze", "hurensohn", "wichser", "schlampe",
           "missgeburt", "spast"),
}

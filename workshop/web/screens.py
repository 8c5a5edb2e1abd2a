"""What each screen shows, read once and rendered once per audience.

`ScreenState` is loaded from the store once per tick per workshop; `Screens` renders its
named template blocks into fragments with stable ids for htmx out-of-band swaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workshop.domain.chat import ChatMode, ChatSettings, Message, MessageStatus, author_for
from workshop.domain.ids import new_id
from workshop.domain.insights import NumberedInsight
from workshop.domain.models import Activity, Ballot, PollKind, Workshop
from workshop.domain.objectives import BoardState
from workshop.domain.tally import Results
from workshop.domain.wall import WallItem, themes_of, wall_for
from workshop.live.rooms import ALL_PARTS, Audience, Part
from workshop.services.container import Services
from workshop.web.templating import Templates
from workshop.web.urls import Urls


@dataclass
class Board:
    """An objectives activity on screen: its switches and the wall per audience."""

    state: BoardState
    wall_public: list[WallItem]
    wall_facilitator: list[WallItem]
    themes: list[str]

    @property
    def spotlight(self) -> WallItem | None:
        return next((i for i in self.wall_facilitator
                     if i.objective.id == self.state.spotlight_id), None)


@dataclass
class ChatView:
    """The chat and Q&A as participants (public) and facilitators (staff) see them."""

    settings: ChatSettings
    public: list[tuple[Message, str | None]]
    staff: list[tuple[Message, str | None]]
    spotlight: Message | None
    banned: set[str]

    @property
    def public_chat(self) -> list[tuple[Message, str | None]]:
        return [(m, a) for m, a in self.public if not m.question]

    @property
    def public_questions(self) -> list[tuple[Message, str | None]]:
        return sorted(((m, a) for m, a in self.public if m.question),
                      key=lambda pair: (pair[0].answered, -pair[0].upvotes,
                                        pair[0].created_at))

    @property
    def queue(self) -> list[tuple[Message, str | None]]:
        return [(m, a) for m, a in self.staff if m.status is MessageStatus.PENDING]

    @property
    def staff_questions(self) -> list[tuple[Message, str | None]]:
        return sorted(((m, a) for m, a in self.staff
                       if m.question and m.status is not MessageStatus.PENDING),
                      key=lambda pair: (pair[0].answered, -pair[0].upvotes,
                                        pair[0].created_at))

    @property
    def staff_chat(self) -> list[tuple[Message, str | None]]:
        return [(m, a) for m, a in self.staff
                if not m.question and m.status is not MessageStatus.PENDING]


@dataclass
class ScreenState:
    workshop: Workshop
    activities: list[Activity]
    current: Activity | None
    results: Results | None
    participants: int
    board: Board | None = None
    chat: ChatView | None = None
    insights: list[NumberedInsight] = field(default_factory=list)


# audience → part → the (template, block) pairs that show it
_FRAGMENTS: dict[Audience, dict[Part, tuple[tuple[str, str], ...]]] = {
    Audience.PARTICIPANT: {
        Part.HEADER: (("participant/page.html", "header"), ("participant/_chat.html", "form")),
        Part.STAGE: (("participant/page.html", "stage"),),
        Part.RESULTS: (("participant/page.html", "results"),),
        Part.CHAT: (("participant/_chat.html", "messages"),),
    },
    Audience.PRESENTER: {
        Part.STAGE: (("presenter/screen.html", "stage"),),
        Part.RESULTS: (("presenter/screen.html", "stage"),),
        Part.PARTICIPANTS: (("presenter/screen.html", "participants"),),
        Part.INSIGHTS: (("presenter/screen.html", "stage"),),
        Part.SPOTLIGHT: (("presenter/screen.html", "spotlight"),),
    },
    Audience.FACILITATOR: {
        Part.HEADER: (("facilitator/console.html", "title"),
                      ("facilitator/_room_settings.html", "settings")),
        Part.AGENDA: (("facilitator/console.html", "agenda"),),
        Part.STAGE: (("facilitator/console.html", "stage"),),
        Part.RESULTS: (("facilitator/console.html", "results"),),
        Part.PARTICIPANTS: (("facilitator/console.html", "participants"),),
        Part.CHAT: (("facilitator/_room_chat.html", "chat"),),
        Part.INSIGHTS: (("facilitator/_room_insights.html", "insights"),),
        Part.SPOTLIGHT: (("facilitator/_room_chat.html", "chat"),),
    },
}


_NEEDS_CHAT = frozenset({Part.CHAT, Part.SPOTLIGHT})
_NEEDS_INSIGHTS = frozenset({Part.INSIGHTS})  # and the presenter's stage when it shows them


class Screens:
    """Implements live.rooms.ScreenRenderer for the three screens of a workshop."""

    def __init__(self, services: Services, templates: Templates) -> None:
        self.services = services
        self.templates = templates
        self.urls = Urls("")

    async def load(self, workshop_id: str, parts: frozenset[Part] = ALL_PARTS
                   ) -> ScreenState | None:
        """Read what these parts show; the chat and the insights only when needed (a
        tick of votes should not re-read the whole chat)."""
        store = self.services.store
        workshop = await store.get_workshop(workshop_id)
        if workshop is None:
            return None
        activities = await store.list_activities(workshop_id)
        current = next((a for a in activities if a.id == workshop.current_activity_id), None)
        results = board = None
        if current is not None and current.kind is PollKind.OBJECTIVES:
            board = await self.load_board(current)
        elif current is not None:
            results = await self.services.polls.tally(current)
        chat = insights = None
        if parts & _NEEDS_CHAT:
            chat = await self.load_chat(workshop)
        if parts & _NEEDS_INSIGHTS or workshop.presenter_view == "insights":
            insights = await self.services.insights.tree(workshop.id)
        return ScreenState(workshop, activities, current, results,
                           await store.count_participants(workshop_id), board, chat,
                           insights or [])

    async def load_chat(self, workshop: Workshop) -> ChatView:
        messages = await self.services.store.list_messages(workshop.id)
        settings = workshop.chat
        public = [(m, author_for(m, settings.anonymity, facilitator=False)) for m in messages
                  if settings.mode is ChatMode.ON and m.status is MessageStatus.VISIBLE
                  and not m.private]
        staff = [(m, author_for(m, settings.anonymity, facilitator=True)) for m in messages]
        spotlight = next((m for m in messages if m.id == workshop.spotlight_message_id), None)
        return ChatView(settings, public, staff, spotlight,
                        await self.services.store.banned_ids(workshop.id))

    async def load_board(self, activity: Activity) -> Board:
        objectives = await self.services.store.list_objectives(activity.id)
        board = await self.services.objectives.board(activity)
        return Board(
            board,
            wall_for(objectives, board, activity.settings, facilitator=False),
            wall_for(objectives, board, activity.settings, facilitator=True),
            themes_of(objectives),
        )

    def context(self, state: ScreenState, **extra: Any) -> dict[str, Any]:
        return {
            "state": state, "workshop": state.workshop, "current": state.current,
            "results": state.results, "urls": self.urls, "oob": True, "csrf_token": None,
            "ballot": None, "client_id": new_id(), **extra,
        }

    def render(self, state: Any, audience: Audience, parts: frozenset[Part]) -> dict[str, str]:
        assert isinstance(state, ScreenState)
        wanted = {pair for p in parts for pair in _FRAGMENTS[audience].get(p, ())}
        context = self.context(state)
        return {
            f"{template}#{block}": self.templates.block(template, block, **context)
            for template, block in sorted(wanted)
        }

    async def own_ballot(self, state: ScreenState, participant_id: str) -> Ballot | None:
        if state.current is None or not state.results or not state.results.total:
            return None  # objectives boards load their personal part on their own
        return await self.services.polls.own_ballot(participant_id, state.current)

    def _stage_with(self, state: ScreenState, ballot: Ballot) -> dict[str, str]:
        template, block = _FRAGMENTS[Audience.PARTICIPANT][Part.STAGE][0]
        html = self.templates.block(template, block, **self.context(state, ballot=ballot))
        return {f"{template}#{block}": html}

    async def render_personal(self, state: Any, participant_id: str) -> dict[str, str]:
        assert isinstance(state, ScreenState)
        ballot = await self.own_ballot(state, participant_id)
        return {} if ballot is None else self._stage_with(state, ballot)

    async def render_all_personal(self, state: Any) -> dict[str, dict[str, str]]:
        assert isinstance(state, ScreenState)
        current = state.current
        if current is None or not state.results or not state.results.total:
            return {}
        by_participant = await self.services.store.ballot_items_by_participant(
            current.id, current.round)
        variants: dict[tuple[str, ...], dict[str, str]] = {}
        personal: dict[str, dict[str, str]] = {}
        for participant_id, items in by_participant.items():
            if items not in variants:
                ballot = Ballot(current.id, current.round, participant_id, items, 0.0)
                variants[items] = self._stage_with(state, ballot)
            personal[participant_id] = variants[items]
        return personal

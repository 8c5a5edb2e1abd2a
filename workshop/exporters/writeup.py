"""The write-up snapshot: everything a session produced, read once, immutable.

Every document format renders this one snapshot. Anonymity is settled here, once:
names appear only when the facilitator asks for them and the workshop (and, for
objectives, the activity) shows names; otherwise poll answers carry a per-activity
pseudonym that cannot link one person's answers across activities.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from workshop.domain.chat import Anonymity, MessageStatus
from workshop.domain.insights import NumberedInsight, numbered
from workshop.domain.models import Activity, PollKind, Workshop
from workshop.domain.objectives import BoardState, KeyResult, Voting
from workshop.domain.polls import parse_placement_item
from workshop.domain.tally import Results
from workshop.services.container import Services

CHAT_APPENDIX_MAX = 5000


@dataclass(frozen=True, slots=True)
class ExportOptions:
    activity_ids: frozenset[str] | None = None  # None: every activity
    include_names: bool = True
    include_chat: bool = True
    summary: str = ""

    def includes(self, activity: Activity) -> bool:
        return self.activity_ids is None or activity.id in self.activity_ids


@dataclass(frozen=True, slots=True)
class ResponseRow:
    """One answer in long form (CSV and spreadsheet rows)."""

    workshop: str
    activity: str
    kind: str
    prompt: str
    round: int
    participant: str
    value: str
    time: str


@dataclass(frozen=True, slots=True)
class PollSection:
    activity: Activity
    rounds: tuple[Results, ...]  # oldest first; the last is the current round
    rows: tuple[ResponseRow, ...]

    @property
    def results(self) -> Results:
        return self.rounds[-1]


@dataclass(frozen=True, slots=True)
class ObjectiveEntry:
    text: str
    key_results: tuple[KeyResult, ...]
    author: str | None
    votes: int
    aligns_to: str | None


@dataclass(frozen=True, slots=True)
class ObjectiveSection:
    activity: Activity
    board: BoardState
    themes: tuple[tuple[str, tuple[ObjectiveEntry, ...]], ...]  # "" = no theme
    count: int

    @property
    def voted(self) -> bool:
        return self.board.voting is not Voting.NOT_STARTED


Section = PollSection | ObjectiveSection


@dataclass(frozen=True, slots=True)
class ChatEntry:
    time: str
    author: str | None
    text: str
    question: bool
    upvotes: int
    answered: bool
    reply_to: str | None  # the text replied to


@dataclass(frozen=True, slots=True)
class WriteUp:
    workshop: Workshop
    generated_at: float
    summary: str
    participants: int
    names: bool
    sections: tuple[Section, ...]
    insights: tuple[NumberedInsight, ...]
    chat: tuple[ChatEntry, ...] | None = None
    live: bool = field(default=False)  # exported while a poll was still open

    @property
    def date(self) -> str:
        return time.strftime("%d %B %Y", time.localtime(self.workshop.created_at))

    @property
    def generated(self) -> str:
        return time.strftime("%d %B %Y, %H:%M", time.localtime(self.generated_at))

    @property
    def polls(self) -> tuple[PollSection, ...]:
        return tuple(s for s in self.sections if isinstance(s, PollSection))

    @property
    def boards(self) -> tuple[ObjectiveSection, ...]:
        return tuple(s for s in self.sections if isinstance(s, ObjectiveSection))

    @property
    def rows(self) -> tuple[ResponseRow, ...]:
        return tuple(row for poll in self.polls for row in poll.rows)


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts))


def pseudonym(activity_id: str, participant_id: str) -> str:
    """Stable within one activity, unlinkable across activities."""
    digest = hashlib.sha256(f"{activity_id}:{participant_id}".encode()).hexdigest()
    return f"anon-{digest[:8]}"


def answer_text(activity: Activity, items: Sequence[str]) -> str:
    kind = activity.kind
    if kind in (PollKind.SINGLE_CHOICE, PollKind.MULTIPLE_CHOICE):
        return "; ".join(activity.option_label(i) for i in items)
    if kind is PollKind.RANKING:
        return "; ".join(f"{n}. {activity.option_label(i)}" for n, i in enumerate(items, 1))
    if kind is PollKind.PLACEMENT:
        parts = []
        for item in items:
            option_id, x, y = parse_placement_item(item)
            parts.append(f"{activity.option_label(option_id)}: {x}/{y}")
        return "; ".join(parts)
    return "; ".join(items)


async def build_writeup(services: Services, workshop_id: str,
                        options: ExportOptions | None = None) -> WriteUp:
    """Read everything once and settle what the readers may see."""
    options = options or ExportOptions()
    store = services.store
    workshop = await services.workshops.load(workshop_id)
    names = options.include_names and workshop.chat.anonymity is Anonymity.NAMED
    participants = {p.id: p for p in await store.list_participants(workshop.id)}
    order = {pid: n for n, pid in enumerate(participants, start=1)}

    def label(activity: Activity, participant_id: str) -> str:
        if not names:
            return pseudonym(activity.id, participant_id)
        participant = participants.get(participant_id)
        return (participant.name if participant and participant.name
                else f"Participant {order.get(participant_id, 0)}")

    sections: list[Section] = []
    live = False
    for activity in await store.list_activities(workshop.id):
        if not options.includes(activity):
            continue
        if activity.kind is PollKind.OBJECTIVES:
            sections.append(await _board_section(services, activity, names))
            continue
        live = live or activity.state.value == "open"
        rounds = tuple([await services.polls.tally(activity, r)
                        for r in range(1, activity.round + 1)])
        rows = tuple(
            ResponseRow(workshop.title, activity.id, activity.kind.value, activity.prompt,
                        round_, label(activity, participant_id),
                        answer_text(activity, items), iso(updated_at))
            for _, round_, participant_id, updated_at, items in
            await store.list_ballots(activity.id))
        sections.append(PollSection(activity, rounds, rows))
    chat = None
    if options.include_chat:
        chat = await _chat(services, workshop, names)
    return WriteUp(workshop, time.time(), options.summary.strip(), len(participants), names,
                   tuple(sections), tuple(numbered(await store.list_insights(workshop.id))),
                   chat, live)


async def _board_section(services: Services, activity: Activity, names: bool
                         ) -> ObjectiveSection:
    board = await services.objectives.board(activity)
    show = names and activity.settings.get("show_names", True)
    wall = await services.objectives.wall_of(activity, facilitator=True)
    visible = [item.objective for item in wall if not item.objective.hidden]
    if board.voting is not Voting.NOT_STARTED:
        visible.sort(key=lambda o: (-o.votes, o.created_at))
    themes: dict[str, list[ObjectiveEntry]] = {}
    for objective in sorted(visible, key=lambda o: o.theme == ""):
        author = " & ".join(n for n in objective.author_names if n) or "Anonymous"
        themes.setdefault(objective.theme, []).append(ObjectiveEntry(
            objective.text, objective.key_results, author if show else None, objective.votes,
            activity.option_label(objective.aligns_to) if objective.aligns_to else None))
    return ObjectiveSection(activity, board,
                            tuple((theme, tuple(entries)) for theme, entries in themes.items()),
                            len(visible))


async def _chat(services: Services, workshop: Workshop, names: bool) -> tuple[ChatEntry, ...]:
    messages = [m for m in await services.store.list_messages(workshop.id, CHAT_APPENDIX_MAX)
                if m.status is MessageStatus.VISIBLE and not m.private]
    texts = {m.id: m.text for m in messages}
    return tuple(
        ChatEntry(time.strftime("%H:%M", time.localtime(m.created_at)),
                  (m.author_name or "Anonymous")
                  if names and m.posted_anonymity is Anonymity.NAMED else None,
                  m.text, m.question,
                  m.upvotes, m.answered, texts.get(m.reply_to) if m.reply_to else None)
        for m in messages)

"""Reading a workshop document back into new rows (pure).

Everything is validated before anything is written: a malformed document raises one
InvalidInput that names the field, e.g. `activities[2].responses[0].participant: unknown
participant ref 'p9'`. Refs are resolved to freshly made ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from workshop.domain import limits
from workshop.domain.chat import (
    Anonymity,
    ChatMode,
    ChatSettings,
    Message,
    MessageStatus,
    clean_blocked_words,
    clean_message,
)
from workshop.domain.document import (
    FORMAT,
    VERSION,
    ImportedDot,
    ImportedUpvote,
    ImportPlan,
    parse_time,
)
from workshop.domain.document_fields import (
    ROUNDS_MAX,
    SOURCE_TEXT_MAX,
    as_bool,
    as_choice,
    as_int,
    as_list,
    as_object,
    as_text,
    at,
    lookup,
    new_ref,
    optional_ref,
    response_items,
)
from workshop.domain.errors import InvalidInput
from workshop.domain.ids import new_id
from workshop.domain.insights import (
    INSIGHTS_MAX,
    Insight,
    Provenance,
    SourceType,
    clean_insight_text,
)
from workshop.domain.models import (
    Activity,
    ActivityState,
    Ballot,
    Option,
    Participant,
    PollKind,
    Workshop,
)
from workshop.domain.objectives import (
    DOTS_LIMIT,
    MAX_KEY_RESULTS_LIMIT,
    BoardState,
    Objective,
    Voting,
    clean_objective,
    clean_theme,
)
from workshop.domain.polls import clean_option_labels, clean_settings, parse_kind
from workshop.domain.text import clean_line, clean_text, clean_url


def read_document(raw: object, *, owner_id: str, plan_only: bool, now: float) -> ImportPlan:
    """Check the format and version, validate every part, and plan the new rows."""
    document = as_object(raw, "The document")
    if document.get("format") != FORMAT:
        raise InvalidInput(f'This is not a workshop export: "format" must be "{FORMAT}".')
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise InvalidInput(f"unsupported export format version {version!r}: this server "
                           f"reads version {VERSION}.")
    return _Reader(owner_id, plan_only, now).read(document)


class _Reader:
    def __init__(self, owner_id: str, plan_only: bool, now: float) -> None:
        self.owner_id = owner_id
        self.full = not plan_only
        self.now = now
        self.participants: dict[str, str] = {}
        self.activities: dict[str, str] = {}
        self.kinds: dict[str, PollKind] = {}
        self.responses: dict[str, str] = {}
        self.objectives: dict[str, str] = {}
        self.messages: dict[str, str] = {}
        self.ballots: list[Ballot] = []
        self.objective_rows: list[Objective] = []
        self.boards: list[BoardState] = []
        self.dots: list[ImportedDot] = []

    def read(self, document: Mapping[str, Any]) -> ImportPlan:
        workshop = self._workshop(as_object(document.get("workshop"), "workshop"))
        participants = (self._participants(document.get("participants", []), workshop)
                        if self.full else [])
        activities = self._activities(document.get("activities", []), workshop.id)
        messages: list[Message] = []
        upvotes: list[ImportedUpvote] = []
        insights: list[Insight] = []
        raw = document["workshop"]
        current = optional_ref(self.activities, raw.get("current_activity"),
                               "workshop.current_activity", "activity") if self.full else None
        spotlight = None
        if self.full:
            messages, upvotes = self._messages(document.get("messages", []), workshop)
            insights = self._insights(document.get("insights", []), workshop.id)
            spotlight = optional_ref(self.messages, raw.get("spotlight_message"),
                                     "workshop.spotlight_message", "message")
        workshop = replace(workshop, current_activity_id=current,
                           spotlight_message_id=spotlight)
        return ImportPlan(workshop, tuple(participants), tuple(activities),
                          tuple(self.boards), tuple(self.ballots), tuple(self.objective_rows),
                          tuple(self.dots), tuple(messages), tuple(upvotes), tuple(insights))

    # -- the workshop and its people -------------------------------------------------------
    def _workshop(self, raw: Mapping[str, Any]) -> Workshop:
        with at("workshop"):
            title = clean_line(raw.get("title"), field="title", max_length=limits.TITLE_MAX)
            description = clean_text(raw.get("description", ""), field="description",
                                     max_length=limits.DESCRIPTION_MAX, required=False)
            slides = clean_url(raw.get("slides_url", ""), field="slides_url",
                               max_length=limits.URL_MAX)
            recording = clean_url(raw.get("recording_url", ""), field="recording_url",
                                  max_length=limits.URL_MAX)
        chat = as_object(raw.get("chat", {}), "workshop.chat")
        with at("workshop.chat"):
            blocked = clean_blocked_words(chat.get("blocked_words", []))
        settings = ChatSettings(
            as_choice(ChatMode, chat.get("mode", "on"), "workshop.chat.mode"),
            as_choice(Anonymity, chat.get("anonymity", "named"), "workshop.chat.anonymity"),
            as_bool(chat.get("premoderation", False), "workshop.chat.premoderation"), blocked)
        created = self.now
        view = "activity"
        if self.full:
            if raw.get("created_at") is not None:
                created = parse_time(raw["created_at"], "workshop.created_at")
            view = raw.get("presenter_view", "activity")
            if view not in ("activity", "insights"):
                raise InvalidInput("workshop.presenter_view must be activity or insights.")
        return Workshop(new_id(), "", title, description, slides, recording, self.owner_id,
                        None, created, settings, view)

    def _participants(self, raw: object, workshop: Workshop
                      ) -> list[tuple[Participant, str]]:
        rows = []
        for n, entry in enumerate(as_list(raw, "participants")):
            where = f"participants[{n}]"
            item = as_object(entry, where)
            ref = new_ref(item.get("ref"), f"{where}.ref", self.participants)
            with at(where):
                name = clean_line(item.get("name") or "", field="name",
                                  max_length=limits.NAME_MAX, required=False)
            joined = (parse_time(item["joined_at"], f"{where}.joined_at")
                      if item.get("joined_at") is not None
                      else workshop.created_at + n / 1000)  # keeps the order
            self.participants[ref] = new_id()
            rows.append((Participant(self.participants[ref], workshop.id, name, joined),
                         new_id()))
        return rows

    def _participant(self, value: object, where: str) -> str:
        return lookup(self.participants, value, where, "participant")

    # -- activities ------------------------------------------------------------------------
    def _activities(self, raw: object, workshop_id: str) -> list[Activity]:
        entries = [as_object(a, f"activities[{n}]")
                   for n, a in enumerate(as_list(raw, "activities"))]
        if len(entries) > limits.ACTIVITIES_PER_WORKSHOP_MAX:
            raise InvalidInput(f"A workshop holds at most "
                               f"{limits.ACTIVITIES_PER_WORKSHOP_MAX} activities.")
        for n, entry in enumerate(entries):
            ref = new_ref(entry.get("ref"), f"activities[{n}].ref", self.activities)
            with at(f"activities[{n}].kind"):
                self.kinds[ref] = parse_kind(entry.get("kind"))
            self.activities[ref] = new_id()
        return [self._activity(entry, f"activities[{n}]", n, workshop_id)
                for n, entry in enumerate(entries)]

    def _activity(self, raw: Mapping[str, Any], where: str, position: int, workshop_id: str
                  ) -> Activity:
        ref = raw["ref"]
        kind = self.kinds[ref]
        settings = dict(as_object(raw.get("settings", {}), f"{where}.settings"))
        source = settings.get("source_activity_id")
        if source is not None:
            settings["source_activity_id"] = lookup(
                self.activities, source, f"{where}.settings.source_activity_id", "activity")
            if self.kinds[source] is not PollKind.OBJECTIVES:
                raise InvalidInput(f"{where}.settings.source_activity_id must name an "
                                   "objectives activity.")
        option_refs: list[str] = []
        labels: list[Any] = []
        for n, entry in enumerate(as_list(raw.get("options", []), f"{where}.options")):
            option = as_object(entry, f"{where}.options[{n}]")
            option_refs.append(new_ref(option.get("ref"), f"{where}.options[{n}].ref",
                                       dict.fromkeys(option_refs)))
            labels.append(option.get("label"))
        if source is not None and not self.full:
            option_refs, labels = [], []  # filled from the new board when opened
        with at(where):
            prompt = clean_line(raw.get("prompt"), field="prompt",
                                max_length=limits.PROMPT_MAX)
            if labels or source is None:
                labels = clean_option_labels(kind, labels)
            settings = clean_settings(kind, settings, len(labels))
        options = tuple(Option(new_id(), label) for label in labels)
        activity = Activity(self.activities[ref], workshop_id, position, kind, prompt, options,
                            settings, ActivityState.DRAFT, 1, not settings["hide_results"])
        if not self.full:
            return activity
        activity = replace(
            activity,
            state=as_choice(ActivityState, raw.get("state", "draft"), f"{where}.state"),
            round=as_int(raw.get("round", 1), f"{where}.round", 1, ROUNDS_MAX),
            results_visible=as_bool(raw.get("results_visible", activity.results_visible),
                                    f"{where}.results_visible"))
        by_ref = dict(zip(option_refs, (o.id for o in options), strict=True))
        self._responses(activity, raw.get("responses", []), by_ref, where)
        if kind is PollKind.OBJECTIVES:
            self._board(activity, raw, by_ref, where)
        elif raw.get("objectives"):
            raise InvalidInput(f"{where}.objectives: only an objectives activity has "
                               "objectives.")
        return activity

    def _responses(self, activity: Activity, raw: object, options: Mapping[str, str],
                   where: str) -> None:
        seen: set[tuple[int, str]] = set()
        for n, entry in enumerate(as_list(raw, f"{where}.responses")):
            here = f"{where}.responses[{n}]"
            if activity.kind is PollKind.OBJECTIVES:
                raise InvalidInput(f"{here}: an objectives activity has objectives, not "
                                   "responses.")
            response = as_object(entry, here)
            round_ = as_int(response.get("round", 1), f"{here}.round", 1, activity.round)
            participant = self._participant(response.get("participant"),
                                            f"{here}.participant")
            if (round_, participant) in seen:
                raise InvalidInput(f"{here}: this participant already has a response in "
                                   f"round {round_}.")
            seen.add((round_, participant))
            ballot = Ballot(
                activity.id, round_, participant,
                response_items(activity, response.get("items"), options, f"{here}.items"),
                parse_time(response.get("updated_at"), f"{here}.updated_at"), new_id())
            if response.get("ref") is not None:
                ref = new_ref(response["ref"], f"{here}.ref", self.responses)
                self.responses[ref] = ballot.id
            self.ballots.append(ballot)

    def _board(self, activity: Activity, raw: Mapping[str, Any],
               options: Mapping[str, str], where: str) -> None:
        taken: set[tuple[str, int]] = set()
        here_refs: dict[str, str] = {}
        for n, entry in enumerate(as_list(raw.get("objectives", []), f"{where}.objectives")):
            here = f"{where}.objectives[{n}]"
            item = as_object(entry, here)
            ref = new_ref(item.get("ref"), f"{here}.ref", self.objectives)
            self.objectives[ref] = here_refs[ref] = new_id()
            with at(here):
                text, key_results = clean_objective(item.get("text"), item.get("key_results"),
                                                    MAX_KEY_RESULTS_LIMIT)
                theme = clean_theme(item.get("theme", ""))
            authors = [self._participant(a, f"{here}.authors[{k}]")
                       for k, a in enumerate(as_list(item.get("authors"), f"{here}.authors"))]
            if not authors or len(set(authors)) != len(authors):
                raise InvalidInput(f"{here}.authors must list one or more different "
                                   "participants.")
            created = parse_time(item.get("created_at"), f"{here}.created_at")
            updated = (parse_time(item["updated_at"], f"{here}.updated_at")
                       if item.get("updated_at") is not None else created)
            votes = as_list(item.get("votes", []), f"{here}.votes")
            for k, vote in enumerate(votes):
                spot = f"{here}.votes[{k}]"
                dot_vote = as_object(vote, spot)
                voter = self._participant(dot_vote.get("participant"), f"{spot}.participant")
                dot = as_int(dot_vote.get("dot"), f"{spot}.dot", 0, DOTS_LIMIT - 1)
                if (voter, dot) in taken:
                    raise InvalidInput(f"{spot}: this participant's dot {dot} is spent twice.")
                taken.add((voter, dot))
                self.dots.append(ImportedDot(activity.id, voter, dot, self.objectives[ref],
                                             created))
            self.objective_rows.append(Objective(
                self.objectives[ref], activity.id, tuple(authors), text, key_results,
                optional_ref(options, item.get("aligns_to"), f"{here}.aligns_to", "option"),
                theme, as_bool(item.get("hidden", False), f"{here}.hidden"), len(votes),
                created, updated))
        board = as_object(raw.get("board", {}), f"{where}.board")
        silent = bool(activity.settings.get("silent_drafting"))
        self.boards.append(BoardState(
            activity.id, as_bool(board.get("wall_open", not silent), f"{where}.board.wall_open"),
            as_choice(Voting, board.get("voting", "not_started"), f"{where}.board.voting"),
            optional_ref(here_refs, board.get("spotlight"), f"{where}.board.spotlight",
                         "objective")))

    # -- the chat and the insights ---------------------------------------------------------
    def _messages(self, raw: object, workshop: Workshop
                  ) -> tuple[list[Message], list[ImportedUpvote]]:
        entries = [as_object(m, f"messages[{n}]")
                   for n, m in enumerate(as_list(raw, "messages"))]
        for n, entry in enumerate(entries):
            ref = new_ref(entry.get("ref"), f"messages[{n}].ref", self.messages)
            self.messages[ref] = new_id()
        messages: list[Message] = []
        upvotes: list[ImportedUpvote] = []
        for n, entry in enumerate(entries):
            where = f"messages[{n}]"
            message_id = self.messages[entry["ref"]]
            with at(where):
                text = clean_message(entry.get("text"))
            reply_to = optional_ref(self.messages, entry.get("reply_to"),
                                    f"{where}.reply_to", "message")
            if reply_to == message_id:
                raise InvalidInput(f"{where}.reply_to: a message cannot reply to itself.")
            created = parse_time(entry.get("created_at"), f"{where}.created_at")
            voters = [self._participant(p, f"{where}.upvotes[{k}]") for k, p in
                      enumerate(as_list(entry.get("upvotes", []), f"{where}.upvotes"))]
            if len(set(voters)) != len(voters):
                raise InvalidInput(f"{where}.upvotes lists a participant twice.")
            upvotes.extend(ImportedUpvote(message_id, p, created) for p in voters)
            messages.append(Message(
                message_id, workshop.id,
                self._participant(entry.get("participant"), f"{where}.participant"),
                "", text, as_bool(entry.get("question", False), f"{where}.question"),
                reply_to,
                as_choice(MessageStatus, entry.get("status", "visible"), f"{where}.status"),
                as_bool(entry.get("answered", False), f"{where}.answered"), len(voters),
                optional_ref(self.activities, entry.get("activity"), f"{where}.activity",
                             "activity"),
                created,
                private=as_bool(entry.get("private", False), f"{where}.private"),
                # a document without it: the workshop's anonymity (never looser)
                posted_anonymity=as_choice(
                    Anonymity, entry.get("anonymity", workshop.chat.anonymity.value),
                    f"{where}.anonymity")))
        return messages, upvotes

    def _insights(self, raw: object, workshop_id: str) -> list[Insight]:
        entries = [as_object(i, f"insights[{n}]") for n, i in enumerate(as_list(raw, "insights"))]
        if len(entries) > INSIGHTS_MAX:
            raise InvalidInput(f"A workshop keeps at most {INSIGHTS_MAX} insights.")
        ids: dict[str, str] = {}
        for n, entry in enumerate(entries):
            ids[new_ref(entry.get("ref"), f"insights[{n}].ref", ids)] = new_id()
        parents = {entry["ref"]: entry.get("parent") for entry in entries}
        insights = []
        for n, entry in enumerate(entries):
            where = f"insights[{n}]"
            parent = entry.get("parent")
            if parent is not None:
                lookup(ids, parent, f"{where}.parent", "insight")
                if parent == entry["ref"] or parents[parent] is not None:
                    raise InvalidInput(f"{where}.parent must be another top-level insight "
                                       "(insights nest one level deep).")
            with at(where):
                text = clean_insight_text(entry.get("text"))
            sources = tuple(self._source(s, f"{where}.sources[{k}]") for k, s in
                            enumerate(as_list(entry.get("sources", []), f"{where}.sources")))
            insights.append(Insight(
                ids[entry["ref"]], workshop_id, text, None if parent is None else ids[parent],
                as_int(entry.get("position", n), f"{where}.position", 0, 10 * INSIGHTS_MAX),
                sources, parse_time(entry.get("created_at"), f"{where}.created_at")))
        return insights

    def _source(self, raw: object, where: str) -> Provenance:
        source = as_object(raw, where)
        kind = as_choice(SourceType, source.get("type"), f"{where}.type")
        refs = {SourceType.MESSAGE: self.messages, SourceType.RESPONSE: self.responses,
                SourceType.OBJECTIVE: self.objectives}[kind]
        source_id = optional_ref(refs, source.get("ref"), f"{where}.ref", kind.value)
        author = source.get("author")
        prompt = source.get("activity_prompt")
        return Provenance(
            kind, source_id or new_id(), as_text(source.get("text"), f"{where}.text",
                                                 SOURCE_TEXT_MAX),
            None if author is None else as_text(author, f"{where}.author", 200),
            parse_time(source.get("said_at"), f"{where}.said_at"),
            optional_ref(self.activities, source.get("activity"), f"{where}.activity",
                         "activity"),
            None if prompt is None else as_text(prompt, f"{where}.activity_prompt",
                                                limits.PROMPT_MAX))

"""Pydantic shapes of the JSON API (they document the OpenAPI schema)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from workshop.domain import limits
from workshop.domain.models import Activity, Workshop


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkshopIn(Strict):
    title: str = Field(max_length=limits.TITLE_MAX)
    description: str = Field("", max_length=limits.DESCRIPTION_MAX)
    slides_url: str = Field("", max_length=limits.URL_MAX)
    recording_url: str = Field("", max_length=limits.URL_MAX)


class WorkshopPatch(Strict):
    title: str | None = Field(None, max_length=limits.TITLE_MAX)
    description: str | None = Field(None, max_length=limits.DESCRIPTION_MAX)
    slides_url: str | None = Field(None, max_length=limits.URL_MAX)
    recording_url: str | None = Field(None, max_length=limits.URL_MAX)
    chat: Literal["on", "off", "facilitator_only"] | None = Field(
        None, description="Chat on, off, or facilitator_only (messages reach the "
                          "facilitator alone).")
    anonymity: Literal["named", "anonymous_to_peers", "anonymous"] | None = None
    premoderation: bool | None = Field(None, description="Messages wait for approval.")
    blocked_words: list[str] | None = Field(
        None, max_length=200, description="A message with one of these words waits in the "
                                          "moderation queue.")

    DETAILS: ClassVar[tuple[str, ...]] = ("title", "description", "slides_url",
                                          "recording_url")


class WorkshopCreated(BaseModel):
    id: str
    code: str
    join_url: str
    present_url: str
    console_url: str


class OptionOut(BaseModel):
    id: str
    label: str


class ActivityIn(Strict):
    kind: str = Field(description="single_choice, multiple_choice, rating, scale, word_cloud, "
                                  "open_text or ranking")
    prompt: str = Field(max_length=limits.PROMPT_MAX)
    options: list[str] | None = Field(None, max_length=limits.OPTIONS_MAX * 2,
                                      description="Option labels, in order (choice and "
                                                  "ranking polls).")
    settings: dict[str, Any] | None = Field(
        None, description="hide_results (bool, all kinds); max_picks (multiple_choice); "
                          "min, max, min_label, max_label (scale); max_words (word_cloud).")


class ActivityPatch(Strict):
    prompt: str | None = Field(None, max_length=limits.PROMPT_MAX)
    options: list[str] | None = Field(None, max_length=limits.OPTIONS_MAX * 2)
    settings: dict[str, Any] | None = None
    position: int | None = Field(None, ge=0, le=limits.ACTIVITIES_PER_WORKSHOP_MAX)


class ActivityOut(BaseModel):
    id: str
    kind: str
    prompt: str
    options: list[OptionOut]
    settings: dict[str, Any]
    state: str
    round: int
    results_visible: bool
    position: int

    @classmethod
    def of(cls, activity: Activity) -> ActivityOut:
        return cls(
            id=activity.id, kind=activity.kind.value, prompt=activity.prompt,
            options=[OptionOut(id=o.id, label=o.label) for o in activity.options],
            settings=activity.settings, state=activity.state.value, round=activity.round,
            results_visible=activity.results_visible, position=activity.position,
        )


class WorkshopOut(BaseModel):
    id: str
    code: str
    title: str
    description: str
    slides_url: str
    recording_url: str
    current_activity_id: str | None
    participant_count: int
    chat: str
    anonymity: str
    premoderation: bool
    blocked_words: list[str]
    presenter_view: str
    join_url: str
    present_url: str
    console_url: str
    activities: list[ActivityOut]

    @classmethod
    def of(cls, workshop: Workshop, activities: list[Activity], participants: int,
           links: dict[str, str]) -> WorkshopOut:
        return cls(
            id=workshop.id, code=workshop.code, title=workshop.title,
            description=workshop.description, slides_url=workshop.slides_url,
            recording_url=workshop.recording_url,
            current_activity_id=workshop.current_activity_id, participant_count=participants,
            chat=workshop.chat.mode.value, anonymity=workshop.chat.anonymity.value,
            premoderation=workshop.chat.premoderation,
            blocked_words=list(workshop.chat.blocked_words),
            presenter_view=workshop.presenter_view,
            activities=[ActivityOut.of(a) for a in activities], **links,
        )


class CurrentIn(Strict):
    activity_id: str | None = Field(description="The activity to put on screen; null for none.")


class JoinIn(Strict):
    code: str = Field(max_length=40)
    name: str | None = Field(None, max_length=limits.NAME_MAX)


class JoinOut(BaseModel):
    workshop_id: str
    participant_id: str
    name: str


class ResponseIn(Strict):
    value: Any = Field(description="By kind: an option id (single_choice); a list of option "
                                   "ids (multiple_choice); a number (rating 1-5, scale); a "
                                   "list of short strings (word_cloud); a string (open_text); "
                                   "all option ids in order (ranking).")
    client_id: str = Field(max_length=limits.CLIENT_ID_MAX,
                           description="Unique per answer; a retry with the same id counts "
                                       "once.")


class ResponseOut(BaseModel):
    status: str = Field(description="recorded, or already_applied for a repeated client_id")
    activity_id: str
    round: int


class ErrorOut(BaseModel):
    detail: str
    code: str


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut} for status in (400, 401, 403, 404, 409, 413, 422)
}

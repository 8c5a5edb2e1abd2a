"""Live hints for a draft objective and its key results (pure, never blocking).

Each rule has a stable `code`, the `field` it points at (`objective` or `key_results.N`,
0-based) and a message in plain words. The rules are listed, with examples, in
docs/okr-hints.md. They follow the usual OKR advice: an objective is a qualitative
direction; a key result is a measurable outcome (a change from a baseline to a target),
not a task and not a number to hold steady.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workshop.domain.objectives import KeyResult

OBJECTIVE_MIN_CHARS = 15
OBJECTIVE_LONG_CHARS = 150
KEY_RESULT_MIN_CHARS = 12
KEY_RESULT_LONG_CHARS = 160
KEY_RESULTS_RECOMMENDED = 5

# Verbs and phrases that describe work to do rather than a result to reach.
_TASK_VERBS = (
    "launch", "implement", "hold", "create", "build", "develop", "write", "draft", "run",
    "organise", "organize", "set up", "setup", "introduce", "establish", "roll out",
    "rollout", "deploy", "deliver", "design", "define", "publish", "host", "prepare",
    "conduct", "complete", "finish", "start", "begin", "hire", "train", "migrate",
    "install", "document", "schedule", "plan", "arrange", "kick off", "kick-off", "send",
    "review", "update", "analyse", "analyze", "research", "investigate", "explore",
    "support", "help", "work on", "participate", "attend", "map", "assess", "evaluate",
    "identify", "agree", "approve", "finalise", "finalize", "produce", "make", "do",
    "perform", "execute", "provide", "set", "adopt", "select", "choose", "buy", "purchase",
)
_TASK_NOUNS = (
    "workshop", "meeting", "training session", "kick-off", "kickoff", "webinar",
    "newsletter", "presentation", "project plan", "roadmap document", "template",
)
_OUTCOME_WORDS = (
    "increase", "reduce", "decrease", "raise", "grow", "cut", "lower", "improve", "lift",
    "reach", "achieve", "double", "halve", "triple", "shorten", "boost", "drop", "from",
    "to at least", "at least", "no more than", "fewer", "more", "less", "up to", "%",
)
_MAINTAIN_WORDS = ("maintain", "keep", "sustain", "remain", "stay", "retain", "hold steady",
                   "continue to", "preserve")
_MEASURE_WORDS = (
    "nps", "csat", "percent", "per cent", "%", "kpi", "rate", "score", "ratio",
)

_NUMBER = re.compile(r"\d")
_WORD = re.compile(r"[a-z][a-z'\-]*")


@dataclass(frozen=True, slots=True)
class Hint:
    field: str
    code: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _starts_with_phrase(text: str, phrases: Sequence[str]) -> str | None:
    lowered = " ".join(_words(text))
    for phrase in phrases:
        if lowered == phrase or lowered.startswith(phrase + " "):
            return phrase
    return None


def _contains_phrase(text: str, phrases: Sequence[str]) -> str | None:
    lowered = " " + " ".join(_words(text)) + " "
    for phrase in phrases:
        if f" {phrase} " in lowered:
            return phrase
    return None


def _has_outcome_language(text: str) -> bool:
    lowered = text.casefold()
    if "%" in lowered:
        return True
    return _contains_phrase(text, _OUTCOME_WORDS) is not None


def _is_task(text: str) -> str | None:
    """A key result that reads like work to do: starts with a task verb, or names an
    event/deliverable, and states no change to reach."""
    verb = _starts_with_phrase(text, _TASK_VERBS)
    if verb and not _has_outcome_language(text):
        return verb
    noun = _contains_phrase(text, _TASK_NOUNS)
    if noun and not _has_outcome_language(text):
        return noun
    if verb and _NUMBER.search(text) is None:
        return verb
    return None


def _has_number(kr: KeyResult) -> bool:
    return bool(_NUMBER.search(" ".join((kr.text, kr.baseline, kr.target))))


def objective_hints(text: str) -> list[Hint]:
    hints: list[Hint] = []
    stripped = text.strip()
    if not stripped:
        return hints
    if len(stripped) < OBJECTIVE_MIN_CHARS:
        hints.append(Hint("objective", "objective_too_short",
                          "This objective is very short. Say where you want to get to and "
                          "why it matters, in one sentence."))
    elif len(stripped) > OBJECTIVE_LONG_CHARS:
        hints.append(Hint("objective", "objective_too_long",
                          "This objective is long. A good objective fits on one line; move "
                          "the details into key results."))
    if _NUMBER.search(stripped) or _contains_phrase(stripped, _MEASURE_WORDS):
        hints.append(Hint("objective", "objective_is_metric",
                          "This objective contains a number or a metric. Keep the objective a "
                          "direction people can rally behind; put the numbers in the key "
                          "results."))
    return hints


def key_result_hints(index: int, kr: KeyResult) -> list[Hint]:
    field = f"key_results.{index}"
    text = kr.text.strip()
    if not text:
        return []
    hints: list[Hint] = []
    maintain = _starts_with_phrase(text, _MAINTAIN_WORDS) or _contains_phrase(
        text, ("maintain", "keep", "sustain", "retain"))
    task = _is_task(text)
    if maintain:
        hints.append(Hint(field, "kr_maintain",
                          f"“{maintain.capitalize()}” describes a level to hold, which is a "
                          "health metric (KPI) rather than a change. A key result should move "
                          "something: from where it is to where you want it."))
    elif task:
        hints.append(Hint(field, "kr_is_task",
                          f"This reads like a task (“{task}”), not an outcome. Ask what will "
                          "be different when it is done, and measure that instead."))
    if not _has_number(kr):
        hints.append(Hint(field, "kr_no_number",
                          "This key result has no number. Add a target (and ideally a "
                          "baseline) so everyone can tell whether it was reached."))
    if len(text) < KEY_RESULT_MIN_CHARS:
        hints.append(Hint(field, "kr_too_short",
                          "This key result is very short. Say what changes, by how much, "
                          "and by when."))
    elif len(text) > KEY_RESULT_LONG_CHARS:
        hints.append(Hint(field, "kr_too_long",
                          "This key result is long. Keep one measurable result per key "
                          "result; split it if it holds several."))
    return hints


def draft_hints(objective: str, key_results: Sequence[KeyResult],
                max_key_results: int = KEY_RESULTS_RECOMMENDED) -> list[Hint]:
    """Every hint for a draft, objective first, then key results in order."""
    hints = objective_hints(objective)
    filled = [kr for kr in key_results if kr.text.strip()]
    if len(filled) > max_key_results:
        hints.append(Hint("key_results", "too_many_key_results",
                          f"There are {len(filled)} key results; this activity allows "
                          f"{max_key_results}. Fewer, sharper key results are easier to "
                          "track: keep the ones that matter most."))
    for index, kr in enumerate(key_results):
        hints.extend(key_result_hints(index, kr))
    return hints

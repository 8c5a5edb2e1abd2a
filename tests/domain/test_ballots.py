"""What a valid ballot is for each poll kind (workshop.domain.polls.ballot_items)."""

from __future__ import annotations

import pytest

from tests.domain.helpers import activity
from workshop.domain import limits
from workshop.domain.errors import InvalidInput
from workshop.domain.models import Activity, PollKind
from workshop.domain.polls import ballot_items, normalise_word

K = PollKind

SINGLE = activity(K.SINGLE_CHOICE, ("Mon", "Tue", "Fri"))
MULTI = activity(K.MULTIPLE_CHOICE, ("a", "b", "c", "d"))
MULTI_MAX2 = activity(K.MULTIPLE_CHOICE, ("a", "b", "c", "d"), max_picks=2)
RATING = activity(K.RATING)
SCALE = activity(K.SCALE, min=-2, max=2)
WORDS = activity(K.WORD_CLOUD)  # 3 entries by default
WORDS_5 = activity(K.WORD_CLOUD, max_words=5)
TEXT = activity(K.OPEN_TEXT)
RANKING = activity(K.RANKING, ("x", "y", "z"))

VALID: list[tuple[str, Activity, object, tuple[str, ...]]] = [
    ("single: one option id", SINGLE, "o2", ("o2",)),
    ("multi: one pick", MULTI, ["o1"], ("o1",)),
    ("multi: stored in the poll's option order", MULTI, ["o3", "o0", "o2"],
     ("o0", "o2", "o3")),
    ("multi: every option without a limit", MULTI, ["o0", "o1", "o2", "o3"],
     ("o0", "o1", "o2", "o3")),
    ("multi: exactly max_picks", MULTI_MAX2, ["o2", "o1"], ("o1", "o2")),
    ("rating: lowest", RATING, 1, ("1",)),
    ("rating: highest", RATING, 5, ("5",)),
    ("rating: a number as text (forms)", RATING, " 4 ", ("4",)),
    ("rating: a whole float", RATING, 3.0, ("3",)),
    ("scale: negative low end", SCALE, -2, ("-2",)),
    ("scale: zero", SCALE, 0, ("0",)),
    ("scale: high end as text", SCALE, "2", ("2",)),
    ("words: one string is one entry", WORDS, "Focus", ("focus",)),
    ("words: case-folded", WORDS, ["CLARITY"], ("clarity",)),
    ("words: surrounding punctuation stripped", WORDS, ["«Focus!»", "...why?"],
     ("focus", "why")),
    ("words: inner punctuation kept", WORDS, ["don't", "e-mail"], ("don't", "e-mail")),
    ("words: inner whitespace collapsed", WORDS, ["  team \t\n spirit  "], ("team spirit",)),
    ("words: duplicates after normalising kept once, first order",
     WORDS, ["Focus!", " focus ", "FOCUS", "Outcomes"], ("focus", "outcomes")),
    ("words: duplicates do not count against max_words",
     WORDS, ["a", "A", "a.", "b", "c", "c!"], ("a", "b", "c")),
    ("words: blank entries skipped", WORDS, ["", "   ", "ok", "!!!"], ("ok",)),
    ("words: entry exactly WORD_MAX long", WORDS, ["x" * limits.WORD_MAX],
     ("x" * limits.WORD_MAX,)),
    ("words: punctuation does not count towards the length", WORDS,
     ["“" + "x" * limits.WORD_MAX + "”"], ("x" * limits.WORD_MAX,)),
    ("words: max_words setting", WORDS_5, ["a", "b", "c", "d", "e"],
     ("a", "b", "c", "d", "e")),
    ("words: non-ASCII case folding", WORDS, ["Straße", "ÉCOLE"], ("strasse", "école")),
    ("text: kept with its line breaks", TEXT, "  More\r\nexamples,   please ",
     ("More\nexamples, please",)),
    ("text: exactly the limit", TEXT, "x" * limits.OPEN_TEXT_MAX, ("x" * limits.OPEN_TEXT_MAX,)),
    ("text: markup is stored as typed (escaped on output)", TEXT,
     "<script>alert(1)</script>", ("<script>alert(1)</script>",)),
    ("ranking: every option once, in the given order", RANKING, ["o2", "o0", "o1"],
     ("o2", "o0", "o1")),
]


@pytest.mark.parametrize(("poll", "value", "expected"),
                         [case[1:] for case in VALID], ids=[case[0] for case in VALID])
def test_valid_ballots(poll: Activity, value: object, expected: tuple[str, ...]) -> None:
    assert ballot_items(poll, value) == expected


INVALID: list[tuple[str, Activity, object, str]] = [
    ("single: option of another poll", SINGLE, "o9", "That option is not part of this poll"),
    ("single: option label instead of id", SINGLE, "Mon", "not part of this poll"),
    ("single: a list", SINGLE, ["o0"], "value must be an option id"),
    ("single: a number", SINGLE, 0, "value must be an option id"),
    ("single: null", SINGLE, None, "value must be an option id"),
    ("multi: option not in poll", MULTI, ["o0", "nope"], "not part of this poll"),
    ("multi: duplicate pick", MULTI, ["o0", "o0"], "Each option can be picked only once"),
    ("multi: nothing picked", MULTI, [], "Pick at least one option"),
    ("multi: too many picks", MULTI_MAX2, ["o0", "o1", "o2"], "Pick at most 2 options"),
    ("multi: a bare string", MULTI, "o0", "value must be a list of option ids"),
    ("multi: numbers in the list", MULTI, [0, 1], "value must be a list of option ids"),
    ("rating: zero", RATING, 0, "value must be between 1 and 5"),
    ("rating: six", RATING, 6, "value must be between 1 and 5"),
    ("rating: negative", RATING, -1, "value must be between 1 and 5"),
    ("rating: huge", RATING, 10**30, "value must be between 1 and 5"),
    ("rating: fraction", RATING, 3.5, "value must be a whole number"),
    ("rating: true is not 1", RATING, True, "value must be a whole number"),
    ("rating: false is not 0", RATING, False, "value must be a whole number"),
    ("rating: text", RATING, "five", "value must be a whole number"),
    ("rating: empty text", RATING, "", "value must be a whole number"),
    ("rating: null", RATING, None, "value must be a whole number"),
    ("rating: a list", RATING, [3], "value must be a whole number"),
    ("rating: NaN", RATING, float("nan"), "value must be a whole number"),
    ("rating: infinity", RATING, float("inf"), "value must be a whole number"),
    ("scale: below min", SCALE, -3, "value must be between -2 and 2"),
    ("scale: above max", SCALE, 3, "value must be between -2 and 2"),
    ("scale: above max as text", SCALE, "3", "value must be between -2 and 2"),
    ("scale: bool", SCALE, True, "value must be a whole number"),
    ("words: nothing", WORDS, [], "Enter at least one word"),
    ("words: only blanks", WORDS, ["  ", "?!"], "Enter at least one word"),
    ("words: more than max_words", WORDS, ["a", "b", "c", "d"], "Enter at most 3 entries"),
    ("words: more than a raised max_words", WORDS_5, list("abcdef"), "Enter at most 5 entries"),
    ("words: entry one over WORD_MAX", WORDS, ["x" * (limits.WORD_MAX + 1)],
     f"at most {limits.WORD_MAX} characters"),
    ("words: absurdly long raw entry", WORDS, ["x" * 10_000],
     f"at most {limits.WORD_MAX} characters"),
    ("words: a number", WORDS, [3], "value must be a list of words"),
    ("words: an object", WORDS, {"a": 1}, "value must be a list of words"),
    ("words: null", WORDS, None, "value must be a list of words"),
    ("text: empty", TEXT, "", "Answer must not be empty"),
    ("text: only whitespace", TEXT, " \n\t ", "Answer must not be empty"),
    ("text: null", TEXT, None, "Answer must not be empty"),
    ("text: one over the limit", TEXT, "x" * (limits.OPEN_TEXT_MAX + 1),
     f"the limit is {limits.OPEN_TEXT_MAX}"),
    ("text: far over the limit", TEXT, "x" * 100_000, f"the limit is {limits.OPEN_TEXT_MAX}"),
    ("text: a number", TEXT, 42, "Answer must be text"),
    ("text: a list", TEXT, ["x"], "Answer must be text"),
    ("ranking: an option missing", RANKING, ["o0", "o1"], "Rank every option"),
    ("ranking: an option twice", RANKING, ["o0", "o1", "o1"], "only once"),
    ("ranking: an option twice, one missing", RANKING, ["o0", "o0", "o1"], "only once"),
    ("ranking: option not in poll", RANKING, ["o0", "o1", "o9"], "not part of this poll"),
    ("ranking: extra option", RANKING, ["o0", "o1", "o2", "o9"], "not part of this poll"),
    ("ranking: empty", RANKING, [], "Rank every option"),
    ("ranking: a bare string", RANKING, "o0", "a list of option ids"),
]


@pytest.mark.parametrize(("poll", "value", "message"),
                         [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_ballots(poll: Activity, value: object, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        ballot_items(poll, value)
    assert message in caught.value.message


@pytest.mark.parametrize(("raw", "expected"), [
    ("Focus", "focus"),
    ("  focus  ", "focus"),
    ("FOCUS!!!", "focus"),
    ("¿¡Qué?!", "qué"),
    ("“quoted”", "quoted"),
    ("«guillemets»", "guillemets"),
    ("… and so on…", "and so on"),
    ("— dash —", "dash"),
    ("team\t \nspirit", "team spirit"),
    ("  ( nested )  ", "nested"),
    ("C++", "c"),  # surrounding punctuation goes, whatever it is
    ("mid-word's", "mid-word's"),
    ("!!!", ""),
    ("", ""),
])
def test_normalise_word(raw: str, expected: str) -> None:
    assert normalise_word(raw) == expected


def test_normalised_entries_are_at_most_word_max() -> None:
    """Whatever passes validation fits the limit, however it was padded."""
    padded = "  " + "?" * 30 + "y" * limits.WORD_MAX + "!" * 5
    assert ballot_items(WORDS, [padded]) == ("y" * limits.WORD_MAX,)

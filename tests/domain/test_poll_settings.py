"""Settings and option labels of every poll kind (workshop.domain.polls), table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from workshop.domain import limits
from workshop.domain.errors import InvalidInput
from workshop.domain.models import PollKind
from workshop.domain.polls import clean_option_labels, clean_settings, parse_kind

K = PollKind

# -- parse_kind ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PollKind))
def test_parse_kind_accepts_every_kind(kind: PollKind) -> None:
    assert parse_kind(kind.value) is kind


@pytest.mark.parametrize("raw", ["quiz", "", None, 3, "Single_Choice", "single choice"])
def test_parse_kind_refuses_unknown_kinds_and_lists_the_valid_ones(raw: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_kind(raw)
    assert "Unknown activity kind" in caught.value.message
    assert all(k.value in caught.value.message for k in PollKind)


# -- clean_settings: defaults ------------------------------------------------------------

DEFAULTS: list[tuple[PollKind, int, dict[str, Any]]] = [
    (K.SINGLE_CHOICE, 2, {"hide_results": False}),
    (K.MULTIPLE_CHOICE, 3, {"hide_results": False, "max_picks": None}),
    (K.RATING, 0, {"hide_results": False}),
    (K.SCALE, 0, {"hide_results": False, "min": 1, "max": 10, "min_label": "",
                  "max_label": ""}),
    (K.WORD_CLOUD, 0, {"hide_results": False, "max_words": 3}),
    (K.OPEN_TEXT, 0, {"hide_results": False}),
    (K.RANKING, 3, {"hide_results": False}),
]


@pytest.mark.parametrize(("kind", "options", "expected"), DEFAULTS,
                         ids=[k.value for k, _, _ in DEFAULTS])
@pytest.mark.parametrize("raw", [None, {}], ids=["none", "empty"])
def test_defaults_are_filled_in(kind: PollKind, options: int, expected: dict[str, Any],
                                raw: object) -> None:
    assert clean_settings(kind, raw, options) == expected


# -- clean_settings: accepted values ------------------------------------------------------

ACCEPTED: list[tuple[PollKind, int, dict[str, Any], dict[str, Any]]] = [
    # kind, option count, raw settings, the subset of the cleaned settings to check
    (K.SINGLE_CHOICE, 2, {"hide_results": True}, {"hide_results": True}),
    (K.RATING, 0, {"hide_results": "on"}, {"hide_results": True}),
    (K.RATING, 0, {"hide_results": "true"}, {"hide_results": True}),
    (K.RATING, 0, {"hide_results": "1"}, {"hide_results": True}),
    (K.RATING, 0, {"hide_results": 1}, {"hide_results": True}),
    (K.RATING, 0, {"hide_results": "off"}, {"hide_results": False}),
    (K.RATING, 0, {"hide_results": ""}, {"hide_results": False}),
    (K.RATING, 0, {"hide_results": 0}, {"hide_results": False}),
    (K.RATING, 0, {"hide_results": None}, {"hide_results": False}),
    (K.MULTIPLE_CHOICE, 4, {"max_picks": 1}, {"max_picks": 1}),
    (K.MULTIPLE_CHOICE, 4, {"max_picks": 4}, {"max_picks": 4}),
    (K.MULTIPLE_CHOICE, 4, {"max_picks": "2"}, {"max_picks": 2}),  # HTML forms send text
    (K.MULTIPLE_CHOICE, 4, {"max_picks": ""}, {"max_picks": None}),
    (K.MULTIPLE_CHOICE, 4, {"max_picks": None}, {"max_picks": None}),
    (K.SCALE, 0, {"min": 0, "max": 10}, {"min": 0, "max": 10}),
    (K.SCALE, 0, {"min": -5, "max": 5}, {"min": -5, "max": 5}),
    (K.SCALE, 0, {"min": "1", "max": "7"}, {"min": 1, "max": 7}),
    (K.SCALE, 0, {"min": 0, "max": limits.SCALE_SPAN_MAX}, {"max": limits.SCALE_SPAN_MAX}),
    (K.SCALE, 0, {"min": 1, "max": 2}, {"min": 1, "max": 2}),
    (K.SCALE, 0, {"min_label": "  Not   at all ", "max_label": "Completely"},
     {"min_label": "Not at all", "max_label": "Completely"}),
    (K.SCALE, 0, {"min_label": None}, {"min_label": ""}),
    (K.WORD_CLOUD, 0, {"max_words": 1}, {"max_words": 1}),
    (K.WORD_CLOUD, 0, {"max_words": limits.WORDS_PER_BALLOT_MAX},
     {"max_words": limits.WORDS_PER_BALLOT_MAX}),
    (K.WORD_CLOUD, 0, {"max_words": "5"}, {"max_words": 5}),
    (K.WORD_CLOUD, 0, {"max_words": ""}, {"max_words": 3}),
]


@pytest.mark.parametrize(("kind", "options", "raw", "expected"), ACCEPTED)
def test_accepted_settings(kind: PollKind, options: int, raw: dict[str, Any],
                           expected: dict[str, Any]) -> None:
    cleaned = clean_settings(kind, raw, options)
    assert {k: cleaned[k] for k in expected} == expected


# -- clean_settings: refused values -------------------------------------------------------

REFUSED: list[tuple[PollKind, int, object, str]] = [
    # kind, option count, raw settings, a part of the message
    (K.RATING, 0, [], "settings must be an object"),
    (K.RATING, 0, "hide_results", "settings must be an object"),
    (K.RATING, 0, {"hide_results": "yes"}, "settings.hide_results must be true or false"),
    (K.RATING, 0, {"hide_results": [True]}, "settings.hide_results must be true or false"),
    (K.RATING, 0, {"hide_results": 2}, "settings.hide_results must be true or false"),
    # unknown keys, including keys that belong to another kind
    (K.SINGLE_CHOICE, 2, {"colour": "red"}, "Unknown setting(s) for single_choice: colour"),
    (K.SINGLE_CHOICE, 2, {"max_picks": 1}, "Unknown setting(s) for single_choice: max_picks"),
    (K.RATING, 0, {"min": 1}, "Unknown setting(s) for rating: min"),
    (K.RATING, 0, {"b": 1, "a": 2}, "Unknown setting(s) for rating: a, b"),
    (K.OPEN_TEXT, 0, {"max_words": 3}, "Unknown setting(s) for open_text: max_words"),
    (K.RANKING, 3, {"max_picks": 1}, "Unknown setting(s) for ranking: max_picks"),
    (K.WORD_CLOUD, 0, {"max": 3}, "Unknown setting(s) for word_cloud: max"),
    (K.SCALE, 0, {"max_words": 3}, "Unknown setting(s) for scale: max_words"),
    (K.MULTIPLE_CHOICE, 3, {"min": 1}, "Unknown setting(s) for multiple_choice: min"),
    # multiple choice
    (K.MULTIPLE_CHOICE, 3, {"max_picks": 0}, "settings.max_picks must be between 1 and 3"),
    (K.MULTIPLE_CHOICE, 3, {"max_picks": 4}, "settings.max_picks must be between 1 and 3"),
    (K.MULTIPLE_CHOICE, 3, {"max_picks": -1}, "settings.max_picks must be between 1 and 3"),
    (K.MULTIPLE_CHOICE, 3, {"max_picks": True}, "settings.max_picks must be a whole number"),
    (K.MULTIPLE_CHOICE, 3, {"max_picks": "two"}, "settings.max_picks must be a whole number"),
    (K.MULTIPLE_CHOICE, 3, {"max_picks": [2]}, "settings.max_picks must be a whole number"),
    # scale
    (K.SCALE, 0, {"min": 5, "max": 5}, "settings.max must be greater than settings.min"),
    (K.SCALE, 0, {"min": 6, "max": 5}, "settings.max must be greater than settings.min"),
    (K.SCALE, 0, {"max": 0}, "settings.max must be greater than settings.min"),
    (K.SCALE, 0, {"min": 0, "max": limits.SCALE_SPAN_MAX + 1},
     f"A scale spans at most {limits.SCALE_SPAN_MAX} steps"),
    (K.SCALE, 0, {"min": "low"}, "settings.min must be a whole number"),
    (K.SCALE, 0, {"max": False}, "settings.max must be a whole number"),
    (K.SCALE, 0, {"min_label": 5}, "settings.min_label must be text"),
    (K.SCALE, 0, {"max_label": "x" * (limits.OPTION_LABEL_MAX + 1)},
     f"the limit is {limits.OPTION_LABEL_MAX}"),
    # word cloud
    (K.WORD_CLOUD, 0, {"max_words": 0}, "settings.max_words must be between 1 and 10"),
    (K.WORD_CLOUD, 0, {"max_words": limits.WORDS_PER_BALLOT_MAX + 1},
     "settings.max_words must be between 1 and 10"),
    (K.WORD_CLOUD, 0, {"max_words": True}, "settings.max_words must be a whole number"),
    (K.WORD_CLOUD, 0, {"max_words": "many"}, "settings.max_words must be a whole number"),
]


@pytest.mark.parametrize(("kind", "options", "raw", "message"), REFUSED)
def test_refused_settings(kind: PollKind, options: int, raw: object, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_settings(kind, raw, options)
    assert message in caught.value.message


@pytest.mark.parametrize(("kind", "options", "raw"), [
    (K.MULTIPLE_CHOICE, 3, {"max_picks": 2.5}),
    (K.SCALE, 0, {"min": 1.5, "max": 5}),
    (K.WORD_CLOUD, 0, {"max_words": 2.7}),
])
def test_fractional_numbers_are_refused(kind: PollKind, options: int,
                                        raw: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput, match="whole number"):
        clean_settings(kind, raw, options)


# -- clean_option_labels ------------------------------------------------------------------

OPTION_KINDS = [K.SINGLE_CHOICE, K.MULTIPLE_CHOICE, K.RANKING]
NO_OPTION_KINDS = [K.RATING, K.SCALE, K.WORD_CLOUD, K.OPEN_TEXT]


@pytest.mark.parametrize("kind", OPTION_KINDS)
@pytest.mark.parametrize(("labels", "expected"), [
    (["Mon", "Fri"], ["Mon", "Fri"]),
    (("Mon", "Fri"), ["Mon", "Fri"]),
    (["  Early   bird ", "Night\towl"], ["Early bird", "Night owl"]),
    ([f"o{i}" for i in range(limits.OPTIONS_MAX)], [f"o{i}" for i in range(limits.OPTIONS_MAX)]),
    (["x" * limits.OPTION_LABEL_MAX, "y"], ["x" * limits.OPTION_LABEL_MAX, "y"]),
])
def test_option_labels_accepted(kind: PollKind, labels: object, expected: list[str]) -> None:
    assert clean_option_labels(kind, labels) == expected


@pytest.mark.parametrize("kind", OPTION_KINDS)
@pytest.mark.parametrize(("labels", "message"), [
    ([], f"needs at least {limits.OPTIONS_MIN} options"),
    (["only"], f"needs at least {limits.OPTIONS_MIN} options"),
    ([f"o{i}" for i in range(limits.OPTIONS_MAX + 1)],
     f"at most {limits.OPTIONS_MAX} options"),
    (["Yes", "yes"], "Two options have the same label"),
    (["Yes", " YES  "], "Two options have the same label"),
    (["a", ""], "Option must not be empty"),
    (["a", "   "], "Option must not be empty"),
    (["a", 3], "Option must be text"),
    (["a", "x" * (limits.OPTION_LABEL_MAX + 1)], f"the limit is {limits.OPTION_LABEL_MAX}"),
    ("ab", "options must be a list of labels"),
    ({"a": 1, "b": 2}, "options must be a list of labels"),
    (7, "options must be a list of labels"),
])
def test_option_labels_refused(kind: PollKind, labels: object, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_option_labels(kind, labels)
    assert message in caught.value.message


@pytest.mark.parametrize("kind", NO_OPTION_KINDS)
def test_kinds_without_options_accept_none(kind: PollKind) -> None:
    assert clean_option_labels(kind, []) == []
    assert clean_option_labels(kind, None) == []


@pytest.mark.parametrize("kind", NO_OPTION_KINDS)
def test_kinds_without_options_refuse_options(kind: PollKind) -> None:
    with pytest.raises(InvalidInput, match="takes no options"):
        clean_option_labels(kind, ["a", "b"])


@pytest.mark.parametrize("kind", OPTION_KINDS + NO_OPTION_KINDS)
def test_has_options_agrees_with_option_validation(kind: PollKind) -> None:
    """Options are accepted exactly when has_options says so."""
    assert kind.label
    if kind.has_options:
        assert clean_option_labels(kind, ["Yes", "No"]) == ["Yes", "No"]
    else:
        with pytest.raises(InvalidInput, match="takes no options"):
            clean_option_labels(kind, ["Yes", "No"])


def test_which_kinds_take_options() -> None:
    assert all(k.has_options for k in OPTION_KINDS)
    assert not any(k.has_options for k in NO_OPTION_KINDS)

"""The draft hints: each rule on real examples, and measured quality on a labelled set."""

from __future__ import annotations

import pytest

from tests.domain.okr_examples import GOOD_KEY_RESULTS, WEAK_KEY_RESULTS
from workshop.domain.hints import draft_hints, key_result_hints
from workshop.domain.objectives import KeyResult


def codes(text: str) -> set[str]:
    return {h.code for h in key_result_hints(0, KeyResult(text))}


def flagged(text: str) -> bool:
    return bool(codes(text))


def test_labelled_set_is_big_enough_and_balanced() -> None:
    assert len(WEAK_KEY_RESULTS) >= 20 and len(GOOD_KEY_RESULTS) >= 20
    assert len(WEAK_KEY_RESULTS) + len(GOOD_KEY_RESULTS) >= 40
    assert not set(WEAK_KEY_RESULTS) & set(GOOD_KEY_RESULTS)


def test_hint_quality_on_the_labelled_set() -> None:
    weak_rate = sum(map(flagged, WEAK_KEY_RESULTS)) / len(WEAK_KEY_RESULTS)
    good_rate = sum(map(flagged, GOOD_KEY_RESULTS)) / len(GOOD_KEY_RESULTS)
    print(f"\nweak key results flagged: {weak_rate:.0%}; good key results flagged: "
          f"{good_rate:.0%}")
    assert weak_rate >= 0.90, [kr for kr in WEAK_KEY_RESULTS if not flagged(kr)]
    assert good_rate <= 0.10, [kr for kr in GOOD_KEY_RESULTS if flagged(kr)]


@pytest.mark.parametrize(("text", "code"), [
    ("Launch the new project intake portal", "kr_is_task"),
    ("Hold a workshop on benefits realisation", "kr_is_task"),
    ("Implement a portfolio dashboard", "kr_is_task"),
    ("Create a RAID log template", "kr_is_task"),
    ("Maintain schedule performance index above 0.95", "kr_maintain"),
    ("Keep red projects at 3 or fewer", "kr_maintain"),
    ("Improve stakeholder communication", "kr_no_number"),
    ("Faster", "kr_too_short"),
    ("Increase " + "very " * 40 + "much from 1 to 2", "kr_too_long"),
])
def test_rule_fires(text: str, code: str) -> None:
    assert code in codes(text)


@pytest.mark.parametrize("text", [
    "Increase on-time milestone delivery from 62% to 85%",
    "Reduce average intake decision time from 30 to 10 days",
    "80% of completed projects report realised benefits within 6 months",
])
def test_outcomes_pass_clean(text: str) -> None:
    assert codes(text) == set()


def test_number_in_the_target_field_counts() -> None:
    kr = KeyResult("Raise sponsor satisfaction with reporting", baseline="3.1",
                        target="4.2", unit="points")
    assert "kr_no_number" not in {h.code for h in key_result_hints(0, kr)}


def test_objective_rules_and_fields() -> None:
    hints = draft_hints("Increase NPS to 50", [KeyResult("Launch a survey")])
    by_field = {(h.field, h.code) for h in hints}
    assert ("objective", "objective_is_metric") in by_field
    assert ("key_results.0", "kr_is_task") in by_field
    assert ("key_results.0", "kr_no_number") in by_field
    short = draft_hints("Better PMO", [])
    assert {h.code for h in short} == {"objective_too_short"}
    good = draft_hints("Make the portfolio a tool the board trusts for decisions", [
        KeyResult("Raise board satisfaction with portfolio reports from 2.8 to 4 of 5")])
    assert good == []


def test_too_many_key_results_against_the_activity_limit() -> None:
    krs = [KeyResult(f"Reduce open risks in area {i} from 10 to 5") for i in range(4)]
    hints = draft_hints("Run a calmer, more predictable portfolio", krs, max_key_results=3)
    assert [h.code for h in hints] == ["too_many_key_results"]
    assert hints[0].field == "key_results"


def test_messages_are_plain_words() -> None:
    for text in WEAK_KEY_RESULTS:
        for hint in key_result_hints(2, KeyResult(text)):
            assert hint.field == "key_results.2"
            assert len(hint.message) > 40 and hint.message.endswith(".")

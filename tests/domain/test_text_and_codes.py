"""Cleaning typed text (workshop.domain.text) and join codes (workshop.domain.ids)."""

from __future__ import annotations

import pytest

from workshop.domain.errors import InvalidInput
from workshop.domain.ids import (
    JOIN_CODE_DIGITS,
    format_join_code,
    new_id,
    new_join_code,
    new_secret,
    normalise_join_code,
)
from workshop.domain.text import clean_line, clean_text, clean_url

# -- clean_line -------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("Hello", "Hello"),
    ("  padded  ", "padded"),
    ("inner   \t spaces", "inner spaces"),
    ("line\nbreaks\r\nbecome spaces", "line breaks become spaces"),
    ("<b>markup</b> kept as text", "<b>markup</b> kept as text"),
    ("x" * 30, "x" * 30),  # exactly the limit
    ("  " + "x" * 30 + "   ", "x" * 30),  # whitespace does not count
])
def test_clean_line_accepts(raw: str, expected: str) -> None:
    assert clean_line(raw, field="Title", max_length=30) == expected


@pytest.mark.parametrize(("raw", "required", "message"), [
    ("", True, "Title must not be empty."),
    ("   ", True, "Title must not be empty."),
    (None, True, "Title must not be empty."),
    ("x" * 11, True, "Title is too long: 11 characters, the limit is 10."),
    ("x" * 11, False, "Title is too long: 11 characters, the limit is 10."),
    (5, True, "Title must be text."),
    (["x"], False, "Title must be text."),
    (b"bytes", True, "Title must be text."),
])
def test_clean_line_refuses(raw: object, required: bool, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_line(raw, field="Title", max_length=10, required=required)
    assert caught.value.message == message


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_clean_line_optional_empty(raw: object) -> None:
    assert clean_line(raw, field="Label", max_length=5, required=False) == ""


# -- clean_text -------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("one\ntwo", "one\ntwo"),
    ("one\r\ntwo", "one\ntwo"),
    ("  a   b  \n  c  ", "a b\nc"),
    ("\n\nstart and end\n\n", "start and end"),
])
def test_clean_text_keeps_line_breaks(raw: str, expected: str) -> None:
    assert clean_text(raw, field="Answer", max_length=50) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("", "Answer must not be empty."),
    ("\n \n", "Answer must not be empty."),
    ("x" * 51, "Answer is too long: 51 characters, the limit is 50."),
    (3.5, "Answer must be text."),
])
def test_clean_text_refuses(raw: object, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_text(raw, field="Answer", max_length=50)
    assert caught.value.message == message


# -- clean_url --------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://example.com/slides", "https://example.com/slides"),
    ("  http://example.com ", "http://example.com"),
    ("", ""),
    (None, ""),
])
def test_clean_url_accepts(raw: object, expected: str) -> None:
    assert clean_url(raw, field="Slide deck link", max_length=100) == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("javascript:alert(1)", "must start with https:// or http://"),
    ("ftp://example.com", "must start with https:// or http://"),
    ("example.com", "must start with https:// or http://"),
    ("https://" + "x" * 100, "the limit is 100"),
])
def test_clean_url_refuses(raw: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        clean_url(raw, field="Slide deck link", max_length=100)


# -- join codes and ids -----------------------------------------------------------------


def test_new_join_codes_are_six_digits_never_starting_with_zero() -> None:
    codes = {new_join_code() for _ in range(500)}
    for code in codes:
        assert len(code) == JOIN_CODE_DIGITS == 6
        assert code.isdigit() and code.isascii()
        assert code[0] != "0"
    assert len(codes) > 450  # random, not a fixed sequence


@pytest.mark.parametrize(("raw", "expected"), [
    ("482913", "482913"),
    ("482 913", "482913"),
    ("482-913", "482913"),
    (" 48 29 13 ", "482913"),
    ("code: 482913!", "482913"),
    ("", ""),
    ("abc", ""),
])
def test_normalise_join_code(raw: str, expected: str) -> None:
    assert normalise_join_code(raw) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("482913", "482 913"),
    ("12345", "12345"),  # not a join code: left alone
    ("1234567", "1234567"),
])
def test_format_join_code(code: str, expected: str) -> None:
    assert format_join_code(code) == expected


def test_format_and_normalise_round_trip() -> None:
    for _ in range(50):
        code = new_join_code()
        assert normalise_join_code(format_join_code(code)) == code


def test_ids_and_secrets_are_unique_and_prefixed() -> None:
    assert len({new_id() for _ in range(1000)}) == 1000
    secret = new_secret("wst_")
    assert secret.startswith("wst_") and len(secret) > 40
    assert new_secret() != new_secret()

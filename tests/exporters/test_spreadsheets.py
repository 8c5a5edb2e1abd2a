"""CSV and XLSX: opened with the csv module and openpyxl they hold every answer; text a
spreadsheet would run as a formula is neutralised; anonymity holds."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.exporters.seed import NAMES, fix_times, seed_full_workshop, utc_timezone
from workshop.auth.actors import FacilitatorActor, ParticipantActor
from workshop.domain.flow import Action
from workshop.exporters.spreadsheets import COLUMNS, export_csv, export_xlsx
from workshop.exporters.writeup import ExportOptions
from workshop.services.container import Services, open_services
from workshop.settings import Settings

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SINGLE = "How often does your team set goals?"
MULTIPLE = "What gets in the way of good goals?"
RATING = "How confident are you writing a key result?"
SCALE = "How well do our goals describe outcomes?"
WORDS = "One word for a great objective"
OPEN = "What should we stop doing?"
RANKING = "Rank the focus areas for next quarter"
PLACEMENT = "Place each initiative"
P4 = "Participant 4"  # joined without a name
RANKED = ("1. Delivery predictability; 2. Portfolio transparency; 3. Benefits tracking",
          "1. Portfolio transparency; 2. Delivery predictability; 3. Benefits tracking",
          "1. Delivery predictability; 2. Benefits tracking; 3. Portfolio transparency")

# (prompt, round, participant, value) of every answer, in order
EXPECTED: list[tuple[str, int, str, str]] = [
    (SINGLE, 1, "Ana", "Every quarter"), (SINGLE, 1, "Ben", "Every quarter"),
    (SINGLE, 1, "Chloé", "Twice a year"), (SINGLE, 1, P4, "Once a year"),
    (SINGLE, 1, "Dev", "Every quarter"),
    (MULTIPLE, 1, "Ana", "Too many priorities; No follow-up"),
    (MULTIPLE, 1, "Ben", "Too many priorities"),
    (MULTIPLE, 1, "Chloé", "No clear owner; Metrics are hard to get"),
    (MULTIPLE, 1, "Dev", "Too many priorities; Metrics are hard to get"),
    (RATING, 1, "Ana", "3"), (RATING, 1, "Ben", "4"), (RATING, 1, "Chloé", "2"),
    (RATING, 1, P4, "5"), (RATING, 2, "Ana", "4"), (RATING, 2, "Ben", "4"),
    (RATING, 2, "Chloé", "5"), (RATING, 2, P4, "3"), (RATING, 2, "Dev", "4"),
    (SCALE, 1, "Ana", "6"), (SCALE, 1, "Ben", "3"), (SCALE, 1, "Chloé", "7"),
    (SCALE, 1, P4, "5"), (SCALE, 1, "Dev", "8"),
    (WORDS, 1, "Ana", "ambitious; clear"), (WORDS, 1, "Ben", "clear; measurable"),
    (WORDS, 1, "Chloé", "inspiring"), (WORDS, 1, "Dev", "clear; focused"),
    (OPEN, 1, "Ana", "Status meetings without decisions"),
    (OPEN, 1, "Chloé", "Setting goals nobody reads after week two"),
    (OPEN, 1, "Dev", "Starting new projects before finishing old ones"),
    (RANKING, 1, "Ana", RANKED[0]), (RANKING, 1, "Ben", RANKED[1]),
    (RANKING, 1, "Chloé", RANKED[2]), (RANKING, 1, "Dev", RANKED[0]),
    (PLACEMENT, 1, "Ana", "New intake process: 4/2; Portfolio dashboard: 5/4; "
                          "Lessons-learned library: 2/1"),
    (PLACEMENT, 1, "Ben", "New intake process: 3/3; Portfolio dashboard: 4/5; "
                          "Lessons-learned library: 2/2"),
    (PLACEMENT, 1, "Dev", "New intake process: 5/2; Portfolio dashboard: 3/4; "
                          "Lessons-learned library: 1/1"),
]


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}")) as s:
        yield s


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with utc_timezone():
        yield


async def seeded(services: Services, anonymity: str = "named") -> str:
    workshop_id = await seed_full_workshop(services, anonymity=anonymity)
    await fix_times(services.store, workshop_id)
    return workshop_id


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def sheets(content: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(content))
    found = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        found[sheet.title] = [list(row) for row in sheet.iter_rows(values_only=True)]
    return found


async def test_the_csv_holds_every_answer_in_long_form(services: Services) -> None:
    workshop_id = await seeded(services)
    file = await export_csv(services, workshop_id, ExportOptions())
    assert file.filename == "quarterly-planning-retro-answers.csv"
    assert file.media_type == "text/csv; charset=utf-8"
    rows = csv_rows(file.content)
    assert rows[0] == list(COLUMNS)
    body = rows[1:]
    assert [(r[3], int(r[4]), r[5], r[6]) for r in body] == EXPECTED
    assert {r[0] for r in body} == {"Quarterly planning retro"}
    activities = {a.prompt: a for a in await services.store.list_activities(workshop_id)}
    for row in body:
        assert row[1] == activities[row[3]].id and row[2] == activities[row[3]].kind.value
    assert body[0][7] == "2026-01-01 10:07:00"
    times = [r[7] for r in body]
    assert all(re.fullmatch(r"2026-01-01 \d\d:\d\d:00", t) for t in times)
    assert times == sorted(times)


async def test_the_workbook_has_a_summary_and_one_sheet_per_activity(
        services: Services) -> None:
    workshop_id = await seeded(services)
    file = await export_xlsx(services, workshop_id, ExportOptions())
    assert file.filename == "quarterly-planning-retro.xlsx"
    assert file.media_type == XLSX
    book = sheets(file.content)
    prompts = [SINGLE, MULTIPLE, RATING, SCALE, WORDS, OPEN, RANKING, PLACEMENT]
    assert list(book) == ["Summary", *(f"{n} {p.replace('?', '')}"[:31].strip()
                                       for n, p in enumerate(prompts, start=1))]
    summary = book["Summary"]
    assert summary[0][0] == "Quarterly planning retro"
    assert summary[1][:2] == ["Date", "01 January 2026"]
    assert summary[2][:2] == ["Participants", 5]
    assert summary[4] == ["#", "Activity", "Kind", "Round", "Answers", "Result"]
    assert [[c if c is not None else "" for c in row] for row in summary[5:]] == [
        [1, SINGLE, "Single choice", 1, 5, "Every quarter (3)"],
        [2, MULTIPLE, "Multiple choice", 1, 4, "Too many priorities (3)"],
        [3, RATING, "Rating (1 to 5 stars)", 2, 5, "mean 4.0"],
        [4, SCALE, "Scale", 1, 5, "mean 5.8"],
        [5, WORDS, "Word cloud", 1, 4, "clear (3)"],
        [6, OPEN, "Open text", 1, 3, ""],
        [7, RANKING, "Ranking", 1, 4, "1. Delivery predictability"],
        [8, PLACEMENT, "2×2 placement", 1, 3, ""],
    ]
    csv_body = csv_rows((await export_csv(services, workshop_id, ExportOptions())).content)[1:]
    for title, prompt in zip(list(book)[1:], prompts, strict=True):
        rows = book[title]
        assert rows[0] == list(COLUMNS)
        assert [[str(c) for c in row] for row in rows[1:]] == [
            r for r in csv_body if r[3] == prompt]


# -- formula injection ------------------------------------------------------------------------
HOSTILE_NAMES = ("=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)")
HOSTILE_ANSWERS = ('=HYPERLINK("http://evil.example","click")', "+1 555 0100", "-1",
                   "@channel")
HOSTILE_OPTIONS = ("=A1", "+B2", "-C3", "@D4")


async def hostile_workshop(services: Services) -> str:
    owner = FacilitatorActor((await services.accounts.add_facilitator(
        "formula@example.org", "correct horse battery")).id)
    workshop = await services.workshops.create(owner, {"title": "=1+1 workshop"})
    wid = workshop.id
    people = []
    for n, name in enumerate(HOSTILE_NAMES):
        joined = await services.polls.join(workshop, f"device-{n}", name)
        people.append(ParticipantActor(joined.id, wid))
    polls: list[tuple[dict[str, Any], list[Any]]] = [
        ({"kind": "single_choice", "prompt": "=2+2 which?", "options": list(HOSTILE_OPTIONS)},
         [0, 1, 2, 3]),
        ({"kind": "open_text", "prompt": "@ anything?"}, list(HOSTILE_ANSWERS)),
        ({"kind": "word_cloud", "prompt": "-words", "settings": {"max_words": 4}},
         [["=sum", "@home"], ["-minus", "+plus"], ["=a=b"], ["@"]]),
        ({"kind": "ranking", "prompt": "+rank", "options": list(HOSTILE_OPTIONS)},
         [[3, 2, 1, 0]] * 4),
    ]
    for data, values in polls:
        activity = await services.workshops.add_activity(owner, wid, data)
        await services.polls.act(owner, wid, activity.id, Action.OPEN)
        ids = [o.id for o in activity.options]
        for who, value in zip(people, values, strict=True):
            if value == ["@"]:
                continue  # nothing left after normalising
            if ids:
                value = [ids[v] for v in value] if isinstance(value, list) else ids[value]
            await services.polls.respond(who, wid, activity.id, value, os.urandom(8).hex())
    return wid


def assert_inert(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(FORMULA_START), cell
    for raw in (*HOSTILE_NAMES, *HOSTILE_ANSWERS, *HOSTILE_OPTIONS, "=1+1 workshop",
                "=2+2 which?", "@ anything?", "-words", "+rank"):
        assert "'" + raw in cells, raw


async def test_csv_cells_never_start_a_formula(services: Services) -> None:
    rows = csv_rows((await export_csv(services, await hostile_workshop(services),
                                      ExportOptions())).content)
    cells = [cell for row in rows for cell in row]
    assert_inert(cells)
    words = [r[6] for r in rows if r[3] == "'-words"]
    assert words == ["sum; home", "minus; plus", "a=b"]  # normalised: nothing to run


async def test_xlsx_cells_never_start_a_formula(services: Services) -> None:
    book = sheets((await export_xlsx(services, await hostile_workshop(services),
                                     ExportOptions())).content)
    cells = [cell for rows in book.values() for row in rows for cell in row
             if isinstance(cell, str)]
    assert_inert(cells)
    assert book["Summary"][0][0] == "'=1+1 workshop"
    assert [book["Summary"][5][1], book["Summary"][5][5]] == ["'=2+2 which?", "'=A1 (1)"]


# -- anonymity ------------------------------------------------------------------------------------
def assert_unlinkable(rows: list[tuple[str, str]]) -> None:
    """(activity, participant label): labels are pseudonyms, each in one activity only."""
    seen: dict[str, set[str]] = {}
    for activity, label in rows:
        assert re.fullmatch(r"anon-[0-9a-f]{8}", label), label
        seen.setdefault(label, set()).add(activity)
    assert len(seen) > 20
    assert all(len(activities) == 1 for activities in seen.values()), seen


def assert_nameless(text: str) -> None:
    for name in filter(None, NAMES):
        assert not re.search(rf"\b{name}\b", text), name
    assert "Participant 4" not in text


@pytest.mark.parametrize(("anonymity", "names"), [("anonymous", True),
                                                  ("anonymous_to_peers", True),
                                                  ("named", False)])
async def test_anonymous_answers_cannot_be_linked(services: Services, anonymity: str,
                                                  names: bool) -> None:
    workshop_id = await seeded(services, anonymity)
    options = ExportOptions(include_names=names)
    file = await export_csv(services, workshop_id, options)
    assert_nameless(file.content.decode("utf-8-sig"))
    assert_unlinkable([(r[1], r[5]) for r in csv_rows(file.content)[1:]])
    book = sheets((await export_xlsx(services, workshop_id, options)).content)
    assert_nameless(repr(book))
    assert_unlinkable([(title, row[5]) for title, rows in book.items() if title != "Summary"
                       for row in rows[1:]])

"""The Markdown write-up: a golden file of the fully seeded workshop, participant text that
can never change the document's structure, and anonymity.

`UPDATE_GOLDEN=1 pytest tests/exporters/test_markdown.py` rewrites the golden file."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.exporters.seed import NAMES, fix_times, seed_full_workshop, utc_timezone
from workshop.auth.actors import FacilitatorActor, ParticipantActor
from workshop.domain.flow import Action
from workshop.exporters.markdown import export_markdown
from workshop.exporters.writeup import ExportOptions
from workshop.services.container import Services, open_services
from workshop.settings import Settings

GOLDEN = Path(__file__).resolve().parent / "golden" / "writeup.md"
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}")) as s:
        yield s


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with utc_timezone():
        yield


def masked(markdown: str) -> str:
    """The export with the times that depend on when it runs replaced."""
    markdown = re.sub(r"^\*Exported from workshop, .+\.\*$", "*Exported from workshop, "
                      "<generated>.*", markdown, flags=re.MULTILINE)
    return re.sub(r"live snapshot, [^·\n]+", "live snapshot, <generated>", markdown)


async def markdown_of(services: Services, workshop_id: str,
                      options: ExportOptions | None = None) -> str:
    file = await export_markdown(services, workshop_id, options or ExportOptions())
    assert file.media_type == "text/markdown; charset=utf-8"
    return file.content.decode()


async def test_the_seeded_workshop_matches_the_golden_file(services: Services) -> None:
    workshop_id = await seed_full_workshop(services)
    await fix_times(services.store, workshop_id)
    file = await export_markdown(services, workshop_id, ExportOptions(
        summary="We agreed on three objectives and a monthly follow-up."))
    assert file.filename == "quarterly-planning-retro.md"
    text = masked(file.content.decode())
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8")


async def test_a_live_snapshot_says_so_and_masks(services: Services) -> None:
    workshop_id = await seed_full_workshop(services)
    workshop = await services.workshops.load(workshop_id)
    first = (await services.store.list_activities(workshop_id))[0]
    await services.polls.act(FacilitatorActor(workshop.owner_id), workshop_id, first.id,
                             Action.OPEN)
    text = await markdown_of(services, workshop_id)
    assert re.search(r"^.* · live snapshot, \d\d \w+ \d{4}, \d\d:\d\d$", text, re.MULTILINE)
    assert "live snapshot, <generated>" in masked(text)


INJECTIONS = ("# heading", "| pipes | in | cells |", "[link](javascript:alert(1))",
              "<script>alert(1)</script>", "1. not a list", "> quote", "---", "- item")


async def injected_workshop(services: Services) -> str:
    """Every kind of participant text carries Markdown (and HTML) structure."""
    owner = FacilitatorActor((await services.accounts.add_facilitator(
        "inject@example.org", "correct horse battery")).id)
    workshop = await services.workshops.create(owner, {
        "title": "# Title | with [link](javascript:x)", "description": "## not a heading"})
    wid = workshop.id
    people = []
    for n, name in enumerate(("# Eve", "| Mallory |", "[Trudy](javascript:x)",
                              "<script>x</script>")):
        joined = await services.polls.join(workshop, f"device-{n}", name)
        people.append(ParticipantActor(joined.id, wid))

    async def poll(kind: str, prompt: str, values: list[object],
                   options: list[str] | None = None) -> None:
        data: dict[str, object] = {"kind": kind, "prompt": prompt}
        if options:
            data["options"] = options
        activity = await services.workshops.add_activity(owner, wid, data)
        await services.polls.act(owner, wid, activity.id, Action.OPEN)
        ids = [o.id for o in activity.options]
        for who, value in zip(people, values, strict=False):
            if ids:  # option indexes → option ids
                value = [ids[v] for v in value] if isinstance(value, list) else ids[value]
            await services.polls.respond(who, wid, activity.id, value, os.urandom(8).hex())
        await services.polls.act(owner, wid, activity.id, Action.CLOSE)

    await poll("single_choice", "# Which | one?", [0, 1, 1, 0],
               ["# option", "| a | b |"])
    await poll("open_text", "Say | anything", list(INJECTIONS[:4]))
    await poll("open_text", "And more", list(INJECTIONS[4:8]))
    await poll("word_cloud", "Words", [["a|b|c", "#tag"], ["[x](y)"], ["<b>"], ["`c`"]])
    await poll("ranking", "Rank", [[0, 1], [1, 0], [0, 1], [1, 0]],
               ["| first |", "# second"])
    board = await services.workshops.add_activity(owner, wid, {
        "kind": "objectives", "prompt": "# Objectives | board",
        "options": ["# org | objective"]})
    await services.polls.act(owner, wid, board.id, Action.OPEN)
    objective, _ = await services.objectives.submit(people[0], wid, board.id, {
        "text": "# Objective | with <script>x</script>",
        "key_results": [{"text": "| kr | one |", "metric": "# m", "baseline": "1",
                         "target": "[2](javascript:x)", "unit": "<u>"}],
        "aligns_to": board.options[0].id}, "c1")
    await services.objectives.set_theme(owner, wid, board.id, objective.id, "# theme |")
    await services.workshops.set_current(owner, wid, board.id)
    for who, text in zip(people, INJECTIONS[:4], strict=True):
        await services.chat.post(who, wid, {"text": text, "question": True},
                                 os.urandom(8).hex())
    await services.insights.create(owner, wid, {"text": "# insight | [x](javascript:y)"})
    return wid


def tables(markdown: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in markdown.splitlines():
        if line.startswith("|"):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


async def test_participant_text_never_changes_the_structure(services: Services) -> None:
    text = await markdown_of(services, await injected_workshop(services), ExportOptions(
        summary="# summary | [x](javascript:y) <script>"))
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert [h.split(" ", 2)[:2] for h in headings] == [
        ["#", "\\#"],  # the title
        ["##", "Summary"], ["##", "Polls"], ["###", "1."], ["###", "2."], ["###", "3."],
        ["###", "4."], ["###", "5."], ["##", "Objectives:"], ["###", "\\#"],
        ["##", "Insights"], ["##", "Appendix:"]]
    for block in tables(text):
        columns = {len(UNESCAPED_PIPE.findall(row)) for row in block}
        assert len(columns) == 1, block
    assert "<script>" not in text and "<b>" not in text and "<u>" not in text
    assert not re.search(r"(?<!\\)\]\(", text), "a Markdown link survived"
    for line in lines:
        stripped = line.lstrip()
        assert not stripped.startswith(("<", ">", "---")) or line == "---", line
    # the words are all there, made inert
    for inert in ("\\# heading", "\\| pipes \\| in \\| cells \\|",
                  "\\[link\\](javascript:alert(1))", "\\<script\\>alert(1)\\</script\\>",
                  "1\\. not a list", "\\> quote", "\\- item", "\\# Objective",
                  "\\| kr \\| one \\|", "\\# theme \\|", "\\# insight", "\\# Eve",
                  "a\\|b\\|c", "\\# summary"):
        assert inert in text, inert


async def test_an_anonymous_workshop_names_nobody(services: Services) -> None:
    workshop_id = await seed_full_workshop(services, anonymity="anonymous")
    text = await markdown_of(services, workshop_id)
    assert "## Appendix: chat" in text and "## Objectives" in text
    for name in filter(None, NAMES):
        assert not re.search(rf"\b{name}\b", text), name
    assert "anon-" not in text  # the write-up shows no pseudonyms either


async def test_names_left_out_on_request(services: Services) -> None:
    workshop_id = await seed_full_workshop(services)
    named = await markdown_of(services, workshop_id)
    assert "Ana \\& Ben" in named  # the merged objective's authors
    text = await markdown_of(services, workshop_id, ExportOptions(include_names=False))
    for name in filter(None, NAMES):
        assert not re.search(rf"\b{name}\b", text), name


async def test_without_the_chat_there_is_no_appendix(services: Services) -> None:
    workshop_id = await seed_full_workshop(services)
    text = await markdown_of(services, workshop_id, ExportOptions(include_chat=False))
    assert "Appendix: chat" not in text and "slides afterwards" in text  # an insight

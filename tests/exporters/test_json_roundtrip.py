"""The complete JSON document: export → import → export gives the same document; a plan
imports only the agenda; malformed documents are refused and create nothing; anonymity
holds (no names, no ref linking one person across activities or messages).

Real services over a real SQLite file."""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.exporters.seed import NAMES, fix_times, seed_full_workshop
from tests.storage.conftest import POSTGRES_URL, _admin, _with_database
from workshop.auth.actors import ANONYMOUS, FacilitatorActor, ParticipantActor
from workshop.domain.errors import Forbidden, InvalidInput, NotAuthenticated
from workshop.domain.flow import Action
from workshop.exporters.json_document import build_document, export_json
from workshop.exporters.writeup import ExportOptions
from workshop.services.container import Services, open_services
from workshop.settings import Settings

OWNER = "owner@example.org"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "export-format.md"


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}")) as s:
        yield s


async def owner(services: Services) -> FacilitatorActor:
    facilitator = await services.store.get_facilitator_by_email(OWNER)
    assert facilitator is not None
    return FacilitatorActor(facilitator.id)


async def seeded(services: Services, anonymity: str = "named") -> str:
    workshop_id = await seed_full_workshop(services, owner_email=OWNER, anonymity=anonymity)
    await fix_times(services.store, workshop_id)
    return workshop_id


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


async def count(services: Services, table: str) -> int:
    row = await services.store.db.fetch_one(f"SELECT COUNT(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


COUNTED = ("workshops", "activities", "participants", "ballots", "ballot_items",
           "objective_boards", "objectives", "objective_authors", "objective_votes",
           "messages", "message_upvotes", "insights")


async def counts(services: Services) -> dict[str, int]:
    return {table: await count(services, table) for table in COUNTED}


# -- round trips ------------------------------------------------------------------------------
@pytest.mark.parametrize("anonymity", ["named", "anonymous_to_peers", "anonymous"])
async def test_export_import_export_gives_the_same_document(services: Services,
                                                            anonymity: str) -> None:
    original_id = await seeded(services, anonymity)
    first = await build_document(services, original_id)
    before = await counts(services)

    imported = await services.imports.import_document(
        await owner(services), json.loads(json.dumps(first)), plan_only=False)

    assert imported.id != original_id
    assert imported.owner_id == (await owner(services)).facilitator_id
    original = await services.workshops.load(original_id)
    assert imported.code != original.code and len(imported.code) == 6
    second = await build_document(services, imported.id)
    assert comparable(second) == comparable(first)
    after = await counts(services)
    assert after["workshops"] == before["workshops"] + 1
    if anonymity == "named":  # one row per row: the copy is complete
        for table in COUNTED[1:]:
            assert after[table] == 2 * before[table], table


@pytest.mark.postgres
async def test_the_round_trip_holds_on_postgresql() -> None:
    name = "workshop_test_" + uuid.uuid4().hex[:16]
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        settings = Settings(database_url=_with_database(POSTGRES_URL, name))
        async with open_services(settings) as services:
            original_id = await seeded(services, "anonymous")
            first = await build_document(services, original_id)
            full = await services.imports.import_document(await owner(services), first,
                                                          plan_only=False)
            assert comparable(await build_document(services, full.id)) == comparable(first)
            plan = await services.imports.import_document(await owner(services), first,
                                                          plan_only=True)
            planned = await build_document(services, plan.id)
            assert [a["prompt"] for a in planned["activities"]] == [
                a["prompt"] for a in first["activities"]]
            assert planned["participants"] == [] and planned["messages"] == []
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_a_copy_of_a_copy_keeps_its_results(services: Services) -> None:
    original_id = await seeded(services)
    imported = await services.imports.import_document(
        await owner(services), await build_document(services, original_id), plan_only=False)
    for ours, theirs in zip(await services.store.list_activities(original_id),
                            await services.store.list_activities(imported.id), strict=True):
        if not ours.kind.is_poll:
            continue
        for round_ in range(1, ours.round + 1):
            a = (await services.polls.tally(ours, round_)).as_json()
            b = (await services.polls.tally(theirs, round_)).as_json()
            for results in (a, b):
                results.pop("activity_id")
                results.pop("responses", None)  # open-text answer ids are new
                for entry in results.get("counts", []) + results.get("points", []) + \
                        results.get("ranking", []):
                    entry.pop("option_id")
            assert a == b


async def test_without_names_the_round_trip_still_holds(services: Services) -> None:
    original_id = await seeded(services)
    options = ExportOptions(include_names=False)
    first = await build_document(services, original_id, options)
    imported = await services.imports.import_document(await owner(services), first, False)
    assert comparable(await build_document(services, imported.id, options)) == \
        comparable(first)


async def test_the_file_is_the_document_and_stable(services: Services) -> None:
    workshop_id = await seeded(services)
    file = await export_json(services, workshop_id, ExportOptions())
    assert file.filename == "quarterly-planning-retro.json"
    assert file.media_type == "application/json"
    document = json.loads(file.content)
    assert document["format"] == "workshop" and document["version"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", document["exported_at"])
    again = await build_document(services, workshop_id)
    assert comparable(again) == comparable(document)
    assert [a["ref"] for a in document["activities"]] == [f"a{n}" for n in range(1, 10)]
    assert [p["ref"] for p in document["participants"]] == ["p1", "p2", "p3", "p4", "p5"]
    assert [p["name"] for p in document["participants"]] == list(NAMES)
    assert document["workshop"]["created_at"] == "2026-01-01T10:00:00Z"


async def test_refs_replace_every_internal_id(services: Services) -> None:
    workshop_id = await seeded(services)
    text = json.dumps(await build_document(services, workshop_id))
    ids = [workshop_id, *(p.id for p in await services.store.list_participants(workshop_id))]
    for activity in await services.store.list_activities(workshop_id):
        ids += [activity.id, *(o.id for o in activity.options)]
        ids += [o.id for o in await services.store.list_objectives(activity.id)]
    ids += [m.id for m in await services.store.list_messages(workshop_id)]
    ids += [i.id for i in await services.store.list_insights(workshop_id)]
    assert not [i for i in ids if i in text]


async def test_every_field_is_documented(services: Services) -> None:
    docs = DOCS.read_text("utf-8")
    keys: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for key, item in value.items():
                if key != "settings":  # an activity's settings: as in the API (README)
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(await build_document(services, await seeded(services)))
    walk(await build_document(services, await seeded(services, "anonymous")))
    assert not sorted(k for k in keys if not re.search(rf"`(\w+\.)?{k}`", docs))


# -- plan only --------------------------------------------------------------------------------
async def test_a_plan_brings_only_the_agenda(services: Services) -> None:
    original_id = await seeded(services)
    actor = await owner(services)
    board = next(a for a in await services.store.list_activities(original_id)
                 if a.kind.value == "objectives")
    piped = await services.workshops.add_activity(actor, original_id, {
        "kind": "ranking", "prompt": "Rank the drafts",
        "settings": {"source_activity_id": board.id, "source_top": 3}})
    await services.polls.act(actor, original_id, piped.id, Action.OPEN)  # takes options
    document = await build_document(services, original_id)
    before = await counts(services)

    plan = await services.imports.import_document(actor, document, plan_only=True)

    after = await counts(services)
    assert after["workshops"] == before["workshops"] + 1
    assert after["activities"] == before["activities"] + 10
    for table in COUNTED[2:]:
        assert after[table] == before[table], table
    assert plan.title == document["workshop"]["title"]
    assert plan.current_activity_id is None
    assert plan.chat.blocked_words == ("spam",)
    copied = await services.store.list_activities(plan.id)
    originals = await services.store.list_activities(original_id)
    for ours, theirs in zip(originals, copied, strict=True):
        assert (theirs.kind, theirs.prompt) == (ours.kind, ours.prompt)
        assert theirs.state.value == "draft" and theirs.round == 1
        assert theirs.results_visible is True
    new_board = next(a for a in copied if a.kind.value == "objectives")
    assert [o.label for o in new_board.options] == ["Deliver predictably", "Grow our people"]
    assert new_board.settings == board.settings
    assert [o.label for o in copied[0].options] == [o.label for o in originals[0].options]
    assert {o.id for o in copied[0].options}.isdisjoint(o.id for o in originals[0].options)
    new_piped = copied[-1]
    assert new_piped.options == ()  # filled from the new board when it opens
    assert new_piped.settings == {"hide_results": False, "source_activity_id": new_board.id,
                                  "source_top": 3}
    full = await services.imports.import_document(actor, document, plan_only=False)
    piped_copy = (await services.store.list_activities(full.id))[-1]
    assert [o.label for o in piped_copy.options] == [o.label for o in
                                                      (await services.store.list_activities(
                                                          original_id))[-1].options]


async def test_a_hand_written_plan_needs_little(services: Services) -> None:
    await seeded(services)
    plan = await services.imports.import_document(await owner(services), {
        "format": "workshop", "version": 1, "workshop": {"title": "Kick-off"},
        "activities": [
            {"ref": "a1", "kind": "word_cloud", "prompt": "One word for today?"},
            {"ref": "a2", "kind": "single_choice", "prompt": "Coffee or tea?",
             "options": [{"ref": "x", "label": "Coffee"}, {"ref": "y", "label": "Tea"}]},
        ]}, plan_only=True)
    activities = await services.store.list_activities(plan.id)
    assert [(a.kind.value, a.settings) for a in activities] == [
        ("word_cloud", {"hide_results": False, "max_words": 3}),
        ("single_choice", {"hide_results": False})]


# -- refused documents --------------------------------------------------------------------------
Mutation = Callable[[dict[str, Any]], Any]


def _set(path: str, value: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return mutate


def _activity(kind: str) -> Callable[[dict[str, Any]], Any]:
    return lambda d: next(a for a in d["activities"] if a["kind"] == kind)


REFUSED: dict[str, tuple[Mutation, str]] = {
    "not an object": (lambda d: [d], "The document must be an object"),
    "wrong format": (_set("format", "trello"), 'format" must be "workshop"'),
    "no format": (lambda d: d.pop("format"), 'format" must be "workshop"'),
    "version 2": (_set("version", 2), "unsupported export format version 2"),
    "version as text": (_set("version", "1"), "unsupported export format version '1'"),
    "activities not a list": (_set("activities", {"a1": {}}), "activities must be a list"),
    "activity not an object": (_set("activities.0", "poll"),
                               r"activities\[0\] must be an object"),
    "unknown kind": (_set("activities.1.kind", "quiz"),
                     r"activities\[1\]\.kind: Unknown activity kind 'quiz'"),
    "duplicate activity ref": (_set("activities.1.ref", "a1"), "used twice"),
    "missing prompt": (lambda d: d["activities"][0].pop("prompt"),
                       r"activities\[0\]: prompt must not be empty"),
    "unknown setting": (_set("activities.0.settings.colour", "red"), "Unknown setting"),
    "unknown participant ref": (_set("activities.0.responses.0.participant", "p99"),
                                r"activities\[0\]\.responses\[0\]\.participant: unknown "
                                "participant ref 'p99'"),
    "unknown option ref": (_set("activities.0.responses.0.items", ["a2-o1"]),
                           "unknown option ref 'a2-o1'"),
    "placement item": (lambda d: _set("items", ["a8-o1:high:low"])(
        _activity("placement")(d)["responses"][0]), "placement item is option:x:y"),
    "rating out of range": (lambda d: _set("items", ["9"])(
        _activity("rating")(d)["responses"][0]), "rating response is one whole number"),
    "round beyond the activity's": (_set("activities.0.responses.0.round", 2),
                                    "round must be a whole number from 1 to 1"),
    "two answers in one round": (_set("activities.0.responses.1.participant", "p1"),
                                 "already has a response in round 1"),
    "bad time": (_set("activities.0.responses.0.updated_at", "yesterday"),
                 "must be an ISO 8601 time"),
    "unknown author": (lambda d: _set("authors", ["p1", "p42"])(
        _activity("objectives")(d)["objectives"][0]), "unknown participant ref 'p42'"),
    "dot spent twice": (lambda d: _set("votes", [{"participant": "p1", "dot": 0}] * 2)(
        _activity("objectives")(d)["objectives"][0]), "dot 0 is spent twice"),
    "unknown spotlight": (lambda d: _set("spotlight", "obj99")(
        _activity("objectives")(d)["board"]), "unknown objective ref 'obj99'"),
    "objectives on a poll": (_set("activities.0.objectives", [{"ref": "x"}]),
                             "only an objectives activity has objectives"),
    "unknown reply": (_set("messages.3.reply_to", "m99"), "unknown message ref 'm99'"),
    "bad status": (_set("messages.0.status", "deleted"), "status must be one of"),
    "unknown insight parent": (_set("insights.1.parent", "i99"), "unknown insight ref"),
    "insights two deep": (_set("insights.0.parent", "i2"), "nest one level deep"),
    "unknown source": (_set("insights.1.sources.0.ref", "a6-r99"),
                       "unknown response ref 'a6-r99'"),
    "unknown current activity": (_set("workshop.current_activity", "a99"),
                                 "unknown activity ref 'a99'"),
    "title too long": (_set("workshop.title", "x" * 201), "title is too long"),
    "workshop missing": (lambda d: d.pop("workshop"), "workshop must be an object"),
}


@pytest.mark.parametrize("case", list(REFUSED))
async def test_a_malformed_document_is_refused_and_creates_nothing(services: Services,
                                                                  case: str) -> None:
    document = await build_document(services, await seeded(services))
    mutate, message = REFUSED[case]
    broken = copy.deepcopy(document)
    replaced = mutate(broken)
    if isinstance(replaced, list):
        broken = replaced  # type: ignore[assignment]
    before = await counts(services)
    with pytest.raises(InvalidInput, match=message) as refused:
        await services.imports.import_document(await owner(services), broken, False)
    assert refused.value.status == 422
    assert await counts(services) == before


async def test_only_a_facilitator_imports(services: Services) -> None:
    workshop_id = await seeded(services)
    document = await build_document(services, workshop_id)
    participant = (await services.store.list_participants(workshop_id))[0]
    with pytest.raises(Forbidden):
        await services.imports.import_document(
            ParticipantActor(participant.id, workshop_id), document, False)
    with pytest.raises(NotAuthenticated):
        await services.imports.import_document(ANONYMOUS, document, False)


# -- anonymity ------------------------------------------------------------------------------------
def participant_scopes(document: dict[str, Any]) -> dict[str, set[str]]:
    """Every participant ref, with the activities and messages it appears in."""
    seen: dict[str, set[str]] = {}
    for activity in document["activities"]:
        refs = [r["participant"] for r in activity["responses"]]
        for objective in activity.get("objectives", []):
            refs += objective["authors"] + [v["participant"] for v in objective["votes"]]
        for ref in refs:
            seen.setdefault(ref, set()).add(activity["ref"])
    for message in document["messages"]:
        for ref in [message["participant"], *message["upvotes"]]:
            seen.setdefault(ref, set()).add(message["ref"])
    return seen


@pytest.mark.parametrize(("anonymity", "names"), [("anonymous", True),
                                                  ("anonymous_to_peers", True),
                                                  ("named", False)])
async def test_without_names_no_ref_links_a_person_across_activities(
        services: Services, anonymity: str, names: bool) -> None:
    workshop_id = await seeded(services, anonymity)
    document = await build_document(services, workshop_id, ExportOptions(include_names=names))
    text = json.dumps(document, ensure_ascii=False)
    for name in filter(None, NAMES):
        assert not re.search(rf"\b{name}\b", text), name
    scopes = participant_scopes(document)
    assert len(scopes) > 20
    for ref, where in scopes.items():
        assert len(where) == 1, (ref, where)
        assert ref.startswith(f"{next(iter(where))}-p"), ref
    assert document["participants"] == [{"ref": ref, "name": None} for ref in scopes]
    sources = [s for i in document["insights"] for s in i["sources"]]
    assert sources and all(s["author"] is None for s in sources)


async def test_a_message_posted_without_names_stays_unnamed(services: Services) -> None:
    workshop_id = await seeded(services)
    actor = await owner(services)
    workshop = await services.workshops.load(workshop_id)
    ana = ParticipantActor((await services.store.list_participants(workshop_id))[0].id,
                           workshop_id)
    quinn = ParticipantActor((await services.polls.join(workshop, "quiet", "Quinn")).id,
                             workshop_id)
    await services.chat.update_settings(actor, workshop_id, {"anonymity": "anonymous",
                                                             "chat": "facilitator_only"})
    for who, text in ((ana, "A thought I would rather not sign"), (quinn, "Only this")):
        await services.chat.post(who, workshop_id, {"text": text}, uuid.uuid4().hex)
    await services.chat.update_settings(actor, workshop_id, {"anonymity": "named",
                                                             "chat": "on"})

    document = await build_document(services, workshop_id)

    *_, ana_says, quinn_says = document["messages"]
    for message in (ana_says, quinn_says):
        assert message["participant"] == f"{message['ref']}-p1"
        assert (message["anonymity"], message["private"]) == ("anonymous", True)
    assert "Quinn" not in json.dumps(document)  # known only by an unsigned message
    assert document["participants"][0] == {"ref": "p1", "name": "Ana",
                                           "joined_at": "2026-01-01T10:01:00Z"}
    assert document["participants"][-2:] == [{"ref": ana_says["participant"], "name": None},
                                             {"ref": quinn_says["participant"], "name": None}]
    assert len(document["participants"]) == 7
    imported = await services.imports.import_document(actor, document, plan_only=False)
    assert comparable(await build_document(services, imported.id)) == comparable(document)


async def test_with_names_one_ref_per_person(services: Services) -> None:
    document = await build_document(services, await seeded(services))
    scopes = participant_scopes(document)
    assert set(scopes) == {"p1", "p2", "p3", "p4", "p5"}
    assert len(scopes["p1"]) > 5  # Ana answers, drafts, votes and asks

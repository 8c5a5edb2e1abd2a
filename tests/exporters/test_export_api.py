"""The export and import API against the real server (real SQLite file): status codes,
content types and file names, who may export, and imports that are refused leaving the
database as it was."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.exporters.seed import seed_full_workshop
from tests.support import Facilitator, LiveServer, Participant, client
from tests.web.helpers import query
from workshop.services.container import open_services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = ("workshops", "activities", "participants", "ballots", "ballot_items",
          "objective_boards", "objectives", "objective_authors", "objective_votes",
          "messages", "message_upvotes", "insights")


def seed(server: LiveServer, owner: Facilitator, anonymity: str = "named") -> str:
    async def run() -> str:
        async with open_services(server.settings) as services:
            return await seed_full_workshop(services, owner_email=owner.email,
                                            anonymity=anonymity)

    workshop_id: str = server.run(run())
    return workshop_id


def export_path(workshop_id: str, fmt: str = "json", **params: str) -> str:
    query_string = "".join(f"&{k}={v}" for k, v in params.items())
    return f"/api/v1/workshops/{workshop_id}/export?format={fmt}{query_string}"


def counts(server: LiveServer) -> dict[str, int]:
    return {table: query(server, f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES}


@pytest.fixture
def seeded(server: LiveServer, facilitator: Facilitator) -> str:
    return seed(server, facilitator)


# -- exports ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("fmt", "media", "filename"), [
    ("md", "text/markdown; charset=utf-8", "quarterly-planning-retro.md"),
    ("csv", "text/csv; charset=utf-8", "quarterly-planning-retro-answers.csv"),
    ("xlsx", XLSX, "quarterly-planning-retro.xlsx"),
    ("json", "application/json", "quarterly-planning-retro.json"),
])
def test_each_format_downloads_as_an_attachment(facilitator: Facilitator, seeded: str,
                                                fmt: str, media: str, filename: str) -> None:
    response = facilitator.api.get(export_path(seeded, fmt))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    if fmt == "md":
        assert response.text.startswith("# Quarterly planning retro\n")
    elif fmt == "csv":
        assert response.content.decode("utf-8-sig").startswith("workshop,activity,kind,")
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Summary"
    else:
        assert response.json()["format"] == "workshop"


def test_every_listed_format_downloads(facilitator: Facilitator, seeded: str) -> None:
    refused = facilitator.api.get(export_path(seeded, "docx"))
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid"
    detail = refused.json()["detail"]
    assert "'docx'" in detail
    listed = re.findall(r"\b(md|html|pdf|xlsx|csv|json)\b", detail.split(":", 1)[1])
    assert {"md", "csv", "xlsx", "json"} <= set(listed)
    for fmt in listed:
        response = facilitator.api.get(export_path(seeded, fmt))
        assert response.status_code == 200, (fmt, response.text[:200])
        assert response.headers["content-disposition"].startswith(
            'attachment; filename="quarterly-planning-retro')


def test_the_format_is_required(facilitator: Facilitator, seeded: str) -> None:
    response = facilitator.api.get(f"/api/v1/workshops/{seeded}/export")
    assert response.status_code == 422
    assert "format" in response.json()["detail"]


def test_options_choose_activities_names_and_chat(facilitator: Facilitator,
                                                   seeded: str) -> None:
    full = facilitator.api.get(export_path(seeded)).json()
    activities = facilitator.api.get(f"/api/v1/workshops/{seeded}").json()["activities"]
    chosen = [activities[1]["id"], activities[5]["id"]]
    response = facilitator.api.get(
        f"/api/v1/workshops/{seeded}/export",
        params={"format": "json", "activity": chosen, "names": "false", "chat": "false"})
    assert response.status_code == 200, response.text
    document = response.json()
    assert [a["prompt"] for a in document["activities"]] == [
        full["activities"][1]["prompt"], full["activities"][5]["prompt"]]
    assert [a["ref"] for a in document["activities"]] == ["a1", "a2"]
    assert document["messages"] == []
    assert all(p["name"] is None for p in document["participants"])
    markdown = facilitator.api.get(export_path(seeded, "md", chat="false",
                                               summary="Three objectives agreed")).text
    assert "Appendix: chat" not in markdown
    assert "## Summary\n\nThree objectives agreed" in markdown


def test_an_unknown_activity_is_not_found(facilitator: Facilitator, seeded: str) -> None:
    response = facilitator.api.get(export_path(seeded, activity="nope"))
    assert response.status_code == 404


def test_a_curator_may_export(server: LiveServer, facilitator: Facilitator,
                              seeded: str) -> None:
    curator = server.add_facilitator()
    added = facilitator.api.post(f"/api/v1/workshops/{seeded}/cofacilitators",
                                 json={"email": curator.email, "role": "curator"})
    assert added.status_code == 201, added.text
    response = curator.api.get(export_path(seeded, "md"))
    assert response.status_code == 200


def test_who_may_not_export(server: LiveServer, facilitator: Facilitator,
                            seeded: str) -> None:
    code = query(server, "SELECT code FROM workshops WHERE id = ?", (seeded,))[0][0]
    participant = Participant(server, code, "Zoe")
    other = server.add_facilitator()
    nobody = client(server.base_url)
    for http, status in ((participant.client, 403), (other.api, 403), (nobody, 401)):
        response = http.get(export_path(seeded, "csv"))
        assert response.status_code == status, response.text
        assert "content-disposition" not in response.headers
    assert facilitator.api.get(export_path("no-such-workshop")).status_code == 404


# -- imports ----------------------------------------------------------------------------------
def test_import_creates_a_new_workshop_for_the_caller(server: LiveServer,
                                                     facilitator: Facilitator,
                                                     seeded: str) -> None:
    document = facilitator.api.get(export_path(seeded)).json()
    importer = server.add_facilitator()
    response = importer.api.post("/api/v1/workshops/import", json=document)
    assert response.status_code == 201, response.text
    created = response.json()
    assert {"id", "code", "join_url", "console_url"} <= set(created)
    assert created["id"] != seeded
    assert created["join_url"].endswith(f"/j/{created['code']}")
    assert created["console_url"].endswith(f"/console/{created['id']}")
    again = importer.api.get(export_path(created["id"])).json()
    assert {k: v for k, v in again.items() if k != "exported_at"} == {
        k: v for k, v in document.items() if k != "exported_at"}
    assert facilitator.api.get(f"/api/v1/workshops/{created['id']}").status_code == 403
    state = importer.api.get(f"/api/v1/workshops/{created['id']}").json()
    assert state["participant_count"] == 5


def test_a_plan_import_brings_the_agenda_only(server: LiveServer, facilitator: Facilitator,
                                              seeded: str) -> None:
    document = facilitator.api.get(export_path(seeded)).json()
    response = facilitator.api.post("/api/v1/workshops/import?plan_only=true", json=document)
    assert response.status_code == 201, response.text
    state = facilitator.api.get(f"/api/v1/workshops/{response.json()['id']}").json()
    assert state["participant_count"] == 0
    assert [a["prompt"] for a in state["activities"]] == [
        a["prompt"] for a in document["activities"]]
    assert {(a["state"], a["round"]) for a in state["activities"]} == {("draft", 1)}
    assert state["current_activity_id"] is None


def broken(document: dict[str, Any], case: str) -> Any:
    document = json.loads(json.dumps(document))
    if case == "format":
        document["format"] = "something-else"
    elif case == "version":
        document["version"] = 2
    elif case == "activities":
        document["activities"] = "all of them"
    elif case == "kind":
        document["activities"][0]["kind"] = "quiz"
    elif case == "ref":
        document["messages"][0]["participant"] = "p42"
    elif case == "list":
        return [document]
    return document


@pytest.mark.parametrize(("case", "message"), [
    ("format", 'This is not a workshop export: "format" must be "workshop".'),
    ("version", "unsupported export format version 2: this server reads version 1."),
    ("activities", "activities must be a list."),
    ("kind", "activities[0].kind: Unknown activity kind 'quiz'"),
    ("ref", "messages[0].participant: unknown participant ref 'p42'."),
    ("list", "The document must be an object."),
])
def test_a_malformed_import_is_refused_and_creates_nothing(
        server: LiveServer, facilitator: Facilitator, seeded: str, case: str,
        message: str) -> None:
    document = facilitator.api.get(export_path(seeded)).json()
    before = counts(server)
    response = facilitator.api.post("/api/v1/workshops/import", json=broken(document, case))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"].startswith(message)
    assert counts(server) == before


def test_an_import_that_is_not_json_is_refused(server: LiveServer,
                                               facilitator: Facilitator) -> None:
    before = counts(server)
    response = facilitator.api.post("/api/v1/workshops/import", content=b"{format: workshop",
                                    headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"] == "The request body is not valid JSON."
    assert counts(server) == before


def test_an_import_over_the_body_limit_is_413(server: LiveServer, facilitator: Facilitator,
                                              seeded: str) -> None:
    document = facilitator.api.get(export_path(seeded)).json()
    document["padding"] = "x" * server.settings.max_body_bytes
    before = counts(server)
    response = facilitator.api.post("/api/v1/workshops/import", json=document)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert counts(server) == before


def test_only_a_signed_in_facilitator_imports(server: LiveServer, facilitator: Facilitator,
                                              seeded: str) -> None:
    document = facilitator.api.get(export_path(seeded)).json()
    code = query(server, "SELECT code FROM workshops WHERE id = ?", (seeded,))[0][0]
    participant = Participant(server, code)
    before = counts(server)
    for http in (client(server.base_url), participant.client):
        response = http.post("/api/v1/workshops/import", json=document)
        assert response.status_code == 401, response.text
    assert counts(server) == before


def test_the_api_documents_exports(server: LiveServer) -> None:
    schema = client(server.base_url).get("/openapi.json").json()
    export = schema["paths"]["/api/v1/workshops/{workshop_id}/export"]["get"]
    imported = schema["paths"]["/api/v1/workshops/import"]["post"]
    assert export["tags"] == ["exports"] and imported["tags"] == ["exports"]
    assert {p["name"] for p in export["parameters"]} >= {"format", "activity", "names",
                                                         "chat", "summary"}
    assert "plan_only" in {p["name"] for p in imported["parameters"]}
    assert "413" in json.dumps(imported) or "64 KiB" in imported["description"]

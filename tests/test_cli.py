"""The real `workshop export` and `workshop import` commands (`python -m workshop` in a
subprocess) on a temporary SQLite file, configured like any deployment through
WORKSHOP_DATABASE_URL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.exporters.seed import NAMES, PASSWORD, seed_full_workshop
from workshop.services.container import open_services
from workshop.settings import Settings

OWNER = "owner@example.org"


class Cli:
    def __init__(self, tmp_path: Path) -> None:
        self.cwd = tmp_path
        self.settings = Settings(database_url=f"sqlite:///{tmp_path / 'workshop.db'}")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
        self.env["WORKSHOP_DATABASE_URL"] = self.settings.database_url
        self.env["WORKSHOP_PUBLIC_URL"] = "https://workshop.example.org"

    def __call__(self, *args: str, stdin: str | None = None, ok: bool = True
                 ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "workshop", *args], cwd=self.cwd,
                              env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=120, check=False)
        if ok:
            assert done.returncode == 0, done.stderr
        return done

    def run(self, coro: Any) -> Any:
        return asyncio.run(coro)

    def seed(self, anonymity: str = "named") -> str:
        async def go() -> str:
            async with open_services(self.settings) as services:
                return await seed_full_workshop(services, owner_email=OWNER,
                                                anonymity=anonymity)

        workshop_id: str = self.run(go())
        return workshop_id

    def code_of(self, workshop_id: str) -> str:
        async def go() -> str:
            async with open_services(self.settings) as services:
                return (await services.workshops.load(workshop_id)).code

        code: str = self.run(go())
        return code

    def workshop_count(self) -> int:
        async def go() -> int:
            async with open_services(self.settings) as services:
                row = await services.store.db.fetch_one("SELECT COUNT(*) AS n FROM workshops")
                return int(row["n"]) if row else 0

        count: int = self.run(go())
        return count


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def test_export_by_id_or_join_code(cli: Cli) -> None:
    workshop_id = cli.seed()
    done = cli("export", workshop_id, "--format", "md", "-o", "by-id.md")
    assert done.stdout.startswith("Wrote by-id.md (")
    by_id = (cli.cwd / "by-id.md").read_text("utf-8")
    assert by_id.startswith("# Quarterly planning retro\n")
    code = cli.code_of(workshop_id)
    cli("export", f"{code[:3]} {code[3:]}", "--format", "md", "-o", "by-code.md")
    masked = [re.sub(r"Exported from workshop, .*", "", text) for text in
              (by_id, (cli.cwd / "by-code.md").read_text("utf-8"))]
    assert masked[0] == masked[1]


def test_export_writes_the_file_name_of_the_format(cli: Cli) -> None:
    workshop_id = cli.seed()
    cli("export", workshop_id, "--format", "csv")
    cli("export", workshop_id, "--format", "xlsx")
    assert (cli.cwd / "quarterly-planning-retro-answers.csv").stat().st_size > 1000
    assert (cli.cwd / "quarterly-planning-retro.xlsx").read_bytes()[:2] == b"PK"


def test_export_to_standard_output_without_names_or_chat(cli: Cli) -> None:
    workshop_id = cli.seed()
    named = cli("export", workshop_id, "--format", "csv", "-o", "-").stdout
    assert "Chloé" in named
    done = cli("export", workshop_id, "--format", "csv", "-o", "-", "--no-names")
    rows = list(csv.reader(io.StringIO(done.stdout.lstrip("\ufeff"))))
    assert len(rows) == 38
    for name in filter(None, NAMES):
        assert not re.search(rf"\b{name}\b", done.stdout), name
    markdown = cli("export", workshop_id, "--format", "md", "-o", "-", "--no-chat").stdout
    assert "Appendix: chat" not in markdown and "## Insights" in markdown


def test_json_export_then_import_copies_the_workshop(cli: Cli) -> None:
    workshop_id = cli.seed()
    cli("export", workshop_id, "--format", "json", "-o", "original.json")
    original = json.loads((cli.cwd / "original.json").read_text("utf-8"))
    done = cli("import", "original.json")  # the only facilitator owns it
    assert f"imported for {OWNER}" in done.stdout
    new_id = re.search(r"id:\s+(\w+)", done.stdout)
    code = re.search(r"\(code (\d{6})\)", done.stdout)
    assert new_id and code
    assert f"join:      https://workshop.example.org/j/{code[1]}" in done.stdout
    assert new_id[1] != workshop_id
    cli("export", code[1], "--format", "json", "-o", "copy.json")
    copy = json.loads((cli.cwd / "copy.json").read_text("utf-8"))
    assert without_time(copy) == without_time(original)
    assert cli.workshop_count() == 2


def test_plan_only_import_from_standard_input(cli: Cli) -> None:
    workshop_id = cli.seed()
    cli("facilitator", "add", "second@example.org", "--password-stdin", stdin=PASSWORD)
    document = cli("export", workshop_id, "--format", "json", "-o", "-").stdout
    done = cli("import", "-", "--plan-only", "--email", "Second@Example.org",
               stdin=document)
    assert done.stdout.startswith("Plan “Quarterly planning retro” imported for "
                                  "second@example.org")
    new_id = re.search(r"id:\s+(\w+)", done.stdout)
    assert new_id
    plan = json.loads(cli("export", new_id[1], "--format", "json", "-o", "-").stdout)
    assert plan["participants"] == [] and plan["messages"] == []
    assert len(plan["activities"]) == 9
    assert all(a["responses"] == [] and a["state"] == "draft" for a in plan["activities"])


@pytest.mark.parametrize(("args", "message"), [
    (("export", "nope", "--format", "md"), "No workshop has the id or join code nope."),
    (("export", "{id}", "--format", "md", "--activity", "nope"),
     "This workshop has no activity with that id."),
    (("export", "{id}", "--format", "md", "-o", "no/such/dir/out.md"),
     "Cannot write no/such/dir/out.md: No such file or directory."),
    (("import", "missing.json"), "Cannot read missing.json"),
    (("import", "not-json.txt"), "not-json.txt is not a JSON document"),
    (("import", "v2.json"), "unsupported export format version 2"),
    (("import", "original.json", "--email", "nobody@example.org"),
     "No facilitator has the email nobody@example.org."),
])
def test_refusals_are_clear(cli: Cli, args: tuple[str, ...], message: str) -> None:
    workshop_id = cli.seed()
    cli("export", workshop_id, "--format", "json", "-o", "original.json")
    document = json.loads((cli.cwd / "original.json").read_text("utf-8"))
    (cli.cwd / "v2.json").write_text(json.dumps({**document, "version": 2}), "utf-8")
    (cli.cwd / "not-json.txt").write_text("title: retro\n", "utf-8")
    done = cli(*(a.replace("{id}", workshop_id) for a in args), ok=False)
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {message}"), done.stderr
    assert cli.workshop_count() == 1


def test_import_needs_an_owner_when_there_are_several(cli: Cli) -> None:
    workshop_id = cli.seed()
    cli("export", workshop_id, "--format", "json", "-o", "original.json")
    cli("facilitator", "add", "second@example.org", "--password-stdin", stdin=PASSWORD)
    done = cli("import", "original.json", ok=False)
    assert done.returncode == 1
    assert done.stderr == ("error: Give --email of the facilitator who will own the "
                           "workshop.\n")
    assert cli.workshop_count() == 1


def test_an_unknown_format_is_a_usage_error(cli: Cli) -> None:
    done = cli("export", "123456", "--format", "docx", ok=False)
    assert done.returncode == 2
    assert "invalid choice: 'docx'" in done.stderr

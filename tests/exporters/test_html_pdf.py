"""The HTML and PDF write-ups: a golden file, every question and insight in the PDF,
participant text never becomes markup, and names only where they may appear.

Regenerate the golden after an intended change of the page:
    UPDATE_GOLDEN=1 .venv/bin/pytest tests/exporters/test_html_pdf.py
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import os
import re
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.exporters.seed import BASE_TIME, TITLE, fix_times, seed_full_workshop, utc_timezone
from workshop.auth.actors import FacilitatorActor, ParticipantActor
from workshop.domain.flow import Action
from workshop.exporters import pdf as pdf_module
from workshop.exporters.html import render_html
from workshop.exporters.pdf import html_to_pdf
from workshop.exporters.registry import exporter_for
from workshop.exporters.writeup import ExportOptions, WriteUp, build_writeup
from workshop.live.memory import MemoryHub
from workshop.services.container import Services
from workshop.storage import open_store

GOLDEN = Path(__file__).parent / "golden" / "writeup.html"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
NAMES = re.compile(r"\b(Ana|Ben|Chloé|Dev)\b")


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    store = await open_store(f"sqlite:///{tmp_path / 'workshop.db'}")
    hub = MemoryHub()
    await hub.connect()
    try:
        yield Services.build(store, hub)
    finally:
        await hub.close()
        await store.close()


@pytest.fixture
def utc() -> Iterator[None]:
    with utc_timezone():
        yield


async def stable_writeup(services: Services, **options: Any) -> WriteUp:
    workshop_id = await seed_full_workshop(services)
    await fix_times(services.store, workshop_id)
    writeup = await build_writeup(services, workshop_id, ExportOptions(**options))
    return dataclasses.replace(writeup, generated_at=BASE_TIME + 86400)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


async def test_html_matches_the_golden_file(services: Services, utc: None) -> None:
    writeup = await stable_writeup(
        services, summary="We agreed to pilot outcome-based key results.")
    html = render_html(writeup)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(html, "utf-8")
    assert GOLDEN.exists(), "no golden yet: run with UPDATE_GOLDEN=1"
    assert html == GOLDEN.read_text("utf-8"), (
        "the HTML write-up changed; if intended, regenerate with UPDATE_GOLDEN=1")


async def test_html_is_one_standalone_document(services: Services, utc: None) -> None:
    writeup = await stable_writeup(services)
    html = render_html(writeup)
    assert html.startswith("<!doctype html>")
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'(src|href)="(?!https://example\.org/|#)', html), (
        "only the workshop's own resource links and in-page anchors")
    assert "@page" in html and "@media print" in html and "break-before: page" in html
    assert TITLE in html and writeup.date in html
    for poll in writeup.polls:
        assert poll.activity.prompt in html
    # one chart per poll with answers, except open text and the word cloud (a word list)
    assert html.count("<svg") == 6
    assert 'class="cloud"' in html
    assert html.count("<table>") == 7  # the numbers beside every chart
    assert '<ol class="insights">' in html and "<ol>" in html  # nested sub-points
    assert '<span class="num">1.1</span>' in html and '<span class="num">2.1</span>' in html
    assert 'id="chat"' in html and "Can we get the slides afterwards?" in html
    assert "Make delivery dates something people can trust" in html
    assert "Raise on-time milestones from 60% to 85%" in html
    assert "Stop starting, start finishing" not in html  # hidden by the facilitator


async def test_the_public_flavour_is_not_indexed(services: Services, utc: None) -> None:
    writeup = await stable_writeup(services)
    assert 'name="robots" content="noindex' in render_html(writeup, public=True)
    assert "robots" not in render_html(writeup)


async def test_registry_exports_html_and_pdf(services: Services) -> None:
    workshop_id = await seed_full_workshop(services)
    html = await exporter_for("html").export(services, workshop_id, ExportOptions())
    assert html.filename == "quarterly-planning-retro.html"
    assert html.media_type == "text/html; charset=utf-8"
    assert TITLE.encode() in html.content
    pdf = await exporter_for("pdf").export(services, workshop_id, ExportOptions())
    assert pdf.filename == "quarterly-planning-retro.pdf"
    assert pdf.media_type == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


async def test_pdf_has_every_question_and_insight_on_a4_pages(services: Services) -> None:
    workshop_id = await seed_full_workshop(services)
    exported = await exporter_for("pdf").export(services, workshop_id, ExportOptions())
    reader = PdfReader(io.BytesIO(exported.content))
    assert len(reader.pages) > 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = text_of(exported.content)
    writeup = await build_writeup(services, workshop_id, ExportOptions())
    for poll in writeup.polls:
        assert poll.activity.prompt in text
    for board in writeup.boards:
        assert board.activity.prompt in text
    insights = [n.insight.text for n in writeup.insights]
    insights += [c.insight.text for n in writeup.insights for c in n.children]
    assert len(insights) == 6
    for insight in insights:
        assert " ".join(insight.split()) in text
    assert f"Page 1 of {len(reader.pages)}" in text


class _BusyPrinters:
    """Holds every printer slot, so a PDF export must wait for one; `free()` once. A
    timer frees them anyway after a minute, so a regression fails instead of hanging."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held = 0
        while pdf_module._PRINTERS.acquire(blocking=False):
            self.held += 1
        self.timer = threading.Timer(60, self.free)
        self.timer.daemon = True
        self.timer.start()

    def free(self) -> None:
        with self.lock:
            while self.held:
                pdf_module._PRINTERS.release()
                self.held -= 1


def _printing_thread_started() -> bool:
    return any(t.name.startswith("asyncio_") for t in threading.enumerate())


async def test_printing_waits_off_the_event_loop(services: Services) -> None:
    """While a PDF waits for (or uses) a printer, the live session keeps running."""
    workshop_id = await seed_full_workshop(services)
    busy = _BusyPrinters()
    try:
        task = asyncio.create_task(
            exporter_for("pdf").export(services, workshop_id, ExportOptions()))
        while not _printing_thread_started() and not task.done():
            await asyncio.sleep(0.01)
        assert not task.done(), "the PDF was printed on the event loop"
        # the loop is free: other requests are served while the export waits
        assert await services.store.count_participants(workshop_id) == 5
        assert not task.done()
    finally:
        busy.free()
        busy.timer.cancel()
    exported = await task
    assert exported.content.startswith(b"%PDF-")


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_printing_never_fetches_anything() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        html = (f'<html><head><link rel="stylesheet" href="{base}/style.css"></head>'
                f'<body><p>Hello</p><img src="{base}/pixel.png"></body></html>')
        pdf = html_to_pdf(html)
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF-")
    assert _Recorder.hits == []


# -- participant text stays text ----------------------------------------------------------
async def hostile_workshop(services: Services, *, anonymity: str = "named") -> str:
    """Every place a participant (or the facilitator) can type holds markup."""
    email = f"host-{uuid.uuid4().hex[:6]}@example.org"
    owner = FacilitatorActor((await services.accounts.add_facilitator(
        email, "correct horse battery")).id)
    workshop = await services.workshops.create(owner, {
        "title": f"Retro {SCRIPT}", "description": f"About {IMG}",
        "slides_url": "https://example.org/deck?a=1&b=<script>"})
    wid = workshop.id
    await services.chat.update_settings(owner, wid, {"anonymity": anonymity})
    evil = ParticipantActor((await services.polls.join(workshop, "d1", f"Eve{SCRIPT}")).id,
                            wid)
    other = ParticipantActor((await services.polls.join(workshop, "d2", f"Mal{IMG}")).id,
                             wid)
    choice = await services.workshops.add_activity(owner, wid, {
        "kind": "single_choice", "prompt": f"Pick {SCRIPT}", "options": [IMG, "Plain"]})
    text = await services.workshops.add_activity(owner, wid, {
        "kind": "open_text", "prompt": "Say something"})
    words = await services.workshops.add_activity(owner, wid, {
        "kind": "word_cloud", "prompt": "One word"})
    placement = await services.workshops.add_activity(owner, wid, {
        "kind": "placement", "prompt": "Place", "options": [SCRIPT, "Other"],
        "settings": {"x_label": IMG, "y_label": SCRIPT}})
    board = await services.workshops.add_activity(owner, wid, {
        "kind": "objectives", "prompt": f"Objectives {IMG}"})
    for activity, value in ((choice, choice.options[0].id), (text, f"{SCRIPT} and {IMG}"),
                            (words, ["<b>bold</b>"]),
                            (placement, {placement.options[0].id: [2, 3],
                                         placement.options[1].id: [4, 4]})):
        await services.polls.act(owner, wid, activity.id, Action.OPEN)
        for who in (evil, other):
            await services.polls.respond(who, wid, activity.id, value, uuid.uuid4().hex)
    await services.polls.act(owner, wid, board.id, Action.OPEN)
    objective, _ = await services.objectives.submit(evil, wid, board.id, {
        "text": f"Win {SCRIPT}", "key_results": [
            {"text": f"KR {IMG}", "metric": SCRIPT, "baseline": IMG, "target": SCRIPT,
             "unit": IMG, "due": SCRIPT}]}, uuid.uuid4().hex)
    await services.objectives.set_theme(owner, wid, board.id, objective.id, f"T{SCRIPT}")
    message, _ = await services.chat.post(evil, wid, {"text": f"Hi {SCRIPT}",
                                                      "question": True}, uuid.uuid4().hex)
    await services.chat.post(other, wid, {"text": f"Re {IMG}", "reply_to": message.id},
                             uuid.uuid4().hex)
    parent = await services.insights.create(owner, wid, {"text": f"Insight {SCRIPT}"})
    await services.insights.create(owner, wid, {"text": f"Sub {IMG}",
                                                "parent_id": parent.insight.id})
    return wid


def assert_inert(html: str) -> None:
    assert SCRIPT not in html and IMG not in html
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;lt;" not in html  # escaped once, not twice


async def test_participant_text_is_escaped_everywhere(services: Services) -> None:
    workshop_id = await hostile_workshop(services)
    options = ExportOptions(summary=f"Summary {SCRIPT}")
    html = render_html(await build_writeup(services, workshop_id, options))
    assert_inert(html)
    for needle in ("Eve&lt;script&gt;", "Win &lt;script&gt;", "Hi &lt;script&gt;",
                   "Re &lt;img", "Insight &lt;script&gt;", "Sub &lt;img",
                   "Summary &lt;script&gt;", "KR &lt;img", "T&lt;script&gt;"):
        assert needle in html, needle
    assert 'href="https://example.org/deck?a=1&amp;b=&lt;script&gt;"' in html
    pdf = await exporter_for("pdf").export(services, workshop_id, options)
    assert "Hi <script>alert(1)</script>" in text_of(pdf.content)  # shown, as text


# -- anonymity ------------------------------------------------------------------------------
async def test_names_appear_only_when_asked_and_allowed(services: Services) -> None:
    named = await seed_full_workshop(services)
    shown = render_html(await build_writeup(services, named, ExportOptions()))
    assert NAMES.search(shown), "the named write-up shows names (control)"
    hidden = render_html(await build_writeup(services, named,
                                             ExportOptions(include_names=False)))
    assert NAMES.findall(hidden) == []
    anonymous = await seed_full_workshop(services, anonymity="anonymous")
    for include_names in (True, False):
        html = render_html(await build_writeup(
            services, anonymous, ExportOptions(include_names=include_names)))
        assert NAMES.findall(html) == []


async def test_hostile_names_stay_out_when_anonymous(services: Services) -> None:
    workshop_id = await hostile_workshop(services, anonymity="anonymous")
    html = render_html(await build_writeup(services, workshop_id, ExportOptions()))
    assert "Eve" not in html and "Mal" not in html
    assert_inert(html)

"""The facilitator downloads the HTML write-up from the console's export panel, then opens
the downloaded file in the browser, straight from disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser.conftest import sign_in
from tests.support import Facilitator, LiveServer, Participant

pytestmark = pytest.mark.browser

TITLE = "Download day retro"
PROMPT = "Which format do you read first?"


def test_download_the_html_writeup_and_open_it(
        facilitator: Facilitator, server: LiveServer, tmp_path: Path,
        new_context: Callable[..., BrowserContext]) -> None:
    workshop = facilitator.create_workshop(TITLE)
    wid = workshop["id"]
    poll = facilitator.add_activity(wid, "single_choice", PROMPT, ["PDF", "HTML", "Paper"])
    facilitator.act(wid, poll["id"], "open")
    code = facilitator.api.get(f"/api/v1/workshops/{wid}").json()["code"]
    voter = Participant(server, code, "Reader")
    assert voter.respond(poll["id"], poll["options"][1]["id"]).status_code == 201

    context = new_context()
    console = sign_in(context, facilitator)
    console.goto(f"/console/{wid}")
    console.get_by_text("Export the write-up").click()
    panel = console.locator("#export-panel")
    expect(panel.get_by_label(f"1. {PROMPT}")).to_be_checked()
    with console.expect_download() as started:
        panel.get_by_role("button", name="HTML", exact=True).click()
    download = started.value
    assert download.suggested_filename == "download-day-retro.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert "<script" not in saved.read_text("utf-8")

    document = context.new_page()
    document.goto(saved.as_uri())
    expect(document.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(document.get_by_role("heading", name=PROMPT)).to_be_visible()
    expect(document.get_by_role("img", name=f"Votes per option: {PROMPT}")).to_be_visible()
    expect(document.locator("table").first).to_contain_text("HTML")

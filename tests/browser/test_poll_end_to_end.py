"""A poll run end to end in real browsers: a facilitator's console and two phones.

Everything the people see arrives over the pages' WebSockets: no test reloads a page
after it has loaded, and every wait is bounded (Playwright's expect / wait_for).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import TIMEOUT_MS, join, off_loop, sign_in
from tests.support import Facilitator, LiveServer, free_port, serve
from workshop.services.container import open_services
from workshop.settings import Settings

pytestmark = pytest.mark.browser

PROMPT = "How often does your PMO set goals?"
OPTIONS = ["Every quarter", "Twice a year", "Once a year", "Not formally"]

NewContext = Callable[..., BrowserContext]


def add_poll_from_console(console: Page, prompt: str, options: list[str]) -> str:
    """Use the console's "Add activity" form; return the new activity's id."""
    form = console.locator("details.add-activity")
    if form.get_attribute("open") is None:
        console.get_by_text("+ Add activity").click()
    console.get_by_label("Kind").select_option(label="Single choice")
    console.get_by_label("Question").fill(prompt)
    console.get_by_label("Options").fill("\n".join(options))
    with console.expect_navigation():
        console.get_by_role("button", name="Add to agenda").click()
    item = console.locator("#agenda .agenda-item", has_text=prompt)
    expect(item).to_have_count(1)
    activity_id = item.get_attribute("data-activity-id")
    assert activity_id
    return activity_id


def bar_count(page: Page, label: str) -> Any:
    """The vote count shown next to one option in a page's #results."""
    row = page.locator("#results .bar-row").filter(
        has=page.locator(".bar-label", has_text=re.compile(f"^{re.escape(label)}$")))
    return row.locator(".bar-value strong")


def vote(phone: Page, label: str) -> None:
    phone.locator("#stage label.choice", has_text=label).click()
    expect(phone.locator("#stage label.choice", has_text=label).locator("input")).to_be_checked()
    phone.locator("#stage form.vote-form button[type=submit]").click()
    received = phone.locator("#stage .received")
    expect(received).to_contain_text("Vote received")
    expect(received).to_contain_text(f"You said: {label}")


def test_single_choice_poll_end_to_end(server: LiveServer, facilitator: Facilitator,
                                       new_context: NewContext) -> None:
    title = "OKR goal setting for the PMO community"
    workshop = facilitator.create_workshop(title)
    wid, code = workshop["id"], workshop["code"]

    console = sign_in(new_context(), facilitator)
    console.goto(f"/console/{wid}")
    expect(console.locator("#console-title")).to_have_text(title)

    alice = join(new_context(phone=True), code, "Alice")
    bob = join(new_context(phone=True), code, "Bob")
    expect(alice.locator(".participant-header .who")).to_have_text("Alice")
    expect(console.locator("#participant-count strong")).to_have_text("2")

    # The facilitator adds the poll, puts it on screen and opens voting.
    activity_id = add_poll_from_console(console, PROMPT, OPTIONS)
    item = console.locator(f'#agenda .agenda-item[data-activity-id="{activity_id}"]')
    item.get_by_role("button", name=re.compile("on screen")).click()
    stage = console.locator(f'#stage[data-activity-id="{activity_id}"]')
    expect(stage).to_have_attribute("data-state", "draft")
    expect(stage.locator(".stage-prompt")).to_have_text(PROMPT)
    for phone in (alice, bob):  # on screen but not open yet: no form
        expect(phone.locator("#stage .prompt")).to_have_text(PROMPT)
        expect(phone.locator("#stage .notice")).to_have_text("Voting opens in a moment.")
    stage.get_by_role("button", name="Open voting").click()
    expect(stage).to_have_attribute("data-state", "open")

    # Both phones get the poll without a reload.
    for phone in (alice, bob):
        expect(phone.locator('#stage input[type="radio"]')).to_have_count(len(OPTIONS))
        expect(phone.locator("#stage label.choice")).to_have_text(OPTIONS)

    vote(alice, "Every quarter")
    expect(console.locator('#results[data-total="1"]')).to_be_attached()
    vote(bob, "Once a year")

    results = console.locator(f'#results[data-activity-id="{activity_id}"][data-total="2"]')
    expect(results).to_be_attached()
    expect(results.locator(".total")).to_contain_text("2 answers")
    expect(bar_count(console, "Every quarter")).to_have_text("1")
    expect(bar_count(console, "Once a year")).to_have_text("1")

    # Bob changes his mind: the total stays 2, the counts move.
    expect(bob.locator("#stage form.vote-form button[type=submit]")).to_have_text(
        "Update my answer")
    vote(bob, "Every quarter")
    expect(bar_count(console, "Every quarter")).to_have_text("2")
    expect(bar_count(console, "Once a year")).to_have_text("0")
    expect(console.locator("#results")).to_have_attribute("data-total", "2")
    assert facilitator.results(wid, activity_id)["total"] == 2

    # Closing voting reaches the phones without a reload.
    stage.get_by_role("button", name="Close voting").click()
    expect(stage).to_have_attribute("data-state", "closed")
    for phone in (alice, bob):
        expect(phone.locator("#stage .notice")).to_have_text("Voting is closed.")
        expect(phone.locator('#stage input[type="radio"]')).to_have_count(0)
        expect(phone.locator("#stage .received")).to_contain_text("Your answer is in.")

    # Results are visible by default: the phones show them; hiding them reaches the phones.
    expect(alice.locator("#results")).to_be_visible()
    expect(alice.locator("#results")).to_have_attribute("data-total", "2")
    expect(bar_count(alice, "Every quarter")).to_have_text("2")
    stage.get_by_role("button", name="Hide results").click()
    for phone in (alice, bob):
        expect(phone.locator("#results")).to_be_hidden()
    expect(alice.locator("#stage .notice")).to_have_text("Voting is closed.")


def test_console_controls_follow_hide_and_reveal(server: LiveServer, facilitator: Facilitator,
                                                 new_context: NewContext) -> None:
    workshop = facilitator.create_workshop("PMO retrospective")
    poll = facilitator.add_activity(workshop["id"], "single_choice", PROMPT, OPTIONS)
    facilitator.show(workshop["id"], poll["id"])
    console = sign_in(new_context(), facilitator)
    console.goto(f"/console/{workshop['id']}")
    stage = console.locator(f'#stage[data-activity-id="{poll["id"]}"]')
    stage.get_by_role("button", name="Hide results").click()
    expect(stage.get_by_role("button", name="Reveal results")).to_be_visible(timeout=3000)


# -- reconnecting ---------------------------------------------------------------------


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A server of this test's own, which the test may stop and start again."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'workshop.db'}",
                        port=free_port(), tick_ms=50, secret_key="test-secret-key")
    holder: dict[str, Any] = {"settings": settings}
    cm = serve(settings)
    holder["live"] = cm.__enter__()
    holder["cm"] = cm
    try:
        yield holder
    finally:
        if holder["cm"] is not None:
            holder["cm"].__exit__(None, None, None)


def test_reconnecting_badge_shows_while_the_server_is_away_and_page_heals(
        own_server: dict[str, Any], new_context: NewContext) -> None:
    live: LiveServer = own_server["live"]
    facilitator = off_loop(live.add_facilitator)
    workshop = facilitator.create_workshop("PMO quarterly planning")
    poll = facilitator.add_activity(workshop["id"], "single_choice", PROMPT, OPTIONS)
    facilitator.act(workshop["id"], poll["id"], "open")

    phone = new_context(phone=True, base_url=live.base_url)
    # Count the ws extension's open events (listening only; nothing is changed).
    phone.add_init_script("document.addEventListener('htmx:wsOpen', () => {"
                          " window.wsOpens = (window.wsOpens || 0) + 1; });")
    page = join(phone, workshop["code"], "Carol")
    page.wait_for_function("window.wsOpens === 1")
    badge = page.locator("#connection-status")
    expect(badge).to_be_hidden()
    expect(page.locator("#stage .waiting")).to_be_visible()

    # The server goes away (as in a restart): the page says it is reconnecting.
    own_server["cm"].__exit__(None, None, None)
    own_server["cm"] = None
    expect(badge).to_be_visible()
    expect(badge).to_have_text("Reconnecting…")

    # While the page cannot hear anything, the facilitator puts the poll on screen.
    async def show_poll() -> None:
        async with open_services(own_server["settings"]) as services:
            actor = await services.accounts.actor_for_token(facilitator.token)
            assert actor is not None
            await services.workshops.set_current(actor, workshop["id"], poll["id"])

    off_loop(live.run, show_poll())

    # The server comes back: the page reconnects by itself, the badge goes, and the
    # state replayed on connect brings the poll that was missed.
    cm = serve(own_server["settings"])
    cm.__enter__()
    own_server["cm"] = cm
    expect(badge).to_be_hidden(timeout=3 * TIMEOUT_MS)
    assert page.evaluate("window.wsOpens") >= 2, "the page did not open a new socket"
    expect(page.locator('#stage input[type="radio"]')).to_have_count(len(OPTIONS))
    expect(page.locator("#stage .prompt")).to_have_text(PROMPT)

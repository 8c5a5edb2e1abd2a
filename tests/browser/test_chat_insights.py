"""Chat, Q&A and insights in real browsers: two phones, the console and the presenter.

The participants chat and ask a question that gets upvoted; the facilitator keeps two
remarks as insights, nests one under the other and shows them on the presenter screen.
Every update arrives over the pages' WebSockets (no reloads); every wait is bounded.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.conftest import join, sign_in
from tests.support import Facilitator, LiveServer

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]

ALICE_REMARK = "Our key results were task lists until we asked what changes for the client."
BOB_REMARK = "Two objectives per team is plenty: the third one never gets attention."
QUESTION = "How often should a PMO check in on key results?"
MARKUP = "Keep it <b>bold</b> but measurable"


def send(phone: Page, text: str, *, question: bool = False) -> None:
    """Post through the chat form like a person; wait until the form came back fresh."""
    form = phone.locator("#chat-form")
    form.locator("#chat-text").fill(text)
    if question:
        form.get_by_label("Ask as a question").check()
    form.get_by_role("button", name="Send").click()
    expect(phone.locator("#chat-text")).to_have_value("")
    expect(phone.locator("#chat-form").get_by_label("Ask as a question")).not_to_be_checked()


def message(page: Page, text: str) -> Locator:
    """The chat item (participant or console) whose text is exactly `text`."""
    return page.locator("#chat li[data-message-id]").filter(
        has=page.locator(".chat-text", has_text=text))


def test_chat_questions_and_insights_reach_every_screen_live(
        server: LiveServer, facilitator: Facilitator, new_context: NewContext) -> None:
    workshop = facilitator.create_workshop("PMO retrospective: our first OKR quarter")
    wid, code = workshop["id"], workshop["code"]

    console = sign_in(new_context(), facilitator)
    console.goto(f"/console/{wid}")
    presenter = console.context.new_page()  # the facilitator's own presenter tab
    presenter.goto(f"/present/{wid}")
    console.bring_to_front()  # a background tab's clicks wait on throttled frames
    alice = join(new_context(phone=True), code, "Alice")
    bob = join(new_context(phone=True), code, "Bob")
    for phone in (alice, bob):
        expect(phone.locator("#chat .chat-list .empty")).to_have_text("No messages yet. Say hello!")

    # Each sees the other's message appear, without a reload.
    send(alice, ALICE_REMARK)
    expect(message(bob, ALICE_REMARK).locator(".chat-meta strong")).to_have_text("Alice")
    send(bob, BOB_REMARK)
    expect(message(alice, BOB_REMARK).locator(".chat-meta strong")).to_have_text("Bob")
    expect(alice.locator("#chat .chat-list .chat-text")).to_have_text(
        [ALICE_REMARK, BOB_REMARK])
    expect(console.locator("#chat")).to_have_attribute("data-total", "2")

    # Markup in a message is shown as the characters typed, never as markup.
    send(bob, MARKUP)
    shown = message(alice, MARKUP).locator(".chat-text")
    expect(shown).to_have_text(MARKUP)
    expect(shown.locator("b")).to_have_count(0)
    expect(message(console, MARKUP).locator(".chat-text b")).to_have_count(0)

    # Alice asks a question; Bob upvotes it; Alice's count follows live.
    send(alice, QUESTION, question=True)
    expect(alice.locator("#chat-form .received")).to_have_text("Question sent.")
    asked = bob.locator("#chat .question-list li[data-message-id]")
    expect(asked).to_have_count(1)
    expect(asked.locator(".pill.question")).to_have_text("Question")
    expect(asked.locator(".upvote .count")).to_have_text("0")
    asked.get_by_role("button", name=f"Upvote: {QUESTION}").click()
    expect(asked).to_have_class(r"chat-message is-question upvoted")
    expect(asked.locator(".upvote")).to_be_disabled()
    on_alice = alice.locator("#chat .question-list li[data-message-id]")
    expect(on_alice).to_have_attribute("data-upvotes", "1")
    expect(on_alice.locator(".upvote .count")).to_have_text("1")
    expect(console.locator("#chat .questions li[data-message-id] .pill.question")).to_have_text(
        "▲ 1")

    # The facilitator keeps two remarks as insights with ★ …
    insights = console.locator("#insights li[data-insight-id]")
    message(console, ALICE_REMARK).get_by_role("button", name="★ Keep as insight").click()
    expect(insights).to_have_count(1)
    message(console, BOB_REMARK).get_by_role("button", name="★ Keep as insight").click()
    expect(insights).to_have_count(2)
    expect(insights.locator(".insight-text")).to_have_text([ALICE_REMARK, BOB_REMARK])
    expect(insights.first.locator(".provenance")).to_contain_text("From message by Alice")
    second = insights.nth(1)
    second_id = second.get_attribute("data-insight-id")
    expect(second).to_have_attribute("data-position", "2")

    # … nests the second under the first …
    second.get_by_role("button", name="Nest insight 2 under the one above").click()
    nested = console.locator(f'#insights li[data-insight-id="{second_id}"]')
    expect(nested).to_have_attribute("data-position", "1.1")
    expect(nested).to_have_class("insight sub")
    expect(console.locator("#insights .insight-list > li.insight")).to_have_count(1)

    # … and puts them on the presenter screen, which follows without a reload.
    expect(presenter.locator("#presenter-title")).to_have_text(
        "PMO retrospective: our first OKR quarter")
    console.get_by_text("Chat, presenter and team settings").click()
    console.get_by_role("button", name="Presenter: show the insights").click()
    stage = presenter.locator("#stage.insights-stage")
    expect(stage).to_have_attribute("data-total", "1")
    top = stage.locator('li[data-position="1"]')
    sub = stage.locator('li[data-position="1.1"]')
    expect(top.locator(".insight-number").first).to_have_text("1")
    expect(top.locator(".insight-text").first).to_have_text(ALICE_REMARK)
    expect(sub.locator(".insight-number")).to_have_text("1.1")
    expect(sub.locator(".insight-text")).to_have_text(BOB_REMARK)
    expect(stage.locator("li[data-insight-id]")).to_have_count(2)


def test_console_presenter_toggle_follows_the_switch_live(
        server: LiveServer, facilitator: Facilitator, new_context: NewContext) -> None:
    workshop = facilitator.create_workshop("PMO retrospective")
    console = sign_in(new_context(), facilitator)
    console.goto(f"/console/{workshop['id']}")
    console.get_by_text("Chat, presenter and team settings").click()
    with console.expect_response(lambda r: r.url.endswith("/presenter/insights")) as answer:
        console.get_by_role("button", name="Presenter: show the insights").click()
    assert answer.value.status == 204
    # Attached, not visible: a re-rendered settings block comes back folded.
    expect(console.get_by_role("button", name="Presenter: back to the activity",
                               include_hidden=True)).to_be_attached(timeout=3000)

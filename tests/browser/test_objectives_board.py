"""An objectives board run in real browsers: a facilitator's console and two phones.

Two participants draft objectives with key results in the phone form (autosaved as they
type, with live hints), submit them, and the facilitator's wall follows without a
reload; then dot voting reorders the wall. Every wait is bounded (expect / wait_for).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from tests.browser.conftest import join, sign_in
from tests.support import Facilitator, LiveServer

pytestmark = pytest.mark.browser

NewContext = Callable[..., BrowserContext]

PROMPT = "What should our PMO achieve next quarter?"
ALICE_OBJECTIVE = "Make project delivery predictable for every client"
ALICE_KR = "Raise on-time milestones from 62% to 85% by end of Q3"
BOB_FIRST_TRY = "Hit 90% on-time delivery"
BOB_OBJECTIVE = "Make portfolio reporting effortless for programme leads"
BOB_WEAK_KR = "Launch a dashboard"
BOB_KR = "Cut time spent on monthly reporting from 5 days to 2 days"


def is_draft_save(response: Response) -> bool:
    return response.request.method == "PUT" and response.url.endswith("/draft")


def saves(field: str, value: str) -> Callable[[Response], bool]:
    """A predicate for the autosave that carried `field` = `value` (the last keystroke)."""
    def check(response: Response) -> bool:
        if not is_draft_save(response):
            return False
        sent = response.request.post_data_json or {}
        return bool(sent.get(field) == value)
    return check


def draft(phone: Page, objective: str, key_result: str) -> None:
    """Type an objective and its first key result; wait until the autosave went out."""
    phone.locator("#objective-text").fill(objective)
    with phone.expect_response(saves("kr-0-text", key_result)) as saved:
        phone.locator("#kr-0-text").fill(key_result)
    assert saved.value.ok, saved.value.status
    expect(phone.locator("#draft-status")).to_contain_text("Draft saved")


def submit(phone: Page) -> None:
    phone.get_by_role("button", name="Submit objective").click()
    expect(phone.locator("#mine .received")).to_contain_text("Objective submitted")


def test_objectives_drafted_on_phones_reach_the_wall_and_dot_votes_reorder_it(
        server: LiveServer, facilitator: Facilitator, new_context: NewContext) -> None:
    workshop = facilitator.create_workshop("PMO quarterly OKRs")
    wid, code = workshop["id"], workshop["code"]
    board = facilitator.add_activity(wid, "objectives", PROMPT)
    aid = board["id"]
    facilitator.act(wid, aid, "open")  # drafting open, not on screen yet

    console = sign_in(new_context(), facilitator)
    console.goto(f"/console/{wid}")
    alice = join(new_context(phone=True), code, "Alice")
    bob = join(new_context(phone=True), code, "Bob")

    # The facilitator puts the board on screen: the phones get the form, live.
    console.locator(f'#agenda .agenda-item[data-activity-id="{aid}"]').get_by_role(
        "button", name=re.compile("on screen")).click()
    stage = console.locator(f'#stage[data-activity-id="{aid}"]')
    expect(stage).to_have_attribute("data-state", "open")
    expect(stage.get_by_role("button", name="Lock drafting")).to_be_visible()
    wall = console.locator(f'#results[data-activity-id="{aid}"]')
    expect(wall).to_have_attribute("data-total", "0")
    for phone in (alice, bob):
        expect(phone.locator("#stage .prompt")).to_have_text(PROMPT)
        expect(phone.locator("#objective-form")).to_be_visible()
        expect(phone.locator("#draft-status")).to_have_text("Your draft is saved as you type.")

    # Alice drafts; the autosave keeps it through a reload.
    draft(alice, ALICE_OBJECTIVE, ALICE_KR)
    alice.reload()
    expect(alice.locator("#objective-text")).to_have_value(ALICE_OBJECTIVE)
    expect(alice.locator("#kr-0-text")).to_have_value(ALICE_KR)
    expect(alice.locator("#draft-status")).to_have_text("Draft saved.")
    expect(alice.locator("#hint-kr-0 .hint-item")).to_have_count(0)  # a good key result

    # The draft is saved (and hinted) from the first field on, before any key result:
    # Bob's first objective is a metric, and the hint says so.
    with bob.expect_response(saves("text", BOB_FIRST_TRY)):
        bob.locator("#objective-text").fill(BOB_FIRST_TRY)
    expect(bob.locator('#hint-objective .hint-item[data-code="objective_is_metric"]')
           ).to_be_visible()
    # His first key result is a task: the hint says so next to it, and goes once he
    # rewrites it as an outcome. Nothing he typed is touched by the hints arriving.
    draft(bob, BOB_OBJECTIVE, BOB_WEAK_KR)
    task_hint = bob.locator('#hint-kr-0 .hint-item[data-code="kr_is_task"]')
    expect(task_hint).to_be_visible()
    expect(task_hint).to_contain_text("This reads like a task")
    expect(bob.locator('#hint-kr-0 .hint-item[data-code="kr_no_number"]')).to_be_visible()
    expect(bob.locator("#hint-objective .hint-item")).to_have_count(0)
    expect(bob.locator("#kr-0-text")).to_have_value(BOB_WEAK_KR)
    expect(bob.locator("#objective-text")).to_have_value(BOB_OBJECTIVE)
    with bob.expect_response(saves("kr-0-text", BOB_KR)):
        bob.locator("#kr-0-text").fill(BOB_KR)
    expect(bob.locator("#hint-kr-0 .hint-item")).to_have_count(0)

    # Both submit; the console's wall follows without a reload.
    submit(alice)
    expect(wall).to_have_attribute("data-total", "1")
    submit(bob)
    expect(wall).to_have_attribute("data-total", "2")
    cards = wall.locator("li[data-objective-id]")
    expect(cards.locator(".objective-text")).to_have_text([ALICE_OBJECTIVE, BOB_OBJECTIVE])
    expect(cards.nth(0).locator(".krs")).to_contain_text(ALICE_KR)
    expect(cards.nth(1).locator(".krs")).to_contain_text(BOB_KR)
    first_id = cards.nth(0).get_attribute("data-objective-id")
    second_id = cards.nth(1).get_attribute("data-objective-id")
    assert first_id and second_id and first_id != second_id
    for phone in (alice, bob):  # the room's wall too
        expect(phone.locator("#results")).to_have_attribute("data-total", "2")
    expect(alice.locator("#objective-text")).to_have_value("")  # submitted: draft cleared

    # The facilitator opens dot voting; the phones get their "+ Vote" buttons.
    stage.get_by_role("button", name="Open dot voting").click()
    expect(wall).to_have_attribute("data-voting", "open")
    expect(stage.get_by_role("button", name="Close voting")).to_be_visible()
    phone_wall = alice.locator('#results[data-voting="open"]')
    expect(phone_wall.locator(".vote-add")).to_have_count(2)
    expect(alice.locator("#my-dots")).to_be_visible()

    # Alice votes for the objective listed second: it moves first on the console.
    alice.get_by_role("button", name=f"Vote for “{BOB_OBJECTIVE}”").click()
    expect(alice.locator("#my-dots")).to_have_attribute("data-voted", second_id)
    expect(alice.locator("#my-dots strong")).to_have_text("1")
    expect(cards.first).to_have_attribute("data-objective-id", second_id)
    expect(cards.first).to_have_attribute("data-votes", "1")
    expect(cards.nth(1)).to_have_attribute("data-objective-id", first_id)
    expect(cards.nth(1)).to_have_attribute("data-votes", "0")
    expect(cards.first.locator(".dots strong")).to_have_text("1")
    # Alice's own wall marks her vote; Bob's wall has the same order.
    expect(alice.locator(f'#results li[data-objective-id="{second_id}"]')).to_have_class(
        re.compile(r"\bvoted\b"))
    expect(bob.locator("#results li[data-objective-id]").first).to_have_attribute(
        "data-objective-id", second_id)

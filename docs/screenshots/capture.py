"""Capture the product screenshots in docs/screenshots/ with headless Chromium.

    .venv/bin/python docs/screenshots/capture.py [--review DIR]

Starts the real server on a temporary SQLite file, seeds the demo OKR/PMO workshop through
the JSON API, has a dozen participants vote (one of them on a phone-sized browser, through
the page itself), and saves:

    participant.png           the phone page (390 px wide): vote received, results shown
    console.png               the facilitator console (1440x900): agenda and live results
    presenter.png             the projector screen (1920x1080): result bars
    presenter-word-cloud.png  the projector screen: a word cloud
    presenter-scale.png       the projector screen: a 0-10 scale histogram

and, from two more seeded workshops (an objectives board; a room with chat and insights):

    objectives-drafting.png   the phone drafting form, hints next to weak key results
    objectives-wall.png       the projector screen: objectives grouped by theme, with votes
    chat-phone.png            the phone chat: messages, a reply, questions with upvotes
    moderation-queue.png      the console: messages waiting for approval
    insights-editor.png       the console: the insights editor with nested insights

With --review DIR it also saves the phone form, phone results and presenter screen of
every kind of activity into DIR, to look the whole product over after a design change,
and the objectives board, chat, spotlighted question and insights on the other screens.

Chromium is Debian's (`chromium` on PATH); Playwright's own browser download is not used.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    FloatRect,
    Page,
    ViewportSize,
    sync_playwright,
)

from tests.support import (  # noqa: E402
    PASSWORD,
    Facilitator,
    LiveServer,
    Participant,
    close_clients,
    free_port,
    serve,
)
from workshop.demo import DEMO_ACTIVITIES, DEMO_WORKSHOP  # noqa: E402
from workshop.settings import Settings  # noqa: E402

OUT = Path(__file__).resolve().parent
PUBLIC_URL = "https://workshop.example.org"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--hide-scrollbars"]

PHONE_NAME = "Maya"
NAMES = ["Jonas", "Priya", "Tom", "Aisha", "Lukas", "Sofia", "Daniel", "Chen", "Fatima",
         "Marco", "Elena"]

# What the eleven API participants answer, per activity (in NAMES order). Option answers
# are labels, mapped to ids when sent.
VOTES: dict[str, list[Any]] = {
    "single_choice": ["Every quarter", "Twice a year", "Every quarter", "Once a year",
                      "Every quarter", "Not formally", "Twice a year", "Every quarter",
                      "Once a year", "Twice a year", "Every quarter"],
    "multiple_choice": [["Too many priorities", "No follow-up"], ["Too many priorities"],
                        ["Metrics are hard to get", "Goals set top-down"],
                        ["Too many priorities", "Metrics are hard to get"],
                        ["No clear owner"], ["Too many priorities", "Goals set top-down"],
                        ["No follow-up", "Metrics are hard to get"],
                        ["Too many priorities", "No clear owner"], ["Goals set top-down"],
                        ["Too many priorities", "No follow-up"], ["Metrics are hard to get"]],
    "rating": [4, 3, 3, 5, 2, 4, 3, 4, 3, 2, 4],
    "scale": [4, 6, 5, 3, 5, 7, 4, 6, 5, 2, 8],
    "word_cloud": [["measurable", "ambitious", "clear"], ["inspiring", "measurable"],
                   ["focused", "outcome-driven", "clear"], ["ambitious", "simple"],
                   ["measurable", "customer value"], ["clear", "bold", "measurable"],
                   ["aligned", "ambitious"], ["outcome-driven", "measurable", "shared"],
                   ["clear", "motivating"], ["focused", "measurable", "ambitious"],
                   ["time-bound", "clear"]],
    "open_text": [
        "A simple template for objectives that our project managers will actually use.",
        "How to get from a list of tasks to outcomes we can measure.",
        "Examples of good key results for a PMO, not for a product team.",
        "Agree on three objectives for next quarter before we leave the room.",
        "How other PMOs track OKRs without another tool.",
        "Less reporting, more focus.",
        "A way to connect portfolio goals to team goals.",
        "Confidence that our goals are not just a to-do list.",
        "How often to check in on key results.",
        "Ideas for measuring benefits, not just delivery.",
        "Meet the people behind the other programmes.",
    ],
    "ranking": [
        ["Delivery predictability", "Team capacity", "Portfolio transparency",
         "Benefits tracking"],
        ["Portfolio transparency", "Delivery predictability", "Benefits tracking",
         "Team capacity"],
        ["Delivery predictability", "Portfolio transparency", "Team capacity",
         "Benefits tracking"],
        ["Benefits tracking", "Delivery predictability", "Portfolio transparency",
         "Team capacity"],
        ["Delivery predictability", "Benefits tracking", "Team capacity",
         "Portfolio transparency"],
        ["Team capacity", "Delivery predictability", "Portfolio transparency",
         "Benefits tracking"],
        ["Portfolio transparency", "Benefits tracking", "Delivery predictability",
         "Team capacity"],
        ["Delivery predictability", "Portfolio transparency", "Benefits tracking",
         "Team capacity"],
        ["Delivery predictability", "Team capacity", "Benefits tracking",
         "Portfolio transparency"],
        ["Portfolio transparency", "Delivery predictability", "Team capacity",
         "Benefits tracking"],
        ["Benefits tracking", "Portfolio transparency", "Delivery predictability",
         "Team capacity"],
    ],
}


class Session:
    """The seeded workshop and the people in it."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.facilitator: Facilitator = live.add_facilitator("facilitator@example.org")
        response = self.facilitator.api.post("/api/v1/workshops", json=DEMO_WORKSHOP)
        assert response.status_code == 201, response.text
        self.workshop: dict[str, Any] = response.json()
        self.wid: str = self.workshop["id"]
        self.code: str = self.workshop["code"]
        self.activities: dict[str, dict[str, Any]] = {}
        for data in DEMO_ACTIVITIES:
            activity = self.facilitator.add_activity(
                self.wid, data["kind"], data["prompt"], data.get("options"),
                **data.get("settings", {}))
            self.activities[data["kind"]] = activity
        self.people: list[Participant] = []

    def join_everyone(self) -> None:
        self.people = [Participant(self.live, self.code, name) for name in NAMES]

    def option_id(self, kind: str, label: str) -> str:
        return str(next(o["id"] for o in self.activities[kind]["options"]
                        if o["label"] == label))

    def value(self, kind: str, answer: Any) -> Any:
        if kind == "single_choice":
            return self.option_id(kind, answer)
        if kind in ("multiple_choice", "ranking"):
            return [self.option_id(kind, label) for label in answer]
        return answer

    def run(self, kind: str, *, close: bool = False) -> dict[str, Any]:
        """Put an activity on screen, open it and cast the eleven API votes."""
        activity = self.activities[kind]
        self.facilitator.show(self.wid, activity["id"])
        self.facilitator.act(self.wid, activity["id"], "open")
        for person, answer in zip(self.people, VOTES[kind], strict=True):
            response = person.respond(activity["id"], self.value(kind, answer))
            assert response.status_code in (200, 201), response.text
        if close:
            self.facilitator.act(self.wid, activity["id"], "close")
        return activity


# -- the objectives board ---------------------------------------------------------------

BOARD_WORKSHOP = {"title": "OKR drafting: PMO goals for Q3",
                  "description": "Draft, group and vote on the objectives of our PMO."}
BOARD_PROMPT = "Draft one objective for our PMO for next quarter"
ORG_OBJECTIVES = ["Deliver the transformation portfolio on time",
                  "Make every investment pay off"]

# (author, theme, organisation objective index or None, objective, key results)
OBJECTIVES: list[tuple[str, str, int | None, str, list[dict[str, str]]]] = [
    ("Jonas", "Delivery predictability", 0,
     "Make project delivery predictable for every client",
     [{"text": "Raise on-time milestones from 62% to 85%", "metric": "On-time milestones",
       "baseline": "62", "target": "85", "unit": "%", "due": "end of Q3"},
      {"text": "Cut average schedule slip from 3 weeks to 1 week"}]),
    ("Priya", "Delivery predictability", 0,
     "Catch delivery risks before they turn into escalations",
     [{"text": "Raise risks logged before impact from 40% to 75%"},
      {"text": "Reduce executive escalations from 9 to 3 per quarter"}]),
    ("Tom", "Portfolio transparency", 0,
     "Give leadership one trusted view of the portfolio",
     [{"text": "Cut time to produce the portfolio report from 5 days to 1 day"},
      {"text": "Raise projects with current status data from 55% to 95%"}]),
    ("Aisha", "Portfolio transparency", 1,
     "Base portfolio decisions on evidence, not on gut feeling",
     [{"text": "Increase investment decisions backed by a business case from 30% to 80%"}]),
    ("Lukas", "Benefits", 1,
     "Prove the value our projects deliver after go-live",
     [{"text": "Raise closed projects with a benefits review from 10% to 60%"},
      {"text": "Grow programmes reporting realised benefits from 2 to 8"}]),
    ("Sofia", "People and capacity", None,
     "Give project managers time to manage, not to report",
     [{"text": "Cut weekly hours on status reporting from 6 to 2 per PM"},
      {"text": "Raise PM satisfaction with PMO support from 3.1 to 4.2 out of 5"}]),
    ("Daniel", "People and capacity", None,
     "Grow a community of confident project managers",
     [{"text": "Increase certified project managers from 12 to 20"},
      {"text": "Raise attendance at the monthly PM circle from 35% to 70%"}]),
]
# Dot votes: voter → the authors of the objectives they vote for (3 dots each).
DOT_VOTES = {
    "Jonas": ["Tom", "Sofia", "Priya"], "Priya": ["Jonas", "Tom", "Sofia"],
    "Tom": ["Jonas", "Sofia", "Lukas"], "Aisha": ["Jonas", "Tom", "Priya"],
    "Lukas": ["Jonas", "Aisha", "Sofia"], "Sofia": ["Jonas", "Tom", "Daniel"],
    "Daniel": ["Sofia", "Jonas", "Lukas"], "Chen": ["Tom", "Jonas", "Sofia"],
    "Fatima": ["Jonas", "Priya", "Tom"], "Marco": ["Sofia", "Lukas", "Tom"],
    "Elena": ["Jonas", "Daniel", "Aisha"],
}
# What the phone participant drafts: two weak key results (a task, a level to hold) and
# a good one, so the hints show next to the weak ones.
PHONE_OBJECTIVE = "Make the PMO the first place teams turn to for help"
PHONE_KEY_RESULTS = ["Launch a PMO help desk",
                     "Maintain 95% on-time status reports",
                     "Raise teams rating PMO support as useful from 45% to 80%"]


class BoardSession:
    """A workshop with an objectives board: drafting open, on screen, seven objectives."""

    def __init__(self, live: LiveServer, facilitator: Facilitator) -> None:
        self.live = live
        self.facilitator = facilitator
        response = facilitator.api.post("/api/v1/workshops", json=BOARD_WORKSHOP)
        assert response.status_code == 201, response.text
        self.wid: str = response.json()["id"]
        self.code: str = response.json()["code"]
        self.activity = facilitator.add_activity(self.wid, "objectives", BOARD_PROMPT,
                                                 ORG_OBJECTIVES, max_key_results=3, dots=3)
        self.aid: str = self.activity["id"]
        self.base = f"/api/v1/workshops/{self.wid}/activities/{self.aid}"
        self.people: dict[str, Participant] = {}
        self.ids: dict[str, str] = {}

    def start(self) -> None:
        """Open drafting, put the board on screen, have the room submit."""
        self.facilitator.act(self.wid, self.aid, "open")
        self.facilitator.show(self.wid, self.aid)
        self.people = {name: Participant(self.live, self.code, name) for name in NAMES}
        org = [o["id"] for o in self.activity["options"]]
        for author, _, aligns, text, key_results in OBJECTIVES:
            body: dict[str, Any] = {"text": text, "key_results": key_results,
                                    "client_id": uuid.uuid4().hex}
            if aligns is not None:
                body["aligns_to"] = org[aligns]
            response = self.people[author].client.post(f"{self.base}/objectives", json=body)
            assert response.status_code == 201, response.text
            self.ids[author] = response.json()["id"]

    def group_and_vote(self) -> None:
        """Group into themes, open dot voting and spend everyone's dots."""
        for author, theme, *_ in OBJECTIVES:
            response = self.facilitator.api.put(
                f"{self.base}/objectives/{self.ids[author]}/theme", json={"theme": theme})
            assert response.status_code == 200, response.text
        response = self.facilitator.api.post(f"{self.base}/open-voting")
        assert response.status_code == 200, response.text
        for voter, authors in DOT_VOTES.items():
            for author in authors:
                response = self.people[voter].client.post(
                    f"{self.base}/objectives/{self.ids[author]}/votes",
                    json={"client_id": uuid.uuid4().hex})
                assert response.status_code == 201, response.text


# -- chat, Q&A and insights ---------------------------------------------------------------

ROOM_WORKSHOP = {"title": "PMO retrospective: our first OKR quarter",
                 "description": "What worked, what did not, and what we keep."}
ROOM_ACTIVITY = ("open_text", "What is one thing you would change about how we set goals?")
# (author, text, question, the index of the message it replies to, upvoters)
MESSAGES: list[tuple[str, str, bool, int | None, list[str]]] = [
    ("Jonas", "Our key results were task lists until we asked what changes for the client.",
     False, None, []),
    ("Priya", "Same here. “Launch a dashboard” became “Cut reporting time from 5 days to 1”.",
     False, None, []),
    ("Tom", "That one question fixed half of our drafts.", False, 0, []),
    ("Aisha", "How often should a PMO check in on key results: weekly or monthly?", True,
     None, ["Jonas", "Priya", "Tom", "Lukas", "Sofia", "Chen"]),
    ("Sofia", "Two objectives per team is plenty: the third one never gets attention.",
     False, None, []),
    ("Lukas", "Who owns a key result that spans several programmes?", True, None,
     ["Aisha", "Daniel", "Marco"]),
    ("Daniel", "We scored confidence every two weeks. It made the slips visible early.",
     False, None, []),
]
# Sent once the facilitator has switched on approval: they wait in the queue.
PENDING: list[tuple[str, str]] = [
    ("Chen", "Honestly, the quarterly template is useless. Who designed this?"),
    ("Fatima", "Can we get the slides and the insights after the session?"),
    ("Marco", "Our sponsor ignores the OKRs anyway, so why bother?"),
]
BLOCKED_WORDS = ["useless", "stupid", "idiot"]
# (the index of the message kept, the insight's words or None, nested under the previous)
INSIGHTS: list[tuple[int, str | None, bool]] = [
    (0, "Write key results as outcomes: ask what changes for the client.", False),
    (1, "Rewrite tasks such as “Launch a dashboard” as a measurable change.", True),
    (4, "Fewer objectives: two per team is plenty.", False),
    (6, "Score confidence every two weeks so slips show early.", True),
    (5, "Name one owner per key result, even when it spans programmes.", False),
]


class RoomSession:
    """A workshop whose room has talked: chat, questions with upvotes, insights."""

    def __init__(self, live: LiveServer, facilitator: Facilitator) -> None:
        self.live = live
        self.facilitator = facilitator
        response = facilitator.api.post("/api/v1/workshops", json=ROOM_WORKSHOP)
        assert response.status_code == 201, response.text
        self.wid: str = response.json()["id"]
        self.code: str = response.json()["code"]
        kind, prompt = ROOM_ACTIVITY
        self.activity = facilitator.add_activity(self.wid, kind, prompt)
        self.people: dict[str, Participant] = {}
        self.message_ids: list[str] = []

    def post(self, author: str, text: str, *, question: bool = False,
             reply_to: str | None = None) -> dict[str, Any]:
        response = self.people[author].client.post(
            f"/api/v1/workshops/{self.wid}/messages",
            json={"text": text, "question": question, "reply_to": reply_to,
                  "client_id": uuid.uuid4().hex})
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    def talk(self) -> None:
        """The room chats and asks; the questions get upvotes."""
        self.people = {name: Participant(self.live, self.code, name) for name in NAMES}
        for author, text, question, reply, upvoters in MESSAGES:
            reply_to = self.message_ids[reply] if reply is not None else None
            message_id = self.post(author, text, question=question, reply_to=reply_to)["id"]
            self.message_ids.append(message_id)
            for voter in upvoters:
                response = self.people[voter].client.post(
                    f"/api/v1/workshops/{self.wid}/messages/{message_id}/upvote")
                assert response.status_code == 200, response.text

    def keep_insights(self) -> None:
        api, base = self.facilitator.api, f"/api/v1/workshops/{self.wid}/insights"
        for index, text, nested in INSIGHTS:
            body: dict[str, Any] = {"source": {"type": "message",
                                               "id": self.message_ids[index]}}
            if text:
                body["text"] = text
            response = api.post(base, json=body)
            assert response.status_code == 201, response.text
            if nested:
                moved = api.post(f"{base}/{response.json()['id']}/move",
                                 json={"direction": "indent"})
                assert moved.status_code == 200, moved.text

    def moderate(self) -> None:
        """Switch on approval and blocked words; three messages wait in the queue."""
        response = self.facilitator.api.patch(
            f"/api/v1/workshops/{self.wid}",
            json={"premoderation": True, "blocked_words": BLOCKED_WORDS})
        assert response.status_code == 200, response.text
        for author, text in PENDING:
            assert self.post(author, text)["status"] == "pending"


def new_context(browser: Browser, base_url: str, *, phone: bool = False,
                viewport: ViewportSize | None = None, scale: float = 1) -> BrowserContext:
    if phone:
        return browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844},
                                   device_scale_factor=2, is_mobile=True, has_touch=True,
                                   reduced_motion="reduce")
    return browser.new_context(base_url=base_url, viewport=viewport,
                               device_scale_factor=scale, reduced_motion="reduce")


def sign_in(context: BrowserContext, email: str) -> Page:
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def wait_for_total(page: Page, root: str, activity_id: str, total: int) -> None:
    page.locator(f'{root}[data-activity-id="{activity_id}"][data-total="{total}"]').wait_for(
        state="attached")


def phone_vote(phone: Page, activity: dict[str, Any]) -> None:
    """Answer the activity on the phone page, through its form like a person."""
    kind = activity["kind"]
    stage = phone.locator(f'#stage[data-activity-id="{activity["id"]}"][data-state="open"]')
    stage.locator("form.vote-form").wait_for()
    if kind == "single_choice":
        stage.locator("label.choice", has_text="Every quarter").click()
    elif kind == "multiple_choice":
        stage.locator("label.choice", has_text="Too many priorities").click()
        stage.locator("label.choice", has_text="No clear owner").click()
    elif kind == "rating":
        stage.locator("label.star").nth(3).click()
    elif kind == "scale":
        stage.locator("label.step", has_text="6").first.click()
    elif kind == "word_cloud":
        inputs = stage.locator("input[name=words]")
        inputs.nth(0).fill("measurable")
        inputs.nth(1).fill("ambitious")
    elif kind == "open_text":
        stage.locator("textarea").fill("Leave with three draft objectives for our PMO.")
    elif kind == "ranking":
        pass  # the default order is a valid ranking
    stage.locator("form.vote-form button[type=submit]").click()
    stage.locator(".received").wait_for()



Shot = Callable[..., None]


def join_page(context: BrowserContext, code: str, name: str) -> Page:
    page = context.new_page()
    page.goto(f"/j/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_text("You're in.").wait_for()
    return page


def box_of(page: Page, selector: str, margin: float = 0) -> FloatRect:
    """Where an element is on the whole page (not the viewport), with a margin around."""
    box = page.locator(selector).evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }")
    return {"x": max(0, box["x"] - margin), "y": max(0, box["y"] - margin),
            "width": box["width"] + 2 * margin, "height": box["height"] + 2 * margin}


def until_saved(field: str, value: str) -> Callable[[Any], bool]:
    """The draft autosave that carried `field` = `value`."""
    def check(response: Any) -> bool:
        if response.request.method != "PUT" or not response.url.endswith("/draft"):
            return False
        return bool((response.request.post_data_json or {}).get(field) == value)
    return check


def capture_board(browser: Browser, base: str, board: BoardSession, out: Path,
                  shot: Shot, review: Path | None = None) -> None:
    """objectives-drafting.png (phone) and objectives-wall.png (presenter)."""
    presenter = sign_in(new_context(browser, base, viewport={"width": 1920, "height": 1080}),
                        board.facilitator.email)
    presenter.goto(f"/present/{board.wid}")
    phone = join_page(new_context(browser, base, phone=True), board.code, PHONE_NAME)
    board.start()

    # The phone drafts: the hints come back next to the weak key results.
    phone.locator("#objective-form").wait_for()
    phone.locator("#objective-text").fill(PHONE_OBJECTIVE)
    for index, text in enumerate(PHONE_KEY_RESULTS):
        field = phone.locator(f"#kr-{index}-text")
        with phone.expect_response(until_saved(f"kr-{index}-text", text)):
            field.fill(text)
    phone.locator('#hint-kr-0 .hint-item[data-code="kr_is_task"]').wait_for()
    phone.locator('#hint-kr-1 .hint-item[data-code="kr_maintain"]').wait_for()
    phone.locator("#kr-2-text").blur()
    phone.evaluate("window.scrollTo(0, 0)")  # the sticky header back at the top
    stage = box_of(phone, "#stage")
    shot(phone, out / "objectives-drafting.png", full_page=True,
         clip={"x": 0, "y": 0, "width": 390, "height": stage["y"] + stage["height"] + 16})

    # The facilitator groups the wall into themes and opens dot voting; the room votes.
    board.group_and_vote()
    votes = {author: sum(author in picks for picks in DOT_VOTES.values())
             for author, *_ in OBJECTIVES}
    top = max(votes, key=lambda author: votes[author])
    for author, count in votes.items():  # every dot has landed on the projector
        presenter.locator(f'#stage[data-activity-id="{board.aid}"][data-voting="open"] '
                          f'li[data-objective-id="{board.ids[author]}"][data-votes="{count}"]'
                          ).wait_for()
    shot(presenter, out / "objectives-wall.png")
    if review is not None:
        phone.locator(f'#results[data-voting="open"] li[data-objective-id="{board.ids[top]}"]'
                      f'[data-votes="{votes[top]}"]').wait_for()
        shot(phone, review / "phone-objectives-voting.png", full_page=True)
        console = sign_in(new_context(browser, base, viewport={"width": 1440, "height": 900}),
                          board.facilitator.email)
        console.goto(f"/console/{board.wid}")
        shot(console, review / "console-objectives.png", full_page=True)


def capture_room(browser: Browser, base: str, room: RoomSession, out: Path,
                 shot: Shot, review: Path | None = None) -> None:
    """chat-phone.png, moderation-queue.png and insights-editor.png."""
    console = sign_in(new_context(browser, base, viewport={"width": 1440, "height": 900},
                                  scale=2), room.facilitator.email)
    console.goto(f"/console/{room.wid}")
    phone = join_page(new_context(browser, base, phone=True), room.code, PHONE_NAME)
    room.talk()
    phone.locator(f'#chat[data-total="{len(MESSAGES)}"]').wait_for()

    # On the phone, through the page: an upvote and a reply.
    question_id = room.message_ids[5]  # Lukas's question
    upvotes = len(MESSAGES[5][4]) + 1
    phone.locator(f'#chat li[data-message-id="{question_id}"] .upvote').click()
    phone.locator(f'#chat li.upvoted[data-message-id="{question_id}"]'
                  f'[data-upvotes="{upvotes}"]').wait_for()
    phone.locator(f'#chat .reply[data-reply-to="{room.message_ids[4]}"]').click()  # Sofia's
    phone.locator("#chat-text").fill("Agreed. We cut to two and finally finished both.")
    phone.get_by_role("button", name="Send").click()
    phone.locator(f'#chat[data-total="{len(MESSAGES) + 1}"]').wait_for()
    phone.locator("#chat-text").blur()
    phone.evaluate("window.scrollTo(0, 0)")  # the sticky header back at the top
    shot(phone, out / "chat-phone.png", full_page=True)

    # The facilitator keeps insights and switches on approval: three messages wait.
    room.keep_insights()
    room.moderate()
    console.locator(f'#chat[data-pending="{len(PENDING)}"]').wait_for()
    console.locator('#insights li[data-position="2.1"]').wait_for()
    console.evaluate("window.scrollTo(0, 0)")
    chat, queue = box_of(console, "#chat", margin=12), box_of(console, "#chat .queue")
    shot(console, out / "moderation-queue.png", full_page=True,  # the panel down to the queue
         clip={**chat, "height": queue["y"] + queue["height"] + 24 - chat["y"]})
    shot(console, out / "insights-editor.png", full_page=True,
         clip=box_of(console, "#insights", margin=12))
    if review is not None:
        shot(console, review / "console-room.png", full_page=True)
        presenter = sign_in(new_context(browser, base, viewport={"width": 1920, "height": 1080}),
                            room.facilitator.email)
        presenter.goto(f"/present/{room.wid}")
        api = room.facilitator.api
        question = room.message_ids[3]  # Aisha's question, the most upvoted
        assert api.post(f"/api/v1/workshops/{room.wid}/messages/{question}/spotlight"
                        ).status_code == 200
        presenter.locator("#spotlight-question:not([hidden])").wait_for()
        shot(presenter, review / "presenter-spotlight.png")
        assert api.put(f"/api/v1/workshops/{room.wid}/presenter",
                       json={"view": "insights"}).status_code == 200
        presenter.locator('#stage.insights-stage li[data-position="2.1"]').wait_for()
        shot(presenter, review / "presenter-insights.png")


def capture(out: Path, review: Path | None) -> list[Path]:
    saved: list[Path] = []

    def shot(page: Page, path: Path, *, full_page: bool = False,
             clip: FloatRect | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page, clip=clip, animations="disabled")
        saved.append(path)

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium).")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'workshop.db'}",
                            port=free_port(), tick_ms=50, secret_key="screenshots",
                            public_url=PUBLIC_URL)
        with serve(settings) as live:
            session = Session(live)  # database calls before Playwright's loop starts
            board = BoardSession(live, session.facilitator)
            room = RoomSession(live, session.facilitator)
            base = live.base_url
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
                presenter = sign_in(new_context(browser, base,
                                                viewport={"width": 1920, "height": 1080}),
                                    session.facilitator.email)
                presenter.goto(f"/present/{session.wid}")
                console = sign_in(new_context(browser, base,
                                              viewport={"width": 1440, "height": 900}),
                                  session.facilitator.email)
                console.goto(f"/console/{session.wid}")
                phone = new_context(browser, base, phone=True).new_page()
                phone.goto(f"/j/{session.code}")
                if review is not None:
                    shot(phone, review / "phone-join.png", full_page=True)
                phone.get_by_label("Your name").fill(PHONE_NAME)
                phone.get_by_role("button", name="Join").click()
                phone.get_by_text("You're in.").wait_for()
                session.join_everyone()
                presenter.locator("#participant-count strong").filter(
                    has_text=str(len(NAMES) + 1)).wait_for()
                if review is not None:
                    shot(phone, review / "phone-waiting.png", full_page=True)
                    shot(presenter, review / "presenter-title.png")

                # Earlier in the session: the word cloud and the scale, now closed.
                earlier = ["word_cloud", "scale"]
                if review is not None:
                    earlier = ["multiple_choice", "rating", "word_cloud", "open_text",
                               "ranking", "scale"]
                for kind in earlier:
                    activity = session.run(kind)
                    if review is not None:
                        phone.locator(f'#stage[data-activity-id="{activity["id"]}"]'
                                      '[data-state="open"] form').wait_for()
                        shot(phone, review / f"phone-{kind}-form.png", full_page=True)
                    phone_vote(phone, activity)
                    wait_for_total(presenter, "#stage", activity["id"], len(NAMES) + 1)
                    if kind in ("word_cloud", "scale"):
                        shot(presenter, out / f"presenter-{kind.replace('_', '-')}.png")
                    if review is not None:
                        wait_for_total(phone, "#results", activity["id"], len(NAMES) + 1)
                        shot(phone, review / f"phone-{kind}-results.png", full_page=True)
                        shot(presenter, review / f"presenter-{kind}.png")
                        wait_for_total(console, "#results", activity["id"], len(NAMES) + 1)
                        shot(console, review / f"console-{kind}.png", full_page=True)
                    session.facilitator.act(session.wid, activity["id"], "close")

                # Now: the first question, open, everyone has answered.
                activity = session.run("single_choice")
                phone_vote(phone, activity)
                total = len(NAMES) + 1
                wait_for_total(phone, "#results", activity["id"], total)
                shot(phone, out / "participant.png", full_page=True)
                wait_for_total(console, "#results", activity["id"], total)
                shot(console, out / "console.png")
                wait_for_total(presenter, "#stage", activity["id"], total)
                shot(presenter, out / "presenter.png")
                if review is not None:
                    shot(console, review / "console-full.png", full_page=True)
                    session.facilitator.act(session.wid, activity["id"], "hide")
                    presenter.locator('#stage[data-results-visible="false"]').wait_for()
                    shot(presenter, review / "presenter-hidden.png")
                    shot(console, review / "console-hidden.png")
                    phone.locator("#results").wait_for(state="hidden")
                    shot(phone, review / "phone-hidden.png", full_page=True)
                    presenter.keyboard.press("q")
                    shot(presenter, review / "presenter-qr.png")
                capture_board(browser, base, board, out, shot, review)
                capture_room(browser, base, room, out, shot, review)
                browser.close()
            close_clients()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go")
    parser.add_argument("--review", type=Path, default=None,
                        help="also save every kind of activity on every screen here")
    args = parser.parse_args()
    for path in capture(args.out, args.review):
        print(path)


if __name__ == "__main__":
    main()

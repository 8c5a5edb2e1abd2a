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

With --review DIR it also saves the phone form, phone results and presenter screen of
every kind of activity into DIR, to look the whole product over after a design change.

Chromium is Debian's (`chromium` on PATH); Playwright's own browser download is not used.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
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


def new_context(browser: Browser, base_url: str, *, phone: bool = False,
                viewport: ViewportSize | None = None) -> BrowserContext:
    if phone:
        return browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844},
                                   device_scale_factor=2, is_mobile=True, has_touch=True,
                                   reduced_motion="reduce")
    return browser.new_context(base_url=base_url, viewport=viewport,
                               reduced_motion="reduce")


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


def capture(out: Path, review: Path | None) -> list[Path]:
    saved: list[Path] = []

    def shot(page: Page, path: Path, *, full_page: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
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

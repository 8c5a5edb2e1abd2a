"""Make docs/sample-writeup.md and docs/sample-writeup.pdf.png from the demo workshop.

    .venv/bin/python docs/make_sample.py

Seeds the demo workshop (workshop/demo.py) into a throw-away SQLite file, adds an
objectives board and a 2×2, then plays a small session through the services: twelve
people vote, draft objectives and dot-vote, chat and ask questions; the facilitator keeps
insights. Then it exports the Markdown and the PDF write-ups and renders the PDF's first
page to PNG with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.auth.actors import Actor, FacilitatorActor, ParticipantActor  # noqa: E402
from workshop.demo import seed_demo  # noqa: E402
from workshop.domain.flow import Action  # noqa: E402
from workshop.domain.models import Activity  # noqa: E402
from workshop.exporters.html import render_html  # noqa: E402
from workshop.exporters.markdown import render_markdown  # noqa: E402
from workshop.exporters.pdf import html_to_pdf  # noqa: E402
from workshop.exporters.writeup import ExportOptions, build_writeup  # noqa: E402
from workshop.live.memory import MemoryHub  # noqa: E402
from workshop.services.container import Services  # noqa: E402
from workshop.storage import open_store  # noqa: E402

DOCS = ROOT / "docs"
STARTED = 1773324000.0  # 12 March 2026, 14:00 UTC: the sample is the same on every run
NAMES = ["Amara Okafor", "Ben Fischer", "Chloé Martin", "Dev Patel", "Elena Rossi",
         "Farid Haddad", "Grace Liu", "Hannah Schmidt", "Ivan Petrov", "Julia Costa",
         "Kenji Sato", "Lena Berg"]
SUMMARY = ("Twelve PMO leads compared how they set goals today and drafted objectives for "
           "next quarter. Most teams plan quarterly but measure activity rather than "
           "outcomes; the room agreed to pilot outcome-based key results on portfolio "
           "transparency first, with a shared benefits register as the follow-up.")

OBJECTIVES: list[tuple[str, str, list[dict[str, str]]]] = [
    ("Transparency", "Make portfolio status visible to every sponsor without asking", [
        {"text": "Weekly portfolio dashboard adopted by sponsors", "metric": "sponsors",
         "baseline": "2", "target": "12", "due": "end of Q3"},
        {"text": "Status questions to the PMO inbox go down", "metric": "requests/week",
         "baseline": "25", "target": "5"}]),
    ("Transparency", "One trusted source for project health", [
        {"text": "All active projects report RAG status in the same tool",
         "baseline": "60", "target": "100", "unit": "%"},
        {"text": "Data older than two weeks flagged automatically"}]),
    ("Delivery", "Deliver what we commit to, quarter after quarter", [
        {"text": "Milestones hit on the committed date", "baseline": "55", "target": "80",
         "unit": "%", "due": "Q4"},
        {"text": "Every slipped milestone has a re-plan within 5 days"}]),
    ("Delivery", "Stop starting, start finishing", [
        {"text": "Work in progress per team", "metric": "projects", "baseline": "7",
         "target": "4"},
        {"text": "Lead time from approval to first release", "baseline": "90",
         "target": "60", "unit": "days"}]),
    ("Capability", "Grow confident goal-setters in every team", [
        {"text": "Project leads trained in writing key results", "baseline": "0",
         "target": "30", "unit": "people", "due": "September"},
        {"text": "Each team's objectives reviewed by a peer before the quarter"}]),
    ("", "Show the benefits our projects really deliver", [
        {"text": "Benefits register live for the top 10 projects", "due": "Q4"},
        {"text": "Benefits reviewed 3 months after every go-live"}]),
]

CHAT: list[tuple[int, str, bool]] = [
    (1, "Quarterly works for us, but we re-plan monthly anyway.", False),
    (3, "Do key results have to be numbers? Some of ours are milestones.", True),
    (5, "Same problem here: our sponsors want dates, not metrics.", False),
    (8, "How do you stop OKRs becoming a second status report?", True),
    (2, "The 2×2 was really useful, sharing it with my team.", False),
    (10, "Can we get the slides and this write-up afterwards?", True),
    (6, "+1 for a shared benefits register across PMOs.", False),
]

INSIGHTS: list[tuple[str, list[str]]] = [
    ("Most PMOs set goals quarterly but measure activity, not outcomes.", [
        "Only 2 of 12 rated their goals as mostly outcome-based (8 or more).",
        "“Metrics are hard to get” was the top obstacle, ahead of too many priorities.",
    ]),
    ("Portfolio transparency is the first focus for next quarter.", [
        "Ranked first by points, and the most-voted objectives are about visibility.",
    ]),
    ("Key results can be milestones when a number would be artificial, as long as "
     "they describe a result, not a task.", []),
    ("Pilot: two teams write outcome-based key results and report back at the next "
     "community meeting.", [
        "Volunteers: Delivery (Dev) and Transparency (Grace).",
        "The PMO office hours cover questions on writing key results.",
    ]),
]


def client_id() -> str:
    return uuid.uuid4().hex


async def play(services: Services, owner: FacilitatorActor) -> str:
    rng = random.Random(42)
    workshop = await seed_demo(services, owner.facilitator_id)
    wid = workshop.id
    await services.workshops.update(owner, wid, {
        "slides_url": "https://example.org/pmo-community/okr-slides.pdf"})
    await services.workshops.add_activity(owner, wid, {
        "kind": "placement", "prompt": "Where do these initiatives sit?",
        "options": ["Portfolio dashboard", "Benefits register", "Capacity planning",
                    "Lessons-learned library"],
        "settings": {"min": 1, "max": 5, "x_label": "Impact", "y_label": "Effort"}})
    await services.workshops.add_activity(owner, wid, {
        "kind": "objectives", "prompt": "Draft one objective for your PMO next quarter",
        "settings": {"dots": 3, "show_names": True}})
    people = [ParticipantActor((await services.polls.join(workshop, f"device-{n}", name)).id,
                               wid)
              for n, name in enumerate(NAMES)]
    activities = await services.store.list_activities(wid)
    for activity in activities:
        if activity.kind.value == "objectives":
            await objectives_board(services, owner, people, activity, rng)
            continue
        await services.polls.act(owner, wid, activity.id, Action.OPEN)
        for index, person in enumerate(people):
            await services.polls.respond(person, wid, activity.id,
                                         answer(activity, index, rng), client_id())
        await services.polls.act(owner, wid, activity.id, Action.CLOSE)
    await chat(services, owner, people, wid)
    for text, children in INSIGHTS:
        node = await services.insights.create(owner, wid, {"text": text})
        for child in children:
            await services.insights.create(owner, wid,
                                           {"text": child, "parent_id": node.insight.id})
    return wid


def answer(activity: Activity, index: int, rng: random.Random) -> Any:
    ids = [o.id for o in activity.options]
    kind = activity.kind.value
    if kind == "single_choice":
        return ids[[0, 0, 1, 0, 2, 0, 1, 3, 0, 2, 1, 0][index]]
    if kind == "multiple_choice":
        picks = [(2, 0), (2,), (0, 3), (2, 4), (1, 2), (0,), (2, 3), (4,), (0, 2), (1,),
                 (2, 4), (0, 1)][index]
        return [ids[p] for p in picks]
    if kind == "rating":
        return [3, 4, 2, 3, 4, 3, 5, 2, 3, 4, 3, 4][index]
    if kind == "scale":
        return [4, 6, 3, 5, 8, 5, 4, 6, 2, 9, 5, 6][index]
    if kind == "word_cloud":
        pool = ["measurable", "clear", "ambitious", "focused", "inspiring", "outcome",
                "simple", "shared", "honest", "bold", "customer", "owned"]
        weights = [9, 7, 6, 5, 4, 4, 3, 3, 2, 2, 2, 1]
        return list(dict.fromkeys(rng.choices(pool, weights, k=3)))
    if kind == "open_text":
        return [
            "A simple template for writing key results that are not tasks.",
            "How other PMOs keep OKRs alive after the kick-off.",
            "Examples of outcome metrics for internal projects.",
            "Ideas to get sponsors to care about outcomes, not just dates.",
            "A first draft of our Q3 objectives.",
            "How to connect OKRs with our portfolio review.",
            "Confidence that we are not adding more reporting.",
            "Practical tips, not theory.",
            "Whether OKRs work for a small PMO of three people.",
            "How to score key results fairly.",
            "Meet peers who already use OKRs.",
            "A way to link benefits tracking to goals.",
        ][index]
    if kind == "ranking":
        orders = [(1, 0, 2, 3), (1, 0, 3, 2), (0, 1, 3, 2), (1, 2, 0, 3), (1, 0, 2, 3),
                  (3, 1, 0, 2), (1, 3, 0, 2), (0, 1, 2, 3), (1, 2, 3, 0), (2, 1, 0, 3),
                  (1, 0, 3, 2), (0, 3, 1, 2)]
        return [ids[i] for i in orders[index]]
    if kind == "placement":
        centres = [(4.3, 2.2), (3.8, 3.9), (3.0, 4.2), (1.8, 1.6)]
        return {option_id: [max(1, min(5, round(x + rng.uniform(-1, 1)))),
                            max(1, min(5, round(y + rng.uniform(-1, 1))))]
                for option_id, (x, y) in zip(ids, centres, strict=True)}
    raise ValueError(kind)


async def objectives_board(services: Services, owner: FacilitatorActor,
                           people: list[ParticipantActor], activity: Activity,
                           rng: random.Random) -> None:
    wid = activity.workshop_id
    await services.polls.act(owner, wid, activity.id, Action.OPEN)
    submitted = []
    for (theme, text, key_results), person in zip(OBJECTIVES, people, strict=False):
        objective, _ = await services.objectives.submit(
            person, wid, activity.id, {"text": text, "key_results": key_results},
            client_id())
        if theme:
            await services.objectives.set_theme(owner, wid, activity.id, objective.id, theme)
        submitted.append(objective.id)
    await services.objectives.board_action(owner, wid, activity.id, "open-voting")
    weights = [6, 3, 4, 2, 3, 5]
    for person in people:
        for objective_id in set(rng.choices(submitted, weights, k=3)):
            await services.objectives.vote(person, wid, activity.id, objective_id,
                                           client_id())
    await services.objectives.board_action(owner, wid, activity.id, "close-voting")
    await services.objectives.board_action(owner, wid, activity.id, "lock")


async def chat(services: Services, owner: Actor, people: list[ParticipantActor],
               wid: str) -> None:
    for author, text, question in CHAT:
        message, _ = await services.chat.post(people[author], wid,
                                              {"text": text, "question": question},
                                              client_id())
        if question:
            for voter in people[:4 + author % 5]:
                if voter != people[author]:
                    await services.chat.upvote(voter, wid, message.id)
            if author != 8:
                await services.chat.moderate(owner, wid, message.id, "answer")


async def pin_times(services: Services, wid: str) -> None:
    """Fixed times, so the sample does not change from one run to the next."""
    messages = await services.store.list_messages(wid)
    async with services.store.db.transaction() as tx:
        await tx.execute("UPDATE workshops SET created_at = ? WHERE id = ?", (STARTED, wid))
        for n, message in enumerate(messages):
            await tx.execute("UPDATE messages SET created_at = ? WHERE id = ?",
                             (STARTED + 240 + n * 410, message.id))


async def main() -> None:
    os.environ["TZ"] = "UTC"
    time.tzset()
    with tempfile.TemporaryDirectory() as folder:
        store = await open_store(f"sqlite:///{folder}/sample.db")
        hub = MemoryHub()
        await hub.connect()
        try:
            services = Services.build(store, hub)
            facilitator = await services.accounts.add_facilitator("host@example.org",
                                                                  "correct horse battery")
            wid = await play(services, FacilitatorActor(facilitator.id))
            await pin_times(services, wid)
            writeup = dataclasses.replace(
                await build_writeup(services, wid, ExportOptions(summary=SUMMARY)),
                generated_at=STARTED + 3 * 3600)
        finally:
            await hub.close()
            await store.close()
        (DOCS / "sample-writeup.md").write_text(render_markdown(writeup), "utf-8")
        html = render_html(writeup)
        pdf = html_to_pdf(html)
        pdf_path = Path(folder) / "sample-writeup.pdf"
        pdf_path.write_bytes(pdf)
        if "--keep" in sys.argv:  # for a closer look: /tmp/sample-writeup.{pdf,html}
            (Path(folder).parent / "sample-writeup.pdf").write_bytes(pdf)
            (Path(folder).parent / "sample-writeup.html").write_text(html, "utf-8")
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1",
                        "-singlefile", str(pdf_path), str(DOCS / "sample-writeup.pdf")],
                       check=True)
    print("wrote docs/sample-writeup.md and docs/sample-writeup.pdf.png")


if __name__ == "__main__":
    asyncio.run(main())

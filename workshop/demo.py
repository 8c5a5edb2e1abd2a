"""A demo workshop: one poll of each kind, ready to run."""

from __future__ import annotations

from typing import Any

from workshop.auth.actors import FacilitatorActor
from workshop.domain.models import Workshop
from workshop.services.container import Services

DEMO_WORKSHOP: dict[str, str] = {
    "title": "OKR goal setting for the PMO community",
    "description": "A one-hour session: what makes a good objective, and drafting our own.",
}

DEMO_ACTIVITIES: list[dict[str, Any]] = [
    {"kind": "single_choice", "prompt": "How often does your PMO set goals?",
     "options": ["Every quarter", "Twice a year", "Once a year", "Not formally"]},
    {"kind": "multiple_choice", "prompt": "What gets in the way of good goals?",
     "options": ["Too many priorities", "No clear owner", "Metrics are hard to get",
                 "Goals set top-down", "No follow-up"], "settings": {"max_picks": 2}},
    {"kind": "rating", "prompt": "How confident are you writing a key result today?"},
    {"kind": "scale", "prompt": "How well do your current goals reflect outcomes?",
     "settings": {"min": 0, "max": 10, "min_label": "Only tasks",
                  "max_label": "Only outcomes"}},
    {"kind": "word_cloud", "prompt": "One word for a great objective",
     "settings": {"max_words": 3}},
    {"kind": "open_text", "prompt": "What would you like to get out of this session?"},
    {"kind": "ranking", "prompt": "Rank these focus areas for next quarter",
     "options": ["Delivery predictability", "Portfolio transparency", "Benefits tracking",
                 "Team capacity"]},
]


async def seed_demo(services: Services, facilitator_id: str) -> Workshop:
    actor = FacilitatorActor(facilitator_id)
    workshop = await services.workshops.create(actor, DEMO_WORKSHOP)
    for data in DEMO_ACTIVITIES:
        await services.workshops.add_activity(actor, workshop.id, data)
    return workshop

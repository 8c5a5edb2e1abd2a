"""Ready-made session plans a facilitator can start from (pure data)."""

from __future__ import annotations

from typing import Any

OKR_PMO_WORKSHOP: dict[str, str] = {
    "title": "OKR drafting for a PMO",
    "description": "Warm up, agree what makes a good objective, draft objectives with key "
                   "results, vote on them, then check impact and confidence.",
}

# `source` marks an activity whose options come from the drafting board when opened.
OKR_PMO_ACTIVITIES: list[dict[str, Any]] = [
    {"kind": "word_cloud", "prompt": "One word: how does goal setting feel in your PMO today?",
     "settings": {"max_words": 2}},
    {"kind": "multiple_choice", "prompt": "What makes a good objective?",
     "options": ["Qualitative and inspiring", "Time-bound (this quarter)",
                 "Contains the target number", "Owned by the team that does the work",
                 "Describes the tasks to do", "Aligned with an organisation goal"],
     "settings": {"max_picks": 3}},
    {"kind": "objectives", "prompt": "Draft one objective for your PMO for next quarter",
     "options": ["Deliver the strategy through fewer, better projects",
                 "Make portfolio decisions on facts"],
     "settings": {"dots": 3, "max_key_results": 5}},
    {"kind": "multiple_choice", "prompt": "Dot vote: which objectives should we pursue?",
     "settings": {"max_picks": 3}, "source": True},
    {"kind": "placement", "prompt": "Confidence check: impact and confidence of the top "
                                    "objectives",
     "settings": {"x_label": "Impact", "y_label": "Confidence"}, "source": True},
]

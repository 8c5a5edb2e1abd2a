"""The JSON API end to end against the real server."""

from __future__ import annotations

from typing import Any

from tests.support import Facilitator, LiveServer, Participant


def test_create_workshop_returns_links(facilitator: Facilitator) -> None:
    created = facilitator.create_workshop("PMO OKRs")
    assert set(created) >= {"id", "code", "join_url", "present_url", "console_url"}
    assert created["join_url"].endswith(f"/j/{created['code']}")
    assert len(created["code"]) == 6 and created["code"].isdigit()
    state = facilitator.api.get(f"/api/v1/workshops/{created['id']}").json()
    assert state["title"] == "PMO OKRs"
    assert state["participant_count"] == 0
    assert state["activities"] == []


def test_single_choice_round_trip(server: LiveServer, facilitator: Facilitator,
                                  workshop: dict[str, Any]) -> None:
    wid = workshop["id"]
    poll = facilitator.add_activity(wid, "single_choice", "Best day?", ["Mon", "Fri"])
    assert [o["label"] for o in poll["options"]] == ["Mon", "Fri"]
    facilitator.act(wid, poll["id"], "open")
    alice = Participant(server, workshop["code"], "Alice")
    bob = Participant(server, workshop["code"], "Bob")
    fri = poll["options"][1]["id"]
    assert alice.respond(poll["id"], fri, "a-1").status_code == 201
    assert alice.respond(poll["id"], fri, "a-1").status_code == 200  # retry counted once
    assert bob.respond(poll["id"], poll["options"][0]["id"]).status_code == 201
    results = facilitator.results(wid, poll["id"])
    assert results["total"] == 2
    assert {c["label"]: c["count"] for c in results["counts"]} == {"Mon": 1, "Fri": 1}
    # a changed vote replaces the earlier one
    assert bob.respond(poll["id"], fri).status_code == 201
    results = facilitator.results(wid, poll["id"])
    assert {c["label"]: c["count"] for c in results["counts"]} == {"Mon": 0, "Fri": 2}
    assert facilitator.api.get(f"/api/v1/workshops/{wid}").json()["participant_count"] == 2


def test_close_and_reset_keep_old_round(server: LiveServer, facilitator: Facilitator,
                                        workshop: dict[str, Any]) -> None:
    wid = workshop["id"]
    poll = facilitator.add_activity(wid, "rating", "How was it?")
    facilitator.act(wid, poll["id"], "open")
    voter = Participant(server, workshop["code"])
    assert voter.respond(poll["id"], 4).status_code == 201
    facilitator.act(wid, poll["id"], "close")
    closed = voter.respond(poll["id"], 5)
    assert closed.status_code == 409
    assert "closed" in closed.json()["detail"]
    reset = facilitator.act(wid, poll["id"], "reset").json()
    assert reset["round"] == 2 and reset["state"] == "draft"
    facilitator.act(wid, poll["id"], "open")
    assert voter.respond(poll["id"], 2).status_code == 201
    now = facilitator.results(wid, poll["id"])
    assert now["round"] == 2 and now["total"] == 1 and now["mean"] == 2
    before = facilitator.api.get(
        f"/api/v1/workshops/{wid}/activities/{poll['id']}/results", params={"round": 1}).json()
    assert before["round"] == 1 and before["mean"] == 4


def test_hidden_results_until_revealed(server: LiveServer, facilitator: Facilitator,
                                       workshop: dict[str, Any]) -> None:
    wid = workshop["id"]
    poll = facilitator.add_activity(wid, "word_cloud", "One word", hide_results=True)
    assert poll["results_visible"] is False
    facilitator.act(wid, poll["id"], "open")
    voter = Participant(server, workshop["code"])
    assert voter.respond(poll["id"], ["Focus!", " focus ", "Outcomes"]).status_code == 201
    url = f"/api/v1/workshops/{wid}/activities/{poll['id']}/results"
    assert voter.client.get(url).status_code == 403
    facilitator.act(wid, poll["id"], "reveal")
    words = voter.client.get(url).json()["words"]
    assert words == [{"word": "focus", "count": 1}, {"word": "outcomes", "count": 1}]


def test_every_kind_accepts_its_value(server: LiveServer, facilitator: Facilitator,
                                      workshop: dict[str, Any]) -> None:
    wid = workshop["id"]
    voter = Participant(server, workshop["code"])
    polls = {
        "single_choice": facilitator.add_activity(wid, "single_choice", "S", ["a", "b"]),
        "multiple_choice": facilitator.add_activity(wid, "multiple_choice", "M",
                                                    ["a", "b", "c"], max_picks=2),
        "rating": facilitator.add_activity(wid, "rating", "R"),
        "scale": facilitator.add_activity(wid, "scale", "Sc", min=0, max=10,
                                          min_label="low", max_label="high"),
        "word_cloud": facilitator.add_activity(wid, "word_cloud", "W"),
        "open_text": facilitator.add_activity(wid, "open_text", "O"),
        "ranking": facilitator.add_activity(wid, "ranking", "Rk", ["x", "y", "z"]),
    }
    for poll in polls.values():
        facilitator.act(wid, poll["id"], "open")
    ids = {kind: [o["id"] for o in poll["options"]] for kind, poll in polls.items()}
    values = {
        "single_choice": ids["single_choice"][0],
        "multiple_choice": ids["multiple_choice"][:2],
        "rating": 5,
        "scale": 7,
        "word_cloud": ["clarity"],
        "open_text": "More examples, please",
        "ranking": list(reversed(ids["ranking"])),
    }
    for kind, value in values.items():
        response = voter.respond(polls[kind]["id"], value)
        assert response.status_code == 201, (kind, response.text)
        results = facilitator.results(wid, polls[kind]["id"])
        assert results["total"] == 1, kind
    assert facilitator.results(wid, polls["scale"]["id"])["mean"] == 7
    assert facilitator.results(wid, polls["open_text"]["id"])["answers"] == [
        "More examples, please"]
    ranking = facilitator.results(wid, polls["ranking"]["id"])["ranking"]
    assert [r["label"] for r in ranking] == ["z", "y", "x"]
    assert ranking[0]["average_rank"] == 1 and ranking[0]["points"] == 2

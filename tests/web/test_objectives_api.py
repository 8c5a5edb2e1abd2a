"""The objectives board's JSON API end to end against the real server (real SQLite file):
status codes, response shapes, and what the database kept."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import Facilitator, LiveServer, Participant
from tests.web.helpers import query

GOOD_TEXT = "Make our project delivery predictable for every client"
GOOD_KRS = [{"text": "Raise on-time milestones from 62% to 85% by end of Q3"},
            {"text": "Cut average lead time from 30 to 15 days"}]


class BoardScene:
    """A workshop with an objectives board (opened and on screen unless asked not to)."""

    def __init__(self, server: LiveServer, facilitator: Facilitator, *, open_: bool = True,
                 prompt: str = "What should we achieve this year?", **settings: Any) -> None:
        self.server = server
        self.facilitator = facilitator
        self.workshop = facilitator.create_workshop("OKR drafting")
        self.wid: str = self.workshop["id"]
        self.code: str = self.workshop["code"]
        self.activity = facilitator.add_activity(self.wid, "objectives", prompt, **settings)
        self.aid: str = self.activity["id"]
        if open_:
            facilitator.act(self.wid, self.aid, "open")
        facilitator.show(self.wid, self.aid)

    @property
    def base(self) -> str:
        return f"/api/v1/workshops/{self.wid}/activities/{self.aid}"

    def join(self, name: str = "") -> Participant:
        return Participant(self.server, self.code, name)

    def submit(self, who: Participant, text: str = GOOD_TEXT,
               key_results: list[Any] | None = None, client_id: str | None = None,
               **extra: Any) -> httpx.Response:
        return who.client.post(f"{self.base}/objectives", json={
            "text": text, "key_results": GOOD_KRS if key_results is None else key_results,
            "client_id": client_id or uuid.uuid4().hex, **extra})

    def submitted(self, who: Participant, text: str = GOOD_TEXT, **extra: Any) -> str:
        response = self.submit(who, text, **extra)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def board_action(self, action: str, api: httpx.Client | None = None) -> httpx.Response:
        return (api or self.facilitator.api).post(f"{self.base}/{action}")

    def moderate(self, objective_id: str, action: str) -> httpx.Response:
        return self.facilitator.api.post(f"{self.base}/objectives/{objective_id}/{action}")

    def vote(self, who: Participant, objective_id: str, client_id: str | None = None
             ) -> httpx.Response:
        return who.client.post(f"{self.base}/objectives/{objective_id}/votes",
                               json={"client_id": client_id or uuid.uuid4().hex})

    def wall(self, http: httpx.Client) -> dict[str, Any]:
        response = http.get(f"{self.base}/objectives")
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return query(self.server, sql, params)

    def objective_count(self) -> int:
        return int(self.rows("SELECT COUNT(*) FROM objectives WHERE activity_id = ?",
                             (self.aid,))[0][0])


@pytest.fixture
def scene(server: LiveServer, facilitator: Facilitator) -> BoardScene:
    return BoardScene(server, facilitator)


# -- submitting and reading the wall -----------------------------------------------------


def test_submit_then_read_the_wall(scene: BoardScene) -> None:
    alice = scene.join("Alice")
    response = scene.submit(alice, key_results=[
        {"text": "Raise on-time milestones", "metric": "on-time share", "baseline": "62",
         "target": "85", "unit": "%", "due": "Q3"}], client_id="first")
    assert response.status_code == 201
    assert set(response.json()) == {"id"}
    oid = response.json()["id"]

    mine = scene.wall(alice.client)
    assert mine == {
        "objectives": [{
            "id": oid, "text": GOOD_TEXT,
            "key_results": [{"text": "Raise on-time milestones", "metric": "on-time share",
                             "baseline": "62", "target": "85", "unit": "%", "due": "Q3"}],
            "votes": 0, "theme": None, "aligns_to": None, "hidden": False, "mine": True,
            "author": "Alice"}],
        "board": {"voting": "not_started", "wall_open": True, "spotlight_id": None},
    }
    console = scene.wall(scene.facilitator.api)
    assert console["objectives"][0]["mine"] is False
    assert console["objectives"][0]["author"] == "Alice"
    assert scene.rows("SELECT text, participant_id FROM objectives WHERE id = ?", (oid,)) == [
        (GOOD_TEXT, alice.id)]


def test_repeated_client_id_answers_200_with_the_same_id(scene: BoardScene) -> None:
    alice = scene.join()
    first = scene.submit(alice, client_id="retry-1")
    again = scene.submit(alice, "Something else entirely this time", client_id="retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert scene.objective_count() == 1


def test_aligns_to_an_organisation_objective(server: LiveServer,
                                             facilitator: Facilitator) -> None:
    scene = BoardScene(server, facilitator)
    org = facilitator.add_activity(scene.wid, "objectives", "Team OKRs",
                                   ["Win the public sector", "Halve churn"])
    facilitator.act(scene.wid, org["id"], "open")
    scene.aid = org["id"]
    target = org["options"][1]["id"]
    alice = scene.join()
    oid = scene.submitted(alice, aligns_to=target)
    assert scene.wall(alice.client)["objectives"][0]["aligns_to"] == target
    refused = scene.submit(alice, aligns_to="not-an-org-objective")
    assert refused.status_code == 422
    assert "organisation objectives" in refused.json()["detail"]
    assert scene.rows("SELECT aligns_to FROM objectives WHERE id = ?", (oid,)) == [(target,)]


@pytest.mark.parametrize(("body", "detail"), [
    ({"text": GOOD_TEXT, "key_results": []}, "at least one key result"),
    ({"text": GOOD_TEXT, "key_results": [{"text": " "}]}, "at least one key result"),
    ({"text": "x" * 201, "key_results": GOOD_KRS}, "limit is 200"),
    ({"text": GOOD_TEXT, "key_results": [{"text": "k" * 201}]}, "limit is 200"),
    ({"text": "x" * 401, "key_results": GOOD_KRS}, "text"),
    ({"text": "", "key_results": GOOD_KRS}, "must not be empty"),
    ({"text": GOOD_TEXT, "key_results": GOOD_KRS * 3}, "at most 5 key results"),
    ({"text": GOOD_TEXT, "key_results": [{"text": "Raise X", "owner": "me"}]}, "owner"),
    ({"text": GOOD_TEXT, "key_results": GOOD_KRS, "votes": 5}, "votes"),
])
def test_invalid_objectives_are_refused_with_422(scene: BoardScene, body: dict[str, Any],
                                                 detail: str) -> None:
    alice = scene.join()
    response = alice.client.post(f"{scene.base}/objectives",
                                 json={**body, "client_id": uuid.uuid4().hex})
    assert response.status_code == 422, response.text
    assert detail in response.json()["detail"]
    assert scene.objective_count() == 0


def test_submit_without_client_id_is_422(scene: BoardScene) -> None:
    response = scene.join().client.post(f"{scene.base}/objectives",
                                        json={"text": GOOD_TEXT, "key_results": GOOD_KRS})
    assert response.status_code == 422
    assert "client_id" in response.json()["detail"]
    assert scene.objective_count() == 0


def test_submit_before_the_board_opens_is_409(server: LiveServer,
                                              facilitator: Facilitator) -> None:
    scene = BoardScene(server, facilitator, open_=False)
    refused = scene.submit(scene.join())
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Drafting has not started yet."
    scene.facilitator.act(scene.wid, scene.aid, "open")
    assert scene.submit(scene.join()).status_code == 201


def test_unknown_board_or_objective_is_404_and_other_kinds_422(scene: BoardScene) -> None:
    alice = scene.join()
    ghost = f"/api/v1/workshops/{scene.wid}/activities/{uuid.uuid4().hex}"
    assert alice.client.get(f"{ghost}/objectives").status_code == 404
    assert alice.client.post(f"{ghost}/objectives", json={
        "text": GOOD_TEXT, "key_results": GOOD_KRS, "client_id": "x"}).status_code == 404
    assert alice.client.patch(f"{scene.base}/objectives/nope",
                              json={"text": "New text here"}).status_code == 404
    assert alice.client.delete(f"{scene.base}/objectives/nope").status_code == 404
    assert scene.facilitator.api.post(f"{scene.base}/objectives/nope/hide").status_code == 404
    poll = scene.facilitator.add_activity(scene.wid, "single_choice", "Day?", ["Mon", "Fri"])
    other = f"/api/v1/workshops/{scene.wid}/activities/{poll['id']}/objectives"
    not_a_board = alice.client.get(other)
    assert not_a_board.status_code == 422
    assert "not an objectives board" in not_a_board.json()["detail"]


# -- editing and withdrawing -------------------------------------------------------------


def test_patch_own_objective_and_facilitator_patches_any(scene: BoardScene) -> None:
    alice, bob = scene.join("Alice"), scene.join("Bob")
    oid = scene.submitted(alice)
    url = f"{scene.base}/objectives/{oid}"
    edited = alice.client.patch(url, json={"text": "Make delivery boringly predictable"})
    assert edited.status_code == 200, edited.text
    assert edited.json() == {
        "id": oid, "text": "Make delivery boringly predictable",
        "key_results": GOOD_KRS, "aligns_to": None, "theme": None, "hidden": False,
        "votes": 0}
    assert bob.client.patch(url, json={"text": "Hijacked by Bob"}).status_code == 403
    curated = scene.facilitator.api.patch(url, json={
        "key_results": [{"text": "Cut lead time from 30 to 15 days", "due": "Q3",
                         "metric": None}]})
    assert curated.status_code == 200, curated.text
    assert curated.json()["key_results"] == [
        {"text": "Cut lead time from 30 to 15 days", "due": "Q3"}]
    assert scene.rows("SELECT text FROM objectives WHERE id = ?", (oid,)) == [
        ("Make delivery boringly predictable",)]
    invalid = alice.client.patch(url, json={"key_results": []})
    assert invalid.status_code == 422
    assert "at least one key result" in invalid.json()["detail"]


def test_delete_own_objective(scene: BoardScene) -> None:
    alice, bob = scene.join(), scene.join()
    oid = scene.submitted(alice)
    url = f"{scene.base}/objectives/{oid}"
    assert bob.client.delete(url).status_code == 403
    assert scene.objective_count() == 1
    gone = alice.client.delete(url)
    assert gone.status_code == 204 and gone.content == b""
    assert scene.objective_count() == 0
    assert scene.wall(alice.client)["objectives"] == []
    assert alice.client.delete(url).status_code == 404


def test_lock_refuses_edits_with_409_and_unlock_accepts_them(scene: BoardScene) -> None:
    alice = scene.join()
    oid = scene.submitted(alice)
    url = f"{scene.base}/objectives/{oid}"
    locked = scene.board_action("lock")
    assert locked.status_code == 200
    assert locked.json() == {"voting": "not_started", "wall_open": True, "spotlight_id": None}
    refused = alice.client.patch(url, json={"text": "A later thought entirely"})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "The facilitator has locked this board: no more changes."
    assert scene.submit(alice).status_code == 409
    assert alice.client.delete(url).status_code == 409
    assert scene.rows("SELECT state FROM activities WHERE id = ?", (scene.aid,)) == [
        ("closed",)]
    assert scene.board_action("unlock").status_code == 200
    accepted = alice.client.patch(url, json={"text": "A later thought entirely"})
    assert accepted.status_code == 200
    assert scene.rows("SELECT text FROM objectives WHERE id = ?", (oid,)) == [
        ("A later thought entirely",)]


# -- drafts and hints --------------------------------------------------------------------


def test_draft_saved_restored_and_cleared_by_submitting(scene: BoardScene) -> None:
    alice, bob = scene.join(), scene.join()
    url = f"{scene.base}/draft"
    assert alice.client.get(url).json() == {"text": "", "key_results": [], "aligns_to": None}
    typed = {"text": "Make delivery pre", "key_results": [{"text": "Raise on-time", "due": "Q3"}]}
    saved = alice.client.put(url, json=typed)
    assert saved.status_code == 200, saved.text
    expected = {"text": "Make delivery pre", "aligns_to": None, "key_results": [
        {"text": "Raise on-time", "metric": "", "baseline": "", "target": "", "unit": "",
         "due": "Q3"}]}
    assert saved.json() == expected
    assert alice.client.get(url).json() == expected
    assert bob.client.get(url).json()["text"] == ""
    too_long = alice.client.put(url, json={"text": "t" * 401})
    assert too_long.status_code == 422
    assert alice.client.get(url).json() == expected  # the earlier draft is kept
    assert scene.submit(alice).status_code == 201
    assert alice.client.get(url).json() == {"text": "", "key_results": [], "aligns_to": None}


def test_hints_for_a_weak_draft(scene: BoardScene) -> None:
    alice = scene.join()
    response = alice.client.post(f"{scene.base}/hints", json={
        "text": "Grow 10%",
        "key_results": [{"text": "Launch newsletter"}, "Maintain NPS at 40"]})
    assert response.status_code == 200, response.text
    hints = response.json()["hints"]
    assert all(set(h) == {"field", "code", "message"} and h["message"] for h in hints)
    assert [(h["field"], h["code"]) for h in hints] == [
        ("objective", "objective_too_short"), ("objective", "objective_is_metric"),
        ("key_results.0", "kr_is_task"), ("key_results.0", "kr_no_number"),
        ("key_results.1", "kr_maintain")]


def test_hints_for_a_good_draft_are_empty(scene: BoardScene) -> None:
    response = scene.join().client.post(f"{scene.base}/hints",
                                        json={"text": GOOD_TEXT, "key_results": GOOD_KRS})
    assert response.status_code == 200
    assert response.json() == {"hints": []}


def test_hints_flag_too_many_key_results_for_the_board(server: LiveServer,
                                                       facilitator: Facilitator) -> None:
    scene = BoardScene(server, facilitator, max_key_results=2)
    response = scene.join().client.post(f"{scene.base}/hints", json={
        "text": GOOD_TEXT, "key_results": [*GOOD_KRS, "Raise NPS from 20 to 40 this year"]})
    assert [(h["field"], h["code"]) for h in response.json()["hints"]] == [
        ("key_results", "too_many_key_results")]
    # facilitators may ask too; strangers may not
    assert scene.facilitator.api.post(f"{scene.base}/hints",
                                      json={"text": GOOD_TEXT}).status_code == 200
    assert httpx.post(server.base_url + f"{scene.base}/hints",
                      json={"text": GOOD_TEXT}).status_code == 401


# -- dot voting --------------------------------------------------------------------------


def test_dot_voting_round_trip(server: LiveServer, facilitator: Facilitator) -> None:
    scene = BoardScene(server, facilitator, dots=2)
    alice, bob = scene.join("Alice"), scene.join("Bob")
    first = scene.submitted(alice)
    second = scene.submitted(bob, "Happier clients all year round")
    early = scene.vote(bob, first)
    assert early.status_code == 409 and early.json()["detail"] == "Voting is not open."

    opened = scene.board_action("open-voting")
    assert opened.status_code == 200
    assert opened.json() == {"voting": "open", "wall_open": True, "spotlight_id": None}
    added = scene.vote(bob, first, "bob-1")
    assert added.status_code == 201 and added.json() == {"status": "added"}
    retried = scene.vote(bob, first, "bob-1")
    assert retried.status_code == 200 and retried.json() == {"status": "already_applied"}
    again = scene.vote(bob, first)
    assert again.status_code == 409
    assert again.json()["detail"] == "You already voted for this objective."
    assert scene.vote(bob, second).status_code == 201
    spent = scene.vote(bob, scene.submitted(alice, "A third objective for the wall"))
    assert spent.status_code == 409
    assert spent.json()["detail"] == "You have used all 2 of your votes."
    assert scene.vote(alice, first).status_code == 201
    wall = scene.wall(alice.client)
    assert {o["id"]: o["votes"] for o in wall["objectives"]}[first] == 2
    assert wall["board"]["voting"] == "open"
    assert wall["objectives"][0]["id"] == first  # most votes first once voting started

    taken_back = bob.client.delete(f"{scene.base}/objectives/{second}/votes")
    assert taken_back.status_code == 204
    assert bob.client.delete(f"{scene.base}/objectives/{second}/votes").status_code == 409
    assert scene.rows("SELECT COUNT(*) FROM objective_votes WHERE activity_id = ?",
                      (scene.aid,)) == [(2,)]
    assert scene.board_action("close-voting").json()["voting"] == "closed"
    assert scene.vote(bob, second).status_code == 409
    assert scene.board_action("close-voting").status_code == 409
    assert scene.vote(bob, "nope").status_code == 409  # closed before looking it up


def test_facilitators_do_not_vote(scene: BoardScene) -> None:
    oid = scene.submitted(scene.join())
    scene.board_action("open-voting")
    refused = scene.facilitator.api.post(f"{scene.base}/objectives/{oid}/votes",
                                         json={"client_id": "f-1"})
    assert refused.status_code == 403
    assert scene.rows("SELECT COUNT(*) FROM objective_votes WHERE objective_id = ?",
                      (oid,)) == [(0,)]


def test_hidden_votes_until_voting_closes(server: LiveServer, facilitator: Facilitator
                                          ) -> None:
    scene = BoardScene(server, facilitator, hide_votes_until_closed=True)
    alice = scene.join()
    oid = scene.submitted(alice)
    scene.board_action("open-voting")
    assert scene.vote(alice, oid).status_code == 201
    assert scene.wall(alice.client)["objectives"][0]["votes"] is None
    assert scene.wall(scene.facilitator.api)["objectives"][0]["votes"] == 1
    scene.board_action("close-voting")
    assert scene.wall(alice.client)["objectives"][0]["votes"] == 1


# -- curation ----------------------------------------------------------------------------


def test_hide_unhide_spotlight_theme(scene: BoardScene) -> None:
    alice, bob = scene.join(), scene.join()
    shown = scene.submitted(alice)
    other = scene.submitted(bob, "Something off topic for today")
    hidden = scene.moderate(other, "hide")
    assert hidden.status_code == 200
    assert hidden.json()["hidden"] is True and hidden.json()["id"] == other
    assert [o["id"] for o in scene.wall(alice.client)["objectives"]] == [shown]
    assert [(o["id"], o["hidden"]) for o in scene.wall(bob.client)["objectives"]] == [
        (shown, False), (other, True)]
    assert [(o["id"], o["hidden"]) for o in scene.wall(scene.facilitator.api)["objectives"]
            ] == [(shown, False), (other, True)]
    assert scene.moderate(other, "unhide").json()["hidden"] is False
    assert len(scene.wall(alice.client)["objectives"]) == 2

    assert scene.moderate(shown, "spotlight").status_code == 200
    assert scene.wall(alice.client)["board"]["spotlight_id"] == shown
    assert scene.moderate(shown, "unspotlight").status_code == 200
    assert scene.wall(alice.client)["board"]["spotlight_id"] is None
    unknown = scene.moderate(shown, "explode")
    assert unknown.status_code == 422

    themed = scene.facilitator.api.put(f"{scene.base}/objectives/{other}/theme",
                                       json={"theme": "Clients"})
    assert themed.status_code == 200 and themed.json()["theme"] == "Clients"
    assert [o["id"] for o in scene.wall(alice.client)["objectives"]] == [other, shown]
    too_long = scene.facilitator.api.put(f"{scene.base}/objectives/{other}/theme",
                                         json={"theme": "t" * 61})
    assert too_long.status_code == 422
    cleared = scene.facilitator.api.put(f"{scene.base}/objectives/{other}/theme", json={})
    assert cleared.status_code == 200 and cleared.json()["theme"] is None
    assert scene.rows("SELECT theme FROM objectives WHERE id = ?", (other,)) == [("",)]


def test_merge_keeps_authors_and_sums_votes(server: LiveServer, facilitator: Facilitator
                                            ) -> None:
    scene = BoardScene(server, facilitator)
    alice, bob, carol = scene.join("Alice"), scene.join("Bob"), scene.join("Carol")
    kept = scene.submitted(alice)
    dup = scene.submitted(bob, "Deliver our projects predictably")
    scene.board_action("open-voting")
    for voter, oid in ((alice, kept), (bob, dup), (carol, dup)):
        assert scene.vote(voter, oid).status_code == 201
    merged = scene.facilitator.api.post(f"{scene.base}/objectives/merge",
                                        json={"ids": [kept, dup]})
    assert merged.status_code == 200, merged.text
    assert merged.json()["id"] == kept and merged.json()["votes"] == 3
    wall = scene.wall(carol.client)["objectives"]
    assert [(o["id"], o["author"], o["votes"]) for o in wall] == [(kept, "Alice & Bob", 3)]
    assert scene.rows("SELECT COUNT(*) FROM objectives WHERE id = ?", (dup,)) == [(0,)]
    # Bob is an author of the merged objective now
    assert bob.client.patch(f"{scene.base}/objectives/{kept}",
                            json={"text": "Predictable delivery for all"}).status_code == 200
    assert scene.facilitator.api.post(f"{scene.base}/objectives/merge",
                                      json={"ids": [kept]}).status_code == 422
    assert scene.facilitator.api.post(f"{scene.base}/objectives/merge",
                                      json={"ids": [kept, kept]}).status_code == 422
    assert scene.facilitator.api.post(f"{scene.base}/objectives/merge",
                                      json={"ids": [kept, "nope"]}).status_code == 404


def test_silent_drafting_and_the_wall_switch(server: LiveServer, facilitator: Facilitator
                                             ) -> None:
    scene = BoardScene(server, facilitator, silent_drafting=True, show_names=False)
    alice, bob = scene.join("Alice"), scene.join("Bob")
    a = scene.submitted(alice)
    b = scene.submitted(bob, "Happier clients all year round")
    board = scene.wall(alice.client)
    assert board["board"]["wall_open"] is False
    assert [o["id"] for o in board["objectives"]] == [a]
    assert "author" not in board["objectives"][0]
    assert scene.board_action("open-wall").json()["wall_open"] is True
    assert [o["id"] for o in scene.wall(alice.client)["objectives"]] == [a, b]
    facilitator_view = scene.wall(scene.facilitator.api)["objectives"]
    assert [o["author"] for o in facilitator_view] == ["Alice", "Bob"]
    assert scene.board_action("close-wall").json()["wall_open"] is False
    assert [o["id"] for o in scene.wall(bob.client)["objectives"]] == [b]


# -- piping ------------------------------------------------------------------------------


def voted(scene: BoardScene) -> dict[str, str]:
    """Objectives with 0, 3, 1 and 2 votes, and a hidden one with 4."""
    author = scene.join()
    made = {n: scene.submitted(author, f"Objective with {n} votes")
            for n in ("zero", "three", "one", "two", "hidden")}
    scene.board_action("open-voting")
    for name, count in (("three", 3), ("one", 1), ("two", 2), ("hidden", 4)):
        for _ in range(count):
            assert scene.vote(scene.join(), made[name]).status_code == 201
    assert scene.moderate(made["hidden"], "hide").status_code == 200
    return made


@pytest.mark.parametrize(("kind", "top", "expected"), [
    ("ranking", 2, ["three", "two"]),
    ("multiple_choice", 3, ["three", "two", "one"]),
    ("placement", 2, ["three", "two"]),
])
def test_pipe_top_n(scene: BoardScene, kind: str, top: int, expected: list[str]) -> None:
    voted(scene)
    response = scene.facilitator.api.post(f"{scene.base}/pipe", json={"kind": kind, "top": top})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["activity_id"] == body["activity"]["id"]
    assert body["activity"]["kind"] == kind
    assert [o["label"] for o in body["activity"]["options"]] == [
        f"Objective with {n} votes" for n in expected]
    agenda = scene.facilitator.api.get(f"/api/v1/workshops/{scene.wid}").json()["activities"]
    assert [a["id"] for a in agenda][-1] == body["activity_id"]


def test_pipe_refusals(scene: BoardScene) -> None:
    url = f"{scene.base}/pipe"
    only = scene.submitted(scene.join())
    too_few = scene.facilitator.api.post(url, json={"kind": "ranking"})
    assert too_few.status_code == 409
    assert "at least two visible objectives" in too_few.json()["detail"]
    assert only
    scene.submitted(scene.join(), "Happier clients all year round")
    assert scene.facilitator.api.post(url, json={"kind": "word_cloud"}).status_code == 422
    assert scene.facilitator.api.post(url, json={"kind": "ranking", "top": 1}).status_code == 422
    assert scene.facilitator.api.post(url, json={"kind": "ranking", "x": 1}).status_code == 422
    activities = scene.facilitator.api.get(f"/api/v1/workshops/{scene.wid}").json()["activities"]
    assert len(activities) == 1


def test_poll_planned_from_the_board_fills_its_options_on_open(scene: BoardScene) -> None:
    planned = scene.facilitator.add_activity(scene.wid, "ranking", "Rank them",
                                             source_activity_id=scene.aid, source_top=2)
    assert planned["options"] == []
    open_url = f"/api/v1/workshops/{scene.wid}/activities/{planned['id']}/open"
    scene.submitted(scene.join())
    refused = scene.facilitator.api.post(open_url)
    assert refused.status_code == 409
    assert "at least two visible objectives" in refused.json()["detail"]
    made = voted(scene)
    opened = scene.facilitator.api.post(open_url)
    assert opened.status_code == 200, opened.text
    assert opened.json()["state"] == "open"
    assert [o["label"] for o in opened.json()["options"]] == [
        "Objective with three votes", "Objective with two votes"]
    assert made["hidden"]

"""The objectives wall live over real WebSocket connections, HTML escaping in every
audience's fragment, and the participant's HTML form routes (autosaved draft with hints,
form submit, refused submit keeping the draft).

Each socket first receives the full current state of its screen, then fragments as things
change. The wall is the `#results` fragment for participants and the console, and the
`#stage` fragment on the presenter screen; `data-total` counts the objectives visible to
that audience, each objective carries `data-objective-id` and `data-votes`."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support import Facilitator, LiveServer, Participant
from tests.web.helpers import (
    AudienceSockets,
    assert_no_server_errors,
    attribute,
    first,
    fragment,
    wait_for,
)
from tests.web.test_objectives_api import GOOD_KRS, GOOD_TEXT, BoardScene

CSRF_COOKIE = "workshop_csrf"


@pytest.fixture(autouse=True)
def _no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_server_errors(caplog)


class Live(BoardScene, AudienceSockets):
    """A board on screen, with sockets for each audience."""

    def __init__(self, server: LiveServer, facilitator: Facilitator, **settings: Any) -> None:
        super().__init__(server, facilitator, **settings)
        self.browser = facilitator.browser_client()


@pytest.fixture
def live(server: LiveServer, facilitator: Facilitator) -> Live:
    return Live(server, facilitator)


def wall_id(audience: str) -> str:
    return "stage" if audience == "presenter" else "results"


def wall_of(message: str, audience: str) -> str | None:
    """The wall fragment of one audience in a message (None when absent)."""
    return fragment(message, wall_id(audience))


def total_is(audience: str, value: int) -> Callable[[str], bool]:
    return lambda m: attribute(m, wall_id(audience), "data-total") == str(value)


def card_votes(wall: str, objective_id: str) -> str | None:
    """data-votes of one objective's element on the wall, or None if it is not there."""
    for tag in re.findall(r"<li\b[^>]*>", wall):
        if f'data-objective-id="{objective_id}"' in tag:
            match = re.search(r'data-votes="([^"]*)"', tag)
            assert match, tag
            return match.group(1)
    return None


def votes_are(audience: str, objective_id: str, value: str) -> Callable[[str], bool]:
    """A message whose wall for this audience shows the objective with data-votes=value."""
    return lambda m: card_votes(wall_of(m, audience) or "", objective_id) == value


def wall_contains(audience: str, text: str) -> Callable[[str], bool]:
    return lambda m: text in (wall_of(m, audience) or "")


def card_tag(wall: str, objective_id: str) -> str | None:
    return next((t for t in re.findall(r"<li\b[^>]*>", wall)
                 if f'data-objective-id="{objective_id}"' in t), None)


def card(wall: str, objective_id: str) -> str:
    """The objective's element with its content (up to the next card or the list's end)."""
    tag = card_tag(wall, objective_id)
    assert tag is not None, f"{objective_id} not on the wall"
    start = wall.index(tag)
    following = [wall.find(marker, start + len(tag)) for marker in
                 ('<li class="objective-card', "</ul>")]
    end = min(p for p in following if p >= 0)
    return wall[start:end]


# -- the wall updates live ---------------------------------------------------------------


def test_first_message_is_the_empty_wall(live: Live) -> None:
    alice = live.join("Alice")
    with live.participant_socket(alice) as p, live.console_socket() as c, \
            live.presenter_socket() as s:
        for ws, audience in ((p, "participant"), (c, "facilitator"), (s, "presenter")):
            message = first(ws)
            assert attribute(message, wall_id(audience), "data-activity-id") == live.aid
            assert attribute(message, wall_id(audience), "data-total") == "0", audience


def test_wall_grows_on_every_screen_after_a_submit(live: Live) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    with live.participant_socket(bob) as p, live.console_socket() as c, \
            live.presenter_socket() as s:
        sockets = ((p, "participant"), (c, "facilitator"), (s, "presenter"))
        for ws, audience in sockets:
            assert total_is(audience, 0)(first(ws))
        oid = live.submitted(alice)
        for ws, audience in sockets:
            message = wait_for(ws, total_is(audience, 1), what=f"{audience} wall of 1")
            wall = wall_of(message, audience)
            assert wall is not None
            assert attribute(message, wall_id(audience), "data-activity-id") == live.aid
            assert card_votes(wall, oid) == "0", audience
            assert GOOD_TEXT in wall and GOOD_KRS[0]["text"] in wall
        second = live.submitted(bob, "Happier clients all year round")
        for ws, audience in sockets:
            wall = wall_of(wait_for(ws, total_is(audience, 2), what=f"{audience} wall of 2"),
                           audience)
            assert wall is not None
            assert card_tag(wall, oid) and card_tag(wall, second)


def test_a_dot_vote_raises_data_votes(live: Live) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    oid = live.submitted(alice)
    other = live.submitted(alice, "Happier clients all year round")
    assert live.board_action("open-voting").status_code == 200
    with live.participant_socket(bob) as p, live.console_socket() as c, \
            live.presenter_socket() as s:
        sockets = ((p, "participant"), (c, "facilitator"), (s, "presenter"))
        for ws, audience in sockets:
            wall = wall_of(first(ws), audience)
            assert wall is not None
            assert card_votes(wall, oid) == "0"
        assert live.vote(bob, oid).status_code == 201
        for ws, audience in sockets:
            message = wait_for(ws, votes_are(audience, oid, "1"),
                               what=f"{audience} wall with one vote")
            wall = wall_of(message, audience)
            assert wall is not None
            assert card_votes(wall, other) == "0"
            assert attribute(message, wall_id(audience), "data-voting") == "open"
        assert live.vote(alice, oid).status_code == 201
        for ws, audience in sockets:
            wait_for(ws, votes_are(audience, oid, "2"), what=f"{audience} wall with two votes")


def test_hidden_vote_counts_stay_hidden_from_the_room(server: LiveServer,
                                                      facilitator: Facilitator) -> None:
    live = Live(server, facilitator, hide_votes_until_closed=True)
    alice = live.join()
    oid = live.submitted(alice)
    live.board_action("open-voting")
    with live.participant_socket(alice) as p, live.console_socket() as c:
        first(p), first(c)
        assert live.vote(alice, oid).status_code == 201
        console = wait_for(c, votes_are("facilitator", oid, "1"), what="console vote count")
        assert console
        public = wait_for(p, lambda m: wall_of(m, "participant") is not None,
                          what="participant wall after the vote")
        assert card_votes(wall_of(public, "participant") or "", oid) == ""
        live.board_action("close-voting")
        wait_for(p, votes_are("participant", oid, "1"),
                 what="participant count after voting closed")


def test_hidden_objective_leaves_the_room_but_stays_on_the_console(live: Live) -> None:
    alice, bob = live.join("Alice"), live.join("Bob")
    shown = live.submitted(alice)
    hidden = live.submitted(bob, "Something off topic for today")
    with live.participant_socket(alice) as p, live.console_socket() as c, \
            live.presenter_socket() as s:
        for ws, audience in ((p, "participant"), (c, "facilitator"), (s, "presenter")):
            wall = wall_of(first(ws), audience)
            assert wall is not None and card_tag(wall, hidden) is not None
        assert live.moderate(hidden, "hide").status_code == 200
        for ws, audience in ((p, "participant"), (s, "presenter")):
            message = wait_for(ws, total_is(audience, 1), what=f"{audience} without it")
            wall = wall_of(message, audience)
            assert wall is not None
            assert card_tag(wall, shown) is not None
            assert card_tag(wall, hidden) is None and "off topic" not in wall
        console = wait_for(
            c, lambda m: "is-hidden" in (card_tag(wall_of(m, "facilitator") or "", hidden)
                                          or ""),
            what="console marking it hidden")
        wall = wall_of(console, "facilitator")
        assert wall is not None
        assert attribute(console, "results", "data-total") == "2"
        assert "Hidden" in card(wall, hidden) and "Unhide" in card(wall, hidden)
        assert "is-hidden" not in (card_tag(wall, shown) or "")
        # and back
        assert live.moderate(hidden, "unhide").status_code == 200
        wait_for(p, total_is("participant", 2), what="participant wall with it again")


# -- HTML injection ----------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
NAME = '<b onmouseover="x()">Mallory</b>'
RAW = (SCRIPT, "<img src=x", "<u>m</u>", "<i>Theme</i>", "<b onmouseover")


def escaped_everywhere(text: str, *forbidden: str) -> None:
    for raw in forbidden:
        assert raw not in text
    assert html.escape(SCRIPT, quote=False) in text


def test_objective_text_arrives_escaped_in_every_audience(live: Live) -> None:
    mallory = live.join(NAME)
    with live.participant_socket(live.join()) as p, live.console_socket() as c, \
            live.presenter_socket() as s:
        sockets = ((p, "participant"), (c, "facilitator"), (s, "presenter"))
        for ws, _ in sockets:
            first(ws)
        oid = live.submitted(mallory, SCRIPT, key_results=[
            {"text": IMG, "metric": "<u>m</u>", "baseline": "1", "target": "2"}])
        assert live.facilitator.api.put(f"{live.base}/objectives/{oid}/theme",
                                        json={"theme": "<i>Theme</i>"}).status_code == 200
        for ws, audience in sockets:
            message = wait_for(ws, wall_contains(audience, "&lt;i&gt;Theme&lt;/i&gt;"),
                               what=f"{audience} wall with the theme")
            wall = wall_of(message, audience)
            assert wall is not None and card_tag(wall, oid) is not None
            escaped_everywhere(message, *RAW)
            assert "&lt;img src=x onerror=" in wall
            assert "&lt;u&gt;m&lt;/u&gt;" in wall
            assert "&lt;b onmouseover=" in wall
        live.board_action("open-voting")
        # the participant's vote buttons put the text in an attribute, escaped too
        voting = wait_for(p, lambda m: 'class="vote-buttons"' in (
            wall_of(m, "participant") or ""), what="participant vote buttons")
        escaped_everywhere(voting, *RAW)
        assert "Vote for “&lt;script&gt;alert(1)&lt;/script&gt;”" in voting
    for page in (mallory.client.get(f"/j/{live.code}").text,
                 mallory.client.get(f"/j/{live.code}/activities/{live.aid}/mine").text,
                 live.browser.get(f"/console/{live.wid}").text,
                 live.browser.get(f"/present/{live.wid}").text):
        escaped_everywhere(page, *RAW)


# -- the participant's HTML form routes --------------------------------------------------


def html_session(live: Live, participant: Participant) -> str:
    """Load the participant page like a browser: it sets the CSRF cookie; return it."""
    page = participant.client.get(f"/j/{live.code}")
    assert page.status_code == 200, page.text
    token = participant.client.cookies.get(CSRF_COOKIE)
    assert token, "the page set no CSRF cookie"
    assert f'name="csrf_token" value="{token}"' in page.text
    return str(token)


def form_url(live: Live, suffix: str) -> str:
    return f"/j/{live.code}/activities/{live.aid}/{suffix}"


def input_value(page: str, element_id: str) -> str | None:
    value = attribute(page, element_id, "value")
    return None if value is None else html.unescape(value)


def textarea(page: str, element_id: str) -> str | None:
    match = re.search(rf'<textarea[^>]*\bid="{element_id}"[^>]*>(.*?)</textarea>', page,
                      re.S)
    return None if match is None else html.unescape(match.group(1))


def test_autosave_returns_hints_out_of_band_and_mine_restores_the_draft(live: Live) -> None:
    alice = live.join("Alice")
    token = html_session(live, alice)
    saved = alice.client.put(form_url(live, "draft"), headers={"X-CSRF-Token": token}, data={
        "text": "Grow 10%", "kr-0-text": "Launch newsletter", "kr-0-target": "5000",
        "kr-1-text": "Maintain NPS at 40 <b>"})
    assert saved.status_code == 200, saved.text
    body = saved.text
    for element_id in ("hint-objective", "hint-kr-0", "hint-kr-1", "hint-key_results",
                       "draft-status"):
        assert attribute(body, element_id, "hx-swap-oob") == "true", element_id
    assert 'data-code="objective_too_short"' in (fragment(body, "hint-objective") or "")
    assert 'data-code="kr_is_task"' in (fragment(body, "hint-kr-0") or "")
    assert 'data-code="kr_maintain"' in (fragment(body, "hint-kr-1") or "")
    assert "Draft saved" in (fragment(body, "draft-status") or "")

    mine = alice.client.get(form_url(live, "mine"))
    assert mine.status_code == 200
    page = mine.text
    assert attribute(page, "mine", "class") == "mine"
    assert textarea(page, "objective-text") == "Grow 10%"
    assert input_value(page, "kr-0-text") == "Launch newsletter"
    assert input_value(page, "kr-0-target") == "5000"
    assert input_value(page, "kr-1-text") == "Maintain NPS at 40 <b>"
    assert input_value(page, "kr-2-text") == ""
    assert "<b>" not in page
    assert 'data-code="kr_is_task"' in (fragment(page, "hint-kr-0") or "")
    assert alice.client.get(f"{live.base}/draft").json()["key_results"][0] == {
        "text": "Launch newsletter", "metric": "", "baseline": "", "target": "5000",
        "unit": "", "due": ""}
    # someone else's form is empty
    bob = live.join("Bob")
    assert textarea(bob.client.get(form_url(live, "mine")).text, "objective-text") == ""


def test_autosave_needs_the_csrf_token(live: Live) -> None:
    alice = live.join()
    token = html_session(live, alice)
    assert alice.client.put(form_url(live, "draft"), headers={"X-CSRF-Token": token},
                            data={"text": "First words"}).status_code == 200
    forged = alice.client.put(form_url(live, "draft"), headers={"X-CSRF-Token": "forged"},
                              data={"text": "Overwritten"})
    assert forged.status_code == 403
    missing = alice.client.put(form_url(live, "draft"), data={"text": "Overwritten"})
    assert missing.status_code == 403
    assert alice.client.get(f"{live.base}/draft").json()["text"] == "First words"


def test_form_submit_stores_the_objective_and_clears_the_draft(live: Live) -> None:
    alice = live.join("Alice")
    token = html_session(live, alice)
    alice.client.put(form_url(live, "draft"), headers={"X-CSRF-Token": token},
                     data={"text": "Half a thought"})
    form = {"csrf_token": token, "client_id": uuid.uuid4().hex, "text": GOOD_TEXT,
            "kr-0-text": GOOD_KRS[0]["text"], "kr-0-due": "Q3", "kr-1-text": "",
            "kr-2-text": GOOD_KRS[1]["text"]}
    posted = alice.client.post(form_url(live, "objectives"), data=form)
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/j/{live.code}"
    again = alice.client.post(form_url(live, "objectives"), data=form)  # double click
    assert again.status_code == 303
    assert live.rows("SELECT text, key_results FROM objectives WHERE activity_id = ?",
                     (live.aid,)) == [(GOOD_TEXT, '[{"text": "' + GOOD_KRS[0]["text"]
                                       + '", "due": "Q3"}, {"text": "'
                                       + GOOD_KRS[1]["text"] + '"}]')]
    assert alice.client.get(f"{live.base}/draft").json()["text"] == ""
    mine = alice.client.get(form_url(live, "mine")).text
    assert textarea(mine, "objective-text") == ""
    assert 'id="my-objectives-heading"' in mine
    assert GOOD_TEXT in mine.split('id="my-objectives-heading"')[1]


def test_htmx_form_submit_answers_with_the_mine_fragment(live: Live) -> None:
    alice = live.join()
    token = html_session(live, alice)
    posted = alice.client.post(form_url(live, "objectives"), headers={"HX-Request": "true"},
                               data={"csrf_token": token, "client_id": uuid.uuid4().hex,
                                     "text": GOOD_TEXT, "kr-0-text": GOOD_KRS[0]["text"]})
    assert posted.status_code == 200
    assert posted.text.lstrip().startswith('<div id="mine"')
    assert "Objective submitted" in posted.text
    assert live.objective_count() == 1


def test_form_submit_without_csrf_is_refused(live: Live) -> None:
    alice = live.join()
    html_session(live, alice)
    refused = alice.client.post(form_url(live, "objectives"), data={
        "client_id": uuid.uuid4().hex, "text": GOOD_TEXT, "kr-0-text": GOOD_KRS[0]["text"]})
    assert refused.status_code == 403
    assert live.objective_count() == 0


@pytest.mark.parametrize("htmx", [False, True])
def test_refused_over_long_submission_keeps_the_draft(live: Live, htmx: bool) -> None:
    alice = live.join()
    token = html_session(live, alice)
    typed = "An objective that goes on and on " * 8  # 264 characters
    assert len(typed.strip()) > 200
    headers = {"HX-Request": "true"} if htmx else {}
    refused = alice.client.post(form_url(live, "objectives"), headers=headers, data={
        "csrf_token": token, "client_id": uuid.uuid4().hex, "text": typed,
        "kr-0-text": "Raise on-time milestones from 62% to 85%"})
    assert refused.status_code == 422
    assert "limit is 200" in html.unescape(refused.text)
    assert textarea(refused.text, "objective-text") == typed
    assert input_value(refused.text, "kr-0-text") == "Raise on-time milestones from 62% to 85%"
    assert live.objective_count() == 0
    # kept as the saved draft: a reload brings it back
    assert alice.client.get(f"{live.base}/draft").json()["text"] == typed
    assert textarea(alice.client.get(form_url(live, "mine")).text, "objective-text") == typed


def test_html_dot_vote_answers_with_my_dots(live: Live) -> None:
    alice = live.join()
    oid = live.submitted(live.join())
    live.board_action("open-voting")
    token = html_session(live, alice)
    url = form_url(live, f"objectives/{oid}/vote")
    voted = alice.client.post(url, headers={"HX-Request": "true"},
                              data={"csrf_token": token, "client_id": "dot-1"})
    assert voted.status_code == 200
    assert attribute(voted.text, "my-dots", "data-voted") == oid
    twice = alice.client.post(url, headers={"HX-Request": "true"},
                              data={"csrf_token": token, "client_id": "dot-2"})
    assert twice.status_code == 409
    assert "You already voted for this objective." in twice.text
    assert live.rows("SELECT COUNT(*) FROM objective_votes WHERE objective_id = ?",
                     (oid,)) == [(1,)]


def test_participant_page_shows_the_board_with_the_restored_draft(live: Live) -> None:
    alice = live.join()
    token = html_session(live, alice)
    alice.client.put(form_url(live, "draft"), headers={"X-CSRF-Token": token},
                     data={"text": "Where we want to be", "kr-0-text": "Raise X from 1 to 2"})
    page = alice.client.get(f"/j/{live.code}").text
    assert textarea(page, "objective-text") == "Where we want to be"
    assert input_value(page, "kr-0-text") == "Raise X from 1 to 2"
    assert attribute(page, "results", "data-activity-id") == live.aid

"""The HTML pages, used the way a browser without JavaScript uses them: forms, redirects,
cookies. Participant text is escaped everywhere it is shown, live fragments included."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import PASSWORD, Facilitator, LiveServer, Participant, client, csrf_from
from tests.web.helpers import (
    WAIT_SECONDS,
    assert_no_server_errors,
    attribute,
    cookie_header,
    query,
    snapshot,
    wait_for,
    ws_connect,
)
from workshop.services.container import open_services
from workshop.settings import Settings

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '<img src=x onerror="alert(2)">'
IMG_ESCAPED = "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;"


@pytest.fixture(autouse=True)
def _no_server_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    assert_no_server_errors(caplog)


def assert_escaped(html: str, raw: str = XSS, escaped: str = ESCAPED) -> None:
    assert raw not in html
    assert escaped in html, html[:3000]


def form_fields(html: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to `action`, as a browser would submit them."""
    start = html.find(f'action="{action}"')
    assert start >= 0, f"no form posts to {action}"
    form = html[start: html.find("</form>", start)]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def join_by_form(server: LiveServer, code: str, name: str = "") -> httpx.Client:
    browser = client(server.base_url)
    page = browser.get(f"/j/{code}")
    assert page.status_code == 200, page.text[:500]
    joined = browser.post(f"/j/{code}", data={"name": name, "csrf_token": csrf_from(page.text)})
    assert joined.status_code == 303, joined.text[:500]
    return browser


# -- escaping --------------------------------------------------------------------------


def test_participant_text_is_escaped_on_every_page_and_fragment(
        server: LiveServer, facilitator: Facilitator) -> None:
    workshop = facilitator.create_workshop(IMG)
    wid, code = workshop["id"], workshop["code"]
    poll = facilitator.add_activity(wid, "open_text", IMG + " tell us")
    facilitator.act(wid, poll["id"], "open")
    facilitator.show(wid, poll["id"])
    browser = facilitator.browser_client()
    attacker = join_by_form(server, code, XSS)

    with (ws_connect(server, f"/ws/console/{wid}", cookies=cookie_header(browser)) as console,
          ws_connect(server, f"/ws/present/{wid}", cookies=cookie_header(browser)) as screen,
          ws_connect(server, f"/ws/j/{code}", cookies=cookie_header(attacker)) as mine):
        for ws in (console, screen, mine):
            assert_escaped(str(ws.recv(timeout=WAIT_SECONDS)), IMG, IMG_ESCAPED)
        page = attacker.get(f"/j/{code}")
        fields = form_fields(page.text, f"/j/{code}/activities/{poll['id']}/vote")
        voted = attacker.post(f"/j/{code}/activities/{poll['id']}/vote",
                              data={**fields, "text": XSS})
        assert voted.status_code == 303
        assert_escaped(wait_for(console, lambda m: attribute(m, "results", "data-total") == "1",
                                what="the answer on the console"))
        facilitator.act(wid, poll["id"], "reveal")
        assert_escaped(wait_for(screen, lambda m: "wall-card" in m, what="the wall"))
        assert_escaped(wait_for(mine, lambda m: "wall-card" in m, what="revealed results"))

    pages = {
        "participant": attacker.get(f"/j/{code}").text,
        "console": browser.get(f"/console/{wid}").text,
        "presenter": browser.get(f"/present/{wid}").text,
        "dashboard": browser.get("/console").text,
    }
    for name, html in pages.items():
        assert IMG not in html, name
        assert IMG_ESCAPED in html, name
        if name != "dashboard":
            assert_escaped(html)
    # the participant's own name and answer on their page
    assert f'<span class="who">{ESCAPED}</span>' in pages["participant"]
    assert "You said: " in pages["participant"]
    assert ESCAPED in pages["participant"].split("You said: ")[1][:200]
    # and through the JSON API the text comes back exactly as typed
    assert facilitator.results(wid, poll["id"])["answers"] == [XSS]


def test_join_form_error_escapes_the_name(server: LiveServer, workshop: dict[str, Any]) -> None:
    browser = client(server.base_url)
    page = browser.get(f"/j/{workshop['code']}")
    long_xss = XSS * 3
    response = browser.post(f"/j/{workshop['code']}",
                            data={"name": long_xss, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422
    assert_escaped(response.text)
    assert "the limit is 40" in response.text


def test_word_cloud_and_option_labels_are_escaped(server: LiveServer,
                                                  facilitator: Facilitator) -> None:
    workshop = facilitator.create_workshop("Escapes")
    wid = workshop["id"]
    cloud = facilitator.add_activity(wid, "word_cloud", "Word?")
    choice = facilitator.add_activity(wid, "single_choice", "Pick", [XSS, "plain"])
    for poll in (cloud, choice):
        facilitator.act(wid, poll["id"], "open")
    voter = Participant(server, workshop["code"])
    assert voter.respond(cloud["id"], [XSS]).status_code == 201
    assert voter.respond(choice["id"], choice["options"][0]["id"]).status_code == 201
    facilitator.act(wid, cloud["id"], "reveal")
    browser = facilitator.browser_client()
    # a word loses its surrounding punctuation: "<script>…</script>" → "script>…</script"
    word, word_escaped = "script>alert(1)</script", "script&gt;alert(1)&lt;/script"
    assert facilitator.results(wid, cloud["id"])["words"] == [{"word": word, "count": 1}]
    for poll, raw, escaped in ((cloud, word, word_escaped), (choice, XSS, ESCAPED)):
        facilitator.show(wid, poll["id"])
        assert_escaped(browser.get(f"/console/{wid}").text, raw, escaped)
        assert_escaped(browser.get(f"/present/{wid}").text, raw, escaped)
        assert_escaped(voter.client.get(f"/j/{workshop['code']}").text, raw, escaped)


# -- joining through the HTML form ------------------------------------------------------


def test_join_flow_through_the_html_form(server: LiveServer, facilitator: Facilitator) -> None:
    workshop = facilitator.create_workshop("Join by form")
    wid, code = workshop["id"], workshop["code"]
    poll = facilitator.add_activity(wid, "rating", "How is the pace?")
    facilitator.show(wid, poll["id"])
    browser = client(server.base_url)

    page = browser.get(f"/j/{code}")
    assert page.status_code == 200
    assert "Join by form" in page.text
    assert f'action="/j/{code}"' in page.text and 'name="name"' in page.text
    assert 'id="stage"' not in page.text
    token = csrf_from(page.text)
    assert browser.cookies.get("workshop_csrf") == token

    joined = browser.post(f"/j/{code}", data={"name": "  Ada   Lovelace ", "csrf_token": token})
    assert joined.status_code == 303
    assert joined.headers["location"] == f"/j/{code}"
    assert browser.cookies.get("workshop_device")

    stage = browser.get(f"/j/{code}")
    assert stage.status_code == 200
    assert attribute(stage.text, "stage", "data-activity-id") == poll["id"]
    assert "How is the pace?" in stage.text
    assert "Voting opens in a moment" in stage.text
    assert '<span class="who">Ada Lovelace</span>' in stage.text
    rows = query(server, "SELECT name FROM participants WHERE workshop_id = ?", (wid,))
    assert rows == [("Ada Lovelace",)]
    # joining again from the same device is the same participant
    again = browser.post(f"/j/{code}", data={"name": "Ada", "csrf_token": token})
    assert again.status_code == 303
    assert query(server, "SELECT name FROM participants WHERE workshop_id = ?",
                 (wid,)) == [("Ada",)]


def test_join_page_accepts_the_code_with_a_space(server: LiveServer,
                                                 workshop: dict[str, Any]) -> None:
    code = workshop["code"]
    response = client(server.base_url).get(f"/j/{code[:3]} {code[3:]}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/j/{code}"


def test_anonymous_join_shows_anonymous(server: LiveServer, workshop: dict[str, Any]) -> None:
    browser = join_by_form(server, workshop["code"], "")
    page = browser.get(f"/j/{workshop['code']}")
    assert "You&#39;re in." in page.text or "You're in." in page.text
    assert '<span class="who">Anonymous</span>' in page.text


# -- voting through the plain HTML form (no JavaScript) ----------------------------------


def test_vote_through_the_plain_html_form_counts_once(server: LiveServer,
                                                      facilitator: Facilitator) -> None:
    workshop = facilitator.create_workshop("Form votes")
    wid, code = workshop["id"], workshop["code"]
    poll = facilitator.add_activity(wid, "single_choice", "Best day?", ["Monday", "Friday"])
    facilitator.act(wid, poll["id"], "open")
    facilitator.show(wid, poll["id"])
    friday, monday = poll["options"][1]["id"], poll["options"][0]["id"]
    browser = join_by_form(server, code, "Ada")

    page = browser.get(f"/j/{code}")
    action = f"/j/{code}/activities/{poll['id']}/vote"
    fields = form_fields(page.text, action)
    assert set(fields) == {"csrf_token", "client_id"}
    assert f'name="option" value="{friday}"' in page.text

    voted = browser.post(action, data={**fields, "option": friday})
    assert voted.status_code == 303
    assert voted.headers["location"] == f"/j/{code}"
    assert facilitator.results(wid, poll["id"])["total"] == 1

    # the browser re-posts the very same form (back button, double click): counted once
    again = browser.post(action, data={**fields, "option": friday})
    assert again.status_code == 303
    results = facilitator.results(wid, poll["id"])
    assert results["total"] == 1
    assert {c["label"]: c["count"] for c in results["counts"]} == {"Monday": 0, "Friday": 1}

    after = browser.get(f"/j/{code}")
    assert "Your answer is in." in after.text and "You said: " in after.text
    assert re.search(rf'value="{friday}" required\s+checked', after.text)
    assert "Update my answer" in after.text

    # a new page load carries a new client_id: a changed answer replaces the old one
    changed_fields = form_fields(after.text, action)
    assert changed_fields["client_id"] != fields["client_id"]
    changed = browser.post(action, data={**changed_fields, "option": monday})
    assert changed.status_code == 303
    results = facilitator.results(wid, poll["id"])
    assert results["total"] == 1
    assert {c["label"]: c["count"] for c in results["counts"]} == {"Monday": 1, "Friday": 0}


def test_htmx_vote_answers_with_the_stage_fragment(server: LiveServer,
                                                   facilitator: Facilitator) -> None:
    workshop = facilitator.create_workshop("htmx votes")
    wid, code = workshop["id"], workshop["code"]
    poll = facilitator.add_activity(wid, "rating", "Rate")
    facilitator.act(wid, poll["id"], "open")
    facilitator.show(wid, poll["id"])
    browser = join_by_form(server, code)
    page = browser.get(f"/j/{code}")
    fields = form_fields(page.text, f"/j/{code}/activities/{poll['id']}/vote")
    response = browser.post(f"/j/{code}/activities/{poll['id']}/vote",
                            data={"client_id": fields["client_id"], "value": "4"},
                            headers={"HX-Request": "true", "X-CSRF-Token": fields["csrf_token"]})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="stage"')
    assert "Vote received." in response.text
    bad = browser.post(f"/j/{code}/activities/{poll['id']}/vote",
                       data={"client_id": "other", "value": "9"},
                       headers={"HX-Request": "true", "X-CSRF-Token": fields["csrf_token"]})
    assert bad.status_code == 422
    assert bad.text.lstrip().startswith('<section id="stage"')
    assert "value must be between 1 and 5." in bad.text
    assert facilitator.results(wid, poll["id"])["mean"] == 4


FORM_VOTES: list[tuple[str, dict[str, Any], Any, Any]] = [
    # kind, activity settings (+options), form data builder, expected results check
    ("multiple_choice", {"options": ["a", "b", "c"]},
     lambda ids: {"options": [ids[0], ids[2]]},
     lambda r: {c["label"]: c["count"] for c in r["counts"]} == {"a": 1, "b": 0, "c": 1}),
    ("rating", {}, lambda ids: {"value": "4"}, lambda r: r["mean"] == 4),
    ("scale", {"min": 0, "max": 20}, lambda ids: {"value": "17"}, lambda r: r["mean"] == 17),
    ("word_cloud", {}, lambda ids: {"words": ["Focus!", "", " focus", "Speed"]},
     lambda r: r["words"] == [{"word": "focus", "count": 1}, {"word": "speed", "count": 1}]),
    ("open_text", {}, lambda ids: {"text": "Line one\r\nline two"},
     lambda r: r["answers"] == ["Line one\nline two"]),
    ("ranking", {"options": ["x", "y", "z"]},
     lambda ids: {f"rank-{ids[0]}": "3", f"rank-{ids[1]}": "1", f"rank-{ids[2]}": "2"},
     lambda r: [row["label"] for row in r["ranking"]] == ["y", "z", "x"]),
]


@pytest.mark.parametrize(("kind", "config", "data", "check"), FORM_VOTES,
                         ids=[case[0] for case in FORM_VOTES])
def test_every_kind_can_be_answered_with_the_html_form(
        server: LiveServer, facilitator: Facilitator, kind: str, config: dict[str, Any],
        data: Any, check: Any) -> None:
    workshop = facilitator.create_workshop(f"Form {kind}")
    wid, code = workshop["id"], workshop["code"]
    options = config.pop("options", None) if config else None
    poll = facilitator.add_activity(wid, kind, "Q", options, **dict(config))
    facilitator.act(wid, poll["id"], "open")
    facilitator.show(wid, poll["id"])
    browser = join_by_form(server, code)
    page = browser.get(f"/j/{code}")
    action = f"/j/{code}/activities/{poll['id']}/vote"
    fields = form_fields(page.text, action)
    form = data([o["id"] for o in poll["options"]])
    for name in form:  # every field we send is one the page's form has
        assert f'name="{name}"' in page.text, name
    response = browser.post(action, data={**fields, **form})
    assert response.status_code == 303, response.text[:1000]
    results = facilitator.results(wid, poll["id"])
    assert results["total"] == 1
    assert check(results), results


# -- landing page, sign-in ------------------------------------------------------------


def test_landing_page_code_form(server: LiveServer, workshop: dict[str, Any]) -> None:
    browser = client(server.base_url)
    landing = browser.get("/")
    assert landing.status_code == 200
    assert 'action="/join"' in landing.text and 'name="code"' in landing.text
    code = workshop["code"]
    response = browser.post("/join", data={"code": f" {code[:3]}-{code[3:]} ",
                                           "csrf_token": csrf_from(landing.text)})
    assert response.status_code == 303
    assert response.headers["location"] == f"/j/{code}"
    assert browser.get(response.headers["location"]).status_code == 200


@pytest.mark.parametrize("who", ["wrong password", "unknown email", "empty"])
def test_login_with_wrong_credentials_is_a_401_page(server: LiveServer,
                                                    facilitator: Facilitator, who: str) -> None:
    email, password = {"wrong password": (facilitator.email, "not the password"),
                       "unknown email": ("nobody@example.com", PASSWORD),
                       "empty": ("", "")}[who]
    browser = client(server.base_url)
    page = browser.get("/login")
    response = browser.post("/login", data={"email": email, "password": password,
                                            "csrf_token": csrf_from(page.text)})
    assert response.status_code == 401
    assert "Email or password is not right." in response.text  # the same for every case
    assert 'role="alert"' in response.text
    assert "workshop_session" not in browser.cookies
    assert browser.get("/console").status_code == 303


def test_login_and_logout(server: LiveServer, facilitator: Facilitator,
                          workshop: dict[str, Any]) -> None:
    browser = facilitator.browser_client()
    dashboard = browser.get("/console")
    assert dashboard.status_code == 200
    assert facilitator.email in dashboard.text and workshop["id"] in dashboard.text
    out = browser.post("/logout", data={"csrf_token": csrf_from(dashboard.text)})
    assert out.status_code == 303
    assert browser.get("/console").status_code == 303


def test_console_forms_work_without_javascript(server: LiveServer,
                                               facilitator: Facilitator) -> None:
    browser = facilitator.browser_client()
    dashboard = browser.get("/console")
    created = browser.post("/console/workshops", data={
        "title": "Made in the browser", "csrf_token": csrf_from(dashboard.text)})
    assert created.status_code == 303
    console_url = created.headers["location"]
    wid = console_url.rsplit("/", 1)[1]
    console = browser.get(console_url)
    token = csrf_from(console.text)
    added = browser.post(f"/console/{wid}/activities", data={
        "kind": "multiple_choice", "prompt": "Which?", "options": "One\r\nTwo\r\n\r\nThree",
        "max_picks": "2", "max_words": "", "min": "", "max": "", "csrf_token": token})
    assert added.status_code == 303
    state = facilitator.api.get(f"/api/v1/workshops/{wid}").json()
    (activity,) = state["activities"]
    assert [o["label"] for o in activity["options"]] == ["One", "Two", "Three"]
    assert activity["settings"] == {"hide_results": False, "max_picks": 2}
    for action in ("show", "open", "reveal"):
        response = browser.post(f"/console/{wid}/activities/{activity['id']}/{action}",
                                data={"csrf_token": token})
        assert response.status_code == 303, (action, response.text[:300])
    state = facilitator.api.get(f"/api/v1/workshops/{wid}").json()
    assert state["current_activity_id"] == activity["id"]
    assert state["activities"][0]["state"] == "open"
    bad = browser.post(f"/console/{wid}/activities", data={
        "kind": "single_choice", "prompt": "Only one?", "options": "Lonely", "csrf_token": token})
    assert bad.status_code == 422
    assert "needs at least 2 options" in bad.text
    assert 'value="Only one?"' in bad.text  # the form keeps what was typed


# -- first-run setup ------------------------------------------------------------------


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[LiveServer]:
    """A second server on a brand-new database: no facilitator yet."""
    from tests.support import free_port, serve

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'fresh.db'}", port=free_port(),
                        tick_ms=50)
    with serve(settings) as live:
        yield live


def issue_setup_token(server: LiveServer) -> str | None:
    async def issue() -> str | None:
        async with open_services(server.settings) as services:
            return await services.accounts.issue_setup_token()

    token: str | None = server.run(issue())
    return token


def test_first_run_setup_link(fresh_server: LiveServer) -> None:
    token = issue_setup_token(fresh_server)
    assert token
    browser = client(fresh_server.base_url)
    assert browser.get("/setup/not-the-token").status_code == 404

    form = browser.get(f"/setup/{token}")
    assert form.status_code == 200
    assert f'action="/setup/{token}"' in form.text and 'name="password"' in form.text
    short = browser.post(f"/setup/{token}", data={
        "email": "first@example.com", "password": "short", "csrf_token": csrf_from(form.text)})
    assert short.status_code == 422
    assert "at least 8 characters" in short.text
    assert query(fresh_server, "SELECT COUNT(*) FROM facilitators") == [(0,)]

    email = f"first-{uuid.uuid4().hex[:6]}@example.com"
    created = browser.post(f"/setup/{token}", data={
        "email": email, "password": PASSWORD, "csrf_token": csrf_from(form.text)})
    assert created.status_code == 303
    assert created.headers["location"] == "/console"
    dashboard = browser.get("/console")  # signed in by the setup itself
    assert dashboard.status_code == 200 and email in dashboard.text
    assert query(fresh_server, "SELECT email FROM facilitators") == [(email,)]

    # the link works once
    before = snapshot(fresh_server)
    other = client(fresh_server.base_url)
    used = other.get(f"/setup/{token}")
    assert used.status_code == 404
    assert "already used or has expired" in used.text
    again = other.post(f"/setup/{token}", data={
        "email": "second@example.com", "password": PASSWORD, "csrf_token": csrf_from(
            other.get("/login").text)})
    assert again.status_code == 404
    assert "already used or has expired" in again.text
    assert "workshop_session" not in other.cookies
    assert snapshot(fresh_server) == before
    # and no new link is issued once an account exists
    assert issue_setup_token(fresh_server) is None
    # the new account signs in with its password
    login = client(fresh_server.base_url)
    page = login.get("/login")
    assert login.post("/login", data={"email": email, "password": PASSWORD,
                                      "csrf_token": csrf_from(page.text)}).status_code == 303

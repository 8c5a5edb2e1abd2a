"""Publishing the write-up (API and console), the public page /r/{token}, the console's
export downloads and a participant's take-away, against the real server."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.storage.conftest import POSTGRES_URL, _admin, _with_database
from tests.support import Facilitator, LiveServer, Participant, client, csrf_from
from workshop.domain.ids import new_id, new_join_code
from workshop.domain.models import Facilitator as Account
from workshop.domain.models import Workshop
from workshop.storage import Store, open_store
from workshop.storage.publications import Publication

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def api(workshop_id: str) -> str:
    return f"/api/v1/workshops/{workshop_id}/publication"


def public_path(url: str) -> str:
    match = re.search(r"/r/[A-Za-z0-9_-]+$", url)
    assert match, url
    return match.group(0)


def code_of(facilitator: Facilitator, workshop_id: str) -> str:
    response = facilitator.api.get(f"/api/v1/workshops/{workshop_id}")
    assert response.status_code == 200, response.text
    code: str = response.json()["code"]
    return code


def objective(who: Participant, board_id: str, text: str, kr: str) -> None:
    response = who.client.post(
        f"/api/v1/workshops/{who.workshop_id}/activities/{board_id}/objectives",
        json={"text": text, "key_results": [{"text": kr}], "client_id": uuid.uuid4().hex})
    assert response.status_code == 201, response.text


def chat(who: Participant, text: str) -> None:
    response = who.client.post(f"/api/v1/workshops/{who.workshop_id}/messages",
                               json={"text": text, "client_id": uuid.uuid4().hex})
    assert response.status_code == 201, response.text


def session(facilitator: Facilitator, *, name: str = "Zoltan Quist",
            answer: str = "More focus", message: str = "Hello room",
            insight: str = "Focus wins", goal: str = "Grow the community"
            ) -> dict[str, Any]:
    """A workshop with a named participant who answered, wrote an objective and chatted,
    and a facilitator's insight."""
    workshop = facilitator.create_workshop("Publishing retro")
    wid = workshop["id"]
    code = code_of(facilitator, wid)
    poll = facilitator.add_activity(wid, "open_text", "What should change?")
    board = facilitator.add_activity(wid, "objectives", "Your objective")
    person = Participant(facilitator.server, code, name)
    facilitator.act(wid, poll["id"], "open")
    assert person.respond(poll["id"], answer).status_code == 201
    facilitator.act(wid, board["id"], "open")
    objective(person, board["id"], goal, "Ship the thing")
    chat(person, message)
    created = facilitator.api.post(f"/api/v1/workshops/{wid}/insights",
                                   json={"text": insight})
    assert created.status_code == 201, created.text
    return {"id": wid, "code": code, "poll": poll, "board": board, "person": person}


def anonymous(server: LiveServer) -> httpx.Client:
    return client(server.base_url)


# -- the API ------------------------------------------------------------------------------
def test_publish_read_republish_revoke(facilitator: Facilitator, server: LiveServer) -> None:
    scene = session(facilitator)
    wid = scene["id"]
    created = facilitator.api.post(api(wid))
    assert created.status_code == 201, created.text
    body = created.json()
    token = body["token"]
    assert len(token) >= 32 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert body["url"] == f"{server.base_url}/r/{token}"

    page = anonymous(server).get(public_path(body["url"]))
    assert page.status_code == 200, page.text
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "no-store" in page.headers["cache-control"]
    assert "noindex" in page.headers["x-robots-tag"]
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "Publishing retro" in page.text and "What should change?" in page.text
    assert "Grow the community" in page.text and "Focus wins" in page.text
    assert "Hello room" in page.text  # the chat appendix, by default
    assert "Zoltan" not in page.text  # names only when the facilitator asks

    again = facilitator.api.post(api(wid), json={"include_names": True,
                                                 "include_chat": False})
    assert again.status_code == 200, again.text
    assert again.json() == body  # the same link
    shown = anonymous(server).get(f"/r/{token}")
    assert "Zoltan Quist" in shown.text and "Hello room" not in shown.text
    assert facilitator.api.get(api(wid)).json() == body

    assert facilitator.api.delete(api(wid)).status_code == 204
    gone = anonymous(server).get(f"/r/{token}")
    assert gone.status_code == 404
    assert "Publishing retro" not in gone.text
    assert facilitator.api.get(api(wid)).status_code == 404
    assert facilitator.api.delete(api(wid)).status_code == 204  # already revoked: fine

    fresh = facilitator.api.post(api(wid))
    assert fresh.status_code == 201
    assert fresh.json()["token"] != token
    assert anonymous(server).get(f"/r/{token}").status_code == 404


def test_unknown_links_are_404(server: LiveServer) -> None:
    for token in ("nope", "x" * 32, "a" * 300):
        assert anonymous(server).get(f"/r/{token}").status_code == 404


def test_bad_options_are_refused(facilitator: Facilitator) -> None:
    wid = facilitator.create_workshop()["id"]
    for body in ({"activity_ids": ["not-an-activity"]}, {"include_names": "maybe"},
                 {"unknown": 1}, {"summary": "x" * 3000}):
        response = facilitator.api.post(api(wid), json=body)
        assert response.status_code == 422, (body, response.text)
    assert facilitator.api.get(api(wid)).status_code == 404


def test_only_the_owner_or_a_cohost_publishes(facilitator: Facilitator,
                                              server: LiveServer) -> None:
    scene = session(facilitator)
    wid = scene["id"]
    person: Participant = scene["person"]
    outsider = server.add_facilitator()
    for caller, status in ((anonymous(server), 401), (person.client, 403),
                           (outsider.api, 403)):
        assert caller.post(api(wid)).status_code == status
        assert caller.delete(api(wid)).status_code == status
        assert caller.get(api(wid)).status_code == status
    assert facilitator.api.get(api(wid)).status_code == 404  # nothing was published

    curator, cohost = server.add_facilitator(), server.add_facilitator()
    for who, role in ((curator, "curator"), (cohost, "cohost")):
        added = facilitator.api.post(f"/api/v1/workshops/{wid}/cofacilitators",
                                     json={"email": who.email, "role": role})
        assert added.status_code == 201, added.text
    assert curator.api.post(api(wid)).status_code == 403
    published = cohost.api.post(api(wid))
    assert published.status_code == 201
    assert curator.api.get(api(wid)).json() == published.json()  # curators may see it
    assert curator.api.delete(api(wid)).status_code == 403
    assert cohost.api.delete(api(wid)).status_code == 204


def test_the_published_page_never_runs_participant_text(facilitator: Facilitator,
                                                        server: LiveServer) -> None:
    scene = session(facilitator, name=f"Eve{SCRIPT}", answer=f"{SCRIPT} {IMG}",
                    message=f"Hi {IMG}", insight=f"Insight {SCRIPT} {IMG}")
    token = facilitator.api.post(api(scene["id"]), json={"include_names": True}).json()["token"]
    html = anonymous(server).get(f"/r/{token}").text
    assert SCRIPT not in html and IMG not in html and "<script" not in html
    assert "Eve&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Hi &lt;img src=x onerror=alert(1)&gt;" in html
    assert "Insight &lt;script&gt;" in html


def test_openapi_documents_publication(server: LiveServer) -> None:
    schema = anonymous(server).get("/openapi.json").json()
    paths = schema["paths"]["/api/v1/workshops/{workshop_id}/publication"]
    for method in ("post", "get", "delete"):
        assert paths[method]["tags"] == ["exports"]
        assert paths[method]["summary"]
    assert set(paths["post"]["responses"]) >= {"201", "401", "403"}
    assert not any(path.startswith(("/r/", "/console/")) for path in schema["paths"])


# -- the console --------------------------------------------------------------------------
def test_console_downloads_each_format(facilitator: Facilitator) -> None:
    scene = session(facilitator)
    wid = scene["id"]
    browser = facilitator.browser_client()
    url = f"/console/{wid}/export"
    page = browser.get(f"/console/{wid}")
    assert f'action="{url}"' in page.text and 'name="activity"' in page.text
    for fmt, media, ext in (("md", "text/markdown", "md"), ("html", "text/html", "html"),
                            ("pdf", "application/pdf", "pdf"), ("csv", "text/csv", "csv")):
        response = browser.get(url, params={"format": fmt, "names": "on", "chat": "on"})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        assert response.headers["content-disposition"] == (
            f'attachment; filename="publishing-retro{"-answers" if fmt == "csv" else ""}'
            f'.{ext}"')
    html = browser.get(url, params={"format": "html", "names": "on", "chat": "on",
                                    "summary": "Short and sweet"}).text
    assert "Zoltan Quist" in html and "Hello room" in html and "Short and sweet" in html
    bare = browser.get(url, params={"format": "html"}).text
    assert "Zoltan" not in bare and "Hello room" not in bare  # unticked: no names, no chat
    only_board = browser.get(url, params=[("format", "html"), ("activity", ""),
                                          ("activity", scene["board"]["id"])]).text
    assert "Your objective" in only_board and "What should change?" not in only_board
    none = browser.get(url, params=[("format", "html"), ("activity", "")]).text
    assert "Your objective" not in none and "What should change?" not in none
    assert browser.get(url, params={"format": "doc"}).status_code == 422


@pytest.mark.parametrize("who", ["anonymous", "participant", "outsider"])
def test_console_export_refuses_strangers(who: str, facilitator: Facilitator,
                                          server: LiveServer) -> None:
    scene = session(facilitator)
    callers = {"anonymous": (anonymous(server), 401),
               "participant": (scene["person"].client, 403),
               "outsider": (server.add_facilitator().browser_client(), 403)}
    caller, status = callers[who]
    response = caller.get(f"/console/{scene['id']}/export", params={"format": "html"})
    assert response.status_code == status
    assert "Publishing retro" not in response.text
    assert caller.get(f"/console/{scene['id']}/publication").status_code == status


def test_console_publishes_and_unpublishes(facilitator: Facilitator,
                                           server: LiveServer) -> None:
    wid = session(facilitator)["id"]
    browser = facilitator.browser_client()
    page = browser.get(f"/console/{wid}/publication")
    assert page.status_code == 200 and "Publish results page" in page.text
    token = csrf_from(page.text)
    refused = browser.post(f"/console/{wid}/publication", data={"names": "on"})
    assert refused.status_code == 403  # no CSRF token
    done = browser.post(f"/console/{wid}/publication",
                        data={"csrf_token": token, "chat": "on", "summary": "We did it"})
    assert done.status_code == 303
    link = facilitator.api.get(api(wid)).json()["url"]
    shown = browser.get(f"/console/{wid}/publication")
    assert link in shown.text and "Unpublish" in shown.text
    public = anonymous(server).get(public_path(link)).text
    assert "We did it" in public and "Zoltan" not in public
    fragment = browser.get(f"/console/{wid}/publication", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="publication"') and link in fragment.text
    gone = browser.post(f"/console/{wid}/publication/delete",
                        headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert gone.status_code == 200 and "Publish results page" in gone.text
    assert anonymous(server).get(public_path(link)).status_code == 404


# -- the participant's take-away ------------------------------------------------------------
def test_takeaway_holds_only_your_objectives(facilitator: Facilitator,
                                             server: LiveServer) -> None:
    scene = session(facilitator, name="Ana Sample", goal="Objective of Ana")
    wid, code = scene["id"], scene["code"]
    other = Participant(server, code, "Bo Other")
    objective(other, scene["board"]["id"], "Objective of Bo", "Bo's key result")

    response = scene["person"].client.get(f"/j/{code}/takeaway")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="publishing-retro-takeaway.html"')
    mine = response.text
    assert "Objective of Ana" in mine and "Ship the thing" in mine
    assert "Objective of Bo" not in mine and "Bo&#39;s key result" not in mine
    assert "not published" in mine

    facilitator.api.post(api(wid))
    published = scene["person"].client.get(f"/j/{code}/takeaway").text
    yours, _, writeup = published.partition("The session's write-up")
    assert writeup, "the published write-up follows the participant's own part"
    assert "Objective of Ana" in yours and "Objective of Bo" not in yours
    assert "Objective of Bo" in writeup and "What should change?" in writeup
    assert "Ana Sample" not in writeup  # the public write-up has no names

    page = scene["person"].client.get(f"/j/{code}")
    assert f'href="/j/{code}/takeaway"' in page.text
    assert anonymous(server).get(f"/j/{code}/takeaway").status_code == 401


# -- the store, on every backend -----------------------------------------------------------
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        opened = await open_store(f"sqlite:///{tmp_path / 'workshop.db'}")
        try:
            yield opened
        finally:
            await opened.close()
        return
    name = "workshop_test_" + uuid.uuid4().hex[:16]
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        opened = await open_store(_with_database(POSTGRES_URL, name))
        try:
            yield opened
        finally:
            await opened.close()
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_store_keeps_one_link_per_workshop(store: Store) -> None:
    owner = Account(new_id(), "owner@example.org", "hash", time.time())
    assert await store.insert_facilitator(owner)
    workshop = Workshop(new_id(), new_join_code(), "Retro", "", "", "", owner.id, None,
                        time.time())
    assert await store.insert_workshop(workshop)
    first, created = await store.publish(Publication(
        workshop.id, "token-one", {"include_names": False}, 1.0))
    assert created and first.token == "token-one" and first.options == {
        "include_names": False}
    again, created = await store.publish(Publication(
        workshop.id, "token-two", {"include_names": True}, 2.0))
    assert not created
    assert (again.token, again.options, again.created_at) == (
        "token-one", {"include_names": True}, 1.0)
    assert await store.publication_by_token("token-one") == again
    assert await store.publication_by_token("token-two") is None
    assert await store.get_publication(workshop.id) == again
    assert await store.unpublish(workshop.id)
    assert not await store.unpublish(workshop.id)
    assert await store.publication_by_token("token-one") is None
    await store.publish(Publication(workshop.id, "token-three", {}, 3.0))
    await store.delete_workshop(workshop.id)
    assert await store.publication_by_token("token-three") is None

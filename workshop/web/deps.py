"""Request dependencies: services, the acting person, CSRF and Origin checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from workshop.auth.actors import ANONYMOUS, Actor, FacilitatorActor, ParticipantActor
from workshop.domain.errors import Forbidden, NotAuthenticated
from workshop.services.container import Services
from workshop.web.security import CSRF_FIELD, CSRF_HEADER, CookieJar, csrf_valid, origin_allowed
from workshop.web.templating import Templates
from workshop.web.urls import Urls


def services_of(conn: HTTPConnection) -> Services:
    services: Services = conn.app.state.services
    return services


def cookies_of(conn: HTTPConnection) -> CookieJar:
    jar: CookieJar = conn.app.state.cookies
    return jar


def templates_of(conn: HTTPConnection) -> Templates:
    templates: Templates = conn.app.state.templates
    return templates


def urls_of(conn: HTTPConnection) -> Urls:
    return Urls.for_request(conn, conn.app.state.settings.public_url)


async def facilitator_actor(conn: HTTPConnection) -> FacilitatorActor | None:
    """From a Bearer token (API) or the signed session cookie (pages)."""
    services = services_of(conn)
    authorization = conn.headers.get("authorization", "")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use `Authorization: Bearer <token>`.")
        actor = await services.accounts.actor_for_token(token.strip())
        if actor is None:
            raise NotAuthenticated("That API token is not valid.")
        return actor
    facilitator_id = cookies_of(conn).facilitator_id(conn)
    if facilitator_id and await services.accounts.facilitator(facilitator_id):
        return FacilitatorActor(facilitator_id)
    return None


async def participant_actor(conn: HTTPConnection, workshop_id: str) -> ParticipantActor | None:
    device = cookies_of(conn).device_id(conn)
    if device is None:
        return None
    return await services_of(conn).polls.participant_actor(workshop_id, device)


async def resolve_actor(conn: HTTPConnection, workshop_id: str | None = None, *,
                        prefer_participant: bool = False) -> Actor:
    """Who is calling. Facilitator credentials win unless a participant route asks first."""
    if prefer_participant and workshop_id and not conn.headers.get("authorization"):
        participant = await participant_actor(conn, workshop_id)
        if participant is not None:
            return participant
    facilitator = await facilitator_actor(conn)
    if facilitator is not None:
        return facilitator
    if workshop_id:
        participant = await participant_actor(conn, workshop_id)
        if participant is not None:
            return participant
    return ANONYMOUS


async def actor_for(request: Request) -> Actor:
    """Dependency: the caller, for the workshop named in the path (facilitator first)."""
    return await resolve_actor(request, request.path_params.get("workshop_id"))


async def participant_first(request: Request) -> Actor:
    """Dependency: the caller, a participant of the path's workshop before a facilitator
    (for what participants do: answer, post, vote)."""
    return await resolve_actor(request, request.path_params.get("workshop_id"),
                               prefer_participant=True)


async def check_origin(request: Request) -> None:
    if request.method not in ("GET", "HEAD", "OPTIONS") and not origin_allowed(
            request, request.app.state.settings.public_url):
        raise Forbidden("Cross-site request refused.")


async def check_csrf(request: Request) -> None:
    """For HTML form posts authenticated by cookie: header (htmx) or form field."""
    await check_origin(request)
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_valid(request, submitted):
        raise Forbidden("This form has expired. Reload the page and try again.")


ServicesDep = Annotated[Services, Depends(services_of)]
TemplatesDep = Annotated[Templates, Depends(templates_of)]
UrlsDep = Annotated[Urls, Depends(urls_of)]
CookiesDep = Annotated[CookieJar, Depends(cookies_of)]
Csrf = Depends(check_csrf)
SameOrigin = Depends(check_origin)

"""Landing page, join-by-code, facilitator sign-in and first-run setup."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from workshop.domain.errors import WorkshopError
from workshop.web.deps import CookiesDep, Csrf, ServicesDep, facilitator_actor
from workshop.web.pages import render_page, see_other

router = APIRouter(include_in_schema=False)


@router.get("/")
async def landing(request: Request) -> Response:
    signed_in = await facilitator_actor(request) is not None
    return render_page(request, "public/landing.html", signed_in=signed_in, error=None)


@router.post("/join", dependencies=[Csrf])
async def join_by_code(request: Request, services: ServicesDep,
                       code: Annotated[str, Form(max_length=40)] = "") -> Response:
    try:
        workshop = await services.workshops.by_code(code)
    except WorkshopError as error:
        return render_page(request, "public/landing.html", status=error.status,
                           signed_in=False, error=error.message, code=code)
    return see_other(f"/j/{workshop.code}")


@router.get("/healthz")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/login")
async def login_form(request: Request) -> Response:
    return render_page(request, "public/login.html", error=None, email="")


@router.post("/login", dependencies=[Csrf])
async def login(request: Request, services: ServicesDep, cookies: CookiesDep,
                email: Annotated[str, Form(max_length=300)] = "",
                password: Annotated[str, Form(max_length=300)] = "") -> Response:
    try:
        facilitator = await services.accounts.authenticate(email, password)
    except WorkshopError as error:
        return render_page(request, "public/login.html", status=error.status,
                           error=error.message, email=email)
    response = see_other("/console")
    cookies.set_session(response, facilitator.id)
    return response


@router.post("/logout", dependencies=[Csrf])
async def logout(cookies: CookiesDep) -> Response:
    response = see_other("/")
    cookies.clear_session(response)
    return response


@router.get("/setup/{token}")
async def setup_form(request: Request, token: str, services: ServicesDep) -> Response:
    valid = await services.accounts.setup_token_valid(token)
    return render_page(request, "public/setup.html", status=200 if valid else 404,
                       valid=valid, error=None, email="", token=token)


@router.post("/setup/{token}", dependencies=[Csrf])
async def setup(request: Request, token: str, services: ServicesDep, cookies: CookiesDep,
                email: Annotated[str, Form(max_length=300)] = "",
                password: Annotated[str, Form(max_length=300)] = "") -> Response:
    try:
        facilitator = await services.accounts.complete_setup(token, email, password)
    except WorkshopError as error:
        return render_page(request, "public/setup.html", status=error.status, valid=True,
                           error=error.message, email=email, token=token)
    response = see_other("/console")
    cookies.set_session(response, facilitator.id)
    return response

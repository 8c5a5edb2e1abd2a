"""create_app(settings): the ASGI application. The lifespan opens the store and the hub
onto app.state; nothing is created at import time."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from workshop import __version__
from workshop.live.rooms import RoomRegistry
from workshop.services.container import open_services
from workshop.settings import Settings
from workshop.web import ws
from workshop.web.errors import install_error_handlers
from workshop.web.limits import BodySizeLimit
from workshop.web.resources import resource_dir
from workshop.web.routes import (
    api,
    api_chat,
    api_exports,
    api_objectives,
    exports_pages,
    facilitator,
    facilitator_objectives,
    facilitator_room,
    participant,
    participant_chat,
    participant_objectives,
    presenter,
    public,
)
from workshop.web.screens import Screens
from workshop.web.security import CookieJar
from workshop.web.templating import Templates

log = logging.getLogger("workshop")

API_DESCRIPTION = """
The JSON API of **workshop**: everything the facilitator console and the participant page
do. Facilitators authenticate with a personal token (`Authorization: Bearer wst_…`, from
`workshop token create EMAIL` or the console); participants with the cookie that
`POST /api/v1/join` sets. Errors are JSON `{"detail": "...", "code": "..."}` with a 4xx
status.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with open_services(settings) as services:
            secret = await services.accounts.secret_key(settings.secret_key)
            app.state.services = services
            app.state.cookies = CookieJar(secret, secure=settings.cookie_secure)
            app.state.screens = Screens(services, app.state.templates)
            rooms = RoomRegistry(app.state.screens, tick_seconds=settings.tick_ms / 1000)
            services.hub.add_listener(rooms.on_event)
            rooms.start()
            app.state.rooms = rooms
            try:
                yield
            finally:
                await rooms.stop()

    app = FastAPI(
        title="workshop",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.templates = Templates()
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(resource_dir("static"))), name="static")
    # Order matters: specific routes before the generic `…/{action}` ones.
    for module in (public, participant, participant_chat, participant_objectives,
                   facilitator_objectives, facilitator_room, exports_pages,
                   facilitator, presenter, api_objectives, api_chat, api_exports, api, ws):
        app.include_router(module.router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app

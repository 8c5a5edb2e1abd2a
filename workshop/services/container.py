"""One bundle of services over one store and one hub, shared by the web app and the CLI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from workshop.live.hub import Hub, open_hub
from workshop.services.accounts import AccountService
from workshop.services.chat import ChatService
from workshop.services.imports import ImportService
from workshop.services.insights import InsightService
from workshop.services.objectives import ObjectiveService
from workshop.services.polls import PollService
from workshop.services.publications import PublicationService
from workshop.services.workshops import WorkshopService
from workshop.settings import Settings
from workshop.storage import Store, open_store


@dataclass
class Services:
    store: Store
    hub: Hub
    accounts: AccountService
    workshops: WorkshopService
    polls: PollService
    objectives: ObjectiveService
    chat: ChatService
    insights: InsightService
    imports: ImportService
    publications: PublicationService

    @classmethod
    def build(cls, store: Store, hub: Hub) -> Services:
        workshops = WorkshopService(store, hub)
        objectives = ObjectiveService(store, hub, workshops)
        return cls(store, hub, AccountService(store), workshops,
                   PollService(store, hub, workshops, objectives), objectives,
                   ChatService(store, hub, workshops), InsightService(store, hub, workshops),
                   ImportService(store), publications=PublicationService(store, workshops))


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[Services]:
    store = await open_store(settings.database_url)
    try:
        hub = await open_hub(settings.hub_url)
        try:
            yield Services.build(store, hub)
        finally:
            await hub.close()
    finally:
        await store.close()

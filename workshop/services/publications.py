"""Publishing a workshop's write-up as a read-only page behind an unguessable link."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from typing import Any

from workshop.auth.actors import Actor
from workshop.domain import limits
from workshop.domain.errors import InvalidInput, NotFound
from workshop.domain.text import clean_text
from workshop.services.workshops import WorkshopService
from workshop.storage import Store
from workshop.storage.publications import Publication

SUMMARY_MAX = limits.DESCRIPTION_MAX
TOKEN_BYTES = 24
TOKEN_MAX = 64


def _flag(raw: Mapping[str, Any], key: str, default: bool) -> bool:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidInput(f"{key} must be true or false.")
    return value


def clean_publication_options(raw: Mapping[str, Any], activity_ids: set[str]
                              ) -> dict[str, Any]:
    """What the public page shows. Names only when the facilitator asks for them."""
    unknown = set(raw) - {"include_names", "include_chat", "activity_ids", "summary"}
    if unknown:
        raise InvalidInput(f"Unknown option(s): {', '.join(sorted(unknown))}.")
    chosen = raw.get("activity_ids")
    if chosen is not None:
        if not isinstance(chosen, list) or not all(isinstance(i, str) for i in chosen):
            raise InvalidInput("activity_ids must be a list of activity ids.")
        strangers = [i for i in chosen if i not in activity_ids]
        if strangers:
            raise InvalidInput("activity_ids must be activities of this workshop.")
        chosen = sorted(set(chosen))
    return {
        "include_names": _flag(raw, "include_names", False),
        "include_chat": _flag(raw, "include_chat", True),
        "activity_ids": chosen,
        "summary": clean_text(raw.get("summary"), field="Summary", max_length=SUMMARY_MAX,
                              required=False),
    }


class PublicationService:
    def __init__(self, store: Store, workshops: WorkshopService) -> None:
        self.store = store
        self.workshops = workshops

    async def publish(self, actor: Actor, workshop_id: str, options: Mapping[str, Any]
                      ) -> tuple[Publication, bool]:
        """Publish (owner or co-host). Publishing again keeps the link and takes the new
        options; returns (publication, True when the link is new)."""
        workshop = await self.workshops.load_managed(actor, workshop_id)
        ids = {a.id for a in await self.store.list_activities(workshop.id)}
        cleaned = clean_publication_options(options, ids)
        return await self.store.publish(Publication(
            workshop.id, secrets.token_urlsafe(TOKEN_BYTES), cleaned, time.time()))

    async def unpublish(self, actor: Actor, workshop_id: str) -> bool:
        """Revoke the link (owner or co-host): it answers 404 from now on."""
        workshop = await self.workshops.load_managed(actor, workshop_id)
        return await self.store.unpublish(workshop.id)

    async def current(self, actor: Actor, workshop_id: str) -> Publication | None:
        """The workshop's link, for its facilitators (curators included)."""
        workshop = await self.workshops.load_curated(actor, workshop_id)
        return await self.store.get_publication(workshop.id)

    async def of_workshop(self, workshop_id: str) -> Publication | None:
        """System read (a participant's take-away includes the published write-up)."""
        return await self.store.get_publication(workshop_id)

    async def by_token(self, token: str) -> Publication:
        """Anybody holding the link may read; a revoked or wrong link is 404."""
        found = None
        if 0 < len(token) <= TOKEN_MAX and token.isascii():
            found = await self.store.publication_by_token(token)
        if found is None:
            raise NotFound("This results page does not exist or is no longer published.")
        return found

"""Facilitator accounts: first-run setup, sign-in, personal API tokens."""

from __future__ import annotations

import time

from workshop.auth.actors import Actor, FacilitatorActor
from workshop.auth.passwords import hash_password, hash_token, verify_password
from workshop.auth.permissions import require_facilitator
from workshop.domain import limits
from workshop.domain.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from workshop.domain.ids import new_id, new_secret
from workshop.domain.models import Facilitator
from workshop.storage import Store
from workshop.storage.accounts import EmailTaken

SETUP_TOKEN_TTL_SECONDS = 24 * 3600
TOKEN_PREFIX = "wst_"


def clean_email(raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidInput("Email must be text.")
    email = raw.strip().lower()
    if not email or len(email) > limits.EMAIL_MAX or "@" not in email.strip("@") or " " in email:
        raise InvalidInput("Enter a valid email address.")
    return email


def check_password(raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidInput("Password must be text.")
    if len(raw) < limits.PASSWORD_MIN:
        raise InvalidInput(f"Password must be at least {limits.PASSWORD_MIN} characters.")
    if len(raw) > limits.PASSWORD_MAX:
        raise InvalidInput(f"Password must be at most {limits.PASSWORD_MAX} characters.")
    return raw


class AccountService:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add_facilitator(self, email: str, password: str) -> Facilitator:
        facilitator = Facilitator(
            new_id(), clean_email(email), hash_password(check_password(password)), time.time()
        )
        if not await self.store.insert_facilitator(facilitator):
            raise Conflict(f"A facilitator with email {facilitator.email} already exists.")
        return facilitator

    async def set_password(self, email: str, password: str) -> None:
        facilitator = await self.store.get_facilitator_by_email(clean_email(email))
        if facilitator is None:
            raise NotFound("No facilitator has that email.")
        await self.store.update_password(facilitator.id, hash_password(check_password(password)))

    async def authenticate(self, email: object, password: object) -> Facilitator:
        message = "Email or password is not right."
        try:
            address = clean_email(email)
        except InvalidInput:
            raise NotAuthenticated(message) from None
        facilitator = await self.store.get_facilitator_by_email(address)
        if facilitator is None or not isinstance(password, str):
            raise NotAuthenticated(message)
        if not verify_password(facilitator.password_hash, password):
            raise NotAuthenticated(message)
        return facilitator

    async def needs_setup(self) -> bool:
        return await self.store.count_facilitators() == 0

    async def issue_setup_token(self) -> str | None:
        """A one-time link token to create the first account; None once one exists."""
        if not await self.needs_setup():
            return None
        token = new_secret()
        expires_at = time.time() + SETUP_TOKEN_TTL_SECONDS
        await self.store.insert_setup_token(hash_token(token), expires_at)
        return token

    async def setup_token_valid(self, token: str) -> bool:
        return await self.store.setup_token_valid(hash_token(token))

    async def complete_setup(self, token: str, email: object, password: object) -> Facilitator:
        facilitator = Facilitator(
            new_id(), clean_email(email), hash_password(check_password(password)), time.time()
        )
        try:
            created = await self.store.create_first_facilitator(hash_token(token), facilitator)
        except EmailTaken:
            raise Conflict("That email already has an account; sign in instead.") from None
        if not created:
            raise NotFound("This setup link was already used or has expired.")
        return facilitator

    async def create_token(self, email: str, name: str = "cli") -> str:
        facilitator = await self.store.get_facilitator_by_email(clean_email(email))
        if facilitator is None:
            raise NotFound("No facilitator has that email.")
        return await self._issue_token(facilitator.id, name)

    async def create_token_for(self, actor: Actor, name: str) -> str:
        facilitator = require_facilitator(actor)
        return await self._issue_token(facilitator.facilitator_id, name[:60] or "console")

    async def _issue_token(self, facilitator_id: str, name: str) -> str:
        token = new_secret(TOKEN_PREFIX)
        await self.store.insert_api_token(hash_token(token), facilitator_id, name)
        return token

    async def actor_for_token(self, token: str) -> FacilitatorActor | None:
        facilitator = await self.store.facilitator_for_token(hash_token(token))
        return None if facilitator is None else FacilitatorActor(facilitator.id)

    async def facilitator(self, facilitator_id: str) -> Facilitator | None:
        return await self.store.get_facilitator(facilitator_id)

    async def secret_key(self, configured: str | None) -> str:
        """The configured key, or one generated once and kept in the database."""
        if configured:
            return configured
        return await self.store.set_meta_if_absent("secret_key", new_secret())

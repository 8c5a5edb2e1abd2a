"""Cookies (signed), CSRF double-submit tokens and Origin checks."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeSerializer
from starlette.requests import HTTPConnection
from starlette.responses import Response

DEVICE_COOKIE = "workshop_device"
SESSION_COOKIE = "workshop_session"
CSRF_COOKIE = "workshop_csrf"
NAME_COOKIE = "workshop_name"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_MAX_AGE = 30 * 24 * 3600
DEVICE_MAX_AGE = 365 * 24 * 3600


class CookieJar:
    """Signs and reads the cookies that identify a device and a facilitator session."""

    def __init__(self, secret_key: str, *, secure: bool) -> None:
        self._device = URLSafeSerializer(secret_key, salt="workshop.device")
        self._session = TimestampSigner(secret_key, salt="workshop.session")
        self.secure = secure

    def _set(self, response: Response, name: str, value: str, max_age: int,
             httponly: bool = True) -> None:
        response.set_cookie(name, value, max_age=max_age, httponly=httponly,
                            secure=self.secure, samesite="lax", path="/")

    # -- device (participant identity) -------------------------------------------------
    def device_id(self, conn: HTTPConnection) -> str | None:
        raw = conn.cookies.get(DEVICE_COOKIE)
        if not raw:
            return None
        try:
            value = self._device.loads(raw)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def set_device(self, response: Response, device_id: str) -> None:
        self._set(response, DEVICE_COOKIE, self._device.dumps(device_id), DEVICE_MAX_AGE)

    # -- facilitator session ---------------------------------------------------------
    def facilitator_id(self, conn: HTTPConnection) -> str | None:
        raw = conn.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            return self._session.unsign(raw, max_age=SESSION_MAX_AGE).decode()
        except (BadSignature, SignatureExpired):
            return None

    def set_session(self, response: Response, facilitator_id: str) -> None:
        self._set(response, SESSION_COOKIE, self._session.sign(facilitator_id).decode(),
                  SESSION_MAX_AGE)

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path="/")

    # -- CSRF ------------------------------------------------------------------------
    def set_csrf(self, response: Response, token: str) -> None:
        self._set(response, CSRF_COOKIE, token, SESSION_MAX_AGE)

    def set_name(self, response: Response, name: str) -> None:
        self._set(response, NAME_COOKIE, name, DEVICE_MAX_AGE)


def csrf_token_for(conn: HTTPConnection) -> tuple[str, bool]:
    """The request's CSRF token and whether it is new (must be set as a cookie)."""
    existing = conn.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing, False
    return secrets.token_urlsafe(24), True


def csrf_valid(conn: HTTPConnection, submitted: str | None) -> bool:
    cookie = conn.cookies.get(CSRF_COOKIE)
    return bool(cookie and submitted and hmac.compare_digest(cookie, submitted))


def origin_allowed(conn: HTTPConnection, public_url: str) -> bool:
    """No Origin (non-browser clients) is allowed; a browser's Origin must be this site."""
    origin = conn.headers.get("origin")
    if origin is None:
        return True
    allowed = {conn.headers.get("host", "")}
    if public_url:
        allowed.add(urlsplit(public_url).netloc)
    return urlsplit(origin).netloc in allowed

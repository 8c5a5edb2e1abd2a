"""Render a full HTML page with what every page needs (CSRF token, URLs, who is signed in)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from workshop.web.deps import cookies_of, templates_of, urls_of
from workshop.web.security import csrf_token_for


def render_page(request: Request, template: str, *, status: int = 200, **context: Any
                ) -> HTMLResponse:
    token, fresh = csrf_token_for(request)
    html = templates_of(request).page(
        template, request=request, csrf_token=token, urls=urls_of(request), oob=False,
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    if fresh:
        cookies_of(request).set_csrf(response, token)
    return response


def render_fragment(request: Request, template: str, block: str | None, *,
                    status: int = 200, **context: Any) -> HTMLResponse:
    """One named block of a template (or a whole partial template when block is None)."""
    token, _ = csrf_token_for(request)
    context = {"request": request, "csrf_token": token, "urls": urls_of(request),
               "oob": False, **context}
    templates = templates_of(request)
    html = (templates.page(template, **context) if block is None
            else templates.block(template, block, **context))
    return HTMLResponse(html, status_code=status)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)

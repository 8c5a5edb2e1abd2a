"""Map domain errors and bad requests to clear 4xx answers: JSON for the API, a page
for people."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, JSONResponse, Response

from workshop.domain.errors import WorkshopError


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", "")


def _describe(errors: list[Any]) -> str:
    parts = []
    for error in errors[:5]:
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body",))
        message = error.get("msg", "is invalid")
        if error.get("type") == "json_invalid":
            return "The request body is not valid JSON."
        if error.get("type") in ("string_too_long", "too_long"):
            limit = (error.get("ctx") or {}).get("max_length")
            unit = "characters" if error["type"] == "string_too_long" else "items"
            message = f"is too long: the limit is {limit} {unit}"
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts) or "The request is not valid."


def error_response(request: Request, status: int, message: str, code: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message, "code": code}, status_code=status)
    templates = request.app.state.templates
    html = templates.page("errors/error.html", status=status, message=message,
                          csrf_token=None, actor=None)
    return HTMLResponse(html, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WorkshopError)
    async def workshop_error(request: Request, exc: WorkshopError) -> Response:
        return error_response(request, exc.status, exc.message, exc.code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _describe(list(exc.errors())), "invalid")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "Nothing here.", 405: "That method is not allowed here."}
        message = exc.detail if isinstance(exc.detail, str) and exc.detail else messages.get(
            exc.status_code, "Request refused.")
        if exc.status_code == 404 and message == "Not Found":
            message = "Nothing here."
        response = error_response(request, exc.status_code, message, "http_error")
        if exc.headers:
            response.headers.update(exc.headers)
        return response

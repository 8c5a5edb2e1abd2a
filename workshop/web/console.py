"""What every console form route shares: who may post, and how to answer."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from workshop.auth.actors import FacilitatorActor
from workshop.auth.permissions import require_facilitator
from workshop.web.deps import actor_for
from workshop.web.pages import is_htmx, see_other


async def console_facilitator(request: Request) -> FacilitatorActor:
    """The signed-in facilitator; 403 for a participant of the workshop in the URL (as the
    API answers), 401 for anybody else. Which workshops they may touch is the services'
    business."""
    return require_facilitator(await actor_for(request))


def console_done(request: Request, workshop_id: str) -> Response:
    """204 for htmx (the console's WebSocket brings the change), else back to the console."""
    if is_htmx(request):
        return Response(status_code=204)
    return see_other(f"/console/{workshop_id}")


def form_text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""

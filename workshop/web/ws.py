"""WebSockets: one server→client socket per open page.

On connect the server replays the full current state of the screen, then pushes fragments
as they change. The client never needs to send anything; what it sends is read only to
notice a disconnect, and oversized messages close the socket (1009).
"""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket
from starlette.responses import JSONResponse
from starlette.websockets import WebSocketDisconnect, WebSocketState

from workshop.domain import limits
from workshop.domain.errors import Forbidden, NotAuthenticated, WorkshopError
from workshop.live.outbox import Outbox
from workshop.live.rooms import Audience, Connection, RoomRegistry
from workshop.web.deps import participant_actor, resolve_actor, services_of
from workshop.web.security import origin_allowed

router = APIRouter()

CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009


async def _serve(websocket: WebSocket, workshop_id: str, audience: Audience,
                 participant_id: str | None = None) -> None:
    rooms: RoomRegistry = websocket.app.state.rooms
    await websocket.accept()

    async def close(code: int, reason: str) -> None:
        if websocket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await websocket.close(code, reason)

    outbox = Outbox(websocket.send_text, close)
    connection = Connection(outbox, audience, participant_id)
    writer = asyncio.create_task(outbox.run())
    try:
        await rooms.join(workshop_id, connection)
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            size = len(message.get("text") or message.get("bytes") or b"")
            if size > limits.WS_MESSAGE_MAX:
                await close(CLOSE_TOO_BIG, "message too big")
                break
    except WebSocketDisconnect:
        pass
    finally:
        rooms.leave(workshop_id, connection)
        writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await writer


async def _refuse(websocket: WebSocket, error: WorkshopError) -> None:
    """Refuse the handshake with the error's HTTP status and a JSON `detail`, like the API
    (a browser only sees a failed connection; scripts and tools see why)."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(JSONResponse(
            {"detail": error.message, "code": error.code}, status_code=error.status))
    else:
        await websocket.close(CLOSE_POLICY, error.message[:120])


def _check_origin(websocket: WebSocket) -> None:
    if not origin_allowed(websocket, websocket.app.state.settings.public_url):
        raise Forbidden("Cross-site WebSocket refused.")


@router.websocket("/ws/j/{code}")
async def participant_socket(websocket: WebSocket, code: str) -> None:
    try:
        _check_origin(websocket)
        workshop = await services_of(websocket).workshops.by_code(code)
        actor = await participant_actor(websocket, workshop.id)
        if actor is None:
            raise NotAuthenticated("Join the workshop first.")
    except WorkshopError as error:
        return await _refuse(websocket, error)
    await _serve(websocket, workshop.id, Audience.PARTICIPANT, actor.participant_id)


async def _facilitator_socket(websocket: WebSocket, workshop_id: str, audience: Audience
                              ) -> None:
    try:
        _check_origin(websocket)
        actor = await resolve_actor(websocket, workshop_id)
        workshop = await services_of(websocket).workshops.load_curated(actor, workshop_id)
    except WorkshopError as error:
        return await _refuse(websocket, error)
    await _serve(websocket, workshop.id, audience)


@router.websocket("/ws/console/{workshop_id}")
async def console_socket(websocket: WebSocket, workshop_id: str) -> None:
    await _facilitator_socket(websocket, workshop_id, Audience.FACILITATOR)


@router.websocket("/ws/present/{workshop_id}")
async def presenter_socket(websocket: WebSocket, workshop_id: str) -> None:
    await _facilitator_socket(websocket, workshop_id, Audience.PRESENTER)

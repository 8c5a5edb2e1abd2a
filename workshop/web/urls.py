"""One place that builds every URL people follow (datasette's habit)."""

from __future__ import annotations

from starlette.requests import HTTPConnection


class Urls:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    @classmethod
    def for_request(cls, conn: HTTPConnection, public_url: str) -> Urls:
        return cls(public_url or str(conn.base_url))

    def absolute(self, path: str) -> str:
        return self.base + path

    # participant
    def join(self, code: str) -> str:
        return f"/j/{code}"

    def join_absolute(self, code: str) -> str:
        return self.absolute(self.join(code))

    def vote(self, code: str, activity_id: str) -> str:
        return f"/j/{code}/activities/{activity_id}/vote"

    def participant_ws(self, code: str) -> str:
        return f"/ws/j/{code}"

    def qr(self, code: str) -> str:
        return f"/j/{code}/qr.svg"

    # facilitator
    def console(self, workshop_id: str) -> str:
        return f"/console/{workshop_id}"

    def console_absolute(self, workshop_id: str) -> str:
        return self.absolute(self.console(workshop_id))

    def console_ws(self, workshop_id: str) -> str:
        return f"/ws/console/{workshop_id}"

    def console_action(self, workshop_id: str, action: str) -> str:
        return f"/console/{workshop_id}/{action}"

    def activity_action(self, workshop_id: str, activity_id: str, action: str) -> str:
        return f"/console/{workshop_id}/activities/{activity_id}/{action}"

    def present(self, workshop_id: str) -> str:
        return f"/present/{workshop_id}"

    def present_absolute(self, workshop_id: str) -> str:
        return self.absolute(self.present(workshop_id))

    def present_ws(self, workshop_id: str) -> str:
        return f"/ws/present/{workshop_id}"

"""The errors every layer speaks. The web edge maps each to one HTTP status."""


class WorkshopError(Exception):
    """Base of all expected, user-facing errors; `message` is shown to people."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(WorkshopError):
    status = 422
    code = "invalid"


class NotFound(WorkshopError):
    status = 404
    code = "not_found"


class NotAuthenticated(WorkshopError):
    status = 401
    code = "not_authenticated"


class Forbidden(WorkshopError):
    status = 403
    code = "forbidden"


class Conflict(WorkshopError):
    status = 409
    code = "conflict"


class TooLarge(WorkshopError):
    status = 413
    code = "too_large"

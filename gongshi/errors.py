"""Domain errors that every interface (HTTP, CLI, console) turns into one error shape."""

from __future__ import annotations

from typing import Any


class GongshiError(Exception):
    """An expected failure with a stable code, an HTTP status and a message for people."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code
        self.extra = extra or {}

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field, **self.extra}}


class InvalidInput(GongshiError):
    status = 400
    code = "invalid_field"


class Unprocessable(GongshiError):
    status = 422
    code = "unprocessable"


class NotFound(GongshiError):
    status = 404
    code = "not_found"


class Forbidden(GongshiError):
    status = 403
    code = "forbidden"


class Unauthorized(GongshiError):
    status = 401
    code = "unauthorized"


class Conflict(GongshiError):
    status = 409
    code = "conflict"


class TooLarge(GongshiError):
    status = 413
    code = "too_large"


class UnsupportedMediaType(GongshiError):
    status = 415
    code = "unsupported_media_type"

"""One JSON error shape for the whole internal API: {"error": {"code", "message", "field", …}}."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from gongshi.domain.intake import IntakeError
from gongshi.errors import GongshiError

log = logging.getLogger("gongshi")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
}


def error_body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, **extra}}


def gongshi_error(_: Request[Any, Any, Any], exc: GongshiError) -> Response[Any]:
    return Response(exc.to_dict(), status_code=exc.status)


def intake_error(_: Request[Any, Any, Any], exc: IntakeError) -> Response[Any]:
    status = 422 if exc.code == "unprocessable" else 400
    return Response(error_body(exc.code, exc.message, exc.field), status_code=status)


def http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    field = None
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        first = exc.extra[0]
        field = first.get("key") if isinstance(first, dict) else None
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = "请求体过大" if exc.status_code == 413 else exc.detail
    return Response(error_body(code, message, field), status_code=exc.status_code, headers=exc.headers)


def internal_error(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error", exc_info=exc)
    return Response(error_body("internal_error", "服务器内部错误，已记录，请稍后重试"), status_code=500)


HANDLERS = {
    GongshiError: gongshi_error,
    IntakeError: intake_error,
    HTTPException: http_error,
    Exception: internal_error,
}

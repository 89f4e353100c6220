"""Cross-cutting portal plumbing: security headers, error pages (HTML) and error bodies (JSON)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.response import Template

from gongshi.errors import GongshiError
from gongshi.http_headers import before_send_hook

log = logging.getLogger("gongshi.portal")

# No inline scripts or styles anywhere: every page works with this policy and without JavaScript.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    410: "gone",
    413: "too_large",
    429: "rate_limited",
}
_HTTP_MESSAGES = {
    400: "请求参数有误",
    404: "页面不存在",
    405: "不支持该请求方法",
    413: "请求体过大",
    415: "不支持该请求格式",
    429: "请求过于频繁，请稍后再试",
    500: "服务器内部错误，已记录，请稍后重试",
    503: "服务暂不可用，请稍后再试",
}


# Every HTTP response gets the security headers, 404s for unknown paths too.
security_headers = before_send_hook(SECURITY_HEADERS)


def wants_json(request: Request[Any, Any, Any]) -> bool:
    """API paths and data files answer errors as JSON; pages answer with an HTML error page."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv", ".atom", ".xml"))


def error_response(
    request: Request[Any, Any, Any],
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response[Any]:
    body = {"error": {"code": code, "message": message, "field": field, **extra}}
    headers = {"Cache-Control": "no-store", **(headers or {})}
    if wants_json(request):
        return Response(body, status_code=status, headers=headers)
    return Template(
        "portal/error.html",
        context={"status": status, "error": body["error"]},
        status_code=status,
        headers=headers,
    )


def gongshi_error(request: Request[Any, Any, Any], exc: GongshiError) -> Response[Any]:
    headers = {}
    if "retry_after" in exc.extra:
        headers["Retry-After"] = str(exc.extra["retry_after"])
    return error_response(request, exc.status, exc.code, exc.message, exc.field, headers, **exc.extra)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    field = None
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        first = exc.extra[0]
        field = first.get("key") if isinstance(first, dict) else None
    # Litestar's details are English ("Invalid multipart/form-data"): a page shows the Chinese message.
    if (
        isinstance(exc, NotFoundException)
        or status >= 500
        or status in (405, 413, 429)
        or not wants_json(request)
    ):
        message = _HTTP_MESSAGES.get(status, exc.detail)
    else:
        message = exc.detail
    return error_response(
        request, status, _HTTP_CODES.get(status, "http_error"), message, field, dict(exc.headers or {})
    )


def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error", _HTTP_MESSAGES[500])


HANDLERS: dict[Any, Any] = {
    GongshiError: gongshi_error,
    HTTPException: http_error,
    Exception: internal_error,
}

"""Checks on every request before its handler runs, in both apps: parameters and body type.

Query and path parameters with a control character are a 400 naming the parameter: PostgreSQL
cannot compare text with NUL (a 500 before), and nothing gongshi looks up has one. Form fields
are read by their handlers, which call `check_field` on the ones they do not decode into a Struct.

Endpoints that take a JSON body refuse any other declared type (415).

An endpoint takes a JSON body when its handler has a `body: RawBody` (bytes) parameter (the code base's
convention: bodies are decoded by msgspec for field-precise errors). The check is a
before-request hook, so it runs before the body is read and covers new endpoints by itself.
An empty body needs no type: the actions whose body is optional accept a bare POST.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from litestar import Request
from litestar.params import RawBody

from gongshi.domain.text import FORBIDDEN
from gongshi.errors import InvalidInput, UnsupportedMediaType

EXPECTED = "application/json"


def reads_raw_body(annotation: Any) -> bool:
    """A `body: bytes` (or Litestar 3's spelling of it, `body: RawBody`) parameter."""
    return annotation is bytes or annotation is RawBody


def takes_json(request: Request[Any, Any, Any]) -> bool:
    parameter = request.route_handler.parsed_fn_signature.parameters.get("body")
    return parameter is not None and reads_raw_body(parameter.annotation)


def _has_body(request: Request[Any, Any, Any]) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() != "0"
    return "transfer-encoding" in request.headers


def is_json(media_type: str) -> bool:
    media_type = media_type.strip().lower()
    return media_type == EXPECTED or (media_type.startswith("application/") and media_type.endswith("+json"))


def check_parameters(request: Request[Any, Any, Any]) -> None:
    """400 naming the first query or path parameter that holds a control character."""
    params = [*request.query_params.multi_items(), *request.path_params.items()]
    for name, value in params:
        if FORBIDDEN.search(name) or (isinstance(value, str) and FORBIDDEN.search(value)):
            raise InvalidInput(f"参数 {name} 含有不允许的控制字符", field=name, code="invalid_character")


def check_field(name: str, value: Any) -> None:
    """400 naming a form field (multipart or urlencoded, read by its handler) with a control character."""
    if isinstance(value, str) and FORBIDDEN.search(value):
        raise InvalidInput(f"字段 {name} 含有不允许的控制字符", field=name, code="invalid_character")


async def check_request(request: Request[Any, Any, Any]) -> None:
    """The before-request hook of both apps."""
    check_parameters(request)
    await require_json(request)


async def require_json(request: Request[Any, Any, Any]) -> None:
    """415 naming the expected type for a non-JSON body to a JSON endpoint."""
    if not takes_json(request) or not _has_body(request):
        return
    declared = request.headers.get("content-type", "")
    if not is_json(declared.split(";", 1)[0]):
        raise UnsupportedMediaType(
            f"请求体须为 {EXPECTED}（收到 {declared or '未声明类型'}）",
            field="Content-Type",
        )


def hooks(*steps: Callable[[Request[Any, Any, Any]], Any]) -> Callable[[Request[Any, Any, Any]], Any]:
    """One before-request hook running several in order (Litestar keeps only the closest layer's)."""

    async def run(request: Request[Any, Any, Any]) -> Any:
        for step in steps:
            result = step(request)
            if inspect.isawaitable(result):
                result = await result
            if result is not None:
                return result
        return None

    return run

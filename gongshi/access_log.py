"""One access-log line per HTTP request, for both servers, with no personal data in it.

Logged: which app, the method, the path, the names (never the values) of the query parameters, the
status and the duration. Not logged: the client's address, headers, cookies, bodies, and the
values of path parameters that act as a requester's handle (a request's tracking number), which
are replaced by their name. Query values can carry names, ID numbers or access codes; a search
term is someone's name as often as not.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qsl

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("gongshi.access")

# Path parameters whose values identify a requester (or let someone act as one).
PRIVATE_PATH_PARAMS = frozenset({"tracking_no"})


def loggable_path(scope: Scope) -> str:
    """The request path with private path parameters replaced by `{name}`, and query parameter names."""
    path = str(scope.get("path", ""))
    params: dict[str, Any] = dict(scope.get("path_params") or {})
    for name in PRIVATE_PATH_PARAMS & params.keys():
        value = str(params[name])
        if value:
            path = path.replace("/" + value, "/{" + name + "}")
    raw = scope.get("query_string", b"")
    names = sorted({k for k, _ in parse_qsl(raw.decode("latin-1"), keep_blank_values=True)}) if raw else []
    return path + ("?" + "&".join(names) if names else "")


class AccessLog:
    """ASGI wrapper around a Litestar app: one INFO line on `gongshi.access` per HTTP request."""

    def __init__(self, app: ASGIApp, name: str) -> None:
        self.app = app
        self.name = name

    def __getattr__(self, attr: str) -> Any:  # the wrapped app's state, openapi_schema…
        return getattr(self.app, attr)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log.info(
                "%s %s %s %d %.1fms",
                self.name,
                scope.get("method", "-"),
                loggable_path(scope),
                status,
                (time.perf_counter() - started) * 1000,
            )


def ensure_logging() -> None:
    """Server worker processes started by uvicorn do not run the CLI's logging set-up."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

"""Request dependencies: the workflow and the acting principal."""

from __future__ import annotations

import threading
import time
from typing import Any

from litestar import Request
from litestar.datastructures import State

from gongshi.auth.credentials import principal_for_token
from gongshi.auth.principal import Principal
from gongshi.errors import Unauthorized
from gongshi.publication.context import Workflow


def provide_workflow(state: State) -> Workflow:
    wf: Workflow = state.workflow
    return wf


class TokenCache:
    """Remembers verified tokens briefly so each API call does not hit the token table."""

    def __init__(self, ttl_seconds: float = 10.0) -> None:
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, token: str) -> Principal | None:
        with self._lock:
            hit = self._entries.get(token)
            if hit and time.monotonic() - hit[0] < self._ttl:
                return hit[1]
            return None

    def put(self, token: str, principal: Principal) -> None:
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[token] = (time.monotonic(), principal)


def provide_principal(request: Request[Any, Any, Any], state: State) -> Principal:
    """The bearer token's principal, or the console user's (session cookie)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        token = token.strip()
        cache: TokenCache = state.token_cache
        principal = cache.get(token)
        if principal is None:
            with state.workflow.db.read() as session:
                principal = principal_for_token(session, token)
            cache.put(token, principal)
        return principal
    user = request.scope.get("console_principal")
    if isinstance(user, Principal):
        return user
    raise Unauthorized("需要 Authorization: Bearer <令牌>", code="unauthorized")

"""Request dependencies: the workflow, the attachment store and the acting principal."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State

from gongshi.auth.credentials import TokenLookup
from gongshi.auth.principal import Principal
from gongshi.cases.store import AttachmentStore
from gongshi.errors import Unauthorized


def provide_attachments(state: State) -> AttachmentStore:
    """The store the app factory built once from the settings (or was given)."""
    store: AttachmentStore = state.attachments
    return store


def provide_principal(request: Request[Any, Any, Any], state: State) -> Principal:
    """The bearer token's principal, or the console user's (session cookie)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        # Looked up on every request (one indexed query), so a revoked token stops working at once:
        # revocation happens in another process (the CLI), which no in-process cache would hear of.
        lookup: TokenLookup = state.token_lookup
        return lookup(token.strip())
    user = request.scope.get("console_principal")
    if isinstance(user, Principal):
        return user
    raise Unauthorized("需要 Authorization: Bearer <令牌>", code="unauthorized")

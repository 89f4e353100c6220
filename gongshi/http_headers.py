"""Security headers on every HTTP response of an app, as one Litestar before-send hook (both apps use it)."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.types import BeforeMessageSendHookHandler, Message, Scope

Headers = Sequence[tuple[bytes, bytes]]


def before_send_hook(forced: Headers, defaults: Headers = ()) -> BeforeMessageSendHookHandler:
    """`forced` headers replace whatever a handler set; `defaults` apply only where a handler set none.

    A handler that knows better (an attachment's sandboxing CSP, a cacheable static file) sets its own
    value of a default header; nothing can weaken a forced one.
    """
    forced_names = {name for name, _ in forced}
    default_names = [(name, value) for name, value in defaults if name not in forced_names]

    async def hook(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = [h for h in message.get("headers", []) if bytes(h[0]).lower() not in forced_names]
        present = {bytes(h[0]).lower() for h in headers}
        message["headers"] = (
            headers + list(forced) + [(name, value) for name, value in default_names if name not in present]
        )

    return hook

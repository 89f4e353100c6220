"""Console form posts: same origin only, and a CSRF token bound to the visitor's own session.

The token is a random value kept inside the (encrypted, signed) session cookie and printed into
every form; a post must carry the token of the session it arrives with. A token or cookie taken from
another session is worthless here, and a sign-in replaces the session, token and all.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.response import Template
from litestar.utils.scope.state import ScopeState

from gongshi.settings import Settings

log = logging.getLogger("gongshi.security")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "_csrf_token"
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _authority(url: str) -> tuple[str, int | None] | None:
    """(hostname, port or None when implicit) of an http(s) URL; None for anything else ("null")."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.hostname, port if port is not None else int(_DEFAULT_PORTS[parts.scheme])


def same_origin(request: Request[Any, Any, Any], console_base_url: str | None) -> bool:
    """The post's Origin (else Referer) is this console: its Host, or the configured console URL.

    A post with neither header (curl, an old browser) passes here; its CSRF token still has to match.
    The scheme is not compared with the request's: behind a TLS proxy the app itself sees http.
    """
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if claimed is None:
        return True
    seen = _authority(claimed)
    if seen is None:
        return False
    if console_base_url and seen == _authority(console_base_url):
        return True
    try:
        host = urlsplit("//" + request.headers.get("host", ""))
        host_port = host.port
    except ValueError:
        return False
    if not host.hostname or host.hostname != seen[0]:
        return False
    if host_port is None:
        # The browser used a default port; a TLS proxy in front may have turned 443 into plain http.
        return seen[1] in (80, 443)
    return host_port == seen[1]


def _refused(request: Request[Any, Any, Any], title: str, message: str) -> Template:
    return Template(
        template_name="console/refused.html",
        status_code=403,
        context={"title": title, "message": message, "user": None, "flash": None},
    )


async def console_guard(request: Request[Any, Any, Any]) -> Template | None:
    """before_request of every console route: give the session a token; check posts' origin and token."""
    settings: Settings = request.app.state.settings
    session = request.session
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = new_token()
        request.set_session({**session, "csrf": token})
    ScopeState.from_scope(request.scope).csrf_token = token
    if request.method in SAFE_METHODS:
        return None
    if not same_origin(request, settings.console_base_url):
        log.warning(
            "cross-origin console post refused: %s %s from origin %r referer %r (host %r)",
            request.method,
            request.url.path,
            request.headers.get("origin"),
            request.headers.get("referer"),
            request.headers.get("host"),
        )
        return _refused(
            request,
            "跨站请求已拒绝",
            "这个提交来自审核台以外的网页，为保护您的账号已被拒绝。请直接在审核台页面中操作。"
            "如果您确实是在审核台页面提交的，请联系系统管理员检查 GONGSHI_CONSOLE_BASE_URL 配置。",
        )
    sent = request.headers.get("x-csrftoken")
    if sent is None and request.content_type[0] in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), token.encode()):
        return _refused(
            request,
            "页面已过期",
            "表单校验未通过（页面可能已过期，或登录状态已变化）。请返回上一页，刷新后重新提交。",
        )
    return None

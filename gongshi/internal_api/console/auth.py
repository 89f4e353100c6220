"""Staff sign-in for the console: the session's principal, login with throttling, logout."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from gongshi.auth import sessions, throttle
from gongshi.auth.credentials import authenticate
from gongshi.auth.principal import Principal
from gongshi.core import security
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.internal_api.console import guard as console_guard
from gongshi.internal_api.console.render import LABELS, Form, render_page

log = logging.getLogger("gongshi.security")

LOCKED_REASON = {"account": "账号已锁定", "address": "来源地址已锁定"}


def _now() -> datetime:
    # Sessions and login throttling run on wall time, not the workflow's (settable, legal-deadline) clock.
    return datetime.now(UTC)


class LoginRequired(Exception):
    """A console page was asked for without a live session of an enabled user."""


def console_principal(request: Request[Any, Any, Any], wf: NamedDependency[Workflow]) -> Principal:
    """The `principal` of console pages: the signed-in user as the users table says now, or login."""
    session_id = request.session.get("sid") if request.session else None
    found = None
    if isinstance(session_id, str):
        with wf.db.read() as session:
            found = sessions.signed_in(session, session_id, _now())
    if found is None:
        raise LoginRequired
    principal, name = found
    request.scope["console_user"] = name  # type: ignore[typeddict-unknown-key]
    return principal


def to_login(_: Request[Any, Any, Any], __: LoginRequired) -> Redirect:
    return Redirect("/console/login")


@get("/console/login", sync_to_thread=False, include_in_schema=False)
def login_form(request: Request[Any, Any, Any]) -> Template:
    return render_page("login.html", request, error=None)


def _client_address(request: Request[Any, Any, Any]) -> str:
    # The peer, or the forwarded client when GONGSHI_TRUSTED_PROXIES names the peer (see `serve`).
    return request.client.host if request.client else "unknown"


def _login_refused(message: str, status: int) -> Template:
    return Template(
        template_name="console/login.html",
        status_code=status,
        context={"error": message, "user": None, "labels": LABELS, "flash": None},
    )


@post("/console/login", sync_to_thread=True, include_in_schema=False)
def login(request: Request[Any, Any, Any], data: Form, wf: NamedDependency[Workflow]) -> Template | Redirect:
    username, password = data.get("username", ""), data.get("password", "")
    address = _client_address(request)
    if text.FORBIDDEN.search(username):
        # Written down by throttling before any lookup (PostgreSQL refuses NUL: a 500 before).
        return _login_refused("用户名含有不允许的控制字符，请检查输入", 400)
    # Throttling is decided, and the attempt written down, before argon2 runs.
    try:
        with wf.db.write() as session:
            attempt = throttle.begin_attempt(session, username, address, _now())
    except throttle.LoginLocked as exc:
        response = _login_refused(exc.message, 429)
        response.headers["Retry-After"] = str(exc.extra["retry_after"])
        return response
    with wf.db.read() as session:
        user = authenticate(session, username, password)
    if user is None:
        with wf.db.write() as session:
            now = _now()
            for lock in throttle.failed(session, username, address, now):
                security.record(
                    session,
                    action="login_locked",
                    reason=f"{LOCKED_REASON[lock.scope]}，15 分钟内登录失败次数达到上限",
                    data={
                        "scope": lock.scope,
                        "username": username[:100],
                        "address": address[:64],
                        "until": lock.until.isoformat(),
                    },
                    at=now,
                )
        return _login_refused("用户名或密码错误", 401)
    previous = request.session.get("sid") if request.session else None
    with wf.db.write() as session:
        throttle.succeeded(session, attempt, username)
        if isinstance(previous, str):
            sessions.close_session(session, previous)  # signing in again ends the old session
        session_id = sessions.open_session(session, user, _now())
    # A new session: a new id and a new CSRF token; nothing of the anonymous one carries over.
    request.set_session({"sid": session_id, "csrf": console_guard.new_token()})
    if wf.settings.secure_cookies and request.url.scheme != "https":
        log.warning(
            "GONGSHI_SECURE_COOKIES is on but the console was reached over %s: browsers will not send "
            "the session cookie back; serve the console over https (with GONGSHI_TRUSTED_PROXIES for "
            "a TLS proxy) or set GONGSHI_SECURE_COOKIES=0",
            request.url.scheme,
        )
    return Redirect("/console")


@post("/console/logout", sync_to_thread=True, include_in_schema=False)
def logout(request: Request[Any, Any, Any], wf: NamedDependency[Workflow]) -> Redirect:
    session_id = request.session.get("sid") if request.session else None
    if isinstance(session_id, str):
        with wf.db.write() as session:
            sessions.close_session(session, session_id)
    request.clear_session()
    return Redirect("/console/login")


ROUTES = [login_form, login, logout]

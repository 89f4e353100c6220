"""Login throttling per account and per client address, decided before any password is hashed.

Every attempt is written down first (in its own transaction) and struck off again when the password
was right, so concurrent guesses count against each other and a locked account costs no argon2 work.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from gongshi.errors import GongshiError
from gongshi.storage.auth_models import LoginFailure

log = logging.getLogger("gongshi.security")

WINDOW = timedelta(minutes=15)
# Five wrong passwords for one account, or twenty from one address (an office behind one NAT), within
# the window lock that account or address until the oldest of them is older than the window.
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20


class LoginLocked(GongshiError):
    status = 429
    code = "login_locked"


def _locked_until(
    session: Session, column: InstrumentedAttribute[str], value: str, limit: int, now: datetime
) -> datetime | None:
    recent = session.scalars(
        select(LoginFailure.at)
        .where(column == value, LoginFailure.at > now - WINDOW)
        .order_by(LoginFailure.at.desc())
        .limit(limit)
    ).all()
    return min(recent) + WINDOW if len(recent) >= limit else None


def begin_attempt(session: Session, username: str, address: str, now: datetime) -> int:
    """Refuse (LoginLocked) a locked account or address; otherwise note the attempt and return its id."""
    username, address = username[:100], address[:64]
    sweep(session, now)
    for column, value, limit, what in (
        (LoginFailure.username, username, ACCOUNT_LIMIT, "该账号"),
        (LoginFailure.address, address, ADDRESS_LIMIT, "本机地址"),
    ):
        until = _locked_until(session, column, value, limit, now)
        if until is not None:
            minutes = max(1, math.ceil((until - now).total_seconds() / 60))
            raise LoginLocked(
                f"{what}登录失败次数过多，已暂时锁定，请 {minutes} 分钟后再试。"
                "如忘记密码，请联系系统管理员。",
                field="username" if what == "该账号" else None,
                extra={"retry_after": minutes * 60},
            )
    row = LoginFailure(username=username, address=address, at=now)
    session.add(row)
    session.flush()
    return row.id


class Lock(NamedTuple):
    """A lock that a wrong password has just set: on an account or on an address, until when."""

    scope: str  # "account" | "address"
    value: str
    until: datetime


def failed(session: Session, username: str, address: str, now: datetime) -> list[Lock]:
    """After a wrong password: the locks this attempt sets (the caller audits them), logged as well.

    Only the attempt that reaches a limit can set a lock: once locked, `begin_attempt` refuses before
    any password is checked, so a lock is reported once.
    """
    username, address = username[:100], address[:64]
    locks = []
    for column, value, limit, scope in (
        (LoginFailure.username, username, ACCOUNT_LIMIT, "account"),
        (LoginFailure.address, address, ADDRESS_LIMIT, "address"),
    ):
        until = _locked_until(session, column, value, limit, now)
        if until is not None:
            log.warning(
                "login locked: %s %r after %d failed logins within %s (address %s)",
                scope,
                value,
                limit,
                WINDOW,
                address,
            )
            locks.append(Lock(scope, value, until))
    return locks


def succeeded(session: Session, attempt_id: int, username: str) -> None:
    """The password was right: strike the attempt off, and the account's earlier failures with it."""
    session.execute(
        delete(LoginFailure).where(
            (LoginFailure.id == attempt_id) | (LoginFailure.username == username[:100])
        )
    )


def sweep(session: Session, now: datetime) -> None:
    """Forget failures older than the window (they no longer count)."""
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - WINDOW))

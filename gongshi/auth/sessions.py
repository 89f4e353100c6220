"""Console sessions kept on the server: the cookie holds a random id, every request re-reads the user."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gongshi.auth.credentials import principal_for_user
from gongshi.auth.principal import Principal
from gongshi.storage.auth_models import ConsoleSession
from gongshi.storage.models import User

LIFETIME = timedelta(hours=8)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(session: Session, user: User, now: datetime) -> str:
    """A new session for `user`; returns its id in clear (only the hash is stored)."""
    # Expired rows of anyone are dead weight; sign-ins are rare enough to sweep them here.
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
    session_id = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_hash=_hash(session_id), user_id=user.id, created_at=now, expires_at=now + LIFETIME
        )
    )
    return session_id


def signed_in(session: Session, session_id: str, now: datetime) -> tuple[Principal, str] | None:
    """The principal and display name of a live session of an enabled user, as the user is now."""
    row = session.execute(
        select(User)
        .join(ConsoleSession, ConsoleSession.user_id == User.id)
        .where(
            ConsoleSession.token_hash == _hash(session_id),
            ConsoleSession.expires_at > now,
            User.disabled_at.is_(None),
        )
    ).scalar_one_or_none()
    return (principal_for_user(row), row.display_name) if row else None


def close_session(session: Session, session_id: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _hash(session_id)))


def close_all(session: Session, user_id: int) -> int:
    """End every session of a user (disabling them, a password reset); returns how many."""
    result = session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)

"""Console sign-ins kept on the server, and failed logins for throttling (issue 14)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gongshi.storage.models import Base, BigId


class ConsoleSession(Base):
    """A signed-in console session; the cookie carries only its random id, stored here as SHA-256.

    Deleting the row (logout) ends the session at once; the user row is read on every request, so
    disabling a user or changing a role applies to their open sessions at once too.
    """

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """One wrong password (or unknown user): counted per account and per address before argon2 runs."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(index=True)


class SecurityChain(Base):
    """Head of the audit chain of security events that belong to no record (a login lock, issue 14).

    One row (id 1, made by the migration); appending an event locks it, so the chain stays a chain
    under concurrent logins.
    """

    __tablename__ = "security_chain"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")

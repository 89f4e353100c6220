"""SQLAlchemy models: one schema for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations are the same on both databases.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use UTC-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite so autoincrement works there.
BigId = BigInteger().with_variant(Integer(), "sqlite")
Json = JSON()


def table(model: type[Base]) -> Table:
    """A model's Table, for Core statements that skip the ORM's per-object work."""
    return cast(Table, model.__table__)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: Json,
        list[Any]: Json,
        datetime: UtcDateTime(),
    }


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    region: Mapped[str] = mapped_column(String(6), default="")
    # Art 9 pre-announced information (head, duties, address, contact…), maintained by the agency.
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # When a decision needs a second reviewer (publication.second_review.SecondReviewRule); None: default.
    second_review_rule: Mapped[dict[str, Any] | None] = mapped_column(Json)
    created_at: Mapped[datetime]


class User(Base):
    """A staff console login."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class ApiToken(Base):
    """A bearer token for agency systems and staff tools; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Decision(Base):
    """An enforcement decision as submitted, with its workflow state and deadlines."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("agency_id", "source_id"),
        Index("ix_decisions_state_publish_by", "state", "publish_by"),
        Index("ix_decisions_agency_state", "agency_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    source_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(20))
    document_number: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(500))
    decided_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(default=1)
    # The current intake object (canonical JSON) and its SHA-256, for idempotent re-submission.
    intake: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    publish_by: Mapped[date] = mapped_column(Date)
    publish_by_provisional: Mapped[bool] = mapped_column(Boolean)
    not_before: Mapped[datetime | None]
    # Redaction output for the current revision (status, reasons, public, redactions, doubts).
    redaction: Mapped[dict[str, Any] | None] = mapped_column(Json)
    redaction_version: Mapped[str | None] = mapped_column(String(40))
    # The reviewer's edits of the redaction, replayed over the engine's output (gongshi.redaction.edits).
    redaction_edits: Mapped[list[Any] | None] = mapped_column(Json)
    leak_hits: Mapped[list[Any] | None] = mapped_column(Json)
    # The last first approval that needed a second review: reasons, first reviewer, second reviewer.
    second_review: Mapped[dict[str, Any] | None] = mapped_column(Json)
    minor_override: Mapped[bool] = mapped_column(Boolean, default=False)
    withheld_reason: Mapped[str | None] = mapped_column(String(40))
    withdraw_reason: Mapped[str | None] = mapped_column(String(40))
    ruling_received_on: Mapped[date | None] = mapped_column(Date)
    withdraw_by: Mapped[date | None] = mapped_column(Date)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    expires_on: Mapped[date | None] = mapped_column(Date)
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    public_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    # Head of this record's audit hash chain: appending needs no query.
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class DecisionRevision(Base):
    """Every intake version a decision has had: the first submission, replacements and corrections."""

    __tablename__ = "decision_revisions"
    __table_args__ = (UniqueConstraint("decision_id", "revision"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    revision: Mapped[int]
    intake: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class Disclosure(Base):
    """The published read model: the only table the portal reads."""

    __tablename__ = "disclosures"
    __table_args__ = (
        Index("ix_disclosures_status_published_at", "status", "published_at"),
        Index("ix_disclosures_agency_decided", "agency_code", "decided_on"),
        Index("ix_disclosures_status_expires_on", "status", "expires_on"),
        Index("ix_disclosures_updated_at", "updated_at"),  # the open-data API's modified_since
        Index("ix_disclosures_document_number", "document_number"),  # a correction names its 文号
    )

    public_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20))  # published | withdrawn | expired
    agency_code: Mapped[str] = mapped_column(String(64))
    agency_name: Mapped[str] = mapped_column(String(500))
    region: Mapped[str] = mapped_column(String(6), default="")
    kind: Mapped[str] = mapped_column(String(20))
    document_number: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    decided_on: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime]
    corrected_at: Mapped[datetime | None]
    expires_on: Mapped[date | None] = mapped_column(Date)
    revision: Mapped[int]
    # The leak-gated public record (PublicDecision as JSON), exactly as published.
    record: Mapped[dict[str, Any]] = mapped_column(Json)
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(String(40))
    withdrawal_explanation: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime]
    # Timeliness, fixed when the step happens (gongshi.publication.timeliness), so the portal's
    # statistics group on them instead of walking the working-day calendar per row: working days
    # from decided_on to the publication day, whether that day was on or before publish_by, and
    # whether a withdrawal came down by its withdraw_by.
    publish_working_days: Mapped[int | None]
    published_on_time: Mapped[bool | None] = mapped_column(Boolean)
    withdrawn_on_time: Mapped[bool | None] = mapped_column(Boolean)


class AuditEvent(Base):
    """One step in a record's history, hash-chained per subject so tampering shows."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(BigId)
    seq: Mapped[int]
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    before_state: Mapped[str | None] = mapped_column(String(20))
    after_state: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class OutboxEvent(Base):
    """Work for other systems (search index, notifications), written in the same transaction."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "topic", "processed_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Notification(Base):
    """A message to staff or a requester; the outbox channel stores it, SMTP also sends it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Dedupe key: one deadline alert per record, kind and day, however many workers run.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    subject: Mapped[str] = mapped_column(String(500))
    # A secret the message carries (an access code) is never in the body: the body holds a mark
    # (gongshi.parties.notify.SECRET) and, for e-mail only, the secret is here encrypted with the
    # deployment secret until the message is sent (then cleared).
    body: Mapped[str] = mapped_column(Text)
    sealed: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class CalendarDay(Base):
    """An admin-loaded day that overrides the holiday package (holiday or make-up working day)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(500), default="")


class CalendarYear(Base):
    """A year whose official State Council schedule an admin has loaded (no longer provisional)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(500), default="")
    loaded_at: Mapped[datetime]

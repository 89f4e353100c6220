"""Full-process case records (issue 6): cases, entries, attachments, links to decisions.

Nothing here is ever updated or deleted by the application: entries, attachments and links are
appended, each one chained into the case's audit chain (`gongshi.core.audit`, subject
"case") with the SHA-256 of its row, so `gongshi.cases.chain.verify` notices any later change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gongshi.storage.models import Base, BigId, Json


class Case(Base):
    """An enforcement case (案件) of one agency; its record is the entries appended to it."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("agency_id", "case_number"),
        Index("ix_cases_agency_opened", "agency_id", "opened_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    case_number: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    party: Mapped[dict[str, Any]] = mapped_column(Json)
    opened_on: Mapped[date] = mapped_column(Date)
    source_type: Mapped[str] = mapped_column(String(20))
    source_detail: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 of the submitted case object, for idempotent re-submission.
    content_hash: Mapped[str] = mapped_column(String(64))
    # Derived from the entries (the first `closure` and `archive` entry); kept here so lists and
    # the compliance report need no query per case. The chain, not these, is the evidence.
    concluded_on: Mapped[date | None] = mapped_column(Date)
    archived_on: Mapped[date | None] = mapped_column(Date)
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class CaseEntry(Base):
    """One recorded step of a case: the entry object as submitted (canonical JSON) plus server facts."""

    __tablename__ = "case_entries"
    __table_args__ = (
        Index("ix_case_entries_case_id_id", "case_id", "id"),
        UniqueConstraint("case_id", "source_ref"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    stage: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    # The whole entry as submitted, canonical JSON (sorted keys): what the chain hashes.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("case_entries.id"))
    # The agency system's own id for the entry: a retried submission returns the recorded entry
    # instead of adding a duplicate that could never be removed.
    source_ref: Mapped[str | None] = mapped_column(String(128))
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(100))


class CaseAttachment(Base):
    """A file attached to an entry; the bytes live in the attachment store under their SHA-256."""

    __tablename__ = "case_attachments"
    __table_args__ = (Index("ix_case_attachments_case_id_entry_id", "case_id", "entry_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("case_entries.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(500), default="")
    captured_at: Mapped[datetime]
    stored_at: Mapped[datetime]
    # 记录办法 Art 17 para 2: continuous, remote or hard-to-reach work may store later, within
    # 24 hours of returning; the officer says why (and, when known, when they returned).
    late_reason: Mapped[str | None] = mapped_column(Text)
    returned_at: Mapped[datetime | None]
    recorded_by: Mapped[str] = mapped_column(String(100))


class CaseDecision(Base):
    """A decision a case produced, by id when it is in gongshi, always by document number."""

    __tablename__ = "case_decisions"
    __table_args__ = (
        UniqueConstraint("case_id", "document_number"),
        Index("ix_case_decisions_document_number", "document_number"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    document_number: Mapped[str] = mapped_column(String(200))
    linked_at: Mapped[datetime]
    linked_by: Mapped[str] = mapped_column(String(100))

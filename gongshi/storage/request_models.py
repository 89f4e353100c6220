"""Parties and the public (issue 5): access requests, correction requests, party match keys."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gongshi.storage.models import Base, BigId


class PartyKey(Base):
    """A keyed hash (HMAC with the deployment secret) of a decision's document number, party name and
    identifier: what an access request is matched against, so a database dump does not reveal them."""

    __tablename__ = "party_keys"

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decisions.id"), primary_key=True, autoincrement=False
    )
    key: Mapped[str] = mapped_column(String(64), index=True)
    # The decision content the key was computed from; a correction that changes it recomputes the key.
    content_hash: Mapped[str] = mapped_column(String(64))


class AccessRequest(Base):
    """A party's request to see the decision or the process records of their own case (记录办法 Art 20)."""

    __tablename__ = "access_requests"
    __table_args__ = (Index("ix_access_requests_state_due_on", "state", "due_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(40), unique=True)
    scope: Mapped[str] = mapped_column(String(10))  # decision | records
    document_number: Mapped[str] = mapped_column(String(200))
    requester_name: Mapped[str] = mapped_column(String(200))
    # The requester's ID number is kept only as a keyed hash (to check the status page) and a hint.
    id_hash: Mapped[str] = mapped_column(String(64))
    id_hint: Mapped[str] = mapped_column(String(40))
    contact: Mapped[str] = mapped_column(String(200))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))  # received | checked | granted | refused
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    checked_by: Mapped[str | None] = mapped_column(String(100))
    checked_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None]
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    access_code_hash: Mapped[str | None] = mapped_column(String(64))
    access_expires_at: Mapped[datetime | None]
    views: Mapped[int] = mapped_column(Integer, default=0)
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CorrectionRequest(Base):
    """Anyone's report that a published disclosure is wrong (公示办法 Art 19), tracked to an answer."""

    __tablename__ = "correction_requests"
    __table_args__ = (Index("ix_correction_requests_disclosure_state", "disclosure_id", "state"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    tracking_no: Mapped[str] = mapped_column(String(40), unique=True)
    disclosure_id: Mapped[str] = mapped_column(ForeignKey("disclosures.public_id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20))  # received | accepted | corrected | rejected
    received_on: Mapped[date] = mapped_column(Date)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None]
    corrected_at: Mapped[datetime | None]
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CorrectionEvidence(Base):
    """A file a correction requester attached (size-limited), kept with its SHA-256."""

    __tablename__ = "correction_evidence"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("correction_requests.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]

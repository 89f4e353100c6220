"""Portal-side records (issue 4): the agency directory (Art 9), its update log, annual reports (Art 17)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gongshi.storage.models import Base, BigId, Disclosure, Json


class AgencyDirectory(Base):
    """Per-agency directory state: when each part was last saved, and the head of its audit chain.

    `id` is the agency's id (one row per agency), so the audit chain's subject id is the agency id.
    """

    __tablename__ = "agency_directory"

    id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True, autoincrement=False)
    profile_updated_at: Mapped[datetime | None]
    officers_updated_at: Mapped[datetime | None]
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")


class AgencyOfficer(Base):
    """An enforcement officer (or auxiliary staff) of an agency, as pre-announced under Art 9 (二)."""

    __tablename__ = "agency_officers"
    __table_args__ = (UniqueConstraint("agency_id", "certificate_number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    certificate_number: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="officer")  # officer | auxiliary
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="active")


class EnforcementBasis(Base):
    """A law, regulation, rule, normative document or discretion standard the agency enforces (Art 9 (三))."""

    __tablename__ = "agency_bases"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    document_number: Mapped[str] = mapped_column(String(200), default="")
    effective_on: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str] = mapped_column(String(500), default="")


class AgencyChange(Base):
    """A change to pre-announced information and its Art 9 deadline (20 working days after `changed_on`)."""

    __tablename__ = "agency_changes"
    __table_args__ = (Index("ix_agency_changes_open", "resolved_at", "due_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    subject: Mapped[str] = mapped_column(String(20))  # profile | bases | officers
    description: Mapped[str] = mapped_column(Text)
    changed_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    due_provisional: Mapped[bool] = mapped_column(Boolean)
    reported_at: Mapped[datetime]
    reported_by: Mapped[str] = mapped_column(String(100))
    # When the change was saved in gongshi (and so shown on the portal); None while still owed.
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    late: Mapped[bool | None] = mapped_column(Boolean)


class AnnualReport(Base):
    """An agency's Art 17 statistical annual report for one year: entered figures plus derived counts."""

    __tablename__ = "annual_reports"
    __table_args__ = (UniqueConstraint("agency_id", "year"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), default="draft")  # draft | published
    # Figures no record holds (staff, 复议/诉讼, complaints, criminal transfers…), as entered.
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Counts derived from the records, frozen when the report is published.
    derived: Mapped[dict[str, Any] | None] = mapped_column(Json)
    revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(String(100))
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")


# The portal's statistics group every disclosure by agency, year, kind and status; a covering index
# lets the database answer from the index alone (on 1M rows: a scan of the index instead of 1M row
# lookups). It belongs to the `disclosures` table but to this feature, so it is declared here.
Index(
    "ix_disclosures_stats",
    Disclosure.agency_code,
    Disclosure.decided_on,
    Disclosure.kind,
    Disclosure.status,
)
# The timeliness statistics (issue 12) group by agency, decision year, status and the three stored
# timeliness facts; covering them keeps that query on the index too.
Index(
    "ix_disclosures_timeliness",
    Disclosure.agency_code,
    Disclosure.decided_on,
    Disclosure.status,
    Disclosure.published_on_time,
    Disclosure.publish_working_days,
    Disclosure.withdrawn_on_time,
)

"""Credit platforms (issue 15): what each 双公示 export contained, and spreadsheet import jobs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gongshi.storage.models import Base, BigId, Json


class CreditExport(Base):
    """One 双公示 export file: who made it, for which agency and template, how many rows.

    It heads its own audit chain (subject "credit_export"), so every export is an audit event.
    """

    __tablename__ = "credit_exports"
    __table_args__ = (Index("ix_credit_exports_agency_id_created_at", "agency_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    # "all" or one template (legal_penalty | natural_penalty | legal_license | natural_license).
    template: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(10))
    since: Mapped[date | None] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    audit_seq: Mapped[int] = mapped_column(default=0)
    audit_head: Mapped[str] = mapped_column(String(64), default="")


class CreditExportItem(Base):
    """A decision revision an export contained, with the 当前状态 it was reported with (1 or 2)."""

    __tablename__ = "credit_export_items"
    __table_args__ = (Index("ix_credit_export_items_decision_id_export_id", "decision_id", "export_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("credit_exports.id"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    revision: Mapped[int]
    status: Mapped[int]  # 1 有效 / 2 无效
    template: Mapped[str] = mapped_column(String(20))


class ImportJob(Base):
    """A spreadsheet upload being stored in the background; the console polls it for progress."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    actor: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[str] = mapped_column(String(20))  # queued | running | done | failed
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(Json, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]

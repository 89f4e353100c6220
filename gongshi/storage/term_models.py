"""Agency term lists (issue 11): strings an agency always masks, or never masks, in its decisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gongshi.storage.models import Base, BigId


class AgencyTerm(Base):
    """One entry: proposed (by a reviewer's edit or by hand), then accepted or rejected by a head."""

    __tablename__ = "agency_terms"
    __table_args__ = (
        UniqueConstraint("agency_id", "kind", "term"),
        Index("ix_agency_terms_agency_status", "agency_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    term: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # "always" | "never"
    category: Mapped[str] = mapped_column(String(40), default="other")
    status: Mapped[str] = mapped_column(String(10))  # "proposed" | "accepted" | "rejected"
    note: Mapped[str] = mapped_column(String(2000), default="")
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed_at: Mapped[datetime]
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None]
    source_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))

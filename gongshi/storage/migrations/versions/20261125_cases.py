"""full-process case records: cases, entries, attachments, decision links

Revision ID: cases01
Revises: 0001
Create Date: 2026-11-25 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "cases01"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", BigId, nullable=False),
        sa.Column("agency_id", BigId, nullable=False),
        sa.Column("case_number", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("party", sa.JSON(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("source_type", sa.String(length=20), nullable=False),
        sa.Column("source_detail", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_head", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_cases_agency_id_agencies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("agency_id", "case_number", name=op.f("uq_cases_agency_id_case_number")),
    )
    op.create_index("ix_cases_agency_opened", "cases", ["agency_id", "opened_on"], unique=False)
    op.create_table(
        "case_decisions",
        sa.Column("id", BigId, nullable=False),
        sa.Column("case_id", BigId, nullable=False),
        sa.Column("decision_id", BigId, nullable=True),
        sa.Column("document_number", sa.String(length=200), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_decisions_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_case_decisions_decision_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_decisions")),
        sa.UniqueConstraint(
            "case_id", "document_number", name=op.f("uq_case_decisions_case_id_document_number")
        ),
    )
    op.create_index("ix_case_decisions_document_number", "case_decisions", ["document_number"], unique=False)
    op.create_table(
        "case_entries",
        sa.Column("id", BigId, nullable=False),
        sa.Column("case_id", BigId, nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("corrects_id", BigId, nullable=True),
        sa.Column("source_ref", sa.String(length=128), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_entries_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["corrects_id"], ["case_entries.id"], name=op.f("fk_case_entries_corrects_id_case_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_entries")),
        sa.UniqueConstraint("case_id", "source_ref", name=op.f("uq_case_entries_case_id_source_ref")),
    )
    op.create_index("ix_case_entries_case_id_id", "case_entries", ["case_id", "id"], unique=False)
    op.create_table(
        "case_attachments",
        sa.Column("id", BigId, nullable=False),
        sa.Column("case_id", BigId, nullable=False),
        sa.Column("entry_id", BigId, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("late_reason", sa.Text(), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_attachments_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["case_entries.id"], name=op.f("fk_case_attachments_entry_id_case_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_attachments")),
    )
    op.create_index(
        "ix_case_attachments_case_id_entry_id", "case_attachments", ["case_id", "entry_id"], unique=False
    )
    op.create_index(op.f("ix_case_attachments_sha256"), "case_attachments", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_case_attachments_sha256"), table_name="case_attachments")
    op.drop_index("ix_case_attachments_case_id_entry_id", table_name="case_attachments")
    op.drop_table("case_attachments")
    op.drop_index("ix_case_entries_case_id_id", table_name="case_entries")
    op.drop_table("case_entries")
    op.drop_index("ix_case_decisions_document_number", table_name="case_decisions")
    op.drop_table("case_decisions")
    op.drop_index("ix_cases_agency_opened", table_name="cases")
    op.drop_table("cases")

"""credit platforms (issue 15): 双公示 exports and what they contained; spreadsheet import jobs

Revision ID: credit01
Revises: 0001
Create Date: 2026-12-01 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "credit01"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "credit_exports",
        sa.Column("id", BigId, nullable=False),
        sa.Column("agency_id", BigId, nullable=False),
        sa.Column("template", sa.String(length=20), nullable=False),
        sa.Column("format", sa.String(length=10), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_head", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_credit_exports_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_exports")),
    )
    op.create_index(
        "ix_credit_exports_agency_id_created_at", "credit_exports", ["agency_id", "created_at"], unique=False
    )
    op.create_table(
        "import_jobs",
        sa.Column("id", BigId, nullable=False),
        sa.Column("agency_id", BigId, nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_import_jobs_agency_id_agencies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_table(
        "credit_export_items",
        sa.Column("id", BigId, nullable=False),
        sa.Column("export_id", BigId, nullable=False),
        sa.Column("decision_id", BigId, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_credit_export_items_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["export_id"], ["credit_exports.id"], name=op.f("fk_credit_export_items_export_id_credit_exports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_export_items")),
    )
    op.create_index(
        "ix_credit_export_items_decision_id_export_id",
        "credit_export_items",
        ["decision_id", "export_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_credit_export_items_export_id"), "credit_export_items", ["export_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_credit_export_items_export_id"), table_name="credit_export_items")
    op.drop_index("ix_credit_export_items_decision_id_export_id", table_name="credit_export_items")
    op.drop_table("credit_export_items")
    op.drop_table("import_jobs")
    op.drop_index("ix_credit_exports_agency_id_created_at", table_name="credit_exports")
    op.drop_table("credit_exports")

"""agency_terms: each agency's always-mask and never-mask lists, proposed and accepted (issue 11)

Revision ID: review02
Revises: review01
Create Date: 2026-12-01 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "review02"
down_revision: str | None = "review01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "agency_terms",
        sa.Column("id", BigId, nullable=False),
        sa.Column("agency_id", BigId, nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source_decision_id", BigId, nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_agency_terms_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["source_decision_id"],
            ["decisions.id"],
            name=op.f("fk_agency_terms_source_decision_id_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_terms")),
        sa.UniqueConstraint("agency_id", "kind", "term", name=op.f("uq_agency_terms_agency_id_kind_term")),
    )
    op.create_index("ix_agency_terms_agency_status", "agency_terms", ["agency_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_agency_terms_agency_status", table_name="agency_terms")
    op.drop_table("agency_terms")

"""security_chain: the audit chain of security events such as login locks (issue 14)

Revision ID: security01
Revises: auth01
Create Date: 2026-12-01 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "security01"
down_revision: str | None = "auth01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    chain = op.create_table(
        "security_chain",
        sa.Column("id", BigId, nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_head", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_chain")),
    )
    op.bulk_insert(chain, [{"id": 1, "audit_seq": 0, "audit_head": ""}])


def downgrade() -> None:
    op.drop_table("security_chain")

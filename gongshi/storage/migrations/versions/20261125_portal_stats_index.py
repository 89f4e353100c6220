"""portal: covering index for the statistics over disclosures (issue 4)

Revision ID: portal02
Revises: portal01
Create Date: 2026-11-25 18:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "portal02"
down_revision: str | None = "portal01"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_disclosures_stats", ["agency_code", "decided_on", "kind", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.drop_index("ix_disclosures_stats")

"""agencies.second_review_rule and decisions.second_review: a second reviewer for risky decisions (issue 11)

Revision ID: review03
Revises: review02
Create Date: 2026-12-01 16:00:00

Both columns are nullable JSON, so existing rows need no backfill: an agency without a rule uses the
default rule (gongshi.publication.second_review.DEFAULT), and a decision approved before this
migration simply had no second review.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "review03"
down_revision: str | None = "review02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("second_review_rule", sa.JSON(), nullable=True))
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("second_review", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("second_review")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_column("second_review_rule")

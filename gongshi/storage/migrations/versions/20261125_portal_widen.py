"""portal: room for every enforcement-basis level; an index for the open-data "modified since" query

Revision ID: portal03
Revises: portal02
Create Date: 2026-11-25 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "portal03"
down_revision: str | None = "portal02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # "administrative_regulation" is 25 characters; PostgreSQL refused it in a VARCHAR(20).
    with op.batch_alter_table("agency_bases", schema=None) as batch_op:
        batch_op.alter_column("level", existing_type=sa.String(length=20), type_=sa.String(length=40))
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.create_index("ix_disclosures_updated_at", ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.drop_index("ix_disclosures_updated_at")
    with op.batch_alter_table("agency_bases", schema=None) as batch_op:
        batch_op.alter_column("level", existing_type=sa.String(length=40), type_=sa.String(length=20))

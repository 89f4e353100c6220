"""disclosures: timeliness of publication and withdrawal, fixed per row (issue 12), and backfilled

Revision ID: disclosures05
Revises: disclosures04
Create Date: 2026-12-01 10:00:00

Rows published before this revision get their figures from the decision's publish_by and
withdraw_by and the working-day calendar as loaded now (package schedule plus admin overrides).
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import lru_cache

import sqlalchemy as sa
from alembic import op

from gongshi.domain.clock import SHANGHAI
from gongshi.domain.timeliness import publication_fields, withdrawn_on_time
from gongshi.domain.workdays import WorkCalendar

revision: str = "disclosures05"
down_revision: str | None = "disclosures04"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "agency_code",
    "decided_on",
    "status",
    "published_on_time",
    "publish_working_days",
    "withdrawn_on_time",
)


def upgrade() -> None:
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publish_working_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("published_on_time", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_on_time", sa.Boolean(), nullable=True))
        batch_op.create_index("ix_disclosures_timeliness", list(COLUMNS), unique=False)
    backfill(op.get_bind())


def _shanghai_date(value: datetime | str) -> date:
    if isinstance(value, str):  # SQLite without type processing
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SHANGHAI).date()


def _day(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def backfill(conn: sa.Connection, batch: int = 5000) -> int:
    """Fill the three columns for rows that lack them; returns the number of rows updated."""
    overrides = {
        _day(d): bool(w) for d, w in conn.execute(sa.text("SELECT day, is_workday FROM calendar_days"))
    }
    years = [int(y) for (y,) in conn.execute(sa.text("SELECT year FROM calendar_years"))]
    cal = WorkCalendar(overrides=overrides, official_years=years)

    @lru_cache(maxsize=100_000)
    def working(decided_on: date, published_on: date, publish_by: date) -> tuple[int, bool]:
        f = publication_fields(decided_on, publish_by, published_on, cal)
        return f["publish_working_days"], f["published_on_time"]

    rows = conn.execute(
        sa.text(
            "SELECT x.public_id, x.decided_on, x.published_at, x.withdrawn_at, d.publish_by, d.withdraw_by "
            "FROM disclosures x JOIN decisions d ON d.id = x.decision_id "
            "WHERE x.published_on_time IS NULL"
        )
    ).all()
    update = sa.text(
        "UPDATE disclosures SET publish_working_days = :days, published_on_time = :on_time, "
        "withdrawn_on_time = :withdrawn WHERE public_id = :pid"
    )
    params = []
    for pid, decided_on, published_at, withdrawn_at, publish_by, withdraw_by in rows:
        days, on_time = working(_day(decided_on), _shanghai_date(published_at), _day(publish_by))
        withdrawn = (
            withdrawn_on_time(_shanghai_date(withdrawn_at), _day(withdraw_by) if withdraw_by else None)
            if withdrawn_at is not None
            else None
        )
        params.append({"pid": pid, "days": days, "on_time": on_time, "withdrawn": withdrawn})
        if len(params) >= batch:
            conn.execute(update, params)
            params = []
    if params:
        conn.execute(update, params)
    return len(rows)


def downgrade() -> None:
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        batch_op.drop_index("ix_disclosures_timeliness")
        batch_op.drop_column("withdrawn_on_time")
        batch_op.drop_column("published_on_time")
        batch_op.drop_column("publish_working_days")

"""access and correction requests, party match keys (issue 5)

Revision ID: requests01
Revises: 0001
Create Date: 2026-11-25 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "requests01"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "party_keys",
        sa.Column("decision_id", BigId, autoincrement=False, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_party_keys_decision_id_decisions")
        ),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_party_keys")),
    )
    with op.batch_alter_table("party_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_party_keys_key"), ["key"], unique=False)

    op.create_table(
        "access_requests",
        sa.Column("id", BigId, nullable=False),
        sa.Column("tracking_no", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("document_number", sa.String(length=200), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("id_hint", sa.String(length=40), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("decision_id", BigId, nullable=True),
        sa.Column("agency_id", BigId, nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("checked_by", sa.String(length=100), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("access_code_hash", sa.String(length=64), nullable=True),
        sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_head", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_access_requests_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_access_requests_decision_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_requests")),
        sa.UniqueConstraint("tracking_no", name=op.f("uq_access_requests_tracking_no")),
    )
    with op.batch_alter_table("access_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_requests_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_requests_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index("ix_access_requests_state_due_on", ["state", "due_on"], unique=False)

    op.create_table(
        "correction_requests",
        sa.Column("id", BigId, nullable=False),
        sa.Column("tracking_no", sa.String(length=40), nullable=False),
        sa.Column("disclosure_id", sa.String(length=32), nullable=False),
        sa.Column("decision_id", BigId, nullable=False),
        sa.Column("agency_id", BigId, nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_head", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_correction_requests_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_correction_requests_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["disclosure_id"],
            ["disclosures.public_id"],
            name=op.f("fk_correction_requests_disclosure_id_disclosures"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_requests")),
        sa.UniqueConstraint("tracking_no", name=op.f("uq_correction_requests_tracking_no")),
    )
    with op.batch_alter_table("correction_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_correction_requests_agency_id"), ["agency_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_requests_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index(
            "ix_correction_requests_disclosure_state", ["disclosure_id", "state"], unique=False
        )

    op.create_table(
        "correction_evidence",
        sa.Column("id", BigId, nullable=False),
        sa.Column("request_id", BigId, nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["correction_requests.id"],
            name=op.f("fk_correction_evidence_request_id_correction_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_evidence")),
    )
    with op.batch_alter_table("correction_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_correction_evidence_request_id"), ["request_id"], unique=False)


def downgrade() -> None:
    op.drop_table("correction_evidence")
    op.drop_table("correction_requests")
    op.drop_table("access_requests")
    op.drop_table("party_keys")

"""Response Structs of the internal API (never used by the portal)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from msgspec import Struct

from gongshi.publication import states
from gongshi.publication.second_review import SecondReviewOut
from gongshi.redaction.entities import doubt_id
from gongshi.storage.models import Agency, AuditEvent, Decision


class _Out(Struct, frozen=True, kw_only=True):
    """Base for responses."""


class AgencyOut(_Out, kw_only=True, frozen=True):
    code: str
    name: str


class Submitted(_Out, kw_only=True, frozen=True):
    id: int
    source_id: str
    state: str
    publish_by: date
    publish_by_provisional: bool
    created: bool
    replaced: bool
    url: str


class AuditEventOut(_Out, kw_only=True, frozen=True):
    seq: int
    at: datetime
    actor: str
    action: str
    reason: str
    before: str | None
    after: str | None
    data: dict[str, Any]
    hash: str


class AuditOut(_Out, kw_only=True, frozen=True):
    decision_id: int
    intact: bool
    first_bad_seq: int | None
    events: list[AuditEventOut]


class SecurityAuditOut(_Out, kw_only=True, frozen=True):
    """The security events (login locks) and whether their chain is intact."""

    intact: bool
    first_bad_seq: int | None
    events: list[AuditEventOut]


class DecisionSummary(_Out, kw_only=True, frozen=True):
    id: int
    source_id: str
    agency: str
    kind: str
    document_number: str
    title: str
    decided_on: date
    state: str
    publish_by: date
    publish_by_provisional: bool
    public_id: str | None
    # Who must act on a decision waiting for its second review (state second_review); else None.
    second_review: SecondReviewOut | None = None


class DecisionOut(_Out, kw_only=True, frozen=True):
    id: int
    source_id: str
    agency: AgencyOut
    kind: str
    document_number: str
    title: str
    decided_on: date
    state: str
    state_label: str
    revision: int
    publish_by: date
    publish_by_provisional: bool
    publish_due_at: datetime
    not_before: datetime | None
    redaction_status: str | None
    withhold_reasons: list[dict[str, Any]]
    redactions: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    doubts: list[dict[str, Any]]
    redaction_edits: list[dict[str, Any]]
    leak_hits: list[dict[str, Any]]
    # Whether the agency's rule wants a second reviewer, why, and who approved (issue 11).
    second_review: SecondReviewOut
    public: dict[str, Any] | None
    withheld_reason: str | None
    withdraw_reason: str | None
    ruling_received_on: date | None
    withdraw_by: date | None
    superseded_by: int | None
    expires_on: date | None
    public_id: str | None
    public_url: str | None
    approved_at: datetime | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    created_at: datetime
    updated_at: datetime
    intake: dict[str, Any]
    audit: list[AuditEventOut]


def audit_out(ev: AuditEvent) -> AuditEventOut:
    return AuditEventOut(
        seq=ev.seq,
        at=ev.at,
        actor=ev.actor,
        action=ev.action,
        reason=ev.reason,
        before=ev.before_state,
        after=ev.after_state,
        data=ev.data,
        hash=ev.hash,
    )


def summary(d: Decision, agency_code: str, second: SecondReviewOut | None = None) -> DecisionSummary:
    return DecisionSummary(
        id=d.id,
        source_id=d.source_id,
        agency=agency_code,
        kind=d.kind,
        document_number=d.document_number,
        title=d.title,
        decided_on=d.decided_on,
        state=d.state,
        publish_by=d.publish_by,
        publish_by_provisional=d.publish_by_provisional,
        public_id=d.public_id,
        second_review=second,
    )


def _doubt(q: dict[str, Any]) -> dict[str, Any]:
    """A stored doubt with its id and status (records redacted before issue 11 have neither)."""
    doubt = q.get("id") or doubt_id(q["field"], q["start"], q["end"], q["kind"])
    return {**q, "id": doubt, "status": q.get("status", "open")}


def decision_out(
    d: Decision,
    agency: Agency,
    events: list[AuditEvent],
    portal_base_url: str,
    publish_due_at: datetime,
    second: SecondReviewOut,
) -> DecisionOut:
    red = d.redaction or {}
    public_url = f"{portal_base_url}/disclosures/{d.public_id}" if d.public_id and d.published_at else None
    return DecisionOut(
        id=d.id,
        source_id=d.source_id,
        agency=AgencyOut(code=agency.code, name=agency.name),
        kind=d.kind,
        document_number=d.document_number,
        title=d.title,
        decided_on=d.decided_on,
        state=d.state,
        state_label=states.LABELS.get(d.state, d.state),
        revision=d.revision,
        publish_by=d.publish_by,
        publish_by_provisional=d.publish_by_provisional,
        publish_due_at=publish_due_at,
        not_before=d.not_before,
        redaction_status=red.get("status"),
        withhold_reasons=red.get("reasons", []),
        redactions=red.get("redactions", []),
        entities=red.get("entities", []),
        doubts=[
            {
                **q,
                "id": q.get("id") or doubt_id(q["field"], q["start"], q["end"], q["kind"]),
                "status": q.get("status", "open"),
            }
            for q in red.get("doubts", [])
        ],
        redaction_edits=d.redaction_edits or [],
        leak_hits=d.leak_hits or [],
        second_review=second,
        public=red.get("public"),
        withheld_reason=d.withheld_reason,
        withdraw_reason=d.withdraw_reason,
        ruling_received_on=d.ruling_received_on,
        withdraw_by=d.withdraw_by,
        superseded_by=d.superseded_by_id,
        expires_on=d.expires_on,
        public_id=d.public_id,
        public_url=public_url,
        approved_at=d.approved_at,
        published_at=d.published_at,
        withdrawn_at=d.withdrawn_at,
        created_at=d.created_at,
        updated_at=d.updated_at,
        intake=msgspec.json.decode(d.intake),
        audit=[audit_out(e) for e in events],
    )

"""One plain structure per case, shared by the JSON API and the console timeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.cases import compliance
from gongshi.storage.case_models import Case, CaseAttachment, CaseDecision, CaseEntry
from gongshi.storage.models import Agency, AuditEvent, Decision

RELEASE_ACTION = "release.approved"


class AttachmentOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    entry_id: int
    sha256: str
    media_type: str
    size: int
    filename: str
    captured_at: datetime
    stored_at: datetime
    late_reason: str | None
    returned_at: datetime | None
    url: str


class EntryOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    stage: str
    type: str
    type_label: str
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str
    corrects: int | None
    corrected_by: list[int]
    # The entry exactly as submitted.
    record: dict[str, Any]
    attachments: list[AttachmentOut]


class DecisionLinkOut(msgspec.Struct, frozen=True, kw_only=True):
    document_number: str
    decision_id: int | None
    linked_at: datetime
    url: str | None


class ReleaseOut(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    at: datetime
    approved_by: str
    recipient_kind: str
    recipient: str
    purpose: str


class CaseOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    agency: dict[str, str]
    case_number: str
    kind: str
    party: dict[str, Any]
    opened_on: date
    source: dict[str, str]
    created_at: datetime
    created_by: str
    decisions: list[DecisionLinkOut]
    entries: list[EntryOut]
    compliance: compliance.Compliance
    releases: list[ReleaseOut]
    url: str
    verify_url: str


def attachment_url(att: Any) -> str:
    return f"/api/v1/cases/{att.case_id}/entries/{att.entry_id}/attachments/{att.id}"


def attachment_out(att: CaseAttachment) -> AttachmentOut:
    return AttachmentOut(
        id=att.id,
        entry_id=att.entry_id,
        sha256=att.sha256,
        media_type=att.media_type,
        size=att.size,
        filename=att.filename,
        captured_at=att.captured_at,
        stored_at=att.stored_at,
        late_reason=att.late_reason,
        returned_at=att.returned_at,
        url=attachment_url(att),
    )


def entry_out(entry: CaseEntry, attachments: Sequence[CaseAttachment], corrected_by: list[int]) -> EntryOut:
    return EntryOut(
        id=entry.id,
        stage=entry.stage,
        type=entry.type,
        type_label=compliance.LABELS.get(entry.type, entry.type),
        occurred_at=entry.occurred_at,
        recorded_at=entry.recorded_at,
        recorded_by=entry.recorded_by,
        corrects=entry.corrects_id,
        corrected_by=corrected_by,
        record=msgspec.json.decode(entry.body),
        attachments=[attachment_out(a) for a in attachments],
    )


def case_compliance(case: Case, entry_types: Sequence[str], attachments: Sequence[Any], today: date) -> Any:
    return compliance.check(
        kind=case.kind,
        opened_on=case.opened_on,
        concluded_on=case.concluded_on,
        archived_on=case.archived_on,
        entry_types=entry_types,
        attachments=attachments,
        today=today,
    )


def case_out(session: Session, case: Case, today: date) -> CaseOut:
    entries = session.scalars(
        select(CaseEntry).where(CaseEntry.case_id == case.id).order_by(CaseEntry.id)
    ).all()
    attachments = session.scalars(
        select(CaseAttachment).where(CaseAttachment.case_id == case.id).order_by(CaseAttachment.id)
    ).all()
    by_entry: dict[int, list[CaseAttachment]] = defaultdict(list)
    for att in attachments:
        by_entry[att.entry_id].append(att)
    corrected_by: dict[int, list[int]] = defaultdict(list)
    for e in entries:
        if e.corrects_id is not None:
            corrected_by[e.corrects_id].append(e.id)
    agency = session.get(Agency, case.agency_id)
    assert agency is not None
    return CaseOut(
        id=case.id,
        agency={"code": agency.code, "name": agency.name},
        case_number=case.case_number,
        kind=case.kind,
        party=case.party,
        opened_on=case.opened_on,
        source={"type": case.source_type, "detail": case.source_detail},
        created_at=case.created_at,
        created_by=case.created_by,
        decisions=decision_links(session, case),
        entries=[entry_out(e, by_entry.get(e.id, []), corrected_by.get(e.id, [])) for e in entries],
        compliance=case_compliance(case, [e.type for e in entries], attachments, today),
        releases=releases(session, case.id),
        url=f"/api/v1/cases/{case.id}",
        verify_url=f"/api/v1/cases/{case.id}/verify",
    )


def decision_links(session: Session, case: Case) -> list[DecisionLinkOut]:
    links = session.scalars(
        select(CaseDecision).where(CaseDecision.case_id == case.id).order_by(CaseDecision.id)
    ).all()
    # A decision linked by number before it was submitted is found now, by the same number.
    pending = [link.document_number for link in links if link.decision_id is None]
    found: dict[str, int] = {}
    if pending:
        rows = session.execute(
            select(Decision.document_number, Decision.id).where(
                Decision.agency_id == case.agency_id, Decision.document_number.in_(pending)
            )
        )
        found = {number: decision_id for number, decision_id in rows}
    out = []
    for link in links:
        decision_id = link.decision_id or found.get(link.document_number)
        out.append(
            DecisionLinkOut(
                document_number=link.document_number,
                decision_id=decision_id,
                linked_at=link.linked_at,
                url=f"/api/v1/decisions/{decision_id}" if decision_id else None,
            )
        )
    return out


def releases(session: Session, case_id: int) -> list[ReleaseOut]:
    """Releases a head approved (记录办法 Art 20), from the case's audit chain."""
    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.subject_type == "case",
            AuditEvent.subject_id == case_id,
            AuditEvent.action == RELEASE_ACTION,
        )
        .order_by(AuditEvent.seq)
    )
    return [
        ReleaseOut(
            seq=ev.seq,
            at=ev.at,
            approved_by=ev.actor,
            recipient_kind=ev.data.get("recipient_kind", ""),
            recipient=ev.data.get("recipient", ""),
            purpose=ev.reason,
        )
        for ev in events
    ]

"""Opening cases and appending to them; nothing here updates or deletes a recorded row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.cases import chain, compliance
from gongshi.cases.entries import CaseIn, DecisionRef, Entry, canonical
from gongshi.core import audit
from gongshi.errors import Conflict, NotFound, Unprocessable
from gongshi.publication.intake import resolve_agency
from gongshi.storage.case_models import Case, CaseAttachment, CaseDecision, CaseEntry
from gongshi.storage.models import Decision
from gongshi.storage.scoped import load_scoped


@dataclass(frozen=True)
class Opened:
    case: Case
    created: bool


def load_case(session: Session, principal: Principal, case_id: int, *, for_update: bool = False) -> Case:
    """The case if this principal may see it; 404 otherwise, so existence does not leak."""
    return load_scoped(
        session,
        Case,
        case_id,
        sees=lambda c: principal.sees_agency(c.agency_id),
        missing=f"案件 {case_id} 不存在",
        for_update=for_update,
    )


def _content_hash(case_in: CaseIn) -> str:
    # Linked decisions are additive, so they are not part of the case's identity.
    return hashlib.sha256(canonical(msgspec.structs.replace(case_in, decisions=[]))).hexdigest()


def open_case(session: Session, principal: Principal, case_in: CaseIn, now: datetime) -> Opened:
    """Open a case, idempotent on (agency, case_number); the caller commits."""
    principal.require("case.write")
    agency = resolve_agency(session, principal, case_in, now)  # type: ignore[arg-type]  # uses .agency only
    digest = _content_hash(case_in)
    existing = session.scalar(
        select(Case)
        .where(Case.agency_id == agency.id, Case.case_number == case_in.case_number)
        .with_for_update()
    )
    if existing is not None:
        if existing.content_hash != digest:
            raise Conflict(
                f"案件编号 {case_in.case_number} 已存在且内容不同；案卷只能追加记录，不能修改",
                field="case_number",
                code="case_exists",
                extra={"case_id": existing.id},
            )
        for ref in case_in.decisions:
            link_decision(session, principal, existing, ref, now)
        return Opened(existing, created=False)
    case = Case(
        agency_id=agency.id,
        case_number=case_in.case_number,
        kind=case_in.kind,
        party=msgspec.to_builtins(case_in.party),
        opened_on=case_in.opened_on,
        source_type=case_in.source.type,
        source_detail=case_in.source.detail,
        content_hash=digest,
        concluded_on=None,
        archived_on=None,
        audit_seq=0,
        audit_head="",
        created_at=now,
        created_by=principal.actor,
    )
    session.add(case)
    session.flush()
    _announce(session, case, principal, "case.opened", "case_id", case.id, chain.case_digest(case), now)
    for ref in case_in.decisions:
        link_decision(session, principal, case, ref, now)
    return Opened(case, created=True)


def _announce(
    session: Session,
    case: Case,
    principal: Principal,
    action: str,
    id_key: str,
    row_id: int,
    digest: str,
    now: datetime,
    **data: Any,
) -> None:
    audit.record(
        session,
        "case",
        case,
        actor=principal.actor,
        action=action,
        data={id_key: row_id, "digest": digest, **data},
        at=now,
    )


def link_decision(
    session: Session, principal: Principal, case: Case, ref: DecisionRef, now: datetime
) -> CaseDecision:
    """Link a decision the case produced (idempotent on its document number)."""
    principal.require("case.write")
    decision = None
    if ref.decision_id is not None:
        decision = session.get(Decision, ref.decision_id)
        if decision is None or decision.agency_id != case.agency_id:
            raise Unprocessable(f"本机关没有编号为 {ref.decision_id} 的决定", field="decision_id")
        if ref.document_number is not None and ref.document_number != decision.document_number:
            raise Unprocessable(
                f"决定 {decision.id} 的文号是 {decision.document_number}，与 document_number 不符",
                field="document_number",
            )
    elif ref.document_number is not None:
        decision = session.scalar(
            select(Decision)
            .where(Decision.agency_id == case.agency_id, Decision.document_number == ref.document_number)
            .order_by(Decision.id)
            .limit(1)
        )
    document_number = decision.document_number if decision is not None else ref.document_number
    assert document_number is not None  # decode_case requires one of the two
    existing = session.scalar(
        select(CaseDecision).where(
            CaseDecision.case_id == case.id, CaseDecision.document_number == document_number
        )
    )
    if existing is not None:
        return existing
    link = CaseDecision(
        case_id=case.id,
        decision_id=decision.id if decision is not None else None,
        document_number=document_number,
        linked_at=now,
        linked_by=principal.actor,
    )
    session.add(link)
    session.flush()
    _announce(session, case, principal, "decision.linked", "link_id", link.id, chain.link_digest(link), now)
    return link


@dataclass(frozen=True)
class Appended:
    entry: CaseEntry
    created: bool


def add_entry(session: Session, principal: Principal, case: Case, entry: Entry, now: datetime) -> Appended:
    """Append one entry (a correction points at the entry it corrects; that one stays as it was)."""
    principal.require("case.write")
    body = canonical(entry)
    if entry.source_ref is not None:
        existing = session.scalar(
            select(CaseEntry).where(CaseEntry.case_id == case.id, CaseEntry.source_ref == entry.source_ref)
        )
        if existing is not None:
            if existing.body != body:
                raise Conflict(
                    f"source_ref {entry.source_ref} 已记录为记录 {existing.id}，内容不同；"
                    "如需更正请提交更正记录",
                    field="source_ref",
                    code="entry_exists",
                    extra={"entry_id": existing.id},
                )
            return Appended(existing, created=False)
    if entry.corrects is not None:
        target = session.get(CaseEntry, entry.corrects)
        if target is None or target.case_id != case.id:
            raise Unprocessable(f"本案没有编号为 {entry.corrects} 的记录可更正", field="corrects")
    row = CaseEntry(
        case_id=case.id,
        stage=entry.stage,
        type=entry.__struct_config__.tag,
        occurred_at=entry.occurred_at.astimezone(UTC),
        body=body,
        corrects_id=entry.corrects,
        source_ref=entry.source_ref,
        recorded_at=now,
        recorded_by=principal.actor,
    )
    session.add(row)
    session.flush()
    _announce(
        session,
        case,
        principal,
        "entry.recorded",
        "entry_id",
        row.id,
        chain.entry_digest(row),
        now,
        type=row.type,
    )
    case.concluded_on, case.archived_on = compliance.advance_dates(
        case.concluded_on, case.archived_on, row.type, row.corrects_id, row.occurred_at
    )
    return Appended(row, created=True)


def load_entry(session: Session, case: Case, entry_id: int) -> CaseEntry:
    entry = session.get(CaseEntry, entry_id)
    if entry is None or entry.case_id != case.id:
        raise NotFound(f"案件 {case.id} 没有记录 {entry_id}", code="not_found")
    return entry


@dataclass(frozen=True)
class StoredFile:
    """What the upload stream produced, before it is recorded."""

    sha256: str
    size: int
    media_type: str
    filename: str
    captured_at: datetime
    late_reason: str | None
    returned_at: datetime | None


def add_attachment(
    session: Session, principal: Principal, case: Case, entry: CaseEntry, stored: StoredFile, now: datetime
) -> tuple[CaseAttachment, bool]:
    """Record a stored file against an entry; its SHA-256 goes into the chain.

    The same bytes captured at the same time for the same entry are one attachment: a retried
    upload returns the recorded one.
    """
    principal.require("case.write")
    existing = session.scalar(
        select(CaseAttachment).where(
            CaseAttachment.entry_id == entry.id,
            CaseAttachment.sha256 == stored.sha256,
            CaseAttachment.captured_at == stored.captured_at,
        )
    )
    if existing is not None:
        return existing, False
    row = CaseAttachment(
        case_id=case.id,
        entry_id=entry.id,
        sha256=stored.sha256,
        size=stored.size,
        media_type=stored.media_type,
        filename=stored.filename,
        captured_at=stored.captured_at,
        stored_at=now,
        late_reason=stored.late_reason,
        returned_at=stored.returned_at,
        recorded_by=principal.actor,
    )
    session.add(row)
    session.flush()
    _announce(
        session,
        case,
        principal,
        "attachment.stored",
        "attachment_id",
        row.id,
        chain.attachment_digest(row),
        now,
        entry_id=entry.id,
        sha256=row.sha256,
    )
    return row, True

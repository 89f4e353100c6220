"""Taking in decisions: idempotent on (agency, source_id), replacing drafts, refusing published ones."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.domain.clock import SHANGHAI
from gongshi.domain.intake import Intake, IntakeError, canonical_json
from gongshi.domain.windows import publish_by
from gongshi.domain.workdays import Deadline, WorkCalendar
from gongshi.errors import Conflict, GongshiError, Unprocessable
from gongshi.publication import states
from gongshi.storage.models import Agency, AuditEvent, Decision, DecisionRevision, table


@dataclass(frozen=True)
class Submitted:
    decision: Decision
    created: bool
    replaced: bool


def start_of_day(day: date | None) -> datetime | None:
    """Midnight Asia/Shanghai of a date, as UTC."""
    if day is None:
        return None
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC)


def region_of(agency_code: str) -> str:
    # Characters 3–8 of a unified social credit code are the registering authority's 行政区划 code.
    region = agency_code[2:8]
    return region if len(agency_code) == 18 and region.isdigit() else ""


def resolve_agency(session: Session, principal: Principal, intake: Intake, now: datetime) -> Agency:
    code = intake.agency.code
    if principal.agency_id is not None:
        agency = session.get(Agency, principal.agency_id)
        if agency is None or agency.code != code:
            raise Unprocessable(
                f"令牌所属机关不是 {code}，不能提交其他机关的决定", field="agency.code", code="wrong_agency"
            )
    else:
        agency = session.scalar(select(Agency).where(Agency.code == code))
        if agency is None:
            agency = Agency(
                code=code, name=intake.agency.name, region=region_of(code), profile={}, created_at=now
            )
            session.add(agency)
            session.flush()
    if agency.name == agency.code:  # a placeholder created with a token; the intake knows the name
        agency.name = intake.agency.name
    return agency


def _deadline(intake: Intake, cal: WorkCalendar) -> Deadline:
    try:
        return publish_by(intake.kind, intake.decided_on, cal)
    except (ValueError, OverflowError) as exc:  # intake checks the range; this keeps it one item's error
        raise Unprocessable(f"无法从决定日期 {intake.decided_on} 计算公示期限", field="decided_on") from exc


def _apply(
    decision: Decision, intake: Intake, raw: bytes, digest: str, cal: WorkCalendar, now: datetime
) -> None:
    deadline = _deadline(intake, cal)
    decision.kind = intake.kind
    decision.document_number = intake.document_number
    decision.title = intake.title
    decision.decided_on = intake.decided_on
    decision.intake = raw
    decision.content_hash = digest
    decision.publish_by = deadline.on
    decision.publish_by_provisional = deadline.provisional
    decision.not_before = start_of_day(intake.not_before)
    decision.redaction = None
    decision.redaction_version = None
    decision.leak_hits = None
    decision.updated_at = now


def submit(
    session: Session, principal: Principal, intake: Intake, cal: WorkCalendar, now: datetime
) -> Submitted:
    """Store one decision; the caller commits. A batch of one: the same rules, the same fast inserts."""
    [item] = submit_batch(session, principal, [intake], cal, now)
    if item.error is not None:
        raise item.error
    assert item.submitted is not None
    return item.submitted


def _new(agency: Agency, intake: Intake, cal: WorkCalendar, now: datetime) -> Decision:
    raw = canonical_json(intake)
    decision = Decision(
        agency_id=agency.id,
        source_id=intake.source_id,
        state="received",
        revision=1,
        audit_seq=0,
        audit_head="",
        created_at=now,
        minor_override=False,
    )
    _apply(decision, intake, raw, hashlib.sha256(raw).hexdigest(), cal, now)
    return decision


def _receive_event(principal: Principal, decision: Decision, now: datetime) -> dict[str, object]:
    return audit.next_event(
        "decision",
        decision,
        actor=principal.actor,
        action="receive",
        after="received",
        data={"source_id": decision.source_id, "publish_by": decision.publish_by.isoformat()},
        at=now,
    )


def _resubmit(
    session: Session,
    principal: Principal,
    existing: Decision,
    intake: Intake,
    cal: WorkCalendar,
    now: datetime,
) -> Submitted:
    """Same content: nothing to do; new content: replace the draft, or refuse once published."""
    raw = canonical_json(intake)
    digest = hashlib.sha256(raw).hexdigest()
    if existing.content_hash == digest:
        return Submitted(existing, created=False, replaced=False)
    if existing.state not in states.PRE_PUBLICATION:
        raise Conflict(
            "该决定已公示，内容变更须通过更正流程提交",
            code="already_published",
            extra={"id": existing.id, "corrections_url": f"/api/v1/decisions/{existing.id}/corrections"},
        )
    _deadline(intake, cal)  # refuse before anything changes
    before = existing.state
    existing.state = states.check("replace", before)
    existing.revision += 1
    _apply(existing, intake, raw, digest, cal, now)
    _add_revision(session, existing, principal.actor, now, note="重新提交替换草稿")
    audit.record(
        session,
        "decision",
        existing,
        actor=principal.actor,
        action="replace",
        before=before,
        after=existing.state,
        data={"revision": existing.revision},
        at=now,
    )
    return Submitted(existing, created=False, replaced=True)


def _add_revision(session: Session, decision: Decision, actor: str, now: datetime, note: str) -> None:
    session.add(
        DecisionRevision(
            decision_id=decision.id,
            revision=decision.revision,
            intake=decision.intake,
            content_hash=decision.content_hash,
            note=note,
            actor=actor,
            created_at=now,
        )
    )


@dataclass(frozen=True)
class BatchItem:
    index: int
    submitted: Submitted | None = None
    error: GongshiError | IntakeError | None = None


def submit_batch(
    session: Session,
    principal: Principal,
    items: Sequence[Intake | IntakeError],
    cal: WorkCalendar,
    now: datetime,
) -> list[BatchItem]:
    """Store every valid item; each invalid one is reported and stores nothing."""
    principal.require("decision.submit")
    agencies: dict[str, Agency] = {}
    valid = [(i, it) for i, it in enumerate(items) if isinstance(it, Intake)]
    results: dict[int, BatchItem] = {
        i: BatchItem(i, error=it) for i, it in enumerate(items) if isinstance(it, IntakeError)
    }
    for i, it in valid:
        try:
            if it.agency.code not in agencies:
                agencies[it.agency.code] = resolve_agency(session, principal, it, now)
        except GongshiError as exc:
            results[i] = BatchItem(i, error=exc)
    existing = _stored(
        session, [(agencies[it.agency.code].id, it.source_id) for i, it in valid if i not in results]
    )
    seen: set[tuple[int, str]] = set()
    created: list[tuple[int, Decision]] = []
    for i, it in valid:
        if i in results:
            continue
        agency = agencies[it.agency.code]
        key = (agency.id, it.source_id)
        if key in seen:
            results[i] = BatchItem(
                i,
                error=Unprocessable(
                    "同一批次中 source_id 重复", field="source_id", code="duplicate_in_batch"
                ),
            )
            continue
        seen.add(key)
        try:
            # Each raises before changing anything, so no savepoint is needed.
            if key in existing:
                results[i] = BatchItem(
                    i, submitted=_resubmit(session, principal, existing[key], it, cal, now)
                )
            else:
                created.append((i, _new(agency, it, cal, now)))
        except GongshiError as exc:
            results[i] = BatchItem(i, error=exc)
    if created:
        _insert_new(session, principal, [d for _, d in created], now)
    for i, d in created:
        results[i] = BatchItem(i, submitted=Submitted(d, created=True, replaced=False))
    return [results[i] for i in range(len(items))]


def _stored(session: Session, keys: list[tuple[int, str]]) -> dict[tuple[int, str], Decision]:
    """The decisions already stored under these (agency id, source id) keys, locked for update.

    One query per agency and 500 source ids instead of one per item: (agency_id = ? AND source_id
    IN (…)) uses the unique index; SQLite scans the table for a row-value IN over both columns.
    """
    wanted: dict[int, list[str]] = {}
    for agency_id, source_id in keys:
        wanted.setdefault(agency_id, []).append(source_id)
    existing: dict[tuple[int, str], Decision] = {}
    for agency_id, source_ids in wanted.items():
        for start in range(0, len(source_ids), 500):
            rows = session.scalars(
                select(Decision)
                .where(
                    Decision.agency_id == agency_id, Decision.source_id.in_(source_ids[start : start + 500])
                )
                .with_for_update()
            )
            existing.update({(d.agency_id, d.source_id): d for d in rows})
    return existing


def _insert_new(session: Session, principal: Principal, decisions: list[Decision], now: datetime) -> None:
    """New decisions, their first revisions and audit events, as a handful of Core statements.

    The ORM unit of work costs more than the inserts themselves, so the rows go in directly: one
    multi-row INSERT … RETURNING for the ids, then the revisions and the "receive" events (which
    need the ids), then one executemany UPDATE for the audit chain head each event moved. The
    Decision objects stay transient; they only carry the values for the response.
    """
    rows = [{k: v for k, v in vars(d).items() if not k.startswith("_")} for d in decisions]
    ids = session.scalars(
        insert(table(Decision)).returning(Decision.id, sort_by_parameter_order=True), rows
    ).all()
    revisions, events = [], []
    for d, new_id in zip(decisions, ids, strict=True):
        d.id = new_id
        revisions.append(
            {
                "decision_id": d.id,
                "revision": 1,
                "intake": d.intake,
                "content_hash": d.content_hash,
                "note": "首次提交",
                "actor": principal.actor,
                "created_at": now,
            }
        )
        events.append(_receive_event(principal, d, now))  # advances d.audit_seq / d.audit_head
    session.execute(insert(table(DecisionRevision)), revisions)
    session.execute(insert(table(AuditEvent)), events)
    t = table(Decision)
    session.execute(
        update(t)
        .where(t.c.id == bindparam("b_id"))
        .values(audit_seq=bindparam("b_seq"), audit_head=bindparam("b_head")),
        [{"b_id": d.id, "b_seq": d.audit_seq, "b_head": d.audit_head} for d in decisions],
    )

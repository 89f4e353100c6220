"""Background steps: redact what arrived, publish what is due, expire what has run its time.

Every step claims rows with a guarded state change, so several workers at once never do the
same record twice (on PostgreSQL rows are claimed with SKIP LOCKED; SQLite has one writer).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, insert, or_, select, update
from sqlalchemy.orm import Session, load_only

from gongshi.core import audit, outbox, steps
from gongshi.core.context import Workflow, new_public_id
from gongshi.domain.timeliness import publication_fields
from gongshi.publication import records, states
from gongshi.redaction import REDACTION_VERSION
from gongshi.storage.models import Agency, AuditEvent, Decision, Disclosure, OutboxEvent, table

WORKER = "worker"


def _claim(session: Session, query: Select[Any], limit: int) -> list[Decision]:
    query = query.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def redact_received(wf: Workflow, limit: int = 200) -> int:
    """received → in_review, or → withheld when the law says it may not be published."""
    with wf.db.write() as session:
        batch = _claim(
            session, select(Decision).where(Decision.state == "received").order_by(Decision.id), limit
        )
        now = wf.clock()
        for d in batch:
            intake = records.stored_intake(d)
            status = records.apply_redaction(d, intake, wf.policy(minor_override=d.minor_override))
            # The keyed hash a party's access request is matched against (issue 5).
            steps.redacted(session, wf.settings, d, intake)
            action = "redacted" if status == "publishable" else "auto_withhold"
            after = states.check(action, d.state)
            reasons: list[dict[str, Any]] = (d.redaction or {}).get("reasons", [])
            if action == "auto_withhold":
                d.withheld_reason = reasons[0]["code"] if reasons else "other"
            d.state, d.updated_at = after, now
            audit.record(
                session,
                "decision",
                d,
                actor="redaction",
                action=action,
                before="received",
                after=after,
                reason="；".join(r["detail"] for r in reasons),
                data={
                    "spans": len((d.redaction or {}).get("redactions", [])),
                    "doubts": len((d.redaction or {}).get("doubts", [])),
                    "version": REDACTION_VERSION,
                },
                at=now,
            )
        return len(batch)


class Pass(NamedTuple):
    published: int
    claimed: int  # rows looked at; the caller keeps going while batches come back full


def publish_due(wf: Workflow, limit: int = 500) -> Pass:
    """approved and past not_before → published, through the leak gate."""
    now = wf.clock()
    published = 0
    with wf.db.write() as session:
        due = (
            select(Decision)
            .where(
                Decision.state == "approved", or_(Decision.not_before.is_(None), Decision.not_before <= now)
            )
            .order_by(Decision.publish_by, Decision.id)
        )
        batch = _claim(session, due, limit)
        agencies = {
            a.id: a
            for a in session.scalars(select(Agency).where(Agency.id.in_({d.agency_id for d in batch})))
        }
        rows = _Rows()
        for d in batch:
            intake = records.stored_intake(d)
            policy = wf.policy(minor_override=d.minor_override)
            if d.redaction_version != REDACTION_VERSION:
                # The rules changed since the reviewer saw it: what they approved may not be what goes out.
                records.apply_redaction(d, intake, policy)
                _back_to_review(session, d, now, "rereview", "脱敏规则已更新，需重新审核")
                continue
            hits = records.leak_hits(d, intake, policy)
            if hits:
                d.leak_hits = hits
                _back_to_review(
                    session, d, now, "leak_blocked", "泄露检查发现受保护信息，已阻止发布", {"hits": len(hits)}
                )
                continue
            _publish(rows, wf, d, agencies[d.agency_id], intake, now)
            published += 1
        rows.insert(session)
        _link_superseded(session, [d for d in batch if d.state == "published"])
    return Pass(published, len(batch))


def _link_superseded(session: Session, published: list[Decision]) -> None:
    """Withdrawn decisions re-made by one just published now link to it (one statement per batch)."""
    public_ids = {d.id: d.public_id for d in published}
    if not public_ids:
        return
    olds = session.execute(
        select(Decision.id, Decision.superseded_by_id).where(Decision.superseded_by_id.in_(public_ids))
    ).all()
    for old_id, new_id in olds:
        session.execute(
            update(Disclosure)
            .where(Disclosure.decision_id == old_id)
            .values(superseded_by=public_ids[new_id] if new_id is not None else None)
        )


def _back_to_review(
    session: Session, d: Decision, now: datetime, action: str, reason: str, data: dict[str, Any] | None = None
) -> None:
    before, d.state, d.updated_at = d.state, states.check(action, d.state), now
    audit.record(
        session,
        "decision",
        d,
        actor=WORKER,
        action=action,
        reason=reason,
        before=before,
        after=d.state,
        data=data,
        at=now,
    )


class _Rows:
    """Read-model rows, audit events and outbox rows of a batch, inserted with one executemany each.

    None of them needs its generated id back, so Core inserts skip the ORM's per-object work and,
    on PostgreSQL, the multi-row INSERT … RETURNING that the driver re-parses for every batch.
    """

    def __init__(self) -> None:
        self.disclosures: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.outbox: list[dict[str, Any]] = []

    def insert(self, session: Session) -> None:
        for model, rows in (
            (Disclosure, self.disclosures),
            (AuditEvent, self.events),
            (OutboxEvent, self.outbox),
        ):
            if rows:
                session.execute(insert(table(model)), rows)


def _publish(rows: _Rows, wf: Workflow, d: Decision, agency: Agency, intake: Any, now: datetime) -> None:
    before, after = d.state, states.check("publish", d.state)
    d.public_id = d.public_id or new_public_id()
    fields = records.disclosure_fields(
        d,
        agency,
        intake,
        serious_fine_yuan=wf.settings.serious_fine_yuan,
        expiry_rules=wf.settings.expiry_rules,
    )
    rows.disclosures.append(
        {
            "public_id": d.public_id,
            "decision_id": d.id,
            "status": "published",
            "published_at": now,
            "corrected_at": None,
            "withdrawn_at": None,
            "withdrawal_reason": None,
            "withdrawal_explanation": None,
            "superseded_by": None,
            "updated_at": now,
            "withdrawn_on_time": None,
            **publication_fields(d.decided_on, d.publish_by, wf.today(), wf.calendar.get()),
            **fields,
        }
    )
    d.state, d.published_at, d.expires_on, d.leak_hits, d.updated_at = (
        after,
        now,
        fields["expires_on"],
        None,
        now,
    )
    rows.events.append(
        audit.next_event(
            "decision",
            d,
            actor=WORKER,
            action="publish",
            before=before,
            after=after,
            data={
                "public_id": d.public_id,
                "late": wf.today() > d.publish_by,
                "expires_on": d.expires_on.isoformat() if d.expires_on else None,
            },
            at=now,
        )
    )
    rows.outbox.append(outbox.row(outbox.SEARCH_UPSERT, d.public_id, now))


def expire_due(wf: Workflow, limit: int = 1000) -> int:
    """published past the end of the publication period (公示截止期) → expired.

    Set-based: only the columns the step needs are loaded, and the read model, the audit trail and
    the outbox are written with one statement each per batch (10,000 records in seconds).
    """
    today = wf.today()
    now = wf.clock()
    with wf.db.write() as session:
        batch = _claim(
            session,
            select(Decision)
            .options(
                load_only(
                    Decision.id,
                    Decision.state,
                    Decision.expires_on,
                    Decision.public_id,
                    Decision.audit_seq,
                    Decision.audit_head,
                )
            )
            .where(Decision.state == "published", Decision.expires_on < today)
            .order_by(Decision.expires_on, Decision.id),
            limit,
        )
        if not batch:
            return 0
        ids = [d.id for d in batch]
        session.execute(
            update(Disclosure)
            .where(Disclosure.decision_id.in_(ids))
            .values(status="expired", updated_at=now)
            .execution_options(synchronize_session=False)
        )
        events, deletes = [], []
        for d in batch:
            d.state, d.updated_at = states.check("expire", d.state), now
            events.append(
                audit.next_event(
                    "decision",
                    d,
                    actor=WORKER,
                    action="expire",
                    before="published",
                    after="expired",
                    data={"expires_on": d.expires_on.isoformat() if d.expires_on else None},
                    at=now,
                )
            )
            if d.public_id:
                deletes.append(outbox.row(outbox.SEARCH_DELETE, d.public_id, now))
        session.execute(insert(AuditEvent), events)
        if deletes:
            session.execute(insert(OutboxEvent), deletes)
        return len(batch)

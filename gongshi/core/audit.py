"""Audit events, hash-chained per subject: any edit, insertion or deletion in the middle shows."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.storage.models import AuditEvent


class ChainHead(Protocol):
    """A row that carries the head of its own audit chain."""

    id: int
    audit_seq: int
    audit_head: str


class ChainCheck(msgspec.Struct, frozen=True, kw_only=True):
    intact: bool
    length: int
    first_bad_seq: int | None = None


def event_hash(prev_hash: str, body: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + msgspec.json.encode(body, order="sorted")).hexdigest()


def _body(
    subject_type: str,
    subject_id: int,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    reason: str,
    before: str | None,
    after: str | None,
    data: dict[str, Any],
) -> dict[str, Any]:
    return {
        "subject": f"{subject_type}:{subject_id}",
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "action": action,
        "reason": reason,
        "before": before,
        "after": after,
        "data": data,
    }


def next_event(
    subject_type: str,
    head: ChainHead,
    *,
    actor: str,
    action: str,
    reason: str = "",
    before: str | None = None,
    after: str | None = None,
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The next event of the subject's chain as column values, advancing the head (the caller stores it)."""
    at = at or datetime.now(UTC)
    data = msgspec.to_builtins(data or {})
    seq = head.audit_seq + 1
    digest = event_hash(
        head.audit_head, _body(subject_type, head.id, seq, at, actor, action, reason, before, after, data)
    )
    row = {
        "subject_type": subject_type,
        "subject_id": head.id,
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "reason": reason,
        "before_state": before,
        "after_state": after,
        "data": data,
        "prev_hash": head.audit_head,
        "hash": digest,
    }
    head.audit_seq, head.audit_head = seq, digest
    return row


def record(session: Session, subject_type: str, head: ChainHead, **event: Any) -> AuditEvent:
    """Append one event to the subject's chain (the caller holds the subject's row); fields as next_event."""
    row = AuditEvent(**next_event(subject_type, head, **event))
    session.add(row)
    return row


def events_for(session: Session, subject_type: str, subject_id: int) -> Sequence[AuditEvent]:
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
        .order_by(AuditEvent.seq)
    ).all()


def verify(events: Sequence[AuditEvent], head: ChainHead | None = None) -> ChainCheck:
    """Recompute the chain; with `head`, also catch events cut off the end."""
    prev = ""
    for expected_seq, ev in enumerate(events, start=1):
        body = _body(
            ev.subject_type,
            ev.subject_id,
            ev.seq,
            ev.at,
            ev.actor,
            ev.action,
            ev.reason,
            ev.before_state,
            ev.after_state,
            ev.data,
        )
        if ev.seq != expected_seq or ev.prev_hash != prev or event_hash(prev, body) != ev.hash:
            return ChainCheck(intact=False, length=len(events), first_bad_seq=expected_seq)
        prev = ev.hash
    if head is not None and (head.audit_seq != len(events) or head.audit_head != prev):
        return ChainCheck(intact=False, length=len(events), first_bad_seq=len(events) + 1)
    return ChainCheck(intact=True, length=len(events))

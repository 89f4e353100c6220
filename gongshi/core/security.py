"""Security events that belong to no record (a login lock), on their own audit chain (issue 14)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from gongshi.core import audit
from gongshi.storage.auth_models import SecurityChain
from gongshi.storage.models import AuditEvent

SUBJECT = "security"
CHAIN_ID = 1  # the one head row, made by the migration


def record(session: Session, *, action: str, reason: str, data: dict[str, Any], at: datetime) -> AuditEvent:
    """Append a system event to the security chain, holding its head row until the caller commits."""
    head = session.get(SecurityChain, CHAIN_ID, with_for_update=True)
    if head is None:  # a database made before the migration's seed row (never on an upgraded one)
        head = SecurityChain(id=CHAIN_ID, audit_seq=0, audit_head="")
        session.add(head)
    return audit.record(
        session, SUBJECT, head, actor="system", action=action, reason=reason, data=data, at=at
    )


def trail(session: Session) -> tuple[Sequence[AuditEvent], audit.ChainCheck]:
    """Every security event, oldest first, and whether the chain is intact up to its head."""
    events = audit.events_for(session, SUBJECT, CHAIN_ID)
    head = session.get(SecurityChain, CHAIN_ID)
    return events, audit.verify(events, head) if head else audit.verify(events)

"""Agency term lists (issue 11): strings an agency always masks (its officers' names…) or never masks
(local place names, brands, words that look like names).

Reviewer edits (and reviewers by hand) propose entries; a head or an admin accepts or rejects them,
adds entries that take effect at once and removes entries; redaction applies the accepted lists of
the decision's agency (`accepted`, read by `records.apply_redaction`). Every proposal, decision,
addition and removal is an event on the agency's audit chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.errors import Conflict, InvalidInput, NotFound
from gongshi.redaction.edits import AgencyTerms
from gongshi.redaction.entities import CATEGORY_LABELS
from gongshi.redaction.fold import compact
from gongshi.storage.portal_models import AgencyDirectory
from gongshi.storage.term_models import AgencyTerm
from gongshi.storage.upsert import insert_ignore

Kind = Literal["always", "never"]
KIND_LABELS = {"always": "始终遮蔽", "never": "从不遮蔽"}
# "removed": taken off the list by a head after it was in force (the row and its history stay).
STATUS_LABELS = {"proposed": "待批准", "accepted": "已生效", "rejected": "已拒绝", "removed": "已移除"}


class TermIn(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    term: Annotated[str, Meta(min_length=2, max_length=200)]
    kind: Kind
    category: Annotated[str, Meta(max_length=40)] = "other"
    note: Annotated[str, Meta(max_length=2000)] = ""


class TermDecision(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    accept: bool
    note: Annotated[str, Meta(max_length=2000)] = ""


class TermRemoval(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=2, max_length=2000)]


def accepted(session: Session, agency_id: int) -> AgencyTerms:
    """The agency's accepted lists, as redaction applies them."""
    rows = session.execute(
        select(AgencyTerm.term, AgencyTerm.kind, AgencyTerm.category)
        .where(AgencyTerm.agency_id == agency_id, AgencyTerm.status == "accepted")
        .order_by(AgencyTerm.id)
    ).all()
    return AgencyTerms(
        always=[(t, c) for t, k, c in rows if k == "always"], never=[t for t, k, _ in rows if k == "never"]
    )


def term_out(t: AgencyTerm) -> dict[str, Any]:
    return {
        "id": t.id,
        "term": t.term,
        "kind": t.kind,
        "kind_label": KIND_LABELS[t.kind],
        "category": t.category,
        "status": t.status,
        "status_label": STATUS_LABELS[t.status],
        "note": t.note,
        "proposed_by": t.proposed_by,
        "proposed_at": t.proposed_at,
        "decided_by": t.decided_by,
        "decided_at": t.decided_at,
        "source_decision_id": t.source_decision_id,
    }


def list_terms(session: Session, agency_id: int) -> list[AgencyTerm]:
    return list(
        session.scalars(select(AgencyTerm).where(AgencyTerm.agency_id == agency_id).order_by(AgencyTerm.id))
    )


def proposed_from(session: Session, decision_id: int) -> list[dict[str, Any]]:
    """The entries a reviewer's edits of this decision proposed, whatever became of them."""
    rows = session.scalars(
        select(AgencyTerm).where(AgencyTerm.source_decision_id == decision_id).order_by(AgencyTerm.id)
    )
    return [term_out(t) for t in rows]


def propose(
    session: Session,
    agency_id: int,
    body: TermIn,
    actor: str,
    now: datetime,
    source_decision_id: int | None = None,
) -> AgencyTerm:
    """A proposed entry (or the existing one for the same string and list, whatever its status)."""
    term, existing = _lookup(session, agency_id, body)
    if existing is not None:
        return existing
    row = _new_row(agency_id, body, term, "proposed", actor, now, source_decision_id)
    session.add(row)
    session.flush()
    _audit(session, agency_id, row, actor, "term_proposed", body.note, before=None, at=now)
    return row


def _lookup(session: Session, agency_id: int, body: TermIn) -> tuple[str, AgencyTerm | None]:
    """The entry's string as stored, and the agency's row for it on that list if there is one."""
    if body.kind == "always" and body.category not in CATEGORY_LABELS:
        raise InvalidInput(f"未知类别 {body.category}", field="category")
    term = body.term.strip()
    if len(compact(term)) < 2:
        raise InvalidInput("词条至少两个字", field="term")
    existing = session.scalar(
        select(AgencyTerm).where(
            AgencyTerm.agency_id == agency_id, AgencyTerm.kind == body.kind, AgencyTerm.term == term
        )
    )
    return term, existing


def _new_row(
    agency_id: int,
    body: TermIn,
    term: str,
    status: str,
    actor: str,
    now: datetime,
    source_decision_id: int | None = None,
) -> AgencyTerm:
    return AgencyTerm(
        agency_id=agency_id,
        term=term,
        kind=body.kind,
        category=body.category if body.kind == "always" else "other",
        status=status,
        note=body.note,
        proposed_by=actor,
        proposed_at=now,
        source_decision_id=source_decision_id,
    )


def _audit(
    session: Session,
    agency_id: int,
    row: AgencyTerm,
    actor: str,
    action: str,
    reason: str,
    *,
    before: str | None,
    at: datetime,
) -> None:
    audit.record(
        session,
        "agency",
        agency_chain(session, agency_id),
        actor=actor,
        action=action,
        reason=reason,
        data={"term_id": row.id, "term": row.term, "kind": row.kind, "before": before, "after": row.status},
        at=at,
    )


def checked_reason(reason: str) -> str:
    """A head's reason for a change: required, at most 2000 characters."""
    reason = reason.strip()
    if len(reason) < 2:
        raise InvalidInput("请填写理由（至少两个字）", field="reason")
    if len(reason) > 2000:
        raise InvalidInput("理由最多 2000 字", field="reason")
    return reason


def agency_chain(session: Session, agency_id: int) -> AgencyDirectory:
    """The agency's audit-chain row (as gongshi.agencies.directory keeps it), created if new, locked."""
    insert_ignore(
        session,
        AgencyDirectory,
        {
            "id": agency_id,
            "profile_updated_at": None,
            "officers_updated_at": None,
            "audit_seq": 0,
            "audit_head": "",
        },
    )
    row = session.get(AgencyDirectory, agency_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


def _locked(session: Session, agency_id: int, term_id: int) -> AgencyTerm:
    row = session.get(AgencyTerm, term_id, with_for_update=True)
    if row is None or row.agency_id != agency_id:
        raise NotFound(f"词条 {term_id} 不存在", field="term_id")
    return row


def decide(
    session: Session, principal: Principal, agency_id: int, term_id: int, body: TermDecision, now: datetime
) -> AgencyTerm:
    """A head or an admin accepts or rejects an entry; audited on the agency's chain."""
    principal.require("terms.decide")
    row = _locked(session, agency_id, term_id)
    target = "accepted" if body.accept else "rejected"
    if row.status == target or (row.status == "removed" and not body.accept):
        raise Conflict("该词条已是此状态", code="term_unchanged")
    before, row.status = row.status, target
    row.decided_by, row.decided_at = principal.actor, now
    action = "term_accepted" if body.accept else "term_rejected"
    _audit(session, agency_id, row, principal.actor, action, body.note, before=before, at=now)
    return row


def add(
    session: Session, principal: Principal, agency_id: int, body: TermIn, reason: str, now: datetime
) -> AgencyTerm:
    """A head or an admin puts an entry on a list in force at once (a new one, or one not in force)."""
    principal.require("terms.decide")
    reason = checked_reason(reason)
    term, row = _lookup(session, agency_id, body)
    if row is not None and row.status == "accepted":
        raise Conflict(f"「{row.term}」已在{KIND_LABELS[row.kind]}词表中生效", code="term_unchanged")
    before = row.status if row is not None else None
    if row is None:
        row = _new_row(agency_id, body, term, "accepted", principal.actor, now)
        session.add(row)
    elif row.kind == "always":
        row.category = body.category
    row.status, row.decided_by, row.decided_at = "accepted", principal.actor, now
    session.flush()
    _audit(session, agency_id, row, principal.actor, "term_added", reason, before=before, at=now)
    return row


def remove(
    session: Session, principal: Principal, agency_id: int, term_id: int, reason: str, now: datetime
) -> AgencyTerm:
    """A head or an admin takes an entry off its list; later redactions no longer apply it."""
    principal.require("terms.decide")
    reason = checked_reason(reason)
    row = _locked(session, agency_id, term_id)
    if row.status in ("removed", "rejected"):
        raise Conflict("该词条不在词表中", code="term_unchanged")
    before, row.status = row.status, "removed"
    row.decided_by, row.decided_at = principal.actor, now
    _audit(session, agency_id, row, principal.actor, "term_removed", reason, before=before, at=now)
    return row

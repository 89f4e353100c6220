"""Agency term lists (issue 11): strings an agency always masks (its officers' names…) or never masks
(local place names, brands, words that look like names).

Reviewer edits propose entries; a head or an admin accepts or rejects them; redaction applies the
accepted lists of the decision's agency (`accepted`, read by `records.apply_redaction`). Every
proposal and decision is on the agency's audit chain.
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
KIND_LABELS = {"always": "总是遮蔽", "never": "从不遮蔽"}
STATUS_LABELS = {"proposed": "待负责人确认", "accepted": "已生效", "rejected": "未采纳"}


class TermIn(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    term: Annotated[str, Meta(min_length=2, max_length=200)]
    kind: Kind
    category: Annotated[str, Meta(max_length=40)] = "other"
    note: Annotated[str, Meta(max_length=2000)] = ""


class TermDecision(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    accept: bool
    note: Annotated[str, Meta(max_length=2000)] = ""


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


def propose(
    session: Session,
    agency_id: int,
    body: TermIn,
    actor: str,
    now: datetime,
    source_decision_id: int | None = None,
) -> AgencyTerm:
    """A proposed entry (or the existing one for the same string and list)."""
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
    if existing is not None:
        return existing
    row = AgencyTerm(
        agency_id=agency_id,
        term=term,
        kind=body.kind,
        category=body.category if body.kind == "always" else "other",
        status="proposed",
        note=body.note,
        proposed_by=actor,
        proposed_at=now,
        source_decision_id=source_decision_id,
    )
    session.add(row)
    session.flush()
    return row


def _agency_chain(session: Session, agency_id: int) -> AgencyDirectory:
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


def decide(
    session: Session, principal: Principal, agency_id: int, term_id: int, body: TermDecision, now: datetime
) -> AgencyTerm:
    """A head or an admin accepts or rejects an entry; audited on the agency's chain."""
    principal.require("terms.decide")
    row = session.get(AgencyTerm, term_id, with_for_update=True)
    if row is None or row.agency_id != agency_id:
        raise NotFound(f"词条 {term_id} 不存在", field="term_id")
    if row.status != "proposed" and (row.status == "accepted") == body.accept:
        raise Conflict("该词条已是此状态", code="term_unchanged")
    before, row.status = row.status, "accepted" if body.accept else "rejected"
    row.decided_by, row.decided_at = principal.actor, now
    audit.record(
        session,
        "agency",
        _agency_chain(session, agency_id),
        actor=principal.actor,
        action="term_accepted" if body.accept else "term_rejected",
        reason=body.note,
        data={"term_id": row.id, "term": row.term, "kind": row.kind, "before": before, "after": row.status},
        at=now,
    )
    return row

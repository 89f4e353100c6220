"""Staff steps on correction requests: list, read evidence, accept or reject (the answer)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.errors import NotFound
from gongshi.parties.corrections import MACHINE, SUBJECT, effective_state, tell
from gongshi.parties.schemas import CorrectionRequestOut, EvidenceOut, NoteBody, ReasonBody
from gongshi.storage.models import Disclosure
from gongshi.storage.request_models import CorrectionEvidence, CorrectionRequest
from gongshi.storage.scoped import load_scoped


def to_out(session: Session, r: CorrectionRequest) -> CorrectionRequestOut:
    state, corrected_at = effective_state(r, session.get(Disclosure, r.disclosure_id))
    files = session.execute(
        select(
            CorrectionEvidence.id,
            CorrectionEvidence.filename,
            CorrectionEvidence.media_type,
            CorrectionEvidence.size,
            CorrectionEvidence.sha256,
        )
        .where(CorrectionEvidence.request_id == r.id)
        .order_by(CorrectionEvidence.id)
    ).all()
    return CorrectionRequestOut(
        id=r.id,
        tracking_no=r.tracking_no,
        disclosure_id=r.disclosure_id,
        decision_id=r.decision_id,
        agency_id=r.agency_id,
        description=r.description,
        evidence=r.evidence,
        contact=r.contact,
        state=state,
        received_on=r.received_on,
        answer=r.answer,
        answered_by=r.answered_by,
        answered_at=r.answered_at,
        corrected_at=corrected_at,
        files=[EvidenceOut(id=f[0], filename=f[1], media_type=f[2], size=f[3], sha256=f[4]) for f in files],
    )


def load(
    session: Session, principal: Principal, request_id: int, *, for_update: bool = False
) -> CorrectionRequest:
    return load_scoped(
        session,
        CorrectionRequest,
        request_id,
        sees=lambda r: principal.sees_agency(r.agency_id),
        missing=f"纠错申请 {request_id} 不存在",
        for_update=for_update,
    )


def evidence_file(
    session: Session, principal: Principal, request_id: int, file_id: int
) -> CorrectionEvidence:
    principal.require("request.review")
    load(session, principal, request_id)
    row = session.get(CorrectionEvidence, file_id)
    if row is None or row.request_id != request_id:
        raise NotFound("附件不存在")
    return row


def listing(
    session: Session, principal: Principal, state: str | None = None, limit: int = 200
) -> list[CorrectionRequest]:
    principal.require("request.review")
    query = (
        select(CorrectionRequest).order_by(CorrectionRequest.received_on, CorrectionRequest.id).limit(limit)
    )
    query = (
        query.where(CorrectionRequest.state == state)
        if state
        else query.where(CorrectionRequest.state.in_(("received", "accepted")))
    )
    if principal.agency_id is not None:
        query = query.where(CorrectionRequest.agency_id == principal.agency_id)
    return list(session.scalars(query))


def _answer(
    wf: Workflow, session: Session, principal: Principal, request_id: int, action: str, text: str
) -> CorrectionRequest:
    MACHINE.require(principal, action)
    r = load(session, principal, request_id, for_update=True)
    before, after = r.state, MACHINE.check(action, r.state)
    now = wf.clock()
    r.state, r.answer, r.answered_by, r.answered_at, r.updated_at = after, text, principal.actor, now, now
    audit.record(
        session,
        SUBJECT,
        r,
        actor=principal.actor,
        action=action,
        reason=text,
        before=before,
        after=after,
        at=now,
    )
    return r


def accept(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: NoteBody
) -> CorrectionRequestOut:
    """The reviewer agrees the disclosure is wrong; the corrected revision follows via review.correct."""
    r = _answer(wf, session, principal, request_id, "accept", body.note)
    tell(wf, session, r, "accepted", f"您的纠错申请（{r.tracking_no}）经核查属实，我们正在更正公示信息。")
    return to_out(session, r)


def reject(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: ReasonBody
) -> CorrectionRequestOut:
    r = _answer(wf, session, principal, request_id, "reject", body.reason)
    tell(
        wf,
        session,
        r,
        "rejected",
        f"您的纠错申请（{r.tracking_no}）经核查，信息无误，不予更正。理由：{body.reason}",
    )
    return to_out(session, r)

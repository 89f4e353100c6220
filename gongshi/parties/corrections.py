"""Correction requests (公示办法 Art 19): anyone reports an error in a published disclosure.

received → accepted (a reviewer agrees; the page says a correction is in progress) → corrected
(once a corrected revision is published through review.correct), or received → rejected (reason).
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Annotated

from msgspec import Meta, Struct
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain import docnumbers, text
from gongshi.errors import Conflict, InvalidInput, NotFound, TooLarge, Unprocessable
from gongshi.parties import keys, notify
from gongshi.parties.access import NoteBody, ReasonBody
from gongshi.storage.models import Decision, Disclosure
from gongshi.storage.request_models import CorrectionEvidence, CorrectionRequest
from gongshi.storage.scoped import load_scoped

SUBJECT = "correction_request"
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "text/plain": ".txt",
}
STATE_LABELS: dict[str, str] = {
    "received": "已收到，正在核查",
    "accepted": "已确认有误，正在更正",
    "corrected": "已更正",
    "rejected": "经核查，信息无误，不予更正",
}
RECEIVED_MESSAGE = "纠错申请已收到，我们将尽快核查。可凭查询号查询办理结果。"


class CorrectionRequestIn(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    # A public id, a pasted portal address (…/disclosures/<id>) or the decision's document number.
    disclosure_id: Annotated[str, Meta(min_length=1, max_length=500)]
    description: Annotated[str, Meta(min_length=4, max_length=5000)]
    contact: Annotated[str, Meta(max_length=200)] | None = None
    evidence: Annotated[str, Meta(max_length=20000)] = ""


class EvidenceFile(Struct, frozen=True, kw_only=True):
    filename: str
    media_type: str
    content: bytes


class CorrectionReceived(Struct, frozen=True, kw_only=True):
    tracking_no: str
    status: str
    status_url: str
    message: str


class CorrectionStatus(Struct, frozen=True, kw_only=True):
    tracking_no: str
    type: str
    disclosure_id: str
    status: str
    status_label: str
    received_on: date
    answer: str | None
    corrected_at: datetime | None


class EvidenceOut(Struct, frozen=True, kw_only=True):
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str


class CorrectionRequestOut(Struct, frozen=True, kw_only=True):
    id: int
    tracking_no: str
    disclosure_id: str
    decision_id: int
    agency_id: int
    description: str
    evidence: str
    contact: str | None
    state: str
    received_on: date
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    corrected_at: datetime | None
    files: list[EvidenceOut] = []


def check_evidence(upload: EvidenceFile | None) -> None:
    if upload is None:
        return
    if len(upload.content) > MAX_EVIDENCE_BYTES:
        raise TooLarge(f"附件不能超过 {MAX_EVIDENCE_BYTES // (1024 * 1024)} MB", field="file")
    if upload.media_type not in EVIDENCE_TYPES:
        raise InvalidInput("附件须为 PDF、图片（JPEG/PNG/GIF/WebP）或纯文本", field="file")
    if text.FORBIDDEN.search(upload.filename):
        raise InvalidInput("附件文件名含有不允许的控制字符", field="file", code="invalid_character")


_PUBLIC_ID = re.compile(r"[A-Za-z0-9]{1,32}")
_URL_ID = re.compile(r"/disclosures/([A-Za-z0-9]{1,32})(?:[/?#.]|$)")


def find_disclosure(session: Session, reference: str) -> Disclosure | None:
    """The disclosure a citizen means: by public id, by a pasted portal URL, or by document number.

    A document number matches whatever brackets and widths it is typed with; when several
    disclosures share one (a re-made decision), the published one wins.
    """
    ref = reference.strip()
    match = _URL_ID.search(ref)
    if match:
        return session.get(Disclosure, match.group(1))
    if _PUBLIC_ID.fullmatch(ref):
        found = session.get(Disclosure, ref)
        if found is not None:
            return found
    spellings = docnumbers.variants(ref)
    if not spellings:
        return None
    candidates = session.scalars(select(Disclosure).where(Disclosure.document_number.in_(spellings))).all()
    published = [d for d in candidates if d.status == "published"]
    best = published or candidates
    return best[0] if best else None


def file_request(
    wf: Workflow, session: Session, body: CorrectionRequestIn, upload: EvidenceFile | None = None
) -> CorrectionReceived:
    contact = (body.contact or "").strip() or None
    if contact and not notify.valid_contact(contact):
        raise InvalidInput("联系方式须为手机号码、固定电话或电子邮箱（也可不填）", field="contact")
    check_evidence(upload)
    disclosure = find_disclosure(session, body.disclosure_id)
    if disclosure is None:
        raise NotFound("未找到该公示信息：请填写公示编号、公示页面地址或决定文书号", field="disclosure_id")
    if disclosure.status != "published":
        raise Unprocessable(
            "该公示信息已撤下或已到期，不再受理纠错", field="disclosure_id", code="not_published"
        )
    decision = session.get(Decision, disclosure.decision_id)
    assert decision is not None
    now = wf.clock()
    today = wf.today()
    request = CorrectionRequest(
        tracking_no=keys.new_tracking_no("JC", today.isoformat()),
        disclosure_id=disclosure.public_id,
        decision_id=decision.id,
        agency_id=decision.agency_id,
        description=body.description.strip(),
        evidence=body.evidence.strip(),
        contact=contact,
        state="received",
        received_on=today,
        audit_seq=0,
        audit_head="",
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    files = []
    if upload is not None and upload.content:
        sha = hashlib.sha256(upload.content).hexdigest()
        session.add(
            CorrectionEvidence(
                request_id=request.id,
                filename=(upload.filename or "附件")[-255:],
                media_type=upload.media_type,
                size=len(upload.content),
                sha256=sha,
                content=upload.content,
                created_at=now,
            )
        )
        files.append(sha)
    audit.record(
        session,
        SUBJECT,
        request,
        actor="public",
        action="receive",
        after="received",
        data={"disclosure_id": disclosure.public_id, "files": files},
        at=now,
    )
    _tell(
        wf,
        session,
        request,
        "received",
        f"您的纠错申请已收到，查询号 {request.tracking_no}。{RECEIVED_MESSAGE}",
    )
    return CorrectionReceived(
        tracking_no=request.tracking_no,
        status="received",
        status_url=f"{wf.settings.portal_base_url}/requests/{request.tracking_no}",
        message=RECEIVED_MESSAGE,
    )


def _effective_state(r: CorrectionRequest, disclosure: Disclosure | None) -> tuple[str, datetime | None]:
    """An accepted request is corrected as soon as a corrected revision is out, worker or not."""
    if (
        r.state == "accepted"
        and disclosure is not None
        and r.answered_at is not None
        and disclosure.corrected_at is not None
        and disclosure.corrected_at > r.answered_at
    ):
        return "corrected", disclosure.corrected_at
    return r.state, r.corrected_at


def status(session: Session, tracking_no: str) -> CorrectionStatus:
    r = session.scalar(
        select(CorrectionRequest).where(CorrectionRequest.tracking_no == tracking_no.strip().upper())
    )
    if r is None:
        raise NotFound("未找到该申请", code="not_found")
    state, corrected_at = _effective_state(r, session.get(Disclosure, r.disclosure_id))
    return CorrectionStatus(
        tracking_no=r.tracking_no,
        type="correction",
        disclosure_id=r.disclosure_id,
        status=state,
        status_label=STATE_LABELS[state],
        received_on=r.received_on,
        answer=r.answer if state in ("rejected", "accepted", "corrected") else None,
        corrected_at=corrected_at,
    )


def correction_in_progress(session: Session, public_id: str) -> bool:
    """True while a correction of this disclosure is accepted but its corrected revision is not out yet."""
    corrected_at = session.scalar(select(Disclosure.corrected_at).where(Disclosure.public_id == public_id))
    query = select(
        exists().where(
            CorrectionRequest.disclosure_id == public_id,
            CorrectionRequest.state == "accepted",
        )
    )
    if corrected_at is not None:
        query = select(
            exists().where(
                CorrectionRequest.disclosure_id == public_id,
                CorrectionRequest.state == "accepted",
                CorrectionRequest.answered_at >= corrected_at,
            )
        )
    return bool(session.scalar(query))


# ---------------------------------------------------------------------------------------------
# Staff.


def to_out(session: Session, r: CorrectionRequest) -> CorrectionRequestOut:
    state, corrected_at = _effective_state(r, session.get(Disclosure, r.disclosure_id))
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
    wf: Workflow, session: Session, principal: Principal, request_id: int, action: str, after: str, text: str
) -> CorrectionRequest:
    principal.require("request.review")
    r = load(session, principal, request_id, for_update=True)
    if r.state != "received":
        raise Conflict(f"申请当前状态为“{STATE_LABELS[r.state]}”，已答复过", code="invalid_transition")
    now = wf.clock()
    before = r.state
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
    r = _answer(wf, session, principal, request_id, "accept", "accepted", body.note)
    _tell(wf, session, r, "accepted", f"您的纠错申请（{r.tracking_no}）经核查属实，我们正在更正公示信息。")
    return to_out(session, r)


def reject(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: ReasonBody
) -> CorrectionRequestOut:
    r = _answer(wf, session, principal, request_id, "reject", "rejected", body.reason)
    _tell(
        wf,
        session,
        r,
        "rejected",
        f"您的纠错申请（{r.tracking_no}）经核查，信息无误，不予更正。理由：{body.reason}",
    )
    return to_out(session, r)


def reconcile(wf: Workflow, limit: int = 500) -> int:
    """Accepted requests whose disclosure has since been corrected become `corrected`; tell the requester."""
    done = 0
    with wf.db.write() as session:
        rows = session.execute(
            select(CorrectionRequest, Disclosure.corrected_at)
            .join(Disclosure, Disclosure.public_id == CorrectionRequest.disclosure_id)
            .where(
                CorrectionRequest.state == "accepted",
                Disclosure.corrected_at.is_not(None),
                Disclosure.corrected_at > CorrectionRequest.answered_at,
            )
            .order_by(CorrectionRequest.id)
            .limit(limit)
        ).all()
        now = wf.clock()
        for r, corrected_at in rows:
            r.state, r.corrected_at, r.updated_at = "corrected", corrected_at, now
            audit.record(
                session,
                SUBJECT,
                r,
                actor="worker",
                action="corrected",
                before="accepted",
                after="corrected",
                data={"corrected_at": corrected_at.isoformat() if corrected_at else None},
                at=now,
            )
            _tell(
                wf,
                session,
                r,
                "corrected",
                f"您反映的公示信息已更正（查询号 {r.tracking_no}），感谢您的监督。",
            )
            done += 1
    return done


def counts(session: Session, principal: Principal) -> dict[str, int]:
    query = select(CorrectionRequest.state, func.count()).group_by(CorrectionRequest.state)
    if principal.agency_id is not None:
        query = query.where(CorrectionRequest.agency_id == principal.agency_id)
    return {state: int(n) for state, n in session.execute(query).all()}


def _tell(wf: Workflow, session: Session, r: CorrectionRequest, event: str, text: str) -> None:
    if not r.contact:
        return
    notify.queue(
        session,
        wf.settings,
        dedupe_key=f"correction:{r.tracking_no}:{event}",
        recipient=r.contact,
        subject=f"纠错申请 {r.tracking_no}：{STATE_LABELS[r.state]}",
        body=text,
        now=wf.clock(),
        agency_id=r.agency_id,
    )

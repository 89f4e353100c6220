"""Correction requests (公示办法 Art 19): anyone reports an error in a published disclosure.

received → accepted (a reviewer agrees; the page says a correction is in progress) → corrected
(once a corrected revision is published through review.correct), or received → rejected (reason).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain import docnumbers, text
from gongshi.domain.states import Machine, step
from gongshi.errors import InvalidInput, NotFound, TooLarge, Unprocessable
from gongshi.parties import keys, notify
from gongshi.parties.schemas import (
    CorrectionReceived,
    CorrectionRequestIn,
    CorrectionStatus,
    EvidenceFile,
)
from gongshi.storage.models import Decision, Disclosure
from gongshi.storage.request_models import CorrectionEvidence, CorrectionRequest

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
ANSWERED = "已答复过，不能再次答复"
MACHINE = Machine(
    "correction_request",
    STATE_LABELS,
    {
        "accept": step("received", "accepted", "request.review", ANSWERED),
        "reject": step("received", "rejected", "request.review", ANSWERED),
        # The worker's, once the corrected revision is out (reconcile).
        "corrected": step("accepted", "corrected"),
    },
    noun="申请",
)
RECEIVED_MESSAGE = "纠错申请已收到，我们将尽快核查。可凭查询号查询办理结果。"


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


def _store_evidence(
    session: Session, request: CorrectionRequest, upload: EvidenceFile | None, now: datetime
) -> list[str]:
    """Keep the uploaded file with the request; the SHA-256 of what was kept, for the audit event."""
    if upload is None or not upload.content:
        return []
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
    return [sha]


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
        tracking_no=keys.new_tracking_no(keys.CORRECTION_PREFIX, today.isoformat()),
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
    files = _store_evidence(session, request, upload, now)
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
    tell(
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


def effective_state(r: CorrectionRequest, disclosure: Disclosure | None) -> tuple[str, datetime | None]:
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
        select(CorrectionRequest).where(
            CorrectionRequest.tracking_no == keys.normalize_tracking_no(tracking_no)
        )
    )
    if r is None:
        raise NotFound("未找到该申请", code="not_found")
    state, corrected_at = effective_state(r, session.get(Disclosure, r.disclosure_id))
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
            before = r.state
            r.state, r.corrected_at, r.updated_at = MACHINE.check("corrected", before), corrected_at, now
            audit.record(
                session,
                SUBJECT,
                r,
                actor="worker",
                action="corrected",
                before=before,
                after=r.state,
                data={"corrected_at": corrected_at.isoformat() if corrected_at else None},
                at=now,
            )
            tell(
                wf,
                session,
                r,
                "corrected",
                f"您反映的公示信息已更正（查询号 {r.tracking_no}），感谢您的监督。",
            )
            done += 1
    return done


def tell(wf: Workflow, session: Session, r: CorrectionRequest, event: str, text: str) -> None:
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

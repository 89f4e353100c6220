"""Staff steps on access requests: list, check, extend, refuse, approve (the head releases)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain.clock import local_time
from gongshi.domain.windows import access_request_due
from gongshi.errors import Conflict, Unprocessable
from gongshi.parties import keys, notify
from gongshi.parties.access import MACHINE, OPEN, SUBJECT, tell
from gongshi.parties.schemas import AccessRequestOut, NoteBody, ReasonBody
from gongshi.storage.models import Agency
from gongshi.storage.request_models import AccessRequest
from gongshi.storage.scoped import load_scoped


def to_out(r: AccessRequest, access_code: str | None = None) -> AccessRequestOut:
    return AccessRequestOut(
        id=r.id,
        tracking_no=r.tracking_no,
        scope=r.scope,
        state=r.state,
        document_number=r.document_number,
        requester_name=r.requester_name,
        id_hint=r.id_hint,
        contact=r.contact,
        matched=r.decision_id is not None,
        decision_id=r.decision_id,
        agency_id=r.agency_id,
        received_on=r.received_on,
        due_on=r.due_on,
        due_provisional=r.due_provisional,
        extended=r.extended,
        extension_reason=r.extension_reason,
        checked_by=r.checked_by,
        checked_at=r.checked_at,
        decided_by=r.decided_by,
        decided_at=r.decided_at,
        refusal_reason=r.refusal_reason,
        access_expires_at=r.access_expires_at,
        views=r.views,
        access_code=access_code,
    )


def load(
    session: Session, principal: Principal, request_id: int, *, for_update: bool = False
) -> AccessRequest:
    return load_scoped(
        session,
        AccessRequest,
        request_id,
        sees=lambda r: principal.sees_agency(r.agency_id),
        missing=f"申请 {request_id} 不存在",
        for_update=for_update,
    )


def listing(
    session: Session, principal: Principal, state: str | None = None, limit: int = 200
) -> list[AccessRequest]:
    principal.require("request.review")
    query = select(AccessRequest).order_by(AccessRequest.due_on, AccessRequest.id).limit(limit)
    query = query.where(AccessRequest.state == state if state else AccessRequest.state.in_(OPEN))
    if principal.agency_id is not None:
        query = query.where(AccessRequest.agency_id == principal.agency_id)
    return list(session.scalars(query))


class _Step(NamedTuple):
    r: AccessRequest
    before: str
    after: str  # the state the table leads to
    now: datetime


def _act(wf: Workflow, session: Session, principal: Principal, request_id: int, action: str) -> _Step:
    MACHINE.require(principal, action)
    r = load(session, principal, request_id, for_update=True)
    return _Step(r, r.state, MACHINE.check(action, r.state), wf.clock())


def _audit(
    session: Session,
    principal: Principal,
    r: AccessRequest,
    action: str,
    before: str,
    reason: str,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        SUBJECT,
        r,
        actor=principal.actor,
        action=action,
        reason=reason,
        before=before,
        after=r.state,
        data=data,
        at=now,
    )


def check(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: NoteBody
) -> AccessRequestOut:
    """The reviewer confirms who is asking and what they may see; the head then decides."""
    r, before, after, now = _act(wf, session, principal, request_id, "check")
    if r.decision_id is None:
        raise Unprocessable(
            "申请人信息与任何决定均不相符，不能核实通过；请答复不予提供并说明理由", code="not_matched"
        )
    r.state, r.checked_by, r.checked_at, r.updated_at = after, principal.actor, now, now
    _audit(session, principal, r, "check", before, body.note, now)
    tell(wf, session, r, "checked", f"您的查阅申请（{r.tracking_no}）已核实身份，正在报机关负责人审批。")
    return to_out(r)


def extend(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: ReasonBody
) -> AccessRequestOut:
    """Extend the answer deadline once by 20 working days (政府信息公开条例 Art 33), with a reason."""
    r, before, after, now = _act(wf, session, principal, request_id, "extend")
    if r.extended:
        raise Conflict("办理期限已延长过一次，不能再次延长", code="already_extended")
    due = access_request_due(r.received_on, wf.calendar.get(), extended=True)
    old = r.due_on
    r.state, r.extended, r.extension_reason, r.due_on, r.due_provisional, r.updated_at = (
        after,
        True,
        body.reason,
        due.on,
        due.provisional,
        now,
    )
    _audit(
        session,
        principal,
        r,
        "extend",
        before,
        body.reason,
        now,
        {"from": old.isoformat(), "to": due.on.isoformat()},
    )
    tell(
        wf,
        session,
        r,
        "extended",
        f"您的查阅申请（{r.tracking_no}）办理期限延长至 {due.on.isoformat()}。理由：{body.reason}",
    )
    return to_out(r)


def refuse(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: ReasonBody
) -> AccessRequestOut:
    r, before, after, now = _act(wf, session, principal, request_id, "refuse")
    r.state, r.refusal_reason, r.decided_by, r.decided_at, r.updated_at = (
        after,
        body.reason,
        principal.actor,
        now,
        now,
    )
    _audit(session, principal, r, "refuse", before, body.reason, now)
    tell(wf, session, r, "refused", f"您的查阅申请（{r.tracking_no}）经审查不予提供。理由：{body.reason}")
    return to_out(r)


def approve(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: NoteBody
) -> AccessRequestOut:
    """The head releases the records (记录办法 Art 20): the party gets a time-limited access code."""
    r, before, after, now = _act(wf, session, principal, request_id, "approve")
    code = keys.new_access_code()
    expires = now + timedelta(days=wf.settings.access_code_days)
    r.state, r.decided_by, r.decided_at, r.updated_at = after, principal.actor, now, now
    r.access_code_hash = keys.access_code_hash(wf.settings.secret_key, r.tracking_no, code)
    r.access_expires_at = expires
    _audit(
        session, principal, r, "approve", before, body.note, now, {"access_expires_at": expires.isoformat()}
    )
    tell(
        wf,
        session,
        r,
        "granted",
        f"您的查阅申请（{r.tracking_no}）已获批准。请打开 {wf.settings.portal_base_url}/requests/"
        f"{r.tracking_no} ，输入证件号码和访问码 {notify.SECRET} 查看，"
        f"访问码有效期至 {local_time(expires)}。",
        secret=code,
    )
    return to_out(r, access_code=code)


def agency_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(wanted))).all())

"""Party access requests (记录办法 Art 20, 公示办法 Art 20): file, check, release, read.

The public answer to a request never depends on whether it matched: the same body, and the same
work on the way (one keyed-hash lookup, one routing lookup, one insert, one audit event, one
notification), whether or not a decision of that party exists.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit, steps
from gongshi.core.context import Workflow
from gongshi.domain.clock import local_time
from gongshi.domain.windows import access_request_due
from gongshi.errors import Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from gongshi.parties import keys, notify
from gongshi.parties.view import PartyDecisionView, party_view
from gongshi.publication import records
from gongshi.settings import Settings
from gongshi.storage.models import Agency, Decision
from gongshi.storage.request_models import AccessRequest, PartyKey
from gongshi.storage.scoped import load_scoped

SUBJECT = "access_request"
Scope = Literal["decision", "records"]
State = Literal["received", "checked", "granted", "refused"]
STATE_LABELS: dict[str, str] = {
    "received": "已收到，正在办理",
    "checked": "已核实，待负责人审批",
    "granted": "已同意提供",
    "refused": "不予提供",
}
SCOPE_LABELS: dict[str, str] = {"decision": "执法决定", "records": "执法全过程记录"}
# action → (states it may start from, state it leads to, permission)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None, str]] = {
    "check": (frozenset({"received"}), "checked", "request.review"),
    "extend": (frozenset({"received", "checked"}), None, "request.review"),
    "refuse": (frozenset({"received", "checked"}), "refused", "request.review"),
    "approve": (frozenset({"checked"}), "granted", "request.release"),
}
EVENT_LABELS = {
    "received": "已收到",
    "checked": "已核实，待负责人审批",
    "extended": "办理期限延长",
    "refused": "不予提供",
    "granted": "已获批准",
}
RECEIVED_MESSAGE = (
    "申请已收到。我们将核实您的身份和所申请的记录，并在办理期限内答复。请凭查询号和证件号码查询进度。"
)


class AccessRequestIn(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    document_number: Annotated[str, Meta(min_length=1, max_length=200)]
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    id_number: Annotated[str, Meta(min_length=4, max_length=64)]
    contact: Annotated[str, Meta(min_length=3, max_length=200)]
    scope: Scope = "decision"


class AccessReceived(Struct, frozen=True, kw_only=True):
    """The answer to every access request, matching or not."""

    tracking_no: str
    status: str
    received_on: date
    due_on: date
    status_url: str
    message: str


class AccessStatus(Struct, frozen=True, kw_only=True):
    tracking_no: str
    type: str
    scope: str
    status: str
    status_label: str
    received_on: date
    due_on: date
    extended: bool
    answer: str | None
    access_expires_at: datetime | None


class AccessRequestOut(Struct, frozen=True, kw_only=True):
    """A request as staff see it."""

    id: int
    tracking_no: str
    scope: str
    state: str
    document_number: str
    requester_name: str
    id_hint: str
    contact: str
    matched: bool
    decision_id: int | None
    agency_id: int | None
    received_on: date
    due_on: date
    due_provisional: bool
    extended: bool
    extension_reason: str | None
    checked_by: str | None
    checked_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    refusal_reason: str | None
    access_expires_at: datetime | None
    views: int
    # Only in the answer to the head's approval: the code to hand to the party.
    access_code: str | None = None


class NoteBody(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    note: Annotated[str, Meta(max_length=5000)] = ""


class ReasonBody(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=4, max_length=5000)]


class GrantedView(Struct, frozen=True, kw_only=True):
    tracking_no: str
    scope: str
    access_expires_at: datetime
    decision: PartyDecisionView
    # The case's process records as released to the party (scope "records"), when the case is kept here.
    records: Any | None = None
    records_note: str | None = None


# ---------------------------------------------------------------------------------------------
# Party keys: kept when the worker redacts a decision and when it is corrected.


@steps.after_redaction
def store_party_key(session: Session, settings: Settings, decision: Decision, intake: Any) -> None:
    """Remember the keyed hash of this decision's party (or forget it when there is no ID number)."""
    key = keys.intake_party_key(settings.secret_key, intake)
    row = session.get(PartyKey, decision.id)
    if key is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(PartyKey(decision_id=decision.id, key=key, content_hash=decision.content_hash))
    else:
        row.key, row.content_hash = key, decision.content_hash


# ---------------------------------------------------------------------------------------------
# The public side.


def _public(request: AccessRequest, base_url: str) -> AccessReceived:
    return AccessReceived(
        tracking_no=request.tracking_no,
        status="received",
        received_on=request.received_on,
        due_on=request.due_on,
        status_url=f"{base_url}/requests/{request.tracking_no}",
        message=RECEIVED_MESSAGE,
    )


def file_request(wf: Workflow, session: Session, body: AccessRequestIn) -> AccessReceived:
    """Store an access request and answer it the same way whether or not it matches a decision."""
    if not notify.valid_contact(body.contact.strip()):
        raise InvalidInput("联系方式须为手机号码、固定电话或电子邮箱", field="contact")
    if not keys.normalize_id(body.id_number) or not keys.normalize_name(body.name):
        raise InvalidInput("请填写姓名（名称）和证件号码", field="id_number")
    problem = keys.id_number_problem(body.id_number)
    if problem:
        raise InvalidInput(problem, field="id_number")
    secret = wf.settings.secret_key
    key = keys.party_key(secret, body.document_number, body.name, body.id_number)
    # Both lookups always run, match or not; each is one indexed equality probe. No ORDER BY/LIMIT:
    # a plan that walks another index until it finds the key would take longer for a miss.
    hits = session.execute(
        select(PartyKey.decision_id, Decision.agency_id)
        .join(Decision, Decision.id == PartyKey.decision_id)
        .where(PartyKey.key == key)
    ).all()
    matched = max(hits) if hits else None
    routed = session.scalar(
        select(Decision.agency_id).where(Decision.document_number == body.document_number.strip()).limit(1)
    )
    now = wf.clock()
    today = wf.today()
    due = access_request_due(today, wf.calendar.get())
    request = AccessRequest(
        tracking_no=keys.new_tracking_no("GK", today.isoformat()),
        scope=body.scope,
        document_number=body.document_number.strip(),
        requester_name=body.name.strip(),
        id_hash=keys.id_hash(secret, body.id_number),
        id_hint=keys.id_hint(body.id_number),
        contact=body.contact.strip(),
        decision_id=matched[0] if matched else None,
        agency_id=matched[1] if matched else routed,
        state="received",
        received_on=today,
        due_on=due.on,
        due_provisional=due.provisional,
        extended=False,
        views=0,
        audit_seq=0,
        audit_head="",
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        SUBJECT,
        request,
        actor="public",
        action="receive",
        after="received",
        data={"scope": body.scope, "matched": matched is not None},
        at=now,
    )
    _tell(
        wf,
        session,
        request,
        "received",
        f"您的查阅申请已收到，查询号 {request.tracking_no}。{RECEIVED_MESSAGE}",
    )
    return _public(request, wf.settings.portal_base_url)


def _find(
    session: Session, secret: str, tracking_no: str, id_number: str, *, for_update: bool = False
) -> AccessRequest:
    query = select(AccessRequest).where(AccessRequest.tracking_no == tracking_no.strip().upper())
    if for_update:
        query = query.with_for_update()
    request = session.scalar(query)
    given = keys.id_hash(secret, id_number)
    if request is None or not keys.same(request.id_hash, given):
        raise NotFound("未找到该申请，或证件号码与申请不符", code="not_found")
    return request


def status(wf: Workflow, session: Session, tracking_no: str, id_number: str) -> AccessStatus:
    """The requester's view of their request (tracking number plus their own ID number)."""
    r = _find(session, wf.settings.secret_key, tracking_no, id_number)
    return AccessStatus(
        tracking_no=r.tracking_no,
        type="access",
        scope=r.scope,
        status=r.state,
        status_label=STATE_LABELS[r.state],
        received_on=r.received_on,
        due_on=r.due_on,
        extended=r.extended,
        answer=r.refusal_reason if r.state == "refused" else None,
        access_expires_at=r.access_expires_at if r.state == "granted" else None,
    )


def read_granted(
    wf: Workflow, session: Session, tracking_no: str, id_number: str, access_code: str, *, client: str = ""
) -> GrantedView:
    """The granted records, with the access code; every successful read is an audit event."""
    secret = wf.settings.secret_key
    r = _find(session, secret, tracking_no, id_number, for_update=True)
    now = wf.clock()
    code_ok = keys.same(r.access_code_hash, keys.access_code_hash(secret, r.tracking_no, access_code))
    if r.state != "granted" or not code_ok:
        raise Forbidden("访问码错误，或申请尚未获准", code="bad_access_code", field="access_code")
    assert r.access_expires_at is not None and r.decision_id is not None
    if now >= r.access_expires_at:
        raise Forbidden("访问码已过期，请联系办理机关", code="access_expired", field="access_code")
    decision = session.get(Decision, r.decision_id)
    assert decision is not None
    intake = records.stored_intake(decision)
    view = party_view(intake, decision.redaction, wf.policy(minor_override=decision.minor_override))
    released: Any | None = None
    note: str | None = None
    if r.scope == "records":
        released, note = _released_records(session, decision, r)
    r.views += 1
    r.updated_at = now
    audit.record(
        session,
        SUBJECT,
        r,
        actor=f"party:{r.tracking_no}",
        action="view",
        before=r.state,
        after=r.state,
        data={
            "scope": r.scope,
            "revision": decision.revision,
            "client": keys.document_hash(secret, client)[:12],
        },
        at=now,
    )
    return GrantedView(
        tracking_no=r.tracking_no,
        scope=r.scope,
        access_expires_at=r.access_expires_at,
        decision=view,
        records=released,
        records_note=note,
    )


def _released_records(
    session: Session, decision: Decision, r: AccessRequest
) -> tuple[Any | None, str | None]:
    """The case records released to the party, third parties' identifiers masked (gongshi.cases.release).

    Reading them is also recorded in each case's own audit chain.
    """
    from gongshi.cases import release

    code = records.agency_code(session, decision)
    case_ids = release.find_cases(session, code, decision.document_number) if code else []
    if not case_ids:
        return None, "本平台未保存该案件的全过程记录，办理机关将另行提供。"
    views = [
        release.released_case_view(
            session,
            case_id,
            for_party=True,
            actor=f"party:{r.tracking_no}",
            reason="当事人查阅申请（已经负责人批准）",
        )
        for case_id in case_ids
    ]
    return views, None


# ---------------------------------------------------------------------------------------------
# The staff side.


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
    if state:
        query = query.where(AccessRequest.state == state)
    else:
        query = query.where(AccessRequest.state.in_(("received", "checked")))
    if principal.agency_id is not None:
        query = query.where(AccessRequest.agency_id == principal.agency_id)
    return list(session.scalars(query))


def _act(
    wf: Workflow, session: Session, principal: Principal, request_id: int, action: str, reason: str
) -> tuple[AccessRequest, str, datetime]:
    starts, _after, permission = TRANSITIONS[action]
    principal.require(permission)
    r = load(session, principal, request_id, for_update=True)
    if r.state not in starts:
        raise Conflict(f"申请当前状态为“{STATE_LABELS[r.state]}”，不能执行此操作", code="invalid_transition")
    return r, r.state, wf.clock()


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
    r, before, now = _act(wf, session, principal, request_id, "check", body.note)
    if r.decision_id is None:
        raise Unprocessable(
            "申请人信息与任何决定均不相符，不能核实通过；请答复不予提供并说明理由", code="not_matched"
        )
    r.state, r.checked_by, r.checked_at, r.updated_at = "checked", principal.actor, now, now
    _audit(session, principal, r, "check", before, body.note, now)
    _tell(wf, session, r, "checked", f"您的查阅申请（{r.tracking_no}）已核实身份，正在报机关负责人审批。")
    return to_out(r)


def extend(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: ReasonBody
) -> AccessRequestOut:
    """Extend the answer deadline once by 20 working days (政府信息公开条例 Art 33), with a reason."""
    r, before, now = _act(wf, session, principal, request_id, "extend", body.reason)
    if r.extended:
        raise Conflict("办理期限已延长过一次，不能再次延长", code="already_extended")
    due = access_request_due(r.received_on, wf.calendar.get(), extended=True)
    old = r.due_on
    r.extended, r.extension_reason, r.due_on, r.due_provisional, r.updated_at = (
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
    _tell(
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
    r, before, now = _act(wf, session, principal, request_id, "refuse", body.reason)
    r.state, r.refusal_reason, r.decided_by, r.decided_at, r.updated_at = (
        "refused",
        body.reason,
        principal.actor,
        now,
        now,
    )
    _audit(session, principal, r, "refuse", before, body.reason, now)
    _tell(wf, session, r, "refused", f"您的查阅申请（{r.tracking_no}）经审查不予提供。理由：{body.reason}")
    return to_out(r)


def approve(
    wf: Workflow, session: Session, principal: Principal, request_id: int, body: NoteBody
) -> AccessRequestOut:
    """The head releases the records (记录办法 Art 20): the party gets a time-limited access code."""
    r, before, now = _act(wf, session, principal, request_id, "approve", body.note)
    code = keys.new_access_code()
    expires = now + timedelta(days=wf.settings.access_code_days)
    r.state, r.decided_by, r.decided_at, r.updated_at = "granted", principal.actor, now, now
    r.access_code_hash = keys.access_code_hash(wf.settings.secret_key, r.tracking_no, code)
    r.access_expires_at = expires
    _audit(
        session, principal, r, "approve", before, body.note, now, {"access_expires_at": expires.isoformat()}
    )
    _tell(
        wf,
        session,
        r,
        "granted",
        f"您的查阅申请（{r.tracking_no}）已获批准。请打开 {wf.settings.portal_base_url}/requests/"
        f"{r.tracking_no} ，输入证件号码和访问码 {code} 查看，访问码有效期至 {local_time(expires)}。",
    )
    return to_out(r, access_code=code)


def _tell(wf: Workflow, session: Session, r: AccessRequest, event: str, text: str) -> None:
    notify.queue(
        session,
        wf.settings,
        dedupe_key=f"access:{r.tracking_no}:{event}",
        recipient=r.contact,
        subject=f"查阅申请 {r.tracking_no}：{EVENT_LABELS[event]}",
        body=text,
        now=wf.clock(),
        agency_id=r.agency_id,
    )


def agency_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(wanted))).all())

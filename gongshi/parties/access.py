"""Party access requests (记录办法 Art 20, 公示办法 Art 20): the life cycle, filing, checking status, reading.

The public answer to a request never depends on whether it matched: the same body, and the same
work on the way (one keyed-hash lookup, one routing lookup, one insert, one audit event, one
notification), whether or not a decision of that party exists. Staff steps are in `access_staff`.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.core import audit, steps
from gongshi.core.context import Workflow
from gongshi.domain.states import Machine, step
from gongshi.domain.windows import access_request_due
from gongshi.errors import Forbidden, InvalidInput, NotFound
from gongshi.parties import keys, notify
from gongshi.parties.schemas import AccessReceived, AccessRequestIn, AccessStatus, GrantedView
from gongshi.parties.view import party_view
from gongshi.publication import records
from gongshi.settings import Settings
from gongshi.storage.models import Decision
from gongshi.storage.request_models import AccessRequest, PartyKey

SUBJECT = "access_request"
State = Literal["received", "checked", "granted", "refused"]
STATE_LABELS: dict[str, str] = {
    "received": "已收到，正在办理",
    "checked": "已核实，待负责人审批",
    "granted": "已同意提供",
    "refused": "不予提供",
}
SCOPE_LABELS: dict[str, str] = {"decision": "执法决定", "records": "执法全过程记录"}
REVIEW, RELEASE = "request.review", "request.release"
OPEN = frozenset({"received", "checked"})
MACHINE = Machine(
    "access_request",
    STATE_LABELS,
    {
        "check": step("received", "checked", REVIEW, "不能核实"),
        "extend": step(OPEN, None, REVIEW, "不能延长办理期限"),  # the state stays
        "refuse": step(OPEN, "refused", REVIEW, "不能答复不予提供"),
        "approve": step("checked", "granted", RELEASE, "不能批准提供"),
    },
    noun="申请",
)
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


def _match(session: Session, secret: str, body: AccessRequestIn) -> tuple[int | None, int | None]:
    """(the matched decision, the agency that answers): the decision's, else the document number's."""
    key = keys.party_key(secret, body.document_number, body.name, body.id_number)
    # Both lookups always run, match or not; each is one indexed equality probe. No ORDER BY/LIMIT:
    # a plan that walks another index until it finds the key would take longer for a miss.
    hits = session.execute(
        select(PartyKey.decision_id, Decision.agency_id)
        .join(Decision, Decision.id == PartyKey.decision_id)
        .where(PartyKey.key == key)
    ).all()
    routed = session.scalar(
        select(Decision.agency_id).where(Decision.document_number == body.document_number.strip()).limit(1)
    )
    if hits:
        decision_id, agency_id = max(hits)
        return decision_id, agency_id
    return None, routed


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
    decision_id, agency_id = _match(session, secret, body)
    now = wf.clock()
    today = wf.today()
    due = access_request_due(today, wf.calendar.get())
    request = AccessRequest(
        tracking_no=keys.new_tracking_no(keys.ACCESS_PREFIX, today.isoformat()),
        scope=body.scope,
        document_number=body.document_number.strip(),
        requester_name=body.name.strip(),
        id_hash=keys.id_hash(secret, body.id_number),
        id_hint=keys.id_hint(body.id_number),
        contact=body.contact.strip(),
        decision_id=decision_id,
        agency_id=agency_id,
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
        data={"scope": body.scope, "matched": decision_id is not None},
        at=now,
    )
    tell(
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
    query = select(AccessRequest).where(AccessRequest.tracking_no == keys.normalize_tracking_no(tracking_no))
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


def tell(
    wf: Workflow, session: Session, r: AccessRequest, event: str, text: str, secret: str | None = None
) -> None:
    """Tell the requester; a `secret` (the access code) goes where `text` has `notify.SECRET`."""
    notify.queue(
        session,
        wf.settings,
        dedupe_key=f"access:{r.tracking_no}:{event}",
        recipient=r.contact,
        subject=f"查阅申请 {r.tracking_no}：{EVENT_LABELS[event]}",
        body=text,
        now=wf.clock(),
        agency_id=r.agency_id,
        secret=secret,
    )

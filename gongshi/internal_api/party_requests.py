"""Access and correction requests as staff handle them: API and console pages (issue 5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter, RawBody
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.clock import local_time
from gongshi.errors import GongshiError, NotFound
from gongshi.internal_api.cases_files import FILE_CSP
from gongshi.internal_api.console import _flash, _page
from gongshi.internal_api.decisions import decode_body
from gongshi.parties import access, access_staff, corrections, corrections_staff, notify, rulings, schemas
from gongshi.storage.models import AuditEvent, Decision, Notification
from gongshi.storage.request_models import AccessRequest, CorrectionRequest

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class NotificationOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    channel: str
    recipient: str
    subject: str
    body: str
    created_at: Any
    sent_at: Any


class AccessController(Controller):
    path = "/api/v1/requests/access"
    tags = ("requests",)

    @get("/", sync_to_thread=True, summary="Open access requests (or those in `state`), by deadline")
    def list_requests(
        self,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> list[schemas.AccessRequestOut]:
        with wf.db.read() as session:
            return [access_staff.to_out(r) for r in access_staff.listing(session, principal, state_filter)]

    @get("/{request_id:int}", sync_to_thread=True)
    def read(
        self, request_id: FromPath[int], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> schemas.AccessRequestOut:
        principal.require("request.review")
        with wf.db.read() as session:
            return access_staff.to_out(access_staff.load(session, principal, request_id))

    @post(
        "/{request_id:int}/check", sync_to_thread=True, status_code=200, summary="Reviewer: identity checked"
    )
    def check(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.check(wf, session, principal, request_id, decode_body(body, schemas.NoteBody))

    @post(
        "/{request_id:int}/extend", sync_to_thread=True, status_code=200, summary="Extend by 20 working days"
    )
    def extend(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.extend(
                wf, session, principal, request_id, decode_body(body, schemas.ReasonBody)
            )

    @post("/{request_id:int}/refuse", sync_to_thread=True, status_code=200, summary="Refuse, with a reason")
    def refuse(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.refuse(
                wf, session, principal, request_id, decode_body(body, schemas.ReasonBody)
            )

    @post(
        "/{request_id:int}/approve",
        sync_to_thread=True,
        status_code=200,
        summary="Head: release to the party (记录办法 Art 20); the answer carries the access code once",
    )
    def approve(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.AccessRequestOut:
        with wf.db.write() as session:
            return access_staff.approve(
                wf, session, principal, request_id, decode_body(body, schemas.NoteBody)
            )


class CorrectionController(Controller):
    path = "/api/v1/requests/corrections"
    tags = ("requests",)

    @get("/", sync_to_thread=True, summary="Open correction requests (or those in `state`)")
    def list_requests(
        self,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> list[schemas.CorrectionRequestOut]:
        with wf.db.read() as session:
            return [
                corrections_staff.to_out(session, r)
                for r in corrections_staff.listing(session, principal, state_filter)
            ]

    @get("/{request_id:int}", sync_to_thread=True)
    def read(
        self, request_id: FromPath[int], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> schemas.CorrectionRequestOut:
        principal.require("request.review")
        with wf.db.read() as session:
            return corrections_staff.to_out(session, corrections_staff.load(session, principal, request_id))

    @post("/{request_id:int}/accept", sync_to_thread=True, status_code=200, summary="The disclosure is wrong")
    def accept(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.CorrectionRequestOut:
        with wf.db.write() as session:
            return corrections_staff.accept(
                wf, session, principal, request_id, decode_body(body, schemas.NoteBody)
            )

    @post(
        "/{request_id:int}/reject", sync_to_thread=True, status_code=200, summary="Not wrong, with a reason"
    )
    def reject(
        self,
        request_id: FromPath[int],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> schemas.CorrectionRequestOut:
        with wf.db.write() as session:
            return corrections_staff.reject(
                wf, session, principal, request_id, decode_body(body, schemas.ReasonBody)
            )

    @get("/{request_id:int}/files/{file_id:int}", sync_to_thread=True, summary="An evidence file")
    def file(
        self,
        request_id: FromPath[int],
        file_id: FromPath[int],
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> Response[bytes]:
        with wf.db.read() as session:
            row = corrections_staff.evidence_file(session, principal, request_id, file_id)
            return _download(row)


def _download(row: Any) -> Response[bytes]:
    return Response(
        row.content,
        media_type=row.media_type,
        headers={
            "Content-Disposition": f"attachment; filename=evidence-{row.id}"
            f"{corrections.EVIDENCE_TYPES.get(row.media_type, '')}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": FILE_CSP,
            "Cache-Control": "no-store",
        },
    )


@post(
    "/api/v1/decisions/{decision_id:int}/ruling",
    sync_to_thread=True,
    status_code=200,
    tags=["decisions"],
    summary="Record that a revoking ruling arrived: the withdrawal deadline starts (Art 12)",
)
def record_ruling(
    decision_id: FromPath[int],
    body: RawBody,
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
) -> rulings.RulingOut:
    with wf.db.write() as session:
        return rulings.register_ruling(
            wf, session, principal, decision_id, decode_body(body, rulings.RulingBody)
        )


def _notifications(session: Session, principal: Principal, limit: int) -> list[Notification]:
    principal.require("notifications.read")
    query = select(Notification).order_by(Notification.id.desc()).limit(limit)
    if principal.agency_id is not None:
        query = query.where(Notification.agency_id == principal.agency_id)
    return list(session.scalars(query))


def _notification_out(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.id,
        channel=n.channel,
        recipient=n.recipient,
        subject=n.subject,
        body=notify.staff_body(n),  # never a secret the message carries
        created_at=n.created_at,
        sent_at=n.sent_at,
    )


@get("/api/v1/notifications", sync_to_thread=True, tags=["requests"], summary="Latest notifications (outbox)")
def list_notifications(
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
) -> list[NotificationOut]:
    with wf.db.read() as session:
        return [_notification_out(n) for n in _notifications(session, principal, limit)]


# ---------------------------------------------------------------------------------------------
# Console pages.

LABELS = {
    "access": access.STATE_LABELS,
    "correction": corrections.STATE_LABELS,
    "scope": access.SCOPE_LABELS,
    "action": {
        "receive": "收到申请",
        "check": "核实",
        "approve": "批准提供",
        "refuse": "不予提供",
        "extend": "延长办理期限",
        "view": "当事人查看",
        "accept": "确认有误",
        "reject": "不予更正",
        "corrected": "已更正",
    },
}


@get("/console/requests", sync_to_thread=True, include_in_schema=False)
def requests_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
) -> Template | Redirect:
    state = state_filter
    with wf.db.read() as session:
        try:
            access_rows = access_staff.listing(
                session, principal, state if state in access.STATE_LABELS else None
            )
            correction_rows = [
                corrections_staff.to_out(session, r)
                for r in corrections_staff.listing(
                    session, principal, state if state in corrections.STATE_LABELS else None
                )
            ]
        except GongshiError as exc:
            return _page("requests/forbidden.html", request, message=exc.message)
        names = access_staff.agency_names(session, {r.agency_id for r in access_rows})
    return _page(
        "requests/list.html",
        request,
        access_rows=[access_staff.to_out(r) for r in access_rows],
        correction_rows=correction_rows,
        names=names,
        state=state,
        today=wf.today(),
        rlabels=LABELS,
    )


def _load_by_tracking(
    session: Session, principal: Principal, tracking_no: str
) -> AccessRequest | CorrectionRequest:
    model: Any = AccessRequest if tracking_no.startswith("GK") else CorrectionRequest
    row = session.scalar(select(model).where(model.tracking_no == tracking_no))
    if row is None or not principal.sees_agency(row.agency_id):
        raise NotFound("申请不存在")
    return row  # type: ignore[no-any-return]


@get("/console/requests/{tracking_no:str}", sync_to_thread=True, include_in_schema=False)
def request_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    tracking_no: FromPath[str],
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    with wf.db.read() as session:
        try:
            principal.require("request.review")
            row = _load_by_tracking(session, principal, tracking_no)
        except GongshiError as exc:
            return _page("requests/forbidden.html", request, message=exc.message)
        subject = access.SUBJECT if isinstance(row, AccessRequest) else corrections.SUBJECT
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.subject_type == subject, AuditEvent.subject_id == row.id)
                .order_by(AuditEvent.seq)
            )
        )
        chain = audit.verify(events, row)
        decision = session.get(Decision, row.decision_id) if row.decision_id else None
        common = {
            "events": events,
            "chain": chain,
            "decision": decision,
            "today": wf.today(),
            "rlabels": LABELS,
            "local": local_time,
            "portal": wf.settings.portal_base_url,
            "can_review": principal.can("request.review"),
            "can_release": principal.can("request.release"),
        }
        if isinstance(row, AccessRequest):
            return _page("requests/access.html", request, r=access_staff.to_out(row), **common)
        return _page("requests/correction.html", request, r=corrections_staff.to_out(session, row), **common)


ACCESS_ACTIONS: dict[str, tuple[Callable[..., Any], type[Any], str]] = {
    "check": (access_staff.check, schemas.NoteBody, "已核实，待负责人审批"),
    "extend": (access_staff.extend, schemas.ReasonBody, "已延长办理期限"),
    "refuse": (access_staff.refuse, schemas.ReasonBody, "已答复不予提供"),
    "approve": (access_staff.approve, schemas.NoteBody, "已批准提供"),
}
CORRECTION_ACTIONS: dict[str, tuple[Callable[..., Any], type[Any], str]] = {
    "accept": (corrections_staff.accept, schemas.NoteBody, "已确认有误；请在决定页面发布更正"),
    "reject": (corrections_staff.reject, schemas.ReasonBody, "已答复不予更正"),
}


@post("/console/requests/{tracking_no:str}/{action:str}", sync_to_thread=True, include_in_schema=False)
def request_act(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    tracking_no: FromPath[str],
    action: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Redirect:
    table = ACCESS_ACTIONS if tracking_no.startswith("GK") else CORRECTION_ACTIONS
    if action not in table:
        _flash(request, "未知操作", "error")
        return Redirect(f"/console/requests/{tracking_no}")
    fn, body_type, done = table[action]
    fields = {k: v.strip() for k, v in data.items() if k != "_csrf_token" and v.strip()}
    try:
        body = text.convert(fields, body_type)
        with wf.db.write() as session:
            row = _load_by_tracking(session, principal, tracking_no)
            out = fn(wf, session, principal, row.id, body)
        code = getattr(out, "access_code", None)
        _flash(request, f"{done}。{_code_note(wf, out)}" if code else done)
    except GongshiError as exc:
        _flash(request, f"操作未完成：{exc.message}", "error")
    except msgspec.ValidationError as exc:
        field = str(exc).rpartition("$.")[2].rstrip("`") or ""
        hint = {"reason": "请填写理由（至少 4 个字）", "note": "备注过长"}.get(field, str(exc))
        _flash(request, f"操作未完成：{hint}", "error")
    return Redirect(f"/console/requests/{tracking_no}")


def _code_note(wf: Workflow, out: Any) -> str:
    """Shown once to the head who granted: the code, and whether the mail carries it or they must."""
    by_mail = notify.channel_for(wf.settings, out.contact) == notify.SMTP
    how = "已随邮件发给申请人" if by_mail else "请告知申请人（通知发件箱中不显示访问码）"
    return f"访问码 {out.access_code} {how}，有效期内可凭此查看；此码只显示这一次"


@get("/console/requests/{tracking_no:str}/files/{file_id:int}", sync_to_thread=True, include_in_schema=False)
def request_file(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    tracking_no: FromPath[str],
    file_id: FromPath[int],
    wf: NamedDependency[Workflow],
) -> Response[bytes] | Redirect:
    with wf.db.read() as session:
        row = _load_by_tracking(session, principal, tracking_no)
        return _download(corrections_staff.evidence_file(session, principal, row.id, file_id))


@get("/console/notifications", sync_to_thread=True, include_in_schema=False)
def notifications_page(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> Template | Redirect:
    with wf.db.read() as session:
        try:
            rows = [_notification_out(n) for n in _notifications(session, principal, 200)]
        except GongshiError as exc:
            return _page("requests/forbidden.html", request, message=exc.message)
    return _page(
        "requests/notifications.html", request, rows=rows, smtp=bool(wf.settings.smtp_host), local=local_time
    )


# Route handlers and controllers this module adds to the internal app: the API, and the console pages.
ROUTES: list[Any] = [AccessController, CorrectionController, record_ruling, list_notifications]
CONSOLE_ROUTES: list[Any] = [requests_page, request_page, request_act, request_file, notifications_page]

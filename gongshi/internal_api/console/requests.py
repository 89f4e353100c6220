"""Access and correction requests, and the outbox's notifications, as staff handle them (issue 5)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.clock import local_time
from gongshi.errors import GongshiError, NotFound
from gongshi.internal_api.api.requests import Form, _download, _notification_out, _notifications
from gongshi.internal_api.console.render import flash, render_page
from gongshi.parties import access, access_staff, corrections, corrections_staff, keys, notify, schemas
from gongshi.storage.models import AuditEvent, Decision
from gongshi.storage.request_models import AccessRequest, CorrectionRequest

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
            return render_page("requests/forbidden.html", request, message=exc.message)
        names = access_staff.agency_names(session, {r.agency_id for r in access_rows})
    return render_page(
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
    model: Any = AccessRequest if keys.is_access_tracking_no(tracking_no) else CorrectionRequest
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
            return render_page("requests/forbidden.html", request, message=exc.message)
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
            return render_page("requests/access.html", request, r=access_staff.to_out(row), **common)
        return render_page(
            "requests/correction.html", request, r=corrections_staff.to_out(session, row), **common
        )


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
    table = ACCESS_ACTIONS if keys.is_access_tracking_no(tracking_no) else CORRECTION_ACTIONS
    if action not in table:
        flash(request, "未知操作", "error")
        return Redirect(f"/console/requests/{tracking_no}")
    fn, body_type, done = table[action]
    fields = {k: v.strip() for k, v in data.items() if k != "_csrf_token" and v.strip()}
    try:
        body = text.convert(fields, body_type)
        with wf.db.write() as session:
            row = _load_by_tracking(session, principal, tracking_no)
            out = fn(wf, session, principal, row.id, body)
        code = getattr(out, "access_code", None)
        flash(request, f"{done}。{_code_note(wf, out)}" if code else done)
    except GongshiError as exc:
        flash(request, f"操作未完成：{exc.message}", "error")
    except msgspec.ValidationError as exc:
        field = str(exc).rpartition("$.")[2].rstrip("`") or ""
        hint = {"reason": "请填写理由（至少 4 个字）", "note": "备注过长"}.get(field, str(exc))
        flash(request, f"操作未完成：{hint}", "error")
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
            return render_page("requests/forbidden.html", request, message=exc.message)
    return render_page(
        "requests/notifications.html", request, rows=rows, smtp=bool(wf.settings.smtp_host), local=local_time
    )


ROUTES: list[Any] = [requests_page, request_page, request_act, request_file, notifications_page]

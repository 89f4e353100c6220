"""Staff console: server-rendered pages over the same workflow services as the API."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy import func, select

from gongshi.auth import sessions, throttle
from gongshi.auth.credentials import authenticate
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.status import add_credit_deadlines, report_statuses
from gongshi.deadlines.board import deadlines
from gongshi.domain import text
from gongshi.domain.clock import local_time
from gongshi.domain.intake import IntakeError, decode_intake
from gongshi.domain.labels import KIND
from gongshi.errors import GongshiError
from gongshi.internal_api import console_guard, review_view
from gongshi.internal_api.decisions import decision_response
from gongshi.internal_api.spans import highlighted_fields
from gongshi.parties import rulings
from gongshi.publication import records, redaction_edits, review, states
from gongshi.redaction.entities import CATEGORY_LABELS
from gongshi.storage.models import Agency, Decision

log = logging.getLogger("gongshi.security")
Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
QUEUE_STATES = ("in_review", "approved", "received", "returned", "withheld")

LABELS = {
    "kind": KIND,
    "withhold": {
        "state_secret": "国家秘密",
        "trade_secret": "商业秘密",
        "privacy_harm": "个人隐私（损害第三人）",
        "public_security": "危及公共安全",
        "minor": "涉及未成年人",
        "other": "其他法定情形",
    },
    "withdraw": {
        "revoked": "被依法撤销",
        "confirmed_illegal": "被确认违法",
        "redo_ordered": "被责令重新作出",
        "error": "信息有误",
        "credit_repair": "信用修复",
        "other": "其他",
    },
    "state": states.LABELS,
}


def _now() -> datetime:
    # Sessions and login throttling run on wall time, not the workflow's (settable, legal-deadline) clock.
    return datetime.now(UTC)


class LoginRequired(Exception):
    """A console page was asked for without a live session of an enabled user."""


def console_principal(request: Request[Any, Any, Any], wf: NamedDependency[Workflow]) -> Principal:
    """The `principal` of console pages: the signed-in user as the users table says now, or login."""
    session_id = request.session.get("sid") if request.session else None
    found = None
    if isinstance(session_id, str):
        with wf.db.read() as session:
            found = sessions.signed_in(session, session_id, _now())
    if found is None:
        raise LoginRequired
    principal, name = found
    request.scope["console_user"] = name  # type: ignore[typeddict-unknown-key]
    return principal


def to_login(_: Request[Any, Any, Any], __: LoginRequired) -> Redirect:
    return Redirect("/console/login")


def user_name(request: Request[Any, Any, Any]) -> str | None:
    """The signed-in user's display name, as read with the session (None before `principal`)."""
    name = request.scope.get("console_user")
    return name if isinstance(name, str) else None


def _page(name: str, request: Request[Any, Any, Any], **context: Any) -> Template:
    flash = request.session.pop("flash", None) if request.session else None
    return Template(
        template_name=f"console/{name}",
        context={
            "user": user_name(request),
            "labels": LABELS,
            "flash": flash,
            **context,
        },
    )


def _flash(request: Request[Any, Any, Any], message: str, kind: str = "ok") -> None:
    request.session["flash"] = {"message": message, "kind": kind}


@get("/console/login", sync_to_thread=False, include_in_schema=False)
def login_form(request: Request[Any, Any, Any]) -> Template:
    return _page("login.html", request, error=None)


def _client_address(request: Request[Any, Any, Any]) -> str:
    # The peer, or the forwarded client when GONGSHI_TRUSTED_PROXIES names the peer (see `serve`).
    return request.client.host if request.client else "unknown"


def _login_refused(message: str, status: int) -> Template:
    return Template(
        template_name="console/login.html",
        status_code=status,
        context={"error": message, "user": None, "labels": LABELS, "flash": None},
    )


@post("/console/login", sync_to_thread=True, include_in_schema=False)
def login(request: Request[Any, Any, Any], data: Form, wf: NamedDependency[Workflow]) -> Template | Redirect:
    username, password = data.get("username", ""), data.get("password", "")
    address = _client_address(request)
    # Throttling is decided, and the attempt written down, before argon2 runs.
    try:
        with wf.db.write() as session:
            attempt = throttle.begin_attempt(session, username, address, _now())
    except throttle.LoginLocked as exc:
        response = _login_refused(exc.message, 429)
        response.headers["Retry-After"] = str(exc.extra["retry_after"])
        return response
    with wf.db.read() as session:
        user = authenticate(session, username, password)
    if user is None:
        with wf.db.write() as session:
            throttle.failed(session, username, address, _now())
        return _login_refused("用户名或密码错误", 401)
    previous = request.session.get("sid") if request.session else None
    with wf.db.write() as session:
        throttle.succeeded(session, attempt, username)
        if isinstance(previous, str):
            sessions.close_session(session, previous)  # signing in again ends the old session
        session_id = sessions.open_session(session, user, _now())
    # A new session: a new id and a new CSRF token; nothing of the anonymous one carries over.
    request.set_session({"sid": session_id, "csrf": console_guard.new_token()})
    if wf.settings.secure_cookies and request.url.scheme != "https":
        log.warning(
            "GONGSHI_SECURE_COOKIES is on but the console was reached over %s: browsers will not send "
            "the session cookie back; serve the console over https (with GONGSHI_TRUSTED_PROXIES for "
            "a TLS proxy) or set GONGSHI_SECURE_COOKIES=0",
            request.url.scheme,
        )
    return Redirect("/console")


@post("/console/logout", sync_to_thread=True, include_in_schema=False)
def logout(request: Request[Any, Any, Any], wf: NamedDependency[Workflow]) -> Redirect:
    session_id = request.session.get("sid") if request.session else None
    if isinstance(session_id, str):
        with wf.db.write() as session:
            sessions.close_session(session, session_id)
    request.clear_session()
    return Redirect("/console/login")


@get(["/console", "/console/"], sync_to_thread=True, include_in_schema=False)
def queue(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
) -> Template | Redirect:
    state = state_filter
    wanted = [state] if state in QUEUE_STATES else list(QUEUE_STATES[:2])
    query = (
        select(Decision, Agency.name)
        .join(Agency, Agency.id == Decision.agency_id)
        .where(Decision.state.in_(wanted))
        .order_by(Decision.publish_by, Decision.id)
        .limit(200)
    )
    counts_q = select(Decision.state, func.count()).group_by(Decision.state)
    if principal.agency_id is not None:
        query = query.where(Decision.agency_id == principal.agency_id)
        counts_q = counts_q.where(Decision.agency_id == principal.agency_id)
    with wf.db.read() as session:
        rows = session.execute(query).all()
        counts = dict(session.execute(counts_q).all())
        credit = report_statuses(session, [(d.id, d.revision, d.kind, d.state) for d, _ in rows])
    return _page(
        "queue.html",
        request,
        rows=rows,
        credit=credit,
        counts=counts,
        state=state,
        today=wf.today(),
        queue_states=QUEUE_STATES,
    )


@get("/console/decisions/{decision_id:int}", sync_to_thread=True, include_in_schema=False)
def decision_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    decision_id: FromPath[int],
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    with wf.db.read() as session:
        try:
            d = records.load(session, principal, decision_id)
        except GongshiError:
            return _page("missing.html", request, decision_id=decision_id)
        out = decision_response(wf, session, d)
        credit = report_statuses(session, [(d.id, d.revision, d.kind, d.state)]).get(d.id)
    fields = highlighted_fields(out.intake, out.redactions)
    intake_json = msgspec.json.format(msgspec.json.encode(out.intake), indent=2).decode()
    return _page(
        "decision.html",
        request,
        d=out,
        credit=credit,
        fields=fields,
        intake_json=intake_json,
        today=wf.today(),
        can_review=principal.can("decision.review"),
        can_release=principal.can("decision.override_withhold"),
        **_review_context(out),
    )


def _review_context(out: Any) -> dict[str, Any]:
    """The review page's parts: text with removals and doubts in place, entities, audit in Chinese."""
    return {
        "review_fields": review_view.review_fields(out.intake, out.redactions, out.doubts),
        "entities": review_view.entity_rows(out.entities),
        "doubt_rows": review_view.doubt_rows(out.intake, out.doubts),
        "open_doubts": sum(1 for q in out.doubts if q.get("status", "open") == "open"),
        "audit_rows": review_view.audit_rows(out.audit, states.LABELS),
        "categories": CATEGORY_LABELS,
        "field_labels": review_view.FIELD_LABELS,
        "local": local_time,
        "editable": out.state in redaction_edits.EDITABLE_STATES,
    }


ACTIONS: dict[str, tuple[Any, type[Any], str]] = {
    "approve": (review.approve, review.ApproveBody, "已批准，将按计划发布"),
    "withhold": (review.withhold, review.WithholdBody, "已决定不予公开"),
    "send-back": (review.send_back, review.SendBackBody, "已退回机关"),
    "release": (review.release_withheld, review.ReleaseBody, "已解除不予公开，重新进入审核"),
    "withdraw": (review.withdraw, review.WithdrawBody, "已撤下，门户将显示撤下说明"),
    "corrections": (review.correct, review.CorrectionBody, "已发布更正"),
    "redactions": (redaction_edits.edit, redaction_edits.EditBody, "已修改脱敏结果，公开版本已重新生成"),
    # The same service as POST /api/v1/decisions/{id}/ruling: the withdrawal clock starts.
    "ruling": (rulings.register_ruling, rulings.RulingBody, "已登记裁决，撤下期限开始计算"),
}


def _form_body(action: str, data: dict[str, str]) -> dict[str, Any]:
    """Form fields → the JSON body the API action takes (empty inputs are left out)."""
    body: dict[str, Any] = {k: v for k, v in data.items() if v != "" and k != "_csrf_token"}
    if action == "corrections":
        body["intake"] = msgspec.to_builtins(decode_intake(body.pop("intake", "")))
    if action == "release":
        body["remove_minor"] = data.get("remove_minor") == "on"
    if action == "redactions":
        return _edit_body(body)
    if "superseded_by" in body:
        body["superseded_by"] = int(body["superseded_by"]) if body["superseded_by"].isdigit() else -1
    return body


def _edit_body(form: dict[str, str]) -> dict[str, Any]:
    """The redaction form's fields → the body of POST /api/v1/decisions/{id}/redactions."""
    body: dict[str, Any] = {
        k: form[k]
        for k in ("action", "text", "category", "entity_id", "reason", "doubt_id", "resolution")
        if k in form
    }
    if "mention_field" in form and form.get("mention_start", "").isdigit():
        body["mention"] = {"field": form["mention_field"], "start": int(form["mention_start"])}
    if "link_a" in form or "link_b" in form:
        body["entity_ids"] = [form.get("link_a", ""), form.get("link_b", "")]
    return body


@post("/console/decisions/{decision_id:int}/{action:str}", sync_to_thread=True, include_in_schema=False)
def act(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    decision_id: FromPath[int],
    action: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Redirect:
    if action not in ACTIONS:
        _flash(request, "未知操作", "error")
        return Redirect(f"/console/decisions/{decision_id}")
    fn, body_type, done = ACTIONS[action]
    try:
        body = text.convert(_form_body(action, data), body_type, strict=False)
        with wf.db.write() as session:
            fn(wf, session, principal, decision_id, body)
        _flash(request, done)
    except (GongshiError, IntakeError) as exc:
        _flash(
            request, f"操作未完成：{exc.message}" + (f"（字段 {exc.field}）" if exc.field else ""), "error"
        )
    except msgspec.ValidationError as exc:
        _flash(request, f"操作未完成：{exc}", "error")
    return Redirect(f"/console/decisions/{decision_id}")


@get("/console/deadlines", sync_to_thread=True, include_in_schema=False)
def deadline_dashboard(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> Template | Redirect:
    with wf.db.read() as session:
        cal = wf.calendar.get()
        board = deadlines(session, principal, cal, wf.today(), wf.settings.due_soon_working_days)
        board = add_credit_deadlines(board, session, principal, cal)
    return _page("deadlines.html", request, board=board)


ROUTES = [login_form, login, logout, queue, decision_page, act, deadline_dashboard]

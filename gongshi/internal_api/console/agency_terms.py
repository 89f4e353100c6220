"""Console page of an agency's term lists (issue 11): 始终遮蔽 and 从不遮蔽, who proposed each entry
from which decision, its status, and the lists' audit in Chinese. A reviewer proposes; a head or an
admin accepts, rejects, adds and removes, each with a reason. Plain forms, the services of the API."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.agencies.directory import find_agency
from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.clock import local_time
from gongshi.errors import Forbidden, GongshiError, NotFound
from gongshi.internal_api.console.render import Form, flash, render_page
from gongshi.internal_api.console.review import AUDIT_ACTIONS, actor_label
from gongshi.publication import agency_terms as terms
from gongshi.redaction.entities import CATEGORY_LABELS
from gongshi.storage.models import Agency, Decision
from gongshi.storage.term_models import AgencyTerm

TERM_ACTIONS = {
    **AUDIT_ACTIONS,
    "term_proposed": "提议词条",
    "term_accepted": "批准词条",
    "term_rejected": "拒绝词条",
    "term_added": "添加词条",
    "term_removed": "移除词条",
}
DECISIONS = {"accept": (True, "已批准，此后的脱敏将应用该词条"), "reject": (False, "已拒绝该词条")}


def page_path(code: str) -> str:
    return f"/console/agencies/{code}/terms"


def _not_found(request: Request[Any, Any, Any], code: str) -> Template:
    page = render_page("missing_agency.html", request, code=code)
    page.status_code = 404
    return page


def _rows(session: Session, rows: list[AgencyTerm]) -> list[dict[str, Any]]:
    sources = {t.source_decision_id for t in rows if t.source_decision_id is not None}
    numbers = dict(
        session.execute(select(Decision.id, Decision.document_number).where(Decision.id.in_(sources))).all()
    )
    return [
        {
            **terms.term_out(t),
            "category_label": CATEGORY_LABELS.get(t.category, t.category) if t.kind == "always" else "",
            "proposed_by_label": actor_label(t.proposed_by),
            "proposed_at_local": local_time(t.proposed_at),
            "decided_by_label": actor_label(t.decided_by) if t.decided_by else "",
            "decided_at_local": local_time(t.decided_at),
            "source_number": numbers.get(t.source_decision_id or 0, ""),
        }
        for t in rows
    ]


def _audit_rows(session: Session, agency: Agency) -> list[dict[str, Any]]:
    """The term events of the agency's chain, newest first, as the page shows them."""
    events = [e for e in audit.events_for(session, "agency", agency.id) if e.action.startswith("term_")]
    return [
        {
            "at": local_time(e.at),
            "action": TERM_ACTIONS.get(e.action, e.action),
            "actor": actor_label(e.actor),
            "term": e.data.get("term", ""),
            "kind": terms.KIND_LABELS.get(e.data.get("kind", ""), ""),
            "before": terms.STATUS_LABELS.get(e.data.get("before") or "", ""),
            "after": terms.STATUS_LABELS.get(e.data.get("after") or "", ""),
            "reason": e.reason,
        }
        for e in reversed(events)
    ]


@get("/console/agencies/{code:str}/terms", sync_to_thread=True, include_in_schema=False)
def terms_page(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    wf: NamedDependency[Workflow],
) -> Template:
    principal.require("agency.read")
    with wf.db.read() as session:
        try:
            agency = find_agency(session, principal, code)
        except NotFound:
            return _not_found(request, code)
        rows = _rows(session, terms.list_terms(session, agency.id))
        history = _audit_rows(session, agency)
    return render_page(
        "agencies/terms.html",
        request,
        agency=agency,
        lists=[
            (kind, label, [r for r in rows if r["kind"] == kind]) for kind, label in terms.KIND_LABELS.items()
        ],
        history=history,
        categories=CATEGORY_LABELS,
        kinds=terms.KIND_LABELS,
        can_propose=principal.can("decision.review"),
        can_decide=principal.can("terms.decide"),
    )


def _term_in(data: dict[str, str], note: str) -> terms.TermIn:
    kind = data.get("kind", "")
    body: dict[str, Any] = {"term": data.get("term", ""), "kind": kind, "note": note}
    if kind == "always":
        body["category"] = data.get("category", "")
    return text.convert(body, terms.TermIn, strict=False)


def _run(
    request: Request[Any, Any, Any], wf: Workflow, principal: Principal, code: str, act: Any, done: Any
) -> Template | Redirect:
    """Run one change in a transaction; a refusal is a flash message on the page, a foreign agency 404."""
    try:
        with wf.db.write() as session:
            agency = find_agency(session, principal, code)
            message = done(act(session, agency))
    except NotFound as exc:
        if exc.code == "agency_not_found":
            return _not_found(request, code)
        flash(request, f"未完成：{exc.message}", "error")
    except Forbidden:
        flash(request, "未完成：只有机关负责人或管理员可以执行此操作", "error")
    except GongshiError as exc:
        flash(request, f"未完成：{exc.message}", "error")
    except msgspec.ValidationError as exc:
        flash(request, f"未完成：{_validation_text(exc)}", "error")
    else:
        flash(request, message)
    return Redirect(page_path(code))


def _validation_text(exc: msgspec.ValidationError) -> str:
    message = str(exc)
    if "$.term" in message:
        return "词条须为 2 至 200 个字"
    if "$.kind" in message:
        return "请选择词表（始终遮蔽或从不遮蔽）"
    if "$.note" in message:
        return "说明最多 2000 字"
    return message


@post("/console/agencies/{code:str}/terms/propose", sync_to_thread=True, include_in_schema=False)
def propose_term(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    now = wf.clock()

    def act(session: Session, agency: Agency) -> AgencyTerm:
        principal.require("decision.review")
        return terms.propose(
            session, agency.id, _term_in(data, data.get("reason", "").strip()), principal.actor, now
        )

    def done(row: AgencyTerm) -> str:
        if row.proposed_at != now or row.status != "proposed":
            return (
                f"「{row.term}」已在{terms.KIND_LABELS[row.kind]}词表中（{terms.STATUS_LABELS[row.status]}）"
            )
        return f"已提议「{row.term}」，待负责人批准"

    return _run(request, wf, principal, code, act, done)


@post("/console/agencies/{code:str}/terms/add", sync_to_thread=True, include_in_schema=False)
def add_term(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    reason = data.get("reason", "")

    def act(session: Session, agency: Agency) -> AgencyTerm:
        # Permission, then the reason (it is also the entry's note), then the entry itself.
        principal.require("terms.decide")
        note = terms.checked_reason(reason)
        return terms.add(session, principal, agency.id, _term_in(data, note), reason, wf.clock())

    def done(row: AgencyTerm) -> str:
        return f"已将「{row.term}」加入{terms.KIND_LABELS[row.kind]}词表，此后的脱敏将应用该词条"

    return _run(request, wf, principal, code, act, done)


@post(
    "/console/agencies/{code:str}/terms/{term_id:int}/{action:str}",
    sync_to_thread=True,
    include_in_schema=False,
)
def change_term(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    code: FromPath[str],
    term_id: FromPath[int],
    action: FromPath[str],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Template | Redirect:
    reason = data.get("reason", "")

    def act(session: Session, agency: Agency) -> AgencyTerm:
        if action == "remove":
            return terms.remove(session, principal, agency.id, term_id, reason, wf.clock())
        if action not in DECISIONS:
            raise NotFound("未知操作", field="action")
        # The console asks a reason for every decision; the API leaves the note optional.
        principal.require("terms.decide")
        body = terms.TermDecision(accept=DECISIONS[action][0], note=terms.checked_reason(reason))
        return terms.decide(session, principal, agency.id, term_id, body, wf.clock())

    def done(row: AgencyTerm) -> str:
        if action == "remove":
            return f"已移除「{row.term}」，此后的脱敏不再应用该词条"
        return f"「{row.term}」" + DECISIONS[action][1]

    return _run(request, wf, principal, code, act, done)


ROUTES = [terms_page, propose_term, add_term, change_term]

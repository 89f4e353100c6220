"""Staff console: server-rendered pages over the same workflow services as the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy import func, select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.status import add_credit_deadlines, report_statuses
from gongshi.deadlines.board import deadlines
from gongshi.domain import text
from gongshi.domain.clock import local_time
from gongshi.domain.intake import IntakeError, decode_intake
from gongshi.errors import GongshiError
from gongshi.internal_api.api.decisions import decision_response
from gongshi.internal_api.console import correction_form, review_queue
from gongshi.internal_api.console import review as review_view
from gongshi.internal_api.console.render import Form, flash, render_page
from gongshi.internal_api.console.spans import highlighted_fields
from gongshi.parties import rulings
from gongshi.publication import agency_terms, records, redaction_edits, review, second_review, states
from gongshi.redaction.entities import CATEGORY_LABELS
from gongshi.storage.models import Agency, Decision

QUEUE_STATES = ("in_review", "second_review", "approved", "received", "returned", "withheld")
# What the queue shows without a state filter: what reviewers still have to act on, and what is due out.
DEFAULT_STATES = QUEUE_STATES[:3]


@get(["/console", "/console/"], sync_to_thread=True, include_in_schema=False)
def queue(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
    agency: FromQuery[str | None] = None,
    due_before: FromQuery[date | None] = None,
    doubts: FromQuery[str | None] = None,
    second: FromQuery[str | None] = None,
) -> Template | Redirect:
    state = state_filter
    wanted = [state] if state in QUEUE_STATES else list(DEFAULT_STATES)
    filters = review_queue.Filters(agency, due_before, doubts, second)
    query = review_queue.filtered(
        select(Decision, Agency.name)
        .join(Agency, Agency.id == Decision.agency_id)
        .where(Decision.state.in_(wanted))
        .order_by(Decision.publish_by, Decision.id)
        .limit(200),
        principal,
        filters,
    )
    counts_q = select(Decision.state, func.count()).group_by(Decision.state)
    if principal.agency_id is not None:
        counts_q = counts_q.where(Decision.agency_id == principal.agency_id)
    with wf.db.read() as session:
        rows = review_queue.keep_doubts(list(session.execute(query).all()), filters)
        rows = review_queue.keep_second(rows, filters, principal)
        waiting = second_review.pending(session, [d for d, _ in rows])
        counts = dict(session.execute(counts_q).all())
        credit = report_statuses(session, [(d.id, d.revision, d.kind, d.state) for d, _ in rows])
        agencies = review_queue.agencies_for(session, principal)
    return render_page(
        "queue.html",
        request,
        rows=rows,
        credit=credit,
        counts=counts,
        state=state,
        today=wf.today(),
        queue_states=QUEUE_STATES,
        filters=filters,
        agencies=agencies,
        open_doubts={d.id: review_queue.open_doubts(d) for d, _ in rows},
        waiting=waiting,
        me=principal.actor,
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
            return render_page("missing.html", request, decision_id=decision_id)
        out = decision_response(wf, session, d)
        credit = report_statuses(session, [(d.id, d.revision, d.kind, d.state)]).get(d.id)
        previous, following = review_queue.neighbours(session, principal, d)
        proposed_terms = agency_terms.proposed_from(session, d.id)
    fields = highlighted_fields(out.intake, out.redactions)
    intake_json = msgspec.json.format(msgspec.json.encode(out.intake), indent=2).decode()
    return render_page(
        "decision.html",
        request,
        d=out,
        credit=credit,
        fields=fields,
        intake_json=intake_json,
        today=wf.today(),
        can_review=principal.can("decision.review"),
        can_release=principal.can("decision.override_withhold"),
        previous_id=previous,
        next_id=following,
        correction_fields=correction_form.form_fields(out.intake),
        proposed_terms=proposed_terms,
        me=principal.actor,
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
    "return-to-review": (review.return_to_review, review.SendBackBody, "已退回初审，可重新修改脱敏结果"),
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
        flash(request, "未知操作", "error")
        return Redirect(f"/console/decisions/{decision_id}")
    fn, body_type, done = ACTIONS[action]
    try:
        body = text.convert(_form_body(action, data), body_type, strict=False)
        with wf.db.write() as session:
            result = fn(wf, session, principal, decision_id, body)
            if getattr(result, "state", None) == "second_review" and action == "approve":
                done = "初审已通过，须由另一名审核人复核后发布"
        flash(request, done)
    except (GongshiError, IntakeError) as exc:
        # The review actions' messages name what is wrong in Chinese; a field key is developer text.
        flash(request, f"操作未完成：{exc.message}", "error")
    except msgspec.ValidationError as exc:
        flash(request, f"操作未完成：{exc}", "error")
    return Redirect(f"/console/decisions/{decision_id}")


@get("/console/deadlines", sync_to_thread=True, include_in_schema=False)
def deadline_dashboard(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> Template | Redirect:
    with wf.db.read() as session:
        cal = wf.calendar.get()
        board = deadlines(session, principal, cal, wf.today(), wf.settings.due_soon_working_days)
        board = add_credit_deadlines(board, session, principal, cal)
    return render_page("deadlines.html", request, board=board)


ROUTES = [queue, decision_page, act, deadline_dashboard]

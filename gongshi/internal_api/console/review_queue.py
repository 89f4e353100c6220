"""The review queue a reviewer works through (issue 11): filters (agency, state, due date, has doubts),
previous/next through the queue, and bulk approval of records with no doubts and no edits after a
confirmation page that lists them. Everything is plain links and forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.errors import GongshiError
from gongshi.internal_api.console.render import Form, flash, render_page
from gongshi.publication import review
from gongshi.storage.models import Agency, Decision

REVIEW_ORDER = (Decision.publish_by, Decision.id)


class Filters:
    """The queue's filters, from the query string (unknown values are ignored)."""

    def __init__(
        self,
        agency: str | None = None,
        due_before: date | None = None,
        doubts: str | None = None,
        second: str | None = None,
    ) -> None:
        self.agency = agency or None
        self.due_before = due_before
        self.doubts = doubts if doubts in ("yes", "no") else None
        # "mine": waiting for a second review that this user may give (someone else approved first).
        self.second = second if second == "mine" else None

    def query(self) -> str:
        parts = [
            f"agency={self.agency}" if self.agency else "",
            f"doubts={self.doubts}" if self.doubts else "",
            f"second={self.second}" if self.second else "",
        ]
        parts.append(f"due_before={self.due_before.isoformat()}" if self.due_before else "")
        return "&".join(p for p in parts if p)


def open_doubts(d: Decision) -> int:
    return sum(1 for q in (d.redaction or {}).get("doubts", []) if q.get("status", "open") == "open")


def filtered(query: Any, principal: Principal, f: Filters) -> Any:
    if principal.agency_id is not None:
        query = query.where(Decision.agency_id == principal.agency_id)
    if f.agency:
        query = query.where(Agency.code == f.agency)
    if f.due_before:
        query = query.where(Decision.publish_by < f.due_before)
    return query


def keep_doubts(rows: list[Any], f: Filters) -> list[Any]:
    """Rows whose doubts match the filter (doubts live in the stored redaction, read here)."""
    if f.doubts is None:
        return rows
    return [r for r in rows if (open_doubts(r[0]) > 0) == (f.doubts == "yes")]


def keep_second(rows: list[Any], f: Filters, principal: Principal) -> list[Any]:
    """With "待我复核": decisions waiting for a second review whose first reviewer is someone else."""
    if f.second is None:
        return rows
    return [
        r
        for r in rows
        if r[0].state == "second_review"
        and (r[0].second_review or {}).get("first_reviewer") != principal.actor
    ]


def agencies_for(session: Session, principal: Principal) -> list[tuple[str, str]]:
    query = select(Agency.code, Agency.name).order_by(Agency.code)
    if principal.agency_id is not None:
        query = query.where(Agency.id == principal.agency_id)
    return [(c, n) for c, n in session.execute(query).all()]


def neighbours(session: Session, principal: Principal, d: Decision) -> tuple[int | None, int | None]:
    """The previous and next decision in the same state, in queue order (due date, then id)."""
    if d.state not in ("in_review", "second_review", "approved", "received", "returned", "withheld"):
        return None, None
    base = select(Decision.id).where(Decision.state == d.state)
    if principal.agency_id is not None:
        base = base.where(Decision.agency_id == principal.agency_id)
    key = (Decision.publish_by, Decision.id)
    before = base.where((key[0] < d.publish_by) | ((key[0] == d.publish_by) & (key[1] < d.id))).order_by(
        key[0].desc(), key[1].desc()
    )
    after = base.where((key[0] > d.publish_by) | ((key[0] == d.publish_by) & (key[1] > d.id))).order_by(*key)
    return session.scalar(before.limit(1)), session.scalar(after.limit(1))


def _bulk_candidates(session: Session, principal: Principal, f: Filters) -> list[Any]:
    """In review, no doubt open or ever answered, no reviewer edit: what bulk approval may cover."""
    query = filtered(
        select(Decision, Agency.name)
        .join(Agency, Agency.id == Decision.agency_id)
        .where(Decision.state == "in_review")
        .order_by(*REVIEW_ORDER)
        .limit(200),
        principal,
        f,
    )
    rows = session.execute(query).all()
    return [
        r
        for r in rows
        if not (r[0].redaction or {}).get("doubts")
        and not r[0].redaction_edits
        and (r[0].redaction or {}).get("status") == "publishable"
    ]


@get("/console/bulk-approve", sync_to_thread=True, include_in_schema=False)
def bulk_confirm(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    wf: NamedDependency[Workflow],
    agency: FromQuery[str | None] = None,
    due_before: FromQuery[date | None] = None,
) -> Template:
    """The confirmation page: every record bulk approval would approve, listed."""
    principal.require("decision.review")
    with wf.db.read() as session:
        rows = _bulk_candidates(session, principal, Filters(agency, due_before))
    return render_page("bulk_approve.html", request, rows=rows, agency=agency, due_before=due_before)


@post("/console/bulk-approve", sync_to_thread=True, include_in_schema=False)
def bulk_approve(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    data: Form,
    wf: NamedDependency[Workflow],
) -> Redirect:
    """Approve the records listed on the confirmation page (each checked again: no doubts, no edits)."""
    principal.require("decision.review")
    wanted = {int(v) for k, v in data.items() if k.startswith("id-") and v.isdigit()}
    done, skipped, second = 0, 0, 0
    with wf.db.write() as session:
        allowed = {r[0].id for r in _bulk_candidates(session, principal, Filters())}
    for decision_id in sorted(wanted):
        if decision_id not in allowed:
            skipped += 1
            continue
        try:
            with wf.db.write() as session:
                d = review.approve(wf, session, principal, decision_id, review.ApproveBody(note="批量批准"))
                second += d.state == "second_review"
            done += 1
        except GongshiError:
            skipped += 1
    flash(
        request,
        f"已批量批准 {done} 条"
        + (f"（其中 {second} 条按复核规则转入待复核）" if second else "")
        + (f"，{skipped} 条未批准（状态已变化或有待核对事项）" if skipped else ""),
    )
    return Redirect("/console")


ROUTES = [bulk_confirm, bulk_approve]

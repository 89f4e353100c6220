"""Report status of decisions towards the credit platforms (未上报 / 已上报 / 已撤销), and what is late.

The 双公示 rule (发改办财金〔2018〕424号): licensing and penalty decisions reach the credit platform
within 7 working days of the decision. A decision still unreported then is on the deadline board.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from msgspec import Struct
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.deadlines.board import CreditDueItem, Deadlines
from gongshi.domain.workdays import WorkCalendar
from gongshi.storage.credit_models import CreditExport, CreditExportItem
from gongshi.storage.models import Agency, Decision

REPORT_WORKING_DAYS = 7
REPORTED_KINDS = ("penalty", "licensing")
# States in which a decision still has to reach the credit platform.
OPEN_STATES = ("received", "in_review", "second_review", "approved", "returned", "published")

LABELS = {"unreported": "未上报", "reported": "已上报", "revoked": "已撤销"}


class ReportStatus(Struct, frozen=True, kw_only=True):
    status: str  # unreported | reported | revoked
    label: str
    revision: int | None = None  # the revision last reported
    export_id: int | None = None
    exported_at: str | None = None
    # The record changed (corrected, withdrawn, expired) since it was last reported.
    pending_update: bool = False


def report_statuses(
    session: Session, decisions: Iterable[tuple[int, int, str, str]]
) -> dict[int, ReportStatus]:
    """For (id, revision, kind, state) tuples: the status of those the credit platform takes."""
    wanted = {i: (rev, state) for i, rev, kind, state in decisions if kind in REPORTED_KINDS}
    if not wanted:
        return {}
    items = CreditExportItem
    last = (
        select(items.decision_id, func.max(items.id).label("item_id"))
        .where(items.decision_id.in_(wanted))
        .group_by(items.decision_id)
        .subquery()
    )
    rows = session.execute(
        select(items.decision_id, items.revision, items.status, items.export_id, CreditExport.created_at)
        .join(last, last.c.item_id == items.id)
        .join(CreditExport, CreditExport.id == items.export_id)
    ).all()
    found = {r.decision_id: r for r in rows}
    out: dict[int, ReportStatus] = {}
    for decision_id, (revision, state) in wanted.items():
        r = found.get(decision_id)
        if r is None:
            out[decision_id] = ReportStatus(status="unreported", label=LABELS["unreported"])
            continue
        status = "revoked" if r.status == 2 else "reported"
        now_invalid = state in ("withdrawn", "expired")
        pending = r.revision != revision or (status == "reported" and now_invalid)
        out[decision_id] = ReportStatus(
            status=status,
            label=LABELS[status] + ("（有更新待上报）" if pending else ""),
            revision=r.revision,
            export_id=r.export_id,
            exported_at=r.created_at.isoformat(),
            pending_update=pending,
        )
    return out


def report_due(d: date, cal: WorkCalendar) -> date:
    return cal.add_working_days(d, REPORT_WORKING_DAYS).on


def _bucket(due: date, today: date) -> str:
    return "overdue" if due < today else "due_today" if due == today else "due_soon"


def add_credit_deadlines(
    board: Deadlines,
    session: Session,
    principal: Principal,
    cal: WorkCalendar,
    agency_code: str | None = None,
    limit: int = 500,
) -> Deadlines:
    """Put decisions not yet reported to the credit platform (due 7 working days after the decision)
    on the board, per agency, overdue first."""
    from gongshi.deadlines.board import AgencyDeadlines

    today, soon = board.today, board.due_soon_until
    reported = exists().where(CreditExportItem.decision_id == Decision.id)
    query = (
        select(
            Decision.id,
            Decision.document_number,
            Decision.title,
            Decision.decided_on,
            Agency.code,
            Agency.name,
        )
        .join(Agency, Agency.id == Decision.agency_id)
        .where(
            Decision.kind.in_(REPORTED_KINDS),
            Decision.state.in_(OPEN_STATES),
            # 7 working days span at least 9 calendar days: a cheap bound before the calendar walk.
            Decision.decided_on <= soon,
            ~reported,
        )
        .order_by(Decision.decided_on, Decision.id)
        .limit(limit)
    )
    if principal.agency_id is not None:
        query = query.where(Decision.agency_id == principal.agency_id)
    if agency_code:
        query = query.where(Agency.code == agency_code)
    per_agency = {a.agency: a for a in board.agencies}
    for id_, number, title, decided_on, code, name in session.execute(query):
        due = report_due(decided_on, cal)
        if due > soon:
            continue
        entry = per_agency.get(code)
        if entry is None:
            entry = per_agency[code] = AgencyDeadlines(agency=code, agency_name=name)
            board.agencies.append(entry)
        entry.credit_report.append(
            CreditDueItem(
                id=id_,
                document_number=number,
                title=title,
                decided_on=decided_on,
                due_on=due,
                bucket=_bucket(due, today),
                url=f"/console/decisions/{id_}",
            )
        )
    return board

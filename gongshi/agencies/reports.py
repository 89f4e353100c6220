"""The Art 17 annual report: counts derived from the records plus figures the agency enters.

Derived counts come from the internal tables (decisions, disclosures, audit events) and are frozen
into the report when it is published, so a published report does not drift when records change
later; republishing (a correction) takes a fresh snapshot and says so on the portal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from msgspec import Struct
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongshi.agencies import rule, stats
from gongshi.agencies.directory import find_agency
from gongshi.agencies.schemas import FIGURE_LABELS, ReportFigures, ReportPut
from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain.clock import SHANGHAI
from gongshi.domain.workdays import today_in_shanghai
from gongshi.errors import Conflict, NotFound, Unprocessable
from gongshi.storage.models import Agency, AuditEvent, Decision, Disclosure
from gongshi.storage.portal_models import AgencyOfficer, AnnualReport

FIRST_YEAR = 2000
KINDS = ("licensing", "penalty", "coercion", "inspection", "expropriation", "confirmation", "other")


class ReportOut(Struct, frozen=True, kw_only=True):
    code: str
    agency_name: str
    year: int
    state: str  # none | draft | published
    figures: ReportFigures
    derived: dict[str, Any]
    derived_frozen: bool
    missing: list[str]
    due_on: date
    revision: int
    updated_at: datetime | None
    published_at: datetime | None


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year in Asia/Shanghai as a UTC-comparable range."""
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def derived_counts(session: Session, agency_id: int, year: int, today: date | None = None) -> dict[str, Any]:
    """Counts for Art 17 (二) and the publication record, from what gongshi holds for `year`."""
    decisions_by_kind, decisions_by_state = _decision_counts(session, agency_id, year)
    withheld = _withheld_by_reason(session, agency_id, year)
    disclosed, withdrawals = _disclosure_counts(session, agency_id, year)
    corrections = _corrections(session, agency_id, year)
    officers_valid = _officers_at_year_end(session, agency_id, year)
    return {
        "decisions_total": sum(decisions_by_kind.values()),
        "decisions_by_kind": {k: decisions_by_kind[k] for k in KINDS if k in decisions_by_kind},
        "decisions_by_state": dict(sorted(decisions_by_state.items())),
        "withheld_by_reason": {str(k or "other"): int(v) for k, v in sorted(withheld.items(), key=str)},
        "disclosed_by_kind": {k: int(disclosed[k]) for k in KINDS if k in disclosed},
        "withdrawals_by_reason": {str(k or "other"): int(v) for k, v in sorted(withdrawals.items(), key=str)},
        "corrections": int(corrections or 0),
        "listed_officers_at_year_end": int(officers_valid or 0),
        "timeliness": _timeliness(session, agency_id, year, today or today_in_shanghai()),
    }


def _decision_counts(session: Session, agency_id: int, year: int) -> tuple[dict[str, int], dict[str, int]]:
    """Decisions dated in `year`, by kind and by state."""
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    by_kind_state: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(Decision.kind, Decision.state, func.count())
        .where(Decision.agency_id == agency_id, Decision.decided_on >= first, Decision.decided_on < after)
        .group_by(Decision.kind, Decision.state)
    )
    for kind, state, n in rows:
        by_kind_state.setdefault(kind, {})[state] = int(n)
    decisions_by_kind = {k: sum(v.values()) for k, v in by_kind_state.items()}
    decisions_by_state: dict[str, int] = {}
    for per_state in by_kind_state.values():
        for state, n in per_state.items():
            decisions_by_state[state] = decisions_by_state.get(state, 0) + n
    return decisions_by_kind, decisions_by_state


def _withheld_by_reason(session: Session, agency_id: int, year: int) -> dict[Any, int]:
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    return dict(
        session.execute(
            select(Decision.withheld_reason, func.count())
            .where(
                Decision.agency_id == agency_id,
                Decision.decided_on >= first,
                Decision.decided_on < after,
                Decision.state == "withheld",
            )
            .group_by(Decision.withheld_reason)
        ).all()
    )


def _disclosure_counts(session: Session, agency_id: int, year: int) -> tuple[dict[Any, int], dict[Any, int]]:
    """Disclosures of decisions dated in `year` by kind, and those withdrawn in `year` by reason."""
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    start, end = _year_bounds(year)
    disclosed = dict(
        session.execute(
            select(Disclosure.kind, func.count())
            .where(
                Disclosure.decision_id.in_(select(Decision.id).where(Decision.agency_id == agency_id)),
                Disclosure.decided_on >= first,
                Disclosure.decided_on < after,
            )
            .group_by(Disclosure.kind)
        ).all()
    )
    withdrawals = dict(
        session.execute(
            select(Disclosure.withdrawal_reason, func.count())
            .where(
                Disclosure.decision_id.in_(select(Decision.id).where(Decision.agency_id == agency_id)),
                Disclosure.withdrawn_at >= start,
                Disclosure.withdrawn_at < end,
            )
            .group_by(Disclosure.withdrawal_reason)
        ).all()
    )
    return disclosed, withdrawals


def _corrections(session: Session, agency_id: int, year: int) -> int | None:
    start, end = _year_bounds(year)
    return session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.subject_type == "decision",
            AuditEvent.action == "correct",
            AuditEvent.subject_id.in_(select(Decision.id).where(Decision.agency_id == agency_id)),
            AuditEvent.at >= start,
            AuditEvent.at < end,
        )
    )


def _officers_at_year_end(session: Session, agency_id: int, year: int) -> int | None:
    year_end = date(year, 12, 31)
    return session.scalar(
        select(func.count())
        .select_from(AgencyOfficer)
        .where(
            AgencyOfficer.agency_id == agency_id,
            AgencyOfficer.role == "officer",
            AgencyOfficer.status == "active",
            AgencyOfficer.valid_from <= year_end,
            AgencyOfficer.valid_until >= year_end,
        )
    )


def _timeliness(session: Session, agency_id: int, year: int, today: date) -> dict[str, Any]:
    """The same figures as the portal's /stats timeliness row for this agency and decision year."""
    code = session.scalar(select(Agency.code).where(Agency.id == agency_id))
    assert code is not None
    cell = stats.timeliness_cells(session, today, agency_code=code).get(
        (code, year), stats.TimelinessCell(days={})
    )
    row = msgspec.to_builtins(stats.timeliness_row(code, "", year, cell))
    return {k: v for k, v in row.items() if k not in ("agency_code", "agency_name", "year")}


def missing_figures(figures: ReportFigures) -> list[str]:
    return [k for k in FIGURE_LABELS if getattr(figures, k) is None]


def _check_year(year: int, today: date, *, publishing: bool) -> None:
    if not FIRST_YEAR <= year <= today.year:
        raise Unprocessable(f"年度 {year} 超出范围（{FIRST_YEAR}～{today.year}）", field="year")
    if publishing and year >= today.year:
        raise Unprocessable(f"{year} 年度尚未结束，不能公开该年度年报", field="year")


def _report(session: Session, agency_id: int, year: int, lock: bool = False) -> AnnualReport | None:
    query = select(AnnualReport).where(AnnualReport.agency_id == agency_id, AnnualReport.year == year)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def report_view(session: Session, agency: Agency, year: int) -> ReportOut:
    row = _report(session, agency.id, year)
    figures = msgspec.convert(row.figures, ReportFigures) if row else ReportFigures()
    frozen = row is not None and row.state == "published" and row.derived is not None
    derived = row.derived if frozen and row and row.derived else derived_counts(session, agency.id, year)
    return ReportOut(
        code=agency.code,
        agency_name=agency.name,
        year=year,
        state=row.state if row else "none",
        figures=figures,
        derived=derived,
        derived_frozen=frozen,
        missing=missing_figures(figures),
        due_on=rule.report_due_on(year),
        revision=row.revision if row else 0,
        updated_at=row.updated_at if row else None,
        published_at=row.published_at if row else None,
    )


def read_report(wf: Workflow, session: Session, principal: Principal, code: str, year: int) -> ReportOut:
    principal.require("agency.read")
    agency = find_agency(session, principal, code)
    _check_year(year, wf.today(), publishing=False)
    return report_view(session, agency, year)


def save_figures(
    wf: Workflow, session: Session, principal: Principal, code: str, year: int, body: ReportPut
) -> ReportOut:
    """Store the entered figures as a draft; a published report needs `publish` again to change."""
    principal.require("report.edit")
    agency = find_agency(session, principal, code)
    _check_year(year, wf.today(), publishing=False)
    now = wf.clock()
    row = _report(session, agency.id, year, lock=True)
    figures = msgspec.to_builtins(body.figures)
    if row is None:
        row = AnnualReport(
            agency_id=agency.id,
            year=year,
            state="draft",
            figures=figures,
            derived=None,
            revision=0,
            updated_at=now,
            updated_by=principal.actor,
            audit_seq=0,
            audit_head="",
        )
        session.add(row)
        session.flush()
    else:
        row.figures, row.updated_at, row.updated_by = figures, now, principal.actor
    audit.record(
        session,
        "annual_report",
        row,
        actor=principal.actor,
        action="figures_saved",
        before=row.state,
        after=row.state,
        data={"year": year, "figures": figures},
        at=now,
    )
    return report_view(session, agency, year)


def publish_report(wf: Workflow, session: Session, principal: Principal, code: str, year: int) -> ReportOut:
    """Publish (or republish, as a correction) with a fresh snapshot of the derived counts."""
    principal.require("report.publish")
    agency = find_agency(session, principal, code)
    _check_year(year, wf.today(), publishing=True)
    row = _report(session, agency.id, year, lock=True)
    if row is None:
        raise NotFound(f"{year} 年度年报还没有填报数据", field="year", code="report_not_found")
    figures = msgspec.convert(row.figures, ReportFigures)
    missing = missing_figures(figures)
    if missing:
        names = "、".join(FIGURE_LABELS[k] for k in missing[:5])
        raise Unprocessable(
            f"尚有 {len(missing)} 项数据未填写（{names}{'等' if len(missing) > 5 else ''}），不能公开",
            field=f"figures.{missing[0]}",
            code="report_incomplete",
        )
    now = wf.clock()
    fresh = derived_counts(session, agency.id, year, wf.today())
    unchanged_since = row.published_at is not None and row.updated_at <= row.published_at
    if row.state == "published" and unchanged_since and row.derived == fresh:
        raise Conflict("年报已公开，数据没有变化，无需重新公开", code="report_unchanged")
    before = row.state
    row.derived = fresh
    row.state = "published"
    row.revision += 1
    row.published_at, row.published_by = now, principal.actor
    audit.record(
        session,
        "annual_report",
        row,
        actor=principal.actor,
        action="publish" if before != "published" else "republish",
        before=before,
        after="published",
        data={"year": year, "revision": row.revision, "derived": row.derived, "figures": row.figures},
        at=now,
    )
    return report_view(session, agency, year)

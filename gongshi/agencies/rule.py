"""The Art 9 update rule: changed pre-announced information is published within 20 working days.

What "published" means here: the portal reads the directory tables directly, so a profile, basis
list or officer list is public the moment it is saved in gongshi. The rule is therefore met when
the change is *saved*, and what can be late is the gap between a change in the real world and its
entry. gongshi cannot see the real world, so it tracks what it is told or can infer:

- every save is logged with the day the change took effect (`changed_on`, given by the agency or
  today); a save more than 20 working days after that day is recorded as late, for the record;
- a change reported before it is entered (`POST …/changes`: a new law in force on a date, a duty
  reassigned, an officer leaving) stays open with its deadline until a save resolves it, and shows
  on the deadline board and in the alerts while open;
- an officer listed as active whose certificate has expired is a change gongshi can infer itself:
  day 0 is the first day without a valid certificate, and it stays due until the list is saved
  with a renewed certificate or another status. The portal marks the certificate expired at once,
  so nobody is misled while it waits.

The Art 17 annual report for year Y is due on 31 January of Y+1 (a calendar date, not working
days); from 2 January it shows as due soon, as a reminder, and after the 31st as overdue until
published. It is asked only of agencies registered in gongshi before the end of Y.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Literal

from msgspec import Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.domain.clock import SHANGHAI
from gongshi.domain.workdays import Deadline, WorkCalendar
from gongshi.errors import Unprocessable
from gongshi.storage.models import Agency
from gongshi.storage.portal_models import AgencyChange, AgencyOfficer, AnnualReport

UPDATE_WORKING_DAYS = 20
REPORT_DUE = (1, 31)  # month, day of the following year
REPORT_REMINDER_FROM = (1, 2)

Bucket = Literal["overdue", "due_today", "due_soon"]


class InfoDueItem(Struct, frozen=True, kw_only=True):
    """A directory or annual-report obligation on the deadline board."""

    kind: Literal["change", "certificate", "annual_report"]
    bucket: Bucket
    title: str
    due_on: date
    due_provisional: bool
    url: str


def update_deadline(cal: WorkCalendar, changed_on: date) -> Deadline:
    """The last day to publish a change that took effect on `changed_on` (day 0)."""
    return cal.add_working_days(changed_on, UPDATE_WORKING_DAYS)


def certificate_deadline(cal: WorkCalendar, valid_until: date) -> Deadline:
    """Day 0 is the first day the certificate is no longer valid."""
    return update_deadline(cal, valid_until + timedelta(days=1))


def report_due_on(year: int) -> date:
    return date(year + 1, *REPORT_DUE)


def log_change(
    session: Session,
    *,
    agency_id: int,
    subject: str,
    description: str,
    changed_on: date,
    cal: WorkCalendar,
    actor: str,
    now: datetime,
    resolved: bool,
) -> AgencyChange:
    deadline = update_deadline(cal, changed_on)
    today = now.astimezone(SHANGHAI).date()
    row = AgencyChange(
        agency_id=agency_id,
        subject=subject,
        description=description,
        changed_on=changed_on,
        due_on=deadline.on,
        due_provisional=deadline.provisional,
        reported_at=now,
        reported_by=actor,
        resolved_at=now if resolved else None,
        resolved_by=actor if resolved else None,
        late=(today > deadline.on) if resolved else None,
    )
    session.add(row)
    session.flush()
    return row


def resolve(session: Session, agency_id: int, ids: Iterable[int], actor: str, now: datetime) -> list[int]:
    """Close announced changes this save carried out; each must be an open change of this agency."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = {
        r.id: r
        for r in session.scalars(
            select(AgencyChange).where(AgencyChange.id.in_(wanted), AgencyChange.agency_id == agency_id)
        )
    }
    today = now.astimezone(SHANGHAI).date()
    for change_id in wanted:
        row = rows.get(change_id)
        if row is None:
            raise Unprocessable(f"变更事项 {change_id} 不属于本机关或不存在", field="resolves")
        if row.resolved_at is not None:
            raise Unprocessable(f"变更事项 {change_id} 已于此前处理", field="resolves")
        row.resolved_at, row.resolved_by, row.late = now, actor, today > row.due_on
    return wanted


# Agencies in scope: id -> (code, name, created at).
_Known = dict[int, tuple[str, str, datetime]]


def _bucket(due: date, today: date) -> Bucket:
    return "overdue" if due < today else "due_today" if due == today else "due_soon"


def info_deadlines(
    session: Session,
    principal: Principal,
    cal: WorkCalendar,
    today: date,
    soon: date,
    agency_code: str | None = None,
) -> dict[str, tuple[str, list[InfoDueItem]]]:
    """Open directory obligations per agency code: (agency name, items), items due by `soon` or reminders."""
    agencies = select(Agency.id, Agency.code, Agency.name, Agency.created_at)
    if principal.agency_id is not None:
        agencies = agencies.where(Agency.id == principal.agency_id)
    if agency_code:
        agencies = agencies.where(Agency.code == agency_code)
    known = {id_: (code, name, created) for id_, code, name, created in session.execute(agencies)}
    if not known:
        return {}
    items: dict[int, list[InfoDueItem]] = {}
    _announced_changes(session, known, today, soon, items)
    _expired_certificates(session, cal, known, today, soon, items)
    _missing_annual_reports(session, known, today, items)
    return {known[a][0]: (known[a][1], sorted(v, key=lambda i: i.due_on)) for a, v in items.items()}


def _announced_changes(
    session: Session, known: _Known, today: date, soon: date, items: dict[int, list[InfoDueItem]]
) -> None:
    """Changes announced but not entered in the directory yet, due by `soon`."""
    changes = select(AgencyChange).where(
        AgencyChange.resolved_at.is_(None),
        AgencyChange.due_on <= soon,
        AgencyChange.agency_id.in_(known),
    )
    for c in session.scalars(changes.order_by(AgencyChange.due_on, AgencyChange.id)):
        code = known[c.agency_id][0]
        items.setdefault(c.agency_id, []).append(
            InfoDueItem(
                kind="change",
                bucket=_bucket(c.due_on, today),
                title=f"事前公开信息变更待更新：{c.description}（{c.changed_on.isoformat()} 起）",
                due_on=c.due_on,
                due_provisional=c.due_provisional,
                url=f"/console/agencies/{code}",
            )
        )


def _expired_certificates(
    session: Session,
    cal: WorkCalendar,
    known: _Known,
    today: date,
    soon: date,
    items: dict[int, list[InfoDueItem]],
) -> None:
    """Officers still listed as active whose certificate has expired, due by `soon`."""
    expired = select(AgencyOfficer).where(
        AgencyOfficer.status == "active",
        AgencyOfficer.valid_until < today,
        AgencyOfficer.agency_id.in_(known),
    )
    for o in session.scalars(expired.order_by(AgencyOfficer.valid_until, AgencyOfficer.id)):
        deadline = certificate_deadline(cal, o.valid_until)
        if deadline.on > soon:
            continue
        code = known[o.agency_id][0]
        items.setdefault(o.agency_id, []).append(
            InfoDueItem(
                kind="certificate",
                bucket=_bucket(deadline.on, today),
                title=f"执法人员 {o.name}（证号 {o.certificate_number}）的执法证已于 "
                f"{o.valid_until.isoformat()} 到期，仍列为在岗",
                due_on=deadline.on,
                due_provisional=deadline.provisional,
                url=f"/console/agencies/{code}",
            )
        )


def _missing_annual_reports(
    session: Session, known: _Known, today: date, items: dict[int, list[InfoDueItem]]
) -> None:
    """From the reminder date on, agencies that existed last year without a published annual report."""
    if today < date(today.year, *REPORT_REMINDER_FROM):
        return
    year = today.year - 1
    published = set(
        session.scalars(
            select(AnnualReport.agency_id).where(AnnualReport.year == year, AnnualReport.state == "published")
        )
    )
    year_end = datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    due = report_due_on(year)
    for agency_id, (code, _name, created) in known.items():
        if agency_id in published or created >= year_end:
            continue
        items.setdefault(agency_id, []).append(
            InfoDueItem(
                kind="annual_report",
                bucket=_bucket(due, today),
                title=f"{year} 年度行政执法统计年报尚未公开（应于 {due.isoformat()} 前公开）",
                due_on=due,
                due_provisional=False,
                url=f"/console/agencies/{code}/reports/{year}",
            )
        )

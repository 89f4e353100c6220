"""Loading an official holiday schedule, and recomputing the deadlines that were provisional."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from gongshi.core.calendar_store import load_calendar
from gongshi.core.context import Workflow
from gongshi.domain.windows import publish_by
from gongshi.domain.workdays import parse_schedule
from gongshi.publication import states
from gongshi.storage.models import CalendarDay, CalendarYear, Decision


def load_schedule(wf: Workflow, text: str, source: str = "") -> tuple[int, int, int]:
    """Store a year's schedule; returns (year, days stored, deadlines recomputed)."""
    schedule = parse_schedule(text)  # raises ScheduleError (a ValueError) naming the problem
    overrides = schedule.overrides()
    with wf.db.write() as session:
        session.execute(
            delete(CalendarDay).where(
                CalendarDay.day >= date(schedule.year, 1, 1), CalendarDay.day <= date(schedule.year, 12, 31)
            )
        )
        session.add_all(
            CalendarDay(day=d, is_workday=w, note=schedule.note) for d, w in sorted(overrides.items())
        )
        session.merge(CalendarYear(year=schedule.year, source=schedule.note or source, loaded_at=wf.clock()))
    wf.calendar.invalidate()
    cal = load_calendar(wf.db)
    updated = 0
    with wf.db.write() as session:
        pending = session.scalars(
            select(Decision).where(
                Decision.publish_by_provisional.is_(True), Decision.state.in_(states.AWAITING_PUBLICATION)
            )
        )
        for d in pending:
            deadline = publish_by(d.kind, d.decided_on, cal)  # type: ignore[arg-type]
            d.publish_by, d.publish_by_provisional = deadline.on, deadline.provisional
            updated += 1
    return schedule.year, len(overrides), updated

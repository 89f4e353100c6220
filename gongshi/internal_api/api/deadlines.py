"""/api/v1/deadlines: what is due today, due soon and overdue, per agency."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.status import add_credit_deadlines
from gongshi.deadlines.board import Deadlines, deadlines


@get("/api/v1/deadlines", sync_to_thread=True, tags=["deadlines"], summary="Publication deadlines per agency")
def list_deadlines(
    principal: NamedDependency[Principal], wf: NamedDependency[Workflow], agency: FromQuery[str | None] = None
) -> Deadlines:
    with wf.db.read() as session:
        cal = wf.calendar.get()
        board = deadlines(
            session, principal, cal, wf.today(), wf.settings.due_soon_working_days, agency_code=agency
        )
        return add_credit_deadlines(board, session, principal, cal, agency_code=agency)

"""What is due: publication deadlines per agency, for the dashboard and the alerts."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from msgspec import Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.agencies.rule import InfoDueItem, info_deadlines
from gongshi.auth.principal import Principal
from gongshi.domain.workdays import WorkCalendar
from gongshi.parties.deadlines import PartyDueItem, party_deadlines
from gongshi.publication import states
from gongshi.storage.models import Agency, Decision


class DueItem(Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    document_number: str
    title: str
    state: str
    publish_by: date
    publish_by_provisional: bool


class CreditDueItem(Struct, frozen=True, kw_only=True):
    """A decision not yet reported to the credit platform (双公示: 7 working days after the decision).

    Filled by the credit feature (gongshi/credit/status.py) in the apps that show the board."""

    id: int
    document_number: str
    title: str
    decided_on: date
    due_on: date
    bucket: str  # overdue | due_today | due_soon
    url: str = ""


class AgencyDeadlines(Struct, kw_only=True):
    agency: str
    agency_name: str
    overdue: list[DueItem] = []
    due_today: list[DueItem] = []
    due_soon: list[DueItem] = []
    # Withdrawals after a revoking ruling and party access requests (gongshi/parties/deadlines.py).
    parties: list[PartyDueItem] = []
    # Art 9 directory updates and the Art 17 annual report (gongshi/agencies/rule.py), with their bucket.
    agency_info: list[InfoDueItem] = []
    # Decisions not yet in a 双公示 export 7 working days after the decision (issue 15).
    credit_report: list[CreditDueItem] = []


class Deadlines(Struct, kw_only=True):
    today: date
    due_soon_until: date
    agencies: list[AgencyDeadlines]


def deadlines(
    session: Session,
    principal: Principal,
    cal: WorkCalendar,
    today: date,
    due_soon_working_days: int,
    agency_code: str | None = None,
) -> Deadlines:
    """Unpublished decisions whose deadline is past, today, or within the next few working days."""
    principal.require("deadlines.read")
    soon = cal.add_working_days(today, due_soon_working_days).on
    query = (
        select(Decision, Agency.code, Agency.name)
        .join(Agency, Agency.id == Decision.agency_id)
        .where(Decision.state.in_(states.AWAITING_PUBLICATION), Decision.publish_by <= soon)
        .order_by(Agency.code, Decision.publish_by, Decision.id)
    )
    if principal.agency_id is not None:
        query = query.where(Decision.agency_id == principal.agency_id)
    if agency_code:
        query = query.where(Agency.code == agency_code)
    per_agency: dict[str, AgencyDeadlines] = {}
    buckets: dict[str, dict[str, list[DueItem]]] = defaultdict(lambda: defaultdict(list))
    for d, code, name in session.execute(query):
        per_agency.setdefault(code, AgencyDeadlines(agency=code, agency_name=name))
        bucket = "overdue" if d.publish_by < today else "due_today" if d.publish_by == today else "due_soon"
        buckets[code][bucket].append(
            DueItem(
                id=d.id,
                kind=d.kind,
                document_number=d.document_number,
                title=d.title,
                state=d.state,
                publish_by=d.publish_by,
                publish_by_provisional=d.publish_by_provisional,
            )
        )
    for code, entry in per_agency.items():
        entry.overdue = buckets[code]["overdue"]
        entry.due_today = buckets[code]["due_today"]
        entry.due_soon = buckets[code]["due_soon"]
    for code, (name, info) in info_deadlines(session, principal, cal, today, soon, agency_code).items():
        per_agency.setdefault(code, AgencyDeadlines(agency=code, agency_name=name)).agency_info = info
    for code, (name, items) in party_deadlines(session, principal, today, soon, agency_code).items():
        per_agency.setdefault(code, AgencyDeadlines(agency=code, agency_name=name)).parties = items
    return Deadlines(today=today, due_soon_until=soon, agencies=list(per_agency.values()))

"""Cases with their compliance, for lists and the agency compliance report (a fixed number of queries)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.cases.compliance import Compliance
from gongshi.cases.views import case_compliance
from gongshi.storage.case_models import Case, CaseAttachment, CaseEntry
from gongshi.storage.models import Agency


class CaseRow(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    agency: dict[str, str]
    case_number: str
    kind: str
    party_name: str
    opened_on: date
    concluded_on: date | None
    archived_on: date | None
    compliance: Compliance
    url: str


def case_rows(
    session: Session,
    principal: Principal,
    today: date,
    *,
    agency_code: str | None = None,
    kind: str | None = None,
    limit: int = 200,
    after_id: int | None = None,
) -> list[CaseRow]:
    """Cases in the principal's scope, oldest first, each with its compliance result."""
    query = select(Case, Agency).join(Agency, Agency.id == Case.agency_id).order_by(Case.id).limit(limit)
    if principal.agency_id is not None:
        query = query.where(Case.agency_id == principal.agency_id)
    if agency_code:
        query = query.where(Agency.code == agency_code)
    if kind:
        query = query.where(Case.kind == kind)
    if after_id is not None:
        query = query.where(Case.id > after_id)
    cases = session.execute(query).all()
    ids = [case.id for case, _ in cases]
    types: dict[int, list[str]] = defaultdict(list)
    attachments: dict[int, list[Any]] = defaultdict(list)
    if ids:
        for case_id, entry_type in session.execute(
            select(CaseEntry.case_id, CaseEntry.type).where(CaseEntry.case_id.in_(ids)).distinct()
        ):
            types[case_id].append(entry_type)
        # Only audio-video matters for compliance; everything else is a document.
        av = or_(
            CaseAttachment.media_type.like("audio/%"),
            CaseAttachment.media_type.like("video/%"),
            CaseAttachment.media_type.like("image/%"),
        )
        cols = [c for c in CaseAttachment.__table__.c]
        for att in session.execute(select(*cols).where(CaseAttachment.case_id.in_(ids), av)):
            attachments[att.case_id].append(att)
    return [
        CaseRow(
            id=case.id,
            agency={"code": agency.code, "name": agency.name},
            case_number=case.case_number,
            kind=case.kind,
            party_name=str(case.party.get("name", "")),
            opened_on=case.opened_on,
            concluded_on=case.concluded_on,
            archived_on=case.archived_on,
            compliance=case_compliance(case, types[case.id], attachments[case.id], today),
            url=f"/api/v1/cases/{case.id}",
        )
        for case, agency in cases
    ]


class AgencyReport(msgspec.Struct, frozen=True, kw_only=True):
    agency: dict[str, str] | None
    today: date
    cases: int
    compliant: int
    open_cases: int
    issues: dict[str, int]
    flagged: list[CaseRow]


def agency_report(
    session: Session, principal: Principal, today: date, *, agency_code: str | None = None
) -> AgencyReport:
    """Every case of the agency (or all in scope), counted by compliance issue; flagged ones listed."""
    rows: list[CaseRow] = []
    after: int | None = None
    while True:
        page = case_rows(session, principal, today, agency_code=agency_code, limit=1000, after_id=after)
        rows.extend(page)
        if len(page) < 1000:
            break
        after = page[-1].id
    counts: Counter[str] = Counter(issue.code for row in rows for issue in row.compliance.issues)
    agency = None
    if agency_code:
        agency = next((r.agency for r in rows), {"code": agency_code, "name": agency_code})
    elif principal.agency_id is not None:
        found = session.get(Agency, principal.agency_id)
        agency = {"code": found.code, "name": found.name} if found else None
    return AgencyReport(
        agency=agency,
        today=today,
        cases=len(rows),
        compliant=sum(1 for r in rows if r.compliance.ok),
        open_cases=sum(1 for r in rows if r.concluded_on is None),
        issues=dict(counts),
        flagged=[r for r in rows if not r.compliance.ok],
    )

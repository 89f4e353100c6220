"""Deadlines of parties and the public for the board: withdrawals after a ruling, access requests."""

from __future__ import annotations

from datetime import date

from msgspec import Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.storage.models import Agency, Decision
from gongshi.storage.request_models import AccessRequest

UNROUTED = ("", "未确定机关（文号未匹配）")


class PartyDueItem(Struct, frozen=True, kw_only=True):
    kind: str  # withdrawal | access_request
    id: int
    title: str
    due_on: date
    bucket: str  # overdue | due_today | due_soon
    provisional: bool = False
    url: str = ""


def _bucket(due: date, today: date) -> str:
    return "overdue" if due < today else "due_today" if due == today else "due_soon"


def party_deadlines(
    session: Session, principal: Principal, today: date, soon: date, agency_code: str | None = None
) -> dict[str, tuple[str, list[PartyDueItem]]]:
    """Per agency code: published decisions awaiting withdrawal, open access requests; by due date."""
    out: dict[str, tuple[str, list[PartyDueItem]]] = {}
    withdrawals = (
        select(Decision.id, Decision.document_number, Decision.withdraw_by, Agency.code, Agency.name)
        .join(Agency, Agency.id == Decision.agency_id)
        .where(Decision.state == "published", Decision.withdraw_by.is_not(None), Decision.withdraw_by <= soon)
        .order_by(Decision.withdraw_by, Decision.id)
    )
    requests = (
        select(AccessRequest, Agency.code, Agency.name)
        .outerjoin(Agency, Agency.id == AccessRequest.agency_id)
        .where(AccessRequest.state.in_(("received", "checked")), AccessRequest.due_on <= soon)
        .order_by(AccessRequest.due_on, AccessRequest.id)
    )
    if principal.agency_id is not None:
        withdrawals = withdrawals.where(Decision.agency_id == principal.agency_id)
        requests = requests.where(AccessRequest.agency_id == principal.agency_id)
    if agency_code:
        withdrawals = withdrawals.where(Agency.code == agency_code)
        requests = requests.where(Agency.code == agency_code)
    for id_, number, due, code, name in session.execute(withdrawals):
        assert due is not None  # filtered in the query
        out.setdefault(code, (name, []))[1].append(
            PartyDueItem(
                kind="withdrawal",
                id=id_,
                title=f"撤下 {number}",
                due_on=due,
                bucket=_bucket(due, today),
                url=f"/console/decisions/{id_}",
            )
        )
    can_see_requests = principal.can("request.review")
    for r, code, name in session.execute(requests) if can_see_requests else []:
        code, name = (code, name) if code is not None else UNROUTED
        out.setdefault(code, (name, []))[1].append(
            PartyDueItem(
                kind="access_request",
                id=r.id,
                title=f"答复查阅申请 {r.tracking_no}",
                due_on=r.due_on,
                bucket=_bucket(r.due_on, today),
                provisional=r.due_provisional,
                url=f"/console/requests/{r.tracking_no}",
            )
        )
    return out

"""Rulings that revoke a published decision (Art 12): recorded on arrival so the clock is tracked.

An agency system (or a reviewer) records that a revoking ruling arrived; the decision stays published
until a reviewer withdraws it, and the deadline board and the daily alerts show it meanwhile —
overdue when the 3 working days (3 days for penalties) have passed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import Meta, Struct
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.domain.windows import withdraw_by
from gongshi.errors import Unprocessable
from gongshi.publication import records
from gongshi.storage.models import Decision

RulingReason = Literal["revoked", "confirmed_illegal", "redo_ordered"]


class RulingBody(Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    reason: RulingReason
    ruling_received_on: date
    note: Annotated[str, Meta(max_length=5000)] = ""


class RulingOut(Struct, frozen=True, kw_only=True):
    id: int
    state: str
    withdraw_reason: str
    ruling_received_on: date
    withdraw_by: date
    withdraw_by_provisional: bool


def register_ruling(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: RulingBody
) -> RulingOut:
    principal.require("decision.ruling")
    d: Decision = records.load(session, principal, decision_id, for_update=True)
    if d.state != "published":
        raise Unprocessable("只有已公示的决定需要登记撤销裁决", code="not_published")
    if body.ruling_received_on > wf.today():
        raise Unprocessable("收到相关决定的日期不能晚于今天", field="ruling_received_on")
    deadline = withdraw_by(d.kind, body.ruling_received_on, wf.calendar.get())  # type: ignore[arg-type]
    now = wf.clock()
    d.withdraw_reason, d.ruling_received_on, d.withdraw_by, d.updated_at = (
        body.reason,
        body.ruling_received_on,
        deadline.on,
        now,
    )
    audit.record(
        session,
        "decision",
        d,
        actor=principal.actor,
        action="ruling_received",
        reason=body.note,
        before=d.state,
        after=d.state,
        data={
            "reason": body.reason,
            "ruling_received_on": body.ruling_received_on.isoformat(),
            "withdraw_by": deadline.on.isoformat(),
        },
        at=now,
    )
    return RulingOut(
        id=d.id,
        state=d.state,
        withdraw_reason=body.reason,
        ruling_received_on=body.ruling_received_on,
        withdraw_by=deadline.on,
        withdraw_by_provisional=deadline.provisional,
    )

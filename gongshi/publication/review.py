"""Reviewer actions: approve, withhold, send back, release, withdraw, correct."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit, outbox, steps
from gongshi.core.context import Workflow
from gongshi.domain.expiry import agency_rules, earliest_credit_repair
from gongshi.domain.ids import RecordId
from gongshi.domain.intake import Intake, canonical_json, check_intake
from gongshi.domain.timeliness import publication_fields, withdrawn_on_time
from gongshi.domain.windows import withdraw_by
from gongshi.domain.workdays import today_in_shanghai
from gongshi.errors import Conflict, InvalidInput, NotFound, Unprocessable
from gongshi.publication import records, second_review, states
from gongshi.publication.intake import start_of_day
from gongshi.storage.models import Agency, Decision, DecisionRevision, Disclosure

Note = Annotated[str, Meta(max_length=5000)]
WithholdReason = Literal["state_secret", "trade_secret", "privacy_harm", "public_security", "minor", "other"]
WithdrawReason = Literal["revoked", "confirmed_illegal", "redo_ordered", "error", "credit_repair", "other"]
# Reasons that come from a ruling the agency receives; the 3-day clock starts on its arrival.
RULING_REASONS = frozenset({"revoked", "confirmed_illegal", "redo_ordered"})


class _Body(Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """Base for action bodies: unknown fields are a 400."""


class ApproveBody(_Body, kw_only=True, frozen=True, forbid_unknown_fields=True):
    note: Note = ""
    # A date (YYYY-MM-DD, Asia/Shanghai) or an ISO datetime with a UTC offset.
    not_before: Annotated[str, Meta(max_length=40)] | None = None


class WithholdBody(_Body, kw_only=True, frozen=True, forbid_unknown_fields=True):
    reason: WithholdReason
    note: Annotated[str, Meta(min_length=1, max_length=5000)]


class SendBackBody(_Body, kw_only=True, frozen=True, forbid_unknown_fields=True):
    note: Annotated[str, Meta(min_length=1, max_length=5000)]


class ReleaseBody(_Body, kw_only=True, frozen=True, forbid_unknown_fields=True):
    note: Annotated[str, Meta(min_length=1, max_length=5000)]
    # Publish a minor's case with the minor's information removed (SPEC §2.2): explicit and audited.
    remove_minor: bool = False


class WithdrawBody(_Body, kw_only=True, frozen=True, forbid_unknown_fields=True):
    reason: WithdrawReason
    explanation: Annotated[str, Meta(min_length=4, max_length=2000)]
    ruling_received_on: date | None = None
    superseded_by: RecordId | None = None


class CorrectionBody(_Body, kw_only=True, frozen=True, forbid_unknown_fields=True):
    intake: Intake
    note: Annotated[str, Meta(min_length=1, max_length=5000)]


def approve(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: ApproveBody
) -> Decision:
    """Approve for publication; a first approval the agency's rule flags goes to a second reviewer."""
    states.DECISIONS.require(principal, "approve")
    reviewer_hold = _parse_not_before(body.not_before)
    d = records.load(session, principal, decision_id, for_update=True)
    if d.state == "second_review":
        second_review.refuse_same_reviewer(d, principal)
        action = "approve_second"
    else:
        action = "approve"
    after = states.check(action, d.state)
    intake = _approvable(wf, d)
    codes: list[second_review.Reason] = []
    if action == "approve":
        agency = session.get(Agency, d.agency_id)
        codes = second_review.reasons(second_review.rule_of(agency), d, intake.party.kind)
        if codes:
            action, after = "approve_first", states.check("approve_first", d.state)
    now = wf.clock()
    holds = [h for h in (d.not_before, reviewer_hold) if h is not None]
    before, d.state = d.state, after
    d.not_before = max(holds) if holds else None
    d.updated_at = now
    data: dict[str, object] = {"not_before": d.not_before.isoformat() if d.not_before else None}
    if action == "approve_first":
        second_review.record_first(d, codes, principal.actor, body.note, now)
        data["second_review_reasons"] = codes
    else:
        d.approved_at = now
    if action == "approve_second":
        second_review.record_second(d, principal.actor, now)
    audit.record(
        session,
        "decision",
        d,
        actor=principal.actor,
        action=action,
        reason=body.note,
        before=before,
        after=after,
        data=data,
        at=now,
    )
    return d


def _approvable(wf: Workflow, d: Decision) -> Intake:
    """The stored intake, once the redaction is publishable, every doubt answered and the gate clean."""
    if d.redaction is None or d.redaction["status"] != "publishable":
        raise Unprocessable("脱敏结果为不予公开，不能批准发布", code="not_publishable")
    intake = records.stored_intake(d)
    records.ensure_reviewable(d, intake)
    still_open = records.open_doubts(d)
    if still_open:
        raise Conflict(
            f"还有 {len(still_open)} 项待核对事项未处理（遮蔽或保留），不能批准",
            code="doubts_open",
            extra={"doubts": [q.get("id") for q in still_open]},
        )
    hits = records.leak_hits(d, intake, wf.policy(minor_override=d.minor_override))
    if hits:
        d.leak_hits = hits
        raise Unprocessable("泄露检查发现受保护信息，请先处理", code="leak_detected", extra={"hits": hits})
    return intake


def return_to_review(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: SendBackBody
) -> Decision:
    """Back from second review to review (to change the redaction), with a reason; anyone may."""
    return _transition(wf, session, principal, decision_id, "return_to_review", body.note)


def _parse_not_before(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return start_of_day(date.fromisoformat(raw))
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(
            "not_before 须为日期（2026-03-06）或带时区的时间（2026-03-06T09:00:00+08:00）", field="not_before"
        ) from exc
    if moment.tzinfo is None:
        raise InvalidInput("not_before 须带时区，例如 2026-03-06T09:00:00+08:00", field="not_before")
    return moment


def _transition(
    wf: Workflow,
    session: Session,
    principal: Principal,
    decision_id: int,
    action: str,
    reason: str,
    data: dict[str, object] | None = None,
) -> Decision:
    states.DECISIONS.require(principal, action)
    d = records.load(session, principal, decision_id, for_update=True)
    after = states.check(action, d.state)
    now = wf.clock()
    before, d.state, d.updated_at = d.state, after, now
    audit.record(
        session,
        "decision",
        d,
        actor=principal.actor,
        action=action,
        reason=reason,
        before=before,
        after=after,
        data=data,
        at=now,
    )
    return d


def withhold(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: WithholdBody
) -> Decision:
    d = _transition(wf, session, principal, decision_id, "withhold", body.note, {"reason": body.reason})
    d.withheld_reason = body.reason
    return d


def send_back(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: SendBackBody
) -> Decision:
    d = _transition(wf, session, principal, decision_id, "send_back", body.note)
    d.approved_at = None
    return d


def release_withheld(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: ReleaseBody
) -> Decision:
    """Undo a withholding by an explicit head decision; re-redacts (removing a minor if asked)."""
    d = _transition(
        wf,
        session,
        principal,
        decision_id,
        "release_withheld",
        body.note,
        {"remove_minor": body.remove_minor},
    )
    d.minor_override = body.remove_minor
    d.withheld_reason = None
    status = records.apply_redaction(d, records.stored_intake(d), wf.policy(minor_override=d.minor_override))
    if status != "publishable":
        reasons = "、".join(r["detail"] for r in (d.redaction or {}).get("reasons", []))
        raise Unprocessable(f"仍不可公开：{reasons}", code="still_withheld")
    return d


def withdraw(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: WithdrawBody
) -> Decision:
    d = records.load(session, principal, decision_id)
    now, today = wf.clock(), wf.today()
    received = _ruling_received(d, body, today)
    if body.reason == "credit_repair":
        _check_credit_repair(wf, session, d, today)
    successor = None
    if body.superseded_by is not None:
        successor = session.get(Decision, body.superseded_by)
        if successor is None or successor.agency_id != d.agency_id or successor.id == d.id:
            raise NotFound("重新作出的决定不存在", field="superseded_by")
    deadline = withdraw_by(d.kind, received, wf.calendar.get())  # type: ignore[arg-type]
    d = _transition(
        wf,
        session,
        principal,
        decision_id,
        "withdraw",
        body.explanation,
        {
            "reason": body.reason,
            "ruling_received_on": received.isoformat(),
            "withdraw_by": deadline.on.isoformat(),
            "late": today > deadline.on,
            "superseded_by": body.superseded_by,
        },
    )
    d.withdraw_reason = body.reason
    d.ruling_received_on = received
    d.withdraw_by = deadline.on
    d.withdrawn_at = now
    d.superseded_by_id = body.superseded_by
    disclosure = session.scalar(select(Disclosure).where(Disclosure.decision_id == d.id))
    assert disclosure is not None, "a published decision always has a disclosure"
    disclosure.status = "withdrawn"
    disclosure.withdrawn_at = now
    disclosure.withdrawal_reason = body.reason
    disclosure.withdrawal_explanation = body.explanation
    disclosure.withdrawn_on_time = withdrawn_on_time(today, deadline.on)
    disclosure.superseded_by = successor.public_id if successor else None
    disclosure.updated_at = now
    outbox.emit(session, outbox.SEARCH_DELETE, disclosure.public_id, now)
    return d


def _ruling_received(d: Decision, body: WithdrawBody, today: date) -> date:
    """The day the revoking ruling arrived: given, recorded on arrival, or today."""
    # A ruling recorded on arrival (gongshi.parties.rulings) already started the clock.
    registered = d.ruling_received_on if d.state == "published" and d.withdraw_by else None
    if body.reason in RULING_REASONS and body.ruling_received_on is None and registered is None:
        raise Unprocessable(
            "撤销、确认违法或责令重作的，须填写收到相关决定的日期", field="ruling_received_on"
        )
    received = body.ruling_received_on or registered or today
    if received > today:
        raise Unprocessable("收到相关决定的日期不能晚于今天", field="ruling_received_on")
    return received


def _check_credit_repair(wf: Workflow, session: Session, d: Decision, today: date) -> None:
    """Credit repair withdraws only after the shortest publication period has passed."""
    earliest = earliest_credit_repair(
        records.stored_intake(d),
        serious_fine_yuan=wf.settings.serious_fine_yuan,
        rules=agency_rules(wf.settings.expiry_rules, records.agency_code(session, d)),
    )
    if earliest is not None and today < earliest:
        raise Unprocessable(
            f"信用修复须在最短公示期满后申请（{earliest.isoformat()} 起）", field="reason", code="too_early"
        )


def correct(
    wf: Workflow, session: Session, principal: Principal, decision_id: int, body: CorrectionBody
) -> Decision:
    """Publish a corrected revision at once (Art 19); older revisions stay in the audit trail."""
    states.DECISIONS.require(principal, "correct")
    check_intake(body.intake)
    d = records.load(session, principal, decision_id, for_update=True)
    states.check("correct", d.state)
    agency = session.get(Agency, d.agency_id)
    assert agency is not None
    if body.intake.agency.code != agency.code or body.intake.source_id != d.source_id:
        raise Unprocessable("更正不能改变机关或 source_id", field="intake.source_id")
    now = wf.clock()
    _new_revision(wf, session, principal, d, body, now)
    disclosure = session.scalar(select(Disclosure).where(Disclosure.decision_id == d.id))
    assert disclosure is not None
    records.set_disclosure(
        session,
        disclosure,
        records.disclosure_fields(
            d,
            agency,
            body.intake,
            serious_fine_yuan=wf.settings.serious_fine_yuan,
            expiry_rules=wf.settings.expiry_rules,
        ),
        now,
    )
    disclosure.corrected_at = now
    if disclosure.published_on_time is not None:  # decided_on may have been corrected
        disclosure.publish_working_days = publication_fields(
            d.decided_on, d.publish_by, today_in_shanghai(disclosure.published_at), wf.calendar.get()
        )["publish_working_days"]
    steps.redacted(session, wf.settings, d, body.intake)
    d.expires_on = disclosure.expires_on
    d.updated_at = now
    audit.record(
        session,
        "decision",
        d,
        actor=principal.actor,
        action="correct",
        reason=body.note,
        before="published",
        after="published",
        data={"revision": d.revision},
        at=now,
    )
    outbox.emit(session, outbox.SEARCH_UPSERT, disclosure.public_id, now)
    return d


def _new_revision(
    wf: Workflow, session: Session, principal: Principal, d: Decision, body: CorrectionBody, now: datetime
) -> None:
    """The corrected intake becomes the decision's next revision, redacted and leak-checked."""
    raw = canonical_json(body.intake)
    digest = hashlib.sha256(raw).hexdigest()
    if digest == d.content_hash:
        raise Unprocessable("更正内容与现有内容相同", field="intake", code="no_change")
    policy = wf.policy(minor_override=d.minor_override)
    d.intake, d.content_hash, d.revision = raw, digest, d.revision + 1
    d.title, d.document_number, d.decided_on = (
        body.intake.title,
        body.intake.document_number,
        body.intake.decided_on,
    )
    if records.apply_redaction(d, body.intake, policy) != "publishable":
        raise Unprocessable("更正后的内容依法不予公开，请改为撤下", code="not_publishable")
    hits = records.leak_hits(d, body.intake, policy)
    if hits:
        raise Unprocessable("泄露检查发现受保护信息，未发布更正", code="leak_detected", extra={"hits": hits})
    session.add(
        DecisionRevision(
            decision_id=d.id,
            revision=d.revision,
            intake=raw,
            content_hash=digest,
            note=body.note,
            actor=principal.actor,
            created_at=now,
        )
    )

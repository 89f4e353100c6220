"""Second review (issue 11): an agency's rule sends risky decisions to a second, different reviewer.

A decision needs a second review when its agency's rule says so for one of these reasons:
- `unmasks`: a reviewer unmasked something the engine had masked (or unticked an occurrence of a
  string they masked, which publishes it there);
- `kept_doubts`: a doubt the engine raised was resolved as "keep" (published as it stands);
- `natural_person`: the party is a natural person (个人), whose name and facts are the most exposed;
- `sample`: the decision falls in the agency's random sample share. The draw is a hash of the
  decision's id, so the same decision is always in or out of the sample, whoever asks and when.

The first approval of such a decision records the first reviewer and the reasons and moves it to
`second_review` (待复核); only another person (another console user or API token) may then approve
it (`approve_second`), send it back or withhold it. An agency without a stored rule has `DEFAULT`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.errors import Forbidden
from gongshi.publication import agency_terms
from gongshi.redaction import edits as ed
from gongshi.storage.models import Agency, Decision, User

RULE_PERMISSION = "review.rule"
Reason = Literal["unmasks", "kept_doubts", "natural_person", "sample"]
REASONS: tuple[Reason, ...] = ("unmasks", "kept_doubts", "natural_person", "sample")
REASON_LABELS = {
    "unmasks": "有审核人取消遮蔽",
    "kept_doubts": "待核对事项经审核保留",
    "natural_person": "当事人为自然人",
    "sample": "随机抽查",
}
SAME_REVIEWER = "same_reviewer"


def _doc(text: str) -> Meta:
    return Meta(description=text)


class SecondReviewRule(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Which decisions of an agency need a second reviewer (any one trigger suffices)."""

    unmasks: Annotated[
        bool, _doc("A reviewer unmasked something the engine masked (or unticked one place)")
    ] = True
    kept_doubts: Annotated[bool, _doc("A doubt the engine raised was resolved as keep")] = True
    natural_person: Annotated[bool, _doc("The party is a natural person")] = True
    sample_percent: Annotated[
        int,
        Meta(
            ge=0,
            le=100,
            description="Share of decisions drawn for a second review, in percent; the draw is a hash of "
            "the decision id, so a decision is always in or out of a given share",
        ),
    ] = 0


DEFAULT = SecondReviewRule()


class SecondReviewRuleOut(Struct, frozen=True, kw_only=True):
    agency: str
    rule: SecondReviewRule
    is_default: Annotated[bool, _doc("The agency has set no rule of its own: the default applies")]
    labels: Annotated[dict[str, str], _doc("The Chinese reason shown to reviewers, per trigger")]


class SecondReviewOut(Struct, frozen=True, kw_only=True):
    """A decision's second review (issue 11): needed or not, why, and who has acted."""

    required: Annotated[
        bool, _doc("A second review is needed (in review: approving now would ask for one) or was given")
    ]
    pending: Annotated[bool, _doc("Waiting for a second reviewer now (state second_review)")]
    reasons: list[Reason]
    reason_labels: Annotated[list[str], _doc("The reasons in Chinese, as the console shows them")]
    first_reviewer: Annotated[str | None, _doc("Actor of the first approval: user:NAME or token:ID")] = None
    first_reviewer_name: str | None = None
    first_approved_at: datetime | None = None
    second_reviewer: Annotated[str | None, _doc("Actor of the second approval (never the first one)")] = None
    second_reviewer_name: str | None = None
    second_approved_at: datetime | None = None


def rule_of(agency: Agency | None) -> SecondReviewRule:
    raw = agency.second_review_rule if agency is not None else None
    return msgspec.convert(raw, SecondReviewRule) if raw else DEFAULT


def sampled(decision_id: int, percent: int) -> bool:
    """Whether the decision is in a `percent` sample: the same answer every time for one id."""
    if percent <= 0:
        return False
    digest = hashlib.sha256(f"gongshi-second-review:{decision_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent


class _Party(Struct, frozen=True):
    kind: str


class _PartyOnly(Struct, frozen=True):
    party: _Party


_party_decoder = msgspec.json.Decoder(_PartyOnly)


def party_kind(d: Decision) -> str:
    """The stored intake's party kind, without decoding the rest of the intake (the review page asks)."""
    return _party_decoder.decode(d.intake).party.kind


def reasons(rule: SecondReviewRule, d: Decision, kind: str) -> list[Reason]:
    """Why this decision, as it stands, needs a second review under `rule` (empty: it does not);
    `kind` is its party's kind (`Intake.party.kind`)."""
    edits = ed.load(d.redaction_edits)
    doubts = (d.redaction or {}).get("doubts", [])
    found = {
        "unmasks": rule.unmasks
        and any(isinstance(e, ed.Unmask) or (isinstance(e, ed.Mask) and e.skip) for e in edits),
        "kept_doubts": rule.kept_doubts and any(q.get("status") == "kept" for q in doubts),
        "natural_person": rule.natural_person and kind == "natural_person",
        "sample": sampled(d.id, rule.sample_percent),
    }
    return [r for r in REASONS if found[r]]


def labels(codes: Sequence[str]) -> list[str]:
    return [REASON_LABELS.get(c, c) for c in codes]


def refuse_same_reviewer(d: Decision, principal: Principal) -> None:
    """403 unless `principal` is not the first reviewer of this decision."""
    first = (d.second_review or {}).get("first_reviewer")
    if first == principal.actor:
        raise Forbidden("复核须由另一名审核人完成：您已作为初审人批准过此决定", code=SAME_REVIEWER)


def record_first(d: Decision, codes: list[Reason], actor: str, note: str, now: datetime) -> None:
    d.second_review = {
        "reasons": codes,
        "first_reviewer": actor,
        "first_approved_at": now.isoformat(),
        "first_note": note,
        "second_reviewer": None,
        "second_approved_at": None,
    }


def record_second(d: Decision, actor: str, now: datetime) -> None:
    d.second_review = {
        **(d.second_review or {}),
        "second_reviewer": actor,
        "second_approved_at": now.isoformat(),
    }


_ACTOR_NAMES = {"demo": "演示数据", "demo-second": "演示数据（复核）"}


def names(session: Session, actors: set[str]) -> dict[str, str]:
    """How each actor is named to staff: a console user's display name ("user:alice" → 王审核),
    "接口令牌 12" for "token:12"."""
    usernames = {a.removeprefix("user:") for a in actors if a.startswith("user:")}
    found = (
        {
            f"user:{u}": n or u
            for u, n in session.execute(
                select(User.username, User.display_name).where(User.username.in_(usernames))
            )
        }
        if usernames
        else {}
    )
    for a in actors:
        if a.startswith("token:"):
            found[a] = "接口令牌 " + a.removeprefix("token:")
        elif a in _ACTOR_NAMES:
            found[a] = _ACTOR_NAMES[a]
    return found


def status(session: Session, d: Decision, agency: Agency | None) -> SecondReviewOut:
    """The API's `second_review` block: stored for a decision approved once, computed while in review."""
    stored: dict[str, Any] = d.second_review or {}
    if d.state == "in_review" and d.redaction is not None:
        codes = reasons(rule_of(agency), d, party_kind(d))
        return SecondReviewOut(
            required=bool(codes), pending=False, reasons=codes, reason_labels=labels(codes)
        )
    if not stored:
        return SecondReviewOut(required=False, pending=False, reasons=[], reason_labels=[])
    return _stored(
        d, names(session, {stored.get("first_reviewer") or "", stored.get("second_reviewer") or ""})
    )


def _stored(d: Decision, who: dict[str, str]) -> SecondReviewOut:
    stored: dict[str, Any] = d.second_review or {}
    first, second = stored.get("first_reviewer"), stored.get("second_reviewer")
    return SecondReviewOut(
        required=True,
        pending=d.state == "second_review",
        reasons=list(stored.get("reasons", [])),
        reason_labels=labels(list(stored.get("reasons", []))),
        first_reviewer=first,
        first_reviewer_name=who.get(first or "", first),
        first_approved_at=_moment(stored.get("first_approved_at")),
        second_reviewer=second,
        second_reviewer_name=who.get(second or "", second) if second else None,
        second_approved_at=_moment(stored.get("second_approved_at")),
    )


def pending(session: Session, decisions: list[Decision]) -> dict[int, SecondReviewOut]:
    """The second-review block of each decision waiting for its second reviewer (one name query)."""
    waiting = [d for d in decisions if d.state == "second_review"]
    who = names(session, {(d.second_review or {}).get("first_reviewer") or "" for d in waiting})
    return {d.id: _stored(d, who) for d in waiting}


def _moment(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def rule_out(agency: Agency) -> SecondReviewRuleOut:
    return SecondReviewRuleOut(
        agency=agency.code,
        rule=rule_of(agency),
        is_default=not agency.second_review_rule,
        labels=REASON_LABELS,
    )


def set_rule(
    session: Session, principal: Principal, agency: Agency, rule: SecondReviewRule, now: datetime
) -> SecondReviewRuleOut:
    """A head or an admin sets the agency's rule; the change is on the agency's audit chain."""
    principal.require(RULE_PERMISSION)
    before = rule_of(agency)
    agency.second_review_rule = msgspec.to_builtins(rule)
    if before != rule:
        audit.record(
            session,
            "agency",
            agency_terms.agency_chain(session, agency.id),
            actor=principal.actor,
            action="second_review_rule",
            data={"before": msgspec.to_builtins(before), "after": msgspec.to_builtins(rule)},
            at=now,
        )
    return rule_out(agency)

"""Decision states and the transitions between them (SPEC §2.4), as a `gongshi.domain.states.Machine`."""

from __future__ import annotations

from typing import Literal

from gongshi.domain.states import Machine, step

State = Literal[
    "received",  # stored; redaction pending
    "in_review",  # redacted; waiting for a reviewer
    "second_review",  # approved once; the agency's rule asks a second, different reviewer to approve it
    "approved",  # approved; scheduled for publication once not_before has passed
    "published",
    "withdrawn",
    "expired",
    "withheld",  # not published (Art 15), with a reason
    "returned",  # sent back to the agency to fix and resubmit
]

PRE_PUBLICATION: frozenset[str] = frozenset(
    {"received", "in_review", "second_review", "approved", "withheld", "returned"}
)
# States in which a statutory publication deadline is still running.
AWAITING_PUBLICATION: frozenset[str] = frozenset(
    {"received", "in_review", "second_review", "approved", "returned"}
)

LABELS: dict[str, str] = {
    "received": "已接收",
    "in_review": "待审核",
    "second_review": "待复核",
    "approved": "已批准待发布",
    "published": "已公示",
    "withdrawn": "已撤下",
    "expired": "已到期",
    "withheld": "不予公开",
    "returned": "已退回",
}

REVIEW = "decision.review"
DECISIONS = Machine(
    "decision",
    LABELS,
    {
        # The worker's steps (permission None).
        "redacted": step("received", "in_review"),
        "auto_withhold": step("received", "withheld"),
        "publish": step("approved", "published"),
        "leak_blocked": step("approved", "in_review"),
        "rereview": step("approved", "in_review"),
        "expire": step("published", "expired"),
        # People's.
        "approve": step("in_review", "approved", REVIEW),
        # The agency's second-review rule (gongshi.publication.second_review) decides which of the
        # two a first approval is; the second approval must come from another person.
        "approve_first": step("in_review", "second_review", REVIEW),
        "approve_second": step("second_review", "approved", REVIEW),
        "return_to_review": step("second_review", "in_review", REVIEW),
        "withhold": step(
            {"received", "in_review", "second_review", "approved", "returned"}, "withheld", REVIEW
        ),
        "send_back": step({"in_review", "second_review", "approved"}, "returned", REVIEW),
        "release_withheld": step("withheld", "in_review", "decision.override_withhold"),
        "withdraw": step("published", "withdrawn", REVIEW),
        "correct": step("published", "published", REVIEW),
        "replace": step(PRE_PUBLICATION, "received", "decision.submit"),
    },
)


def check(action: str, state: str) -> str:
    """The state after `action`, or the `invalid_state` 409 (see `gongshi.domain.states`)."""
    return DECISIONS.check(action, state)

"""Decision states and the transitions between them (SPEC §2.4)."""

from __future__ import annotations

from typing import Literal

from gongshi.errors import Conflict

State = Literal[
    "received",  # stored; redaction pending
    "in_review",  # redacted; waiting for a reviewer
    "approved",  # approved; scheduled for publication once not_before has passed
    "published",
    "withdrawn",
    "expired",
    "withheld",  # not published (Art 15), with a reason
    "returned",  # sent back to the agency to fix and resubmit
]

PRE_PUBLICATION: frozenset[str] = frozenset({"received", "in_review", "approved", "withheld", "returned"})
# States in which a statutory publication deadline is still running.
AWAITING_PUBLICATION: frozenset[str] = frozenset({"received", "in_review", "approved", "returned"})

TRANSITIONS: dict[str, frozenset[str]] = {
    "redacted": frozenset({"received"}),
    "auto_withhold": frozenset({"received"}),
    "approve": frozenset({"in_review"}),
    "withhold": frozenset({"received", "in_review", "approved", "returned"}),
    "send_back": frozenset({"in_review", "approved"}),
    "release_withheld": frozenset({"withheld"}),
    "publish": frozenset({"approved"}),
    "leak_blocked": frozenset({"approved"}),
    "rereview": frozenset({"approved"}),
    "withdraw": frozenset({"published"}),
    "correct": frozenset({"published"}),
    "expire": frozenset({"published"}),
    "replace": PRE_PUBLICATION,
}

TARGET: dict[str, str] = {
    "redacted": "in_review",
    "auto_withhold": "withheld",
    "approve": "approved",
    "withhold": "withheld",
    "send_back": "returned",
    "release_withheld": "in_review",
    "publish": "published",
    "leak_blocked": "in_review",
    "rereview": "in_review",
    "withdraw": "withdrawn",
    "correct": "published",
    "expire": "expired",
    "replace": "received",
}

LABELS: dict[str, str] = {
    "received": "已接收",
    "in_review": "待审核",
    "approved": "已批准待发布",
    "published": "已公示",
    "withdrawn": "已撤下",
    "expired": "已到期",
    "withheld": "不予公开",
    "returned": "已退回",
}


def check(action: str, state: str) -> str:
    """The state after `action`, or a 409 that says why the action is not possible now."""
    if state not in TRANSITIONS[action]:
        allowed = "、".join(LABELS[s] for s in sorted(TRANSITIONS[action]))
        raise Conflict(
            f"当前状态为「{LABELS.get(state, state)}」，不能执行此操作（需处于：{allowed}）",
            code="invalid_state",
            extra={"state": state, "action": action},
        )
    return TARGET[action]

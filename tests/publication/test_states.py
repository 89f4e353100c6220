"""The decision table: every action's source states and target, and nothing else."""

from __future__ import annotations

import pytest

from gongshi.errors import Conflict
from gongshi.publication import states

# action → (from, to, permission): written out here so that a change to the table is a change to a test.
EXPECTED = {
    "redacted": ({"received"}, "in_review", None),
    "auto_withhold": ({"received"}, "withheld", None),
    "publish": ({"approved"}, "published", None),
    "leak_blocked": ({"approved"}, "in_review", None),
    "rereview": ({"approved"}, "in_review", None),
    "expire": ({"published"}, "expired", None),
    "approve": ({"in_review"}, "approved", "decision.review"),
    "approve_first": ({"in_review"}, "second_review", "decision.review"),
    "approve_second": ({"second_review"}, "approved", "decision.review"),
    "return_to_review": ({"second_review"}, "in_review", "decision.review"),
    "withhold": (
        {"received", "in_review", "second_review", "approved", "returned"},
        "withheld",
        "decision.review",
    ),
    "send_back": ({"in_review", "second_review", "approved"}, "returned", "decision.review"),
    "release_withheld": ({"withheld"}, "in_review", "decision.override_withhold"),
    "withdraw": ({"published"}, "withdrawn", "decision.review"),
    "correct": ({"published"}, "published", "decision.review"),
    "replace": (
        {"received", "in_review", "second_review", "approved", "withheld", "returned"},
        "received",
        "decision.submit",
    ),
}


def test_the_table_is_the_expected_one() -> None:
    table = states.DECISIONS.transitions
    assert {a: (set(t.sources), t.target, t.permission) for a, t in table.items()} == EXPECTED


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_action_only_from_its_states(action: str) -> None:
    sources, target, _ = EXPECTED[action]
    for state in states.LABELS:
        if state in sources:
            assert states.check(action, state) == target
        else:
            with pytest.raises(Conflict) as refused:
                states.check(action, state)
            assert refused.value.extra == {"state": state, "action": action}


def test_nothing_reaches_published_except_publish_and_correct() -> None:
    into_published = {a for a, t in states.DECISIONS.transitions.items() if t.target == "published"}
    assert into_published == {"publish", "correct"}
    assert states.DECISIONS.sources("publish") == {"approved"}


def test_published_content_cannot_be_replaced() -> None:
    for state in ("published", "withdrawn", "expired"):
        with pytest.raises(Conflict):
            states.check("replace", state)


def test_the_message_names_the_current_and_the_needed_states() -> None:
    with pytest.raises(Conflict) as refused:
        states.check("approve", "published")
    assert refused.value.message == "当前状态为「已公示」，不能执行此操作（需处于：待审核）"


def test_second_review_still_awaits_publication() -> None:
    """The statutory clock keeps running while a decision waits for its second reviewer."""
    assert "second_review" in states.AWAITING_PUBLICATION and "second_review" in states.PRE_PUBLICATION
    assert states.LABELS["second_review"] == "待复核"
    into_approved = {a for a, t in states.DECISIONS.transitions.items() if t.target == "approved"}
    assert into_approved == {"approve", "approve_second"}

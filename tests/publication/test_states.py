"""The state machine: every action's allowed source states, and nothing else."""

from __future__ import annotations

import pytest

from gongshi.errors import Conflict
from gongshi.publication import states

ALL = list(states.LABELS)


@pytest.mark.parametrize("action", sorted(states.TRANSITIONS))
def test_action_only_from_its_states(action: str) -> None:
    for state in ALL:
        if state in states.TRANSITIONS[action]:
            assert states.check(action, state) == states.TARGET[action]
        else:
            with pytest.raises(Conflict):
                states.check(action, state)


def test_nothing_reaches_published_except_publish_and_correct() -> None:
    into_published = {a for a, target in states.TARGET.items() if target == "published"}
    assert into_published == {"publish", "correct"}
    assert states.TRANSITIONS["publish"] == {"approved"}


def test_published_content_cannot_be_replaced() -> None:
    for state in ("published", "withdrawn", "expired"):
        with pytest.raises(Conflict):
            states.check("replace", state)

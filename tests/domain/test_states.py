"""The one state machine: the same 409 shape for decisions, access requests and corrections."""

from __future__ import annotations

import pytest

from gongshi.auth.principal import Principal
from gongshi.domain.states import INVALID_STATE, Machine, step
from gongshi.errors import Conflict, Forbidden
from gongshi.parties import access, corrections
from gongshi.publication import states

# One refused step per table: (machine, action, a state it cannot start from).
REFUSED = [
    (states.DECISIONS, "publish", "in_review"),
    (access.MACHINE, "approve", "received"),
    (corrections.MACHINE, "accept", "rejected"),
]


@pytest.mark.parametrize(("machine", "action", "state"), REFUSED, ids=lambda v: getattr(v, "name", v))
def test_all_tables_refuse_with_one_shape(machine: Machine, action: str, state: str) -> None:
    with pytest.raises(Conflict) as refused:
        machine.check(action, state)
    error = refused.value.to_dict()["error"]
    assert refused.value.status == 409
    assert set(error) == {"code", "message", "field", "state", "action"}
    assert (error["code"], error["state"], error["action"]) == (INVALID_STATE, state, action)
    assert error["field"] is None
    assert f"当前状态为「{machine.labels[state]}」" in error["message"]
    for needed in machine.sources(action):
        assert machine.labels[needed] in error["message"]


DOOR = Machine(
    "door",
    {"shut": "关", "open": "开"},
    {"open": step("shut", "open", "door.use"), "knock": step({"shut", "open"}, None, "door.use")},
)


def test_a_step_without_a_target_keeps_the_state() -> None:
    assert DOOR.check("knock", "shut") == "shut" and DOOR.check("knock", "open") == "open"
    assert DOOR.check("open", "shut") == "open"


def test_require_asks_the_principal_for_the_actions_permission() -> None:
    head = Principal(actor="user:boss", role="head", agency_id=None)
    reviewer = Principal(actor="user:rev", role="reviewer", agency_id=None)
    access.MACHINE.require(head, "approve")
    access.MACHINE.require(reviewer, "check")
    with pytest.raises(Forbidden):
        access.MACHINE.require(reviewer, "approve")
    with pytest.raises(AssertionError):  # a worker step has no permission to ask for
        states.DECISIONS.require(head, "publish")


def test_a_table_cannot_name_a_state_without_a_label() -> None:
    with pytest.raises(AssertionError):
        Machine("bad", {"a": "甲"}, {"go": step("a", "b")})

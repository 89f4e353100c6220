"""The access-request and correction-request tables: every action's source states and target."""

from __future__ import annotations

import pytest

from gongshi.domain.states import Machine
from gongshi.errors import Conflict
from gongshi.parties import access, corrections

ACCESS = {
    "check": ({"received"}, "checked", "request.review"),
    "extend": ({"received", "checked"}, None, "request.review"),  # None: the state stays
    "refuse": ({"received", "checked"}, "refused", "request.review"),
    "approve": ({"checked"}, "granted", "request.release"),
}
CORRECTIONS = {
    "accept": ({"received"}, "accepted", "request.review"),
    "reject": ({"received"}, "rejected", "request.review"),
    "corrected": ({"accepted"}, "corrected", None),
}
CASES = [(access.MACHINE, ACCESS), (corrections.MACHINE, CORRECTIONS)]


@pytest.mark.parametrize(("machine", "expected"), CASES, ids=["access", "corrections"])
def test_the_table_is_the_expected_one(machine: Machine, expected: dict[str, tuple[object, ...]]) -> None:
    assert {a: (set(t.sources), t.target, t.permission) for a, t in machine.transitions.items()} == expected


@pytest.mark.parametrize(("machine", "expected"), CASES, ids=["access", "corrections"])
def test_every_action_only_from_its_states(machine: Machine, expected: dict[str, tuple[object, ...]]) -> None:
    for action, (sources, target, _) in expected.items():
        assert isinstance(sources, set)
        for state in machine.labels:
            if state in sources:
                assert machine.check(action, state) == (target or state)
            else:
                with pytest.raises(Conflict):
                    machine.check(action, state)


def test_labels_are_the_ones_requesters_see() -> None:
    assert access.MACHINE.labels is access.STATE_LABELS
    assert corrections.MACHINE.labels is corrections.STATE_LABELS


def test_messages_say_what_cannot_be_done() -> None:
    with pytest.raises(Conflict) as approve:
        access.MACHINE.check("approve", "received")
    assert approve.value.message == (
        "申请当前状态为「已收到，正在办理」，不能批准提供（需处于：已核实，待负责人审批）"
    )
    with pytest.raises(Conflict) as again:
        corrections.MACHINE.check("reject", "accepted")
    assert again.value.message == (
        "申请当前状态为「已确认有误，正在更正」，已答复过，不能再次答复（需处于：已收到，正在核查）"
    )

"""One state machine shape for every record with a life cycle (decisions, access and correction requests).

A machine is data: each action names the states it may start from, the state it leads to (None:
the state does not change, e.g. extending a deadline) and the permission it needs (None: only the
worker takes it). `check` is the only way a caller learns the next state, and every refusal is the
same 409: code `invalid_state`, the current state and the action in `extra`, a Chinese message
naming the current state and the states the action needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from gongshi.errors import Conflict

INVALID_STATE = "invalid_state"


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the action keeps the current state
    permission: str | None = None  # None: a worker step, no person takes it
    refusal: str = "不能执行此操作"  # what the 409 says cannot be done, e.g. "已答复过，不能再次答复"


def step(
    sources: str | frozenset[str] | set[str],
    target: str | None,
    permission: str | None = None,
    refusal: str = "不能执行此操作",
) -> Transition:
    """A transition; one source state may be given as a plain string."""
    starts = frozenset({sources}) if isinstance(sources, str) else frozenset(sources)
    return Transition(starts, target, permission, refusal)


class Authority(Protocol):
    """Whoever acts (an auth Principal): raises when it lacks a permission."""

    def require(self, permission: str) -> None: ...


class Machine:
    """A transition table with the labels its messages use."""

    def __init__(
        self, name: str, labels: Mapping[str, str], transitions: Mapping[str, Transition], noun: str = ""
    ) -> None:
        self.name = name
        self.labels: Mapping[str, str] = labels
        self.transitions: Mapping[str, Transition] = transitions
        self.noun = noun  # prefixed to the message: "申请当前状态为…"
        for action, t in transitions.items():
            unknown = (t.sources | ({t.target} if t.target else set())) - set(labels)
            assert not unknown, f"{name}.{action} names states without a label: {sorted(unknown)}"

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self.labels)

    def sources(self, action: str) -> frozenset[str]:
        return self.transitions[action].sources

    def target(self, action: str) -> str | None:
        return self.transitions[action].target

    def permission(self, action: str) -> str | None:
        return self.transitions[action].permission

    def require(self, who: Authority, action: str) -> None:
        """Refuse (403, from `who`) unless the actor may take this action at all."""
        permission = self.permission(action)
        assert permission is not None, f"{self.name}.{action} is a worker step"
        who.require(permission)

    def check(self, action: str, state: str) -> str:
        """The state after `action`, or a 409 that says why the action is not possible now."""
        t = self.transitions[action]
        if state not in t.sources:
            allowed = "、".join(self.labels[s] for s in sorted(t.sources))
            raise Conflict(
                f"{self.noun}当前状态为「{self.labels.get(state, state)}」，{t.refusal}（需处于：{allowed}）",
                code=INVALID_STATE,
                extra={"state": state, "action": action},
            )
        return t.target or state

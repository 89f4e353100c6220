"""Moments of the workflow that feature packages add steps to, by registration.

The publication workflow announces "this decision's intake was (re)redacted" without knowing who
listens; the parties feature registers the step that keeps its lookup key (gongshi/parties/
__init__.py). Every process that runs the workflow imports the features it serves (the worker,
the internal API, the CLI), so their steps are registered before the first decision moves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from gongshi.settings import Settings
from gongshi.storage.models import Decision

# (session, settings, decision, its unredacted intake) → None, inside the workflow's transaction.
AfterRedaction = Callable[[Session, Settings, Decision, Any], None]

_after_redaction: list[AfterRedaction] = []


def after_redaction(step: AfterRedaction) -> AfterRedaction:
    """Register a step to run each time a decision's intake has been redacted (once per step)."""
    if step not in _after_redaction:
        _after_redaction.append(step)
    return step


def redacted(session: Session, settings: Settings, decision: Decision, intake: Any) -> None:
    """Run every registered after-redaction step."""
    for step in _after_redaction:
        step(session, settings, decision, intake)

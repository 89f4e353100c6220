"""The worker's step for parties and the public: settle corrections, send pending e-mail."""

from __future__ import annotations

from gongshi.core.context import Workflow
from gongshi.parties import corrections, notify


def run(wf: Workflow, sender: notify.Sender | None = None) -> int:
    """`sender`: the worker's notifier (notify.notifier_for), built once; None sends nothing."""
    return corrections.reconcile(wf) + notify.send_pending(wf, sender)

"""The worker's step for parties and the public: settle corrections, send pending e-mail."""

from __future__ import annotations

from gongshi.parties import corrections, notify
from gongshi.publication.context import Workflow


def run(wf: Workflow) -> int:
    return corrections.reconcile(wf) + notify.send_pending(wf)

"""What both apps' factories put in the Litestar app state, as handler dependencies."""

from __future__ import annotations

from litestar.datastructures import State

from gongshi.core.context import Workflow


def provide_workflow(state: State) -> Workflow:
    """The `wf` dependency: the workflow the app factory built once (or was given)."""
    wf: Workflow = state.workflow
    return wf

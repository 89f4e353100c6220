"""Loading one row on behalf of a principal: a row it may not see is reported as missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.errors import NotFound

Row = TypeVar("Row")


def load_scoped(
    session: Session,
    model: type[Row],
    row_id: int,
    *,
    sees: Callable[[Row], bool],
    missing: str,
    for_update: bool = False,
) -> Row:
    """The row with this id if `sees` allows it; 404 otherwise, so existence does not leak."""
    query: Any = select(model).where(model.id == row_id)  # type: ignore[attr-defined]
    if for_update:
        query = query.with_for_update()
    row: Row | None = session.scalar(query)
    if row is None or not sees(row):
        raise NotFound(missing, code="not_found")
    return row

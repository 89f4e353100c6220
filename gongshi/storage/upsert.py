"""INSERT … ON CONFLICT DO NOTHING on both databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gongshi.storage.models import Base


def insert_ignore(session: Session, model: type[Base], values: dict[str, Any]) -> bool:
    """Insert unless a unique key already exists; True if a row was inserted."""
    dialect = session.get_bind().dialect.name
    mod: Any = postgresql if dialect == "postgresql" else sqlite
    result: Any = session.execute(mod.insert(model).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)

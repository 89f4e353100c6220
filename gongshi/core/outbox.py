"""The transactional outbox: side effects recorded with the change, carried out by the worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from gongshi.storage.models import OutboxEvent

SEARCH_UPSERT = "search.upsert"
SEARCH_DELETE = "search.delete"
# Asks the worker that writes the search index to rebuild it from the database.
SEARCH_REINDEX = "search.reindex"


def row(topic: str, key: str, now: datetime, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """An outbox row as column values, for callers that insert many at once."""
    return {"topic": topic, "key": key, "payload": payload or {}, "created_at": now, "attempts": 0}


def emit(
    session: Session, topic: str, key: str, now: datetime, payload: dict[str, Any] | None = None
) -> None:
    session.add(OutboxEvent(**row(topic, key, now, payload)))

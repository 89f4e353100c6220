"""The working-day calendar as loaded from the database (package schedule + admin overrides)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from gongshi.domain.workdays import WorkCalendar
from gongshi.storage.db import Database
from gongshi.storage.models import CalendarDay, CalendarYear


def load_calendar(db: Database) -> WorkCalendar:
    with db.read() as s:
        overrides = {row.day: row.is_workday for row in s.scalars(select(CalendarDay))}
        years = list(s.scalars(select(CalendarYear.year)))
    return WorkCalendar(overrides=overrides, official_years=years)


class CalendarStore:
    """Caches the calendar for a short time: overrides change a few times a year, lookups are constant."""

    def __init__(self, db: Database, ttl_seconds: float = 30.0) -> None:
        self._db = db
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._cached: WorkCalendar | None = None
        self._loaded_at = 0.0

    def get(self) -> WorkCalendar:
        with self._lock:
            if self._cached is None or time.monotonic() - self._loaded_at > self._ttl:
                self._cached = load_calendar(self._db)
                self._loaded_at = time.monotonic()
            return self._cached

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None

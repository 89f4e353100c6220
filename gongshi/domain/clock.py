"""Time in Asia/Shanghai, where the dates and deadlines of the regulations live."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_time(moment: datetime | None) -> str:
    """A moment as Beijing time to the minute (2026-12-01 20:05), or "" for none."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""

"""Timeliness of publication and withdrawal, as the portal's statistics report it (issue 12).

The facts are fixed when each step happens and stored on the read model (`disclosures`), so the
statistics group on stored values and never walk the working-day calendar per row:

- publish_working_days: working days after decided_on up to and including the publication day
  (Asia/Shanghai), by the working-day calendar in force at publication;
- published_on_time: the publication day was on or before the decision's publish_by (Art 11: 7
  working days for licensing and penalties, 20 for the rest; see gongshi.domain.windows);
- withdrawn_on_time: the withdrawal day was on or before its withdraw_by (Art 12: 3 working days,
  and 3 calendar days for penalties under 行政处罚法 Art 48).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from gongshi.domain.workdays import WorkCalendar


def publication_fields(
    decided_on: date, publish_by: date, published_on: date, cal: WorkCalendar
) -> dict[str, Any]:
    """Read-model columns for a decision published on `published_on`."""
    return {
        "publish_working_days": max(0, cal.working_days_between(decided_on, published_on)),
        "published_on_time": published_on <= publish_by,
    }


def withdrawn_on_time(withdrawn_on: date, withdraw_by: date | None) -> bool | None:
    """Whether a withdrawal met its deadline; None when no deadline was set."""
    return None if withdraw_by is None else withdrawn_on <= withdraw_by


def median(histogram: Mapping[int, int]) -> float | None:
    """The median of a multiset given as value → count (the mean of the two middle values if even)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if lower is None and seen > lower_rank:
            lower = value
        if seen > upper_rank:
            upper = value
            break
    assert lower is not None and upper is not None
    return (lower + upper) / 2

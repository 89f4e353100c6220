"""Statistics for the portal, from the published read model only (the `disclosures` table).

Counts are of disclosures by decision year (decided_on, Asia/Shanghai dates), agency and kind. A
disclosure that is current or has run its publication period (expired) counts as published; a
withdrawn one is counted apart, since it was taken down (revoked, corrected by re-making…).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from msgspec import Struct
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongshi.domain.intake import KINDS
from gongshi.domain.labels import KIND
from gongshi.storage.models import Agency, Disclosure

KIND_LABELS = KIND
PUBLISHED = ("published", "expired")


class Row(Struct, frozen=True, kw_only=True):
    """One count: published (current or expired) and withdrawn disclosures for a key."""

    key: str
    label: str
    published: int
    withdrawn: int


class Stats(Struct, frozen=True, kw_only=True):
    agency: str | None
    agency_name: str | None
    year: int | None
    kind: str | None
    total_published: int
    total_withdrawn: int
    by_year: list[Row]
    by_kind: list[Row]
    by_agency: list[Row]
    years: list[int]
    agencies: list[Row]


GroupedRow = tuple[str, str, int, str, str, int]  # agency code, agency name, year, kind, status, count


def grouped(session: Session) -> list[GroupedRow]:
    """Counts of disclosures by agency, decision year, kind and status.

    Answered from the covering index ix_disclosures_stats; agency names come from the (small)
    agencies table rather than from each row, which would defeat the index.
    """
    year_col = func.extract("year", Disclosure.decided_on)
    query = select(
        Disclosure.agency_code, year_col, Disclosure.kind, Disclosure.status, func.count()
    ).group_by(Disclosure.agency_code, year_col, Disclosure.kind, Disclosure.status)
    counts = session.execute(query).all()
    names = dict(session.execute(select(Agency.code, Agency.name)).all())
    return [(code, names.get(code, code), int(y), k, status, int(n)) for code, y, k, status, n in counts]


def compute(
    rows: list[GroupedRow], *, agency: str | None = None, year: int | None = None, kind: str | None = None
) -> Stats:
    """The three breakdowns are sums over the grouped rows, each honouring the other filters."""
    names = {code: name for code, name, *_ in rows}
    all_years = sorted({y for _, _, y, *_ in rows}, reverse=True)

    def pick(*, a: bool = True, y: bool = True, k: bool = True) -> list[tuple[str, int, str, str, int]]:
        return [
            (code, yr, kd, status, n)
            for code, _, yr, kd, status, n in rows
            if (not a or agency is None or code == agency)
            and (not y or year is None or yr == year)
            and (not k or kind is None or kd == kind)
        ]

    def tally(items: list[tuple[str, int, str, str, int]], index: int) -> dict[Any, list[int]]:
        out: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
        for item in items:
            slot = 0 if item[3] in PUBLISHED else 1 if item[3] == "withdrawn" else None
            if slot is not None:
                out[item[index]][slot] += item[4]
        return out

    by_year = tally(pick(y=False), 1)
    by_kind = tally(pick(k=False), 2)
    by_agency = tally(pick(a=False), 0)
    everything = tally(pick(), 3)
    agencies_all = tally(pick(a=False, y=False, k=False), 0)
    return Stats(
        agency=agency,
        agency_name=names.get(agency) if agency else None,
        year=year,
        kind=kind,
        total_published=sum(v[0] for v in everything.values()),
        total_withdrawn=sum(v[1] for v in everything.values()),
        by_year=[
            Row(key=str(y), label=f"{y} 年", published=v[0], withdrawn=v[1])
            for y, v in sorted(by_year.items())
        ],
        by_kind=[
            Row(key=k, label=KIND_LABELS[k], published=by_kind[k][0], withdrawn=by_kind[k][1])
            for k in KINDS
            if k in by_kind
        ],
        by_agency=sorted(
            (Row(key=c, label=names[c], published=v[0], withdrawn=v[1]) for c, v in by_agency.items()),
            key=lambda r: (-r.published, r.key),
        ),
        years=all_years,
        agencies=sorted(
            (Row(key=c, label=names[c], published=v[0], withdrawn=v[1]) for c, v in agencies_all.items()),
            key=lambda r: r.label,
        ),
    )

"""Statistics for the portal, from the published read model only (the `disclosures` table).

Counts are of disclosures by decision year (decided_on, Asia/Shanghai dates), agency and kind. A
disclosure that is current or has run its publication period (expired) counts as published; a
withdrawn one is counted apart, since it was taken down (revoked, corrected by re-making…).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from msgspec import Struct
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gongshi.domain.intake import KINDS
from gongshi.domain.labels import KIND
from gongshi.domain.timeliness import median
from gongshi.publication.states import AWAITING_PUBLICATION
from gongshi.storage.models import Agency, Decision, Disclosure

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


Entry = tuple[str, int, str, int, int]  # agency code, year, kind, published, withdrawn


class Prepared:
    """Grouped rows summed over status and indexed by agency, year and kind, once per cache refresh.

    A filter's breakdowns then walk only the entries of the most selective filter given (one
    agency's ~50 instead of every group), which keeps a request's CPU time low on 1M disclosures.
    """

    def __init__(self, rows: list[GroupedRow]) -> None:
        self.names = {code: name for code, name, *_ in rows}
        self.years = sorted({y for _, _, y, *_ in rows}, reverse=True)
        cube: dict[tuple[str, int, str], list[int]] = {}
        for code, _, y, kd, status, n in rows:
            slot = 0 if status in PUBLISHED else 1 if status == "withdrawn" else None
            if slot is not None:
                cube.setdefault((code, y, kd), [0, 0])[slot] += n
        self.entries: list[Entry] = [(c, y, k, v[0], v[1]) for (c, y, k), v in cube.items()]
        self.index: tuple[dict[Any, list[Entry]], ...] = ({}, {}, {})
        for e in self.entries:
            for pos in range(3):
                self.index[pos].setdefault(e[pos], []).append(e)
        everyone = _tally(self.entries, 0)
        self.agencies = sorted(
            (Row(key=c, label=self.names[c], published=v[0], withdrawn=v[1]) for c, v in everyone.items()),
            key=lambda r: r.label,
        )

    def pick(self, filters: list[tuple[int, Any]]) -> list[Entry]:
        """Entries matching every (position, value) filter, starting from the smallest index list."""
        if not filters:
            return self.entries
        lists = [self.index[pos].get(value, []) for pos, value in filters]
        start = min(range(len(lists)), key=lambda i: len(lists[i]))
        rest = [f for i, f in enumerate(filters) if i != start]
        return [e for e in lists[start] if all(e[pos] == value for pos, value in rest)]


def _tally(entries: list[Entry], index: int) -> dict[Any, list[int]]:
    out: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for e in entries:
        slot = out[e[index]]
        slot[0] += e[3]
        slot[1] += e[4]
    return out


def compute(
    rows: list[GroupedRow] | Prepared,
    *,
    agency: str | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> Stats:
    """The three breakdowns are sums over the grouped rows, each honouring the other filters."""
    prepared = rows if isinstance(rows, Prepared) else Prepared(rows)
    names = prepared.names
    given = {0: agency, 1: year, 2: kind}

    def pick(*skip: int) -> list[Entry]:
        return prepared.pick([(pos, v) for pos, v in given.items() if v is not None and pos not in skip])

    by_year = _tally(pick(1), 1)
    by_kind = _tally(pick(2), 2)
    by_agency = _tally(pick(0), 0)
    everything = _tally(pick(), 0)
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
        years=prepared.years,
        agencies=prepared.agencies,
    )


# --- Timeliness (issue 12) -------------------------------------------------------------------


class Timeliness(Struct, frozen=True, kw_only=True):
    """One agency's (or all agencies') timeliness for one decision year, from the stored facts.

    published: decisions of the year published so far (including those since withdrawn or expired);
    on_time: of those, published on or before publish_by; median_working_days: from decided_on to
    the publication day; withdrawals / withdrawn_on_time: decisions of the year withdrawn, and of those
    withdrawn by their withdraw_by; overdue_now: decisions of the year still unpublished today
    although past publish_by (withheld ones are not owed).
    """

    agency_code: str
    agency_name: str
    year: int
    published: int
    on_time: int
    on_time_share: float | None
    median_working_days: float | None
    withdrawals: int
    withdrawn_on_time: int
    overdue_now: int


class TimelinessCell(Struct, kw_only=True):
    """Counts for one (agency, year), with the histogram of working days that the median needs."""

    published: int = 0
    on_time: int = 0
    days: dict[int, int] = {}
    withdrawals: int = 0
    withdrawn_on_time: int = 0
    overdue_now: int = 0

    def add(self, other: TimelinessCell) -> None:
        self.published += other.published
        self.on_time += other.on_time
        for d, n in other.days.items():
            self.days[d] = self.days.get(d, 0) + n
        self.withdrawals += other.withdrawals
        self.withdrawn_on_time += other.withdrawn_on_time
        self.overdue_now += other.overdue_now


TimelinessCells = dict[tuple[str, int], TimelinessCell]


def timeliness_cells(session: Session, today: date, agency_code: str | None = None) -> TimelinessCells:
    """Counts per (agency code, decision year): two grouped queries, both answered from indexes."""
    year_col = func.extract("year", Disclosure.decided_on)
    query = select(
        Disclosure.agency_code,
        year_col,
        Disclosure.status,
        Disclosure.published_on_time,
        Disclosure.publish_working_days,
        Disclosure.withdrawn_on_time,
        func.count(),
    ).group_by(
        Disclosure.agency_code,
        year_col,
        Disclosure.status,
        Disclosure.published_on_time,
        Disclosure.publish_working_days,
        Disclosure.withdrawn_on_time,
    )
    if agency_code is not None:
        query = query.where(Disclosure.agency_code == agency_code)
    cells: TimelinessCells = {}
    for code, y, status, on_time, days, withdrawn_ok, n in session.execute(query):
        cell = cells.setdefault((code, int(y)), TimelinessCell(days={}))
        n = int(n)
        if on_time is not None:
            cell.published += n
            cell.on_time += n if on_time else 0
            if days is not None:
                cell.days[int(days)] = cell.days.get(int(days), 0) + n
        if status == "withdrawn":
            cell.withdrawals += n
            cell.withdrawn_on_time += n if withdrawn_ok else 0
    decision_year = func.extract("year", Decision.decided_on)
    overdue = (
        select(Agency.code, decision_year, func.count())
        .join(Agency, Agency.id == Decision.agency_id)
        .where(Decision.state.in_(sorted(AWAITING_PUBLICATION)), Decision.publish_by < today)
        .group_by(Agency.code, decision_year)
    )
    if agency_code is not None:
        overdue = overdue.where(Agency.code == agency_code)
    for code, y, n in session.execute(overdue):
        cells.setdefault((code, int(y)), TimelinessCell(days={})).overdue_now += int(n)
    return cells


def timeliness_row(code: str, name: str, year: int, cell: TimelinessCell) -> Timeliness:
    return Timeliness(
        agency_code=code,
        agency_name=name,
        year=year,
        published=cell.published,
        on_time=cell.on_time,
        on_time_share=round(cell.on_time / cell.published, 4) if cell.published else None,
        median_working_days=median(cell.days),
        withdrawals=cell.withdrawals,
        withdrawn_on_time=cell.withdrawn_on_time,
        overdue_now=cell.overdue_now,
    )


class TimelinessTable(Struct, frozen=True, kw_only=True):
    rows: list[Timeliness]  # per agency and year, matching the filters
    by_year: list[Timeliness]  # per year, all matching agencies together (newest first)
    by_agency: list[Timeliness]  # per agency, all matching years together (most published first)


class TimelinessIndex(Struct, frozen=True, kw_only=True):
    """Every row and both kinds of totals, finalised once per cache refresh (medians included)."""

    rows: list[Timeliness]
    agency_totals: list[Timeliness]  # year 0
    year_totals: list[Timeliness]  # agency_code ""


def timeliness_index(cells: TimelinessCells, names: dict[str, str]) -> TimelinessIndex:
    per_year: dict[int, TimelinessCell] = {}
    per_agency: dict[str, TimelinessCell] = {}
    for (code, y), cell in cells.items():
        per_year.setdefault(y, TimelinessCell(days={})).add(cell)
        per_agency.setdefault(code, TimelinessCell(days={})).add(cell)
    return TimelinessIndex(
        rows=[timeliness_row(code, names.get(code, code), y, cells[(code, y)]) for code, y in sorted(cells)],
        agency_totals=sorted(
            (timeliness_row(code, names.get(code, code), 0, cell) for code, cell in per_agency.items()),
            key=lambda r: (-r.published, r.agency_code),
        ),
        year_totals=[timeliness_row("", "", y, cell) for y, cell in sorted(per_year.items(), reverse=True)],
    )


def timeliness(
    index: TimelinessIndex, *, agency: str | None = None, year: int | None = None
) -> TimelinessTable:
    """Rows for the filters, with per-year and per-agency totals; no merging at request time."""
    rows = [
        r
        for r in index.rows
        if (agency is None or r.agency_code == agency) and (year is None or r.year == year)
    ]
    if agency is None:
        by_year = [r for r in index.year_totals if year is None or r.year == year]
    else:
        by_year = sorted(rows, key=lambda r: -r.year)
    if year is None:
        by_agency = [r for r in index.agency_totals if agency is None or r.agency_code == agency]
    else:
        by_agency = sorted(rows, key=lambda r: (-r.published, r.agency_code))
    return TimelinessTable(rows=rows, by_year=by_year, by_agency=by_agency)

"""Portal pages for the agency directory, statistics and annual reports (issue 4).

Each HTML page has a JSON twin under /api/public/v1/ built from the same public Structs. The
directory tables are read directly: a save in gongshi is published at once (see agencies/rule.py).
"""

from __future__ import annotations

import threading
import weakref
from typing import Annotated, Any

import msgspec
from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, Parameter
from litestar.response import Template
from sqlalchemy import select

from gongshi.agencies import public, stats
from gongshi.agencies.charts import bar_chart
from gongshi.agencies.schemas import FIGURE_GROUPS
from gongshi.errors import InvalidInput, NotFound
from gongshi.portal.context import Portal
from gongshi.portal.labels import KIND, region_name
from gongshi.portal.schemas import AgencyDirectory, StatsOut, TimelinessOut
from gongshi.publication import states
from gongshi.storage.models import Agency

CACHE = {"Cache-Control": "public, max-age=60"}
# One statistics cache per database (a test's app, or the one a server process uses).
STATS_CACHES: weakref.WeakKeyDictionary[Any, public.StaleWhileRevalidate] = weakref.WeakKeyDictionary()
STATS_TTL = 60.0
Query = Annotated[str | None, Parameter(max_length=100)]
Year = Annotated[str | None, Parameter(max_length=10)]
WITHDRAW_SHORT = {
    "revoked": "被依法撤销",
    "confirmed_illegal": "被确认违法",
    "redo_ordered": "被责令重新作出",
    "error": "信息有误",
    "credit_repair": "信用修复",
    "other": "其他",
}


def _page(name: str, **context: Any) -> Template:
    return Template(
        template_name=f"portal/agencies/{name}",
        context={"kind_labels": KIND, "region_name": region_name, **context},
        # Pages follow the 长辈版 cookie, so a shared cache must key on it.
        headers={**CACHE, "Vary": "Cookie"},
    )


def _grouped(
    agencies: list[public.PublicAgencySummary],
) -> list[tuple[str, list[public.PublicAgencySummary]]]:
    groups: dict[str, list[public.PublicAgencySummary]] = {}
    for a in agencies:
        groups.setdefault(region_name(a.region) if a.region else "其他", []).append(a)
    return list(groups.items())


def _q(q: str | None) -> str | None:
    return q.strip() or None if q else None


def _year(raw: str | None) -> int | None:
    """The filter form sends year= when no year is chosen; anything else must be a plausible year."""
    value = _q(raw)
    if value is None:
        return None
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise InvalidInput(f"年度应为 1990～2100 之间的整数，收到“{value}”", field="year")
    return int(value)


@get("/agencies", sync_to_thread=True, include_in_schema=False)
def directory_page(portal: NamedDependency[Portal], q: FromQuery[Query] = None) -> Template:
    with portal.wf.db.read() as session:
        agencies = public.summaries(session, "", _q(q))
    return _page("list.html", q=_q(q) or "", groups=_grouped(agencies), total=len(agencies))


@get("/api/public/v1/agencies", sync_to_thread=True, summary="执法机关名录", tags=["执法机关"])
def directory_json(portal: NamedDependency[Portal], q: FromQuery[Query] = None) -> Response[AgencyDirectory]:
    with portal.wf.db.read() as session:
        agencies = public.summaries(session, portal.base_url, _q(q))
    return Response(AgencyDirectory(total=len(agencies), items=agencies), headers=CACHE)


def _agency(portal: Portal, code: str) -> public.PublicAgency:
    with portal.wf.db.read() as session:
        found = public.agency(session, code, portal.wf.today(), portal.base_url)
    if found is None:
        raise NotFound("没有该执法机关", field="code", code="agency_not_found")
    return found


@get("/agencies/{code:str}", sync_to_thread=True, include_in_schema=False)
def agency_page(portal: NamedDependency[Portal], code: FromPath[str]) -> Template:
    a = _agency(portal, code)
    return _page("agency.html", a=a, json_url=f"/api/public/v1/agencies/{a.code}")


@get(
    "/api/public/v1/agencies/{code:str}",
    sync_to_thread=True,
    summary="执法机关信息（事前公开）",
    tags=["执法机关"],
)
def agency_json(portal: NamedDependency[Portal], code: FromPath[str]) -> Response[public.PublicAgency]:
    return Response(_agency(portal, code), headers=CACHE)


def _stats(portal: Portal, agency: str | None, year: int | None, kind: str | None) -> stats.Stats:
    if kind is not None and kind not in stats.KIND_LABELS:
        raise InvalidInput(f"未知的执法类别 {kind}，可选：{'、'.join(stats.KIND_LABELS)}", field="kind")

    def load() -> list[stats.GroupedRow]:
        with portal.wf.db.read() as session:
            return stats.grouped(session)

    cache = STATS_CACHES.setdefault(portal.wf.db, public.StaleWhileRevalidate(ttl=STATS_TTL))
    rows: list[stats.GroupedRow] = cache.get("rows", load)
    result = BREAKDOWNS.get(rows, agency, year, kind)
    if agency is not None and result.agency_name is None:
        raise InvalidInput(f"没有机关 {agency} 的公示统计", field="agency")
    return result


class _Breakdowns:
    """Breakdowns per filter, memoised for as long as the same grouped rows are served."""

    def __init__(self, size: int = 512) -> None:
        self._lock = threading.Lock()
        self._rows: object = None
        self._memo: dict[tuple[Any, ...], stats.Stats] = {}
        self._prepared = stats.Prepared([])
        self._size = size

    def get(
        self, rows: list[stats.GroupedRow], agency: str | None, year: int | None, kind: str | None
    ) -> stats.Stats:
        key = (agency, year, kind)
        with self._lock:
            if self._rows is not rows:  # new rows from the cache: forget the old answers
                self._rows, self._memo = rows, {}
                self._prepared = stats.Prepared(rows)
            hit = self._memo.get(key)
            prepared = self._prepared
        if hit is not None:
            return hit
        result = stats.compute(prepared, agency=agency, year=year, kind=kind)
        with self._lock:
            if self._rows is rows and len(self._memo) < self._size:
                self._memo[key] = result
        return result


BREAKDOWNS = _Breakdowns()


class _TimelinessMemo:
    """Timeliness tables per filter, memoised for as long as the same cells are served."""

    def __init__(self, size: int = 512) -> None:
        self._lock = threading.Lock()
        self._cells: object = None
        self._memo: dict[tuple[Any, ...], stats.TimelinessTable] = {}
        self._size = size

    def get(
        self, loaded: stats.TimelinessIndex, agency: str | None, year: int | None
    ) -> stats.TimelinessTable:
        key = (agency, year)
        with self._lock:
            if self._cells is not loaded:
                self._cells, self._memo = loaded, {}
            hit = self._memo.get(key)
        if hit is not None:
            return hit
        result = stats.timeliness(loaded, agency=agency, year=year)
        with self._lock:
            if self._cells is loaded and len(self._memo) < self._size:
                self._memo[key] = result
        return result


TIMELINESS = _TimelinessMemo()


def _timeliness(portal: Portal, agency: str | None, year: int | None) -> stats.TimelinessTable:
    """Timeliness per agency and year, cached like the counts (stale-while-revalidate, per database)."""

    def load() -> stats.TimelinessIndex:
        with portal.wf.db.read() as session:
            cells = stats.timeliness_cells(session, portal.wf.today())
            names = dict(session.execute(select(Agency.code, Agency.name)).all())
        return stats.timeliness_index(cells, names)

    cache = STATS_CACHES.setdefault(portal.wf.db, public.StaleWhileRevalidate(ttl=STATS_TTL))
    return TIMELINESS.get(cache.get("timeliness", load), agency, year)


def _percent(share: float | None) -> int:
    return round(share * 100) if share is not None else 0


def _filters_query(agency: str | None, year: int | None, kind: str | None) -> str:
    parts = [f"{k}={v}" for k, v in (("agency", agency), ("year", year), ("kind", kind)) if v]
    return "?" + "&".join(parts) if parts else ""


@get("/stats", sync_to_thread=True, include_in_schema=False)
def stats_page(
    portal: NamedDependency[Portal],
    agency: FromQuery[Query] = None,
    year: FromQuery[Year] = None,
    kind: FromQuery[Query] = None,
) -> Template:
    agency, kind, chosen = _q(agency), _q(kind), _year(year)
    s = _stats(portal, agency, chosen, kind)
    scope = (
        "、".join(
            x for x in (s.agency_name, f"{chosen} 年" if chosen else None, KIND.get(kind or "") or None) if x
        )
        or "全部机关、全部年度"
    )
    charts = {
        "year": bar_chart(
            f"各年度公示决定数（{scope}）",
            [(r.label, r.published) for r in s.by_year],
            chart_id="chart-year",
        ),
        "kind": bar_chart(
            f"各执法类别公示决定数（{scope}）",
            [(r.label, r.published) for r in s.by_kind],
            chart_id="chart-kind",
        ),
        "agency": bar_chart(
            f"公示决定数最多的机关（{scope}）",
            [(r.label, r.published) for r in s.by_agency[:15]],
            chart_id="chart-agency",
        ),
    }
    t = _timeliness(portal, agency, chosen)
    timely_scope = (
        "、".join(x for x in (s.agency_name, f"{chosen} 年" if chosen else None) if x) or "全部机关、全部年度"
    )
    if agency:
        timely_rows = [(f"{r.year} 年", r) for r in sorted(t.rows, key=lambda r: -r.year)]
    else:
        timely_rows = [(r.agency_name, r) for r in t.by_agency]
    charts["timeliness"] = bar_chart(
        f"按期公示率（{timely_scope}）",
        [(label, _percent(r.on_time_share)) for label, r in timely_rows[:15]],
        chart_id="chart-timeliness",
        unit="%",
    )
    return _page(
        "stats.html",
        s=s,
        t=t,
        timely_rows=timely_rows,
        timely_scope=timely_scope,
        charts=charts,
        scope=scope,
        json_url="/api/public/v1/stats" + _filters_query(agency, chosen, kind),
    )


@get("/api/public/v1/stats", sync_to_thread=True, summary="公示统计（按机关、年度、类别）", tags=["统计"])
def stats_json(
    portal: NamedDependency[Portal],
    agency: FromQuery[Query] = None,
    year: FromQuery[Year] = None,
    kind: FromQuery[Query] = None,
) -> Response[StatsOut]:
    s = _stats(portal, _q(agency), _year(year), _q(kind))
    counts = msgspec.structs.asdict(s)
    del counts["agencies"]  # the filter's choices, for the page
    # Per agency and decision year; honours agency and year, not kind (the windows differ by kind
    # but the figure is the agency's).
    timeliness = [
        TimelinessOut(**{k: v for k, v in msgspec.structs.asdict(row).items() if k != "agency_name"})
        for row in _timeliness(portal, s.agency, s.year).rows
    ]
    return Response(StatsOut(**counts, timeliness=timeliness), headers=CACHE)


def _report(portal: Portal, code: str, year: int) -> public.PublicReport:
    with portal.wf.db.read() as session:
        found = public.report(session, code, year, portal.base_url)
    if found is None:
        raise NotFound(f"{year} 年度统计年报尚未公开", field="year", code="report_not_found")
    return found


@get("/agencies/{code:str}/reports/{year:int}", sync_to_thread=True, include_in_schema=False)
def report_page(portal: NamedDependency[Portal], code: FromPath[str], year: FromPath[int]) -> Template:
    r = _report(portal, code, year)
    derived = r.derived
    chart = bar_chart(
        f"{r.agency_name} {r.year} 年度各类行政执法决定数",
        [(KIND.get(k, k), v) for k, v in derived.get("decisions_by_kind", {}).items()],
        chart_id="chart-report",
    )
    return _page(
        "report.html",
        r=r,
        groups=FIGURE_GROUPS,
        chart=chart,
        state_labels=states.LABELS,
        withdraw_labels=WITHDRAW_SHORT,
        json_url=f"/api/public/v1/agencies/{r.code}/reports/{r.year}",
    )


@get(
    "/api/public/v1/agencies/{code:str}/reports/{year:int}",
    sync_to_thread=True,
    summary="行政执法统计年报",
    tags=["统计"],
)
def report_json(
    portal: NamedDependency[Portal], code: FromPath[str], year: FromPath[int]
) -> Response[public.PublicReport]:
    return Response(_report(portal, code, year), headers=CACHE)


# Route handlers and controllers this module adds to the portal app.
ROUTES: list[Any] = [
    directory_page,
    directory_json,
    agency_page,
    agency_json,
    stats_page,
    stats_json,
    report_page,
    report_json,
]

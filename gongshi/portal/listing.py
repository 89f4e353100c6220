"""Runs public queries against the search engine (or the read model) and shapes the results."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from sqlalchemy import Select, Text, cast, func, select

from gongshi.core.context import Workflow
from gongshi.domain.clock import SHANGHAI
from gongshi.domain.public import decode_public
from gongshi.errors import GongshiError
from gongshi.portal.labels import KIND, PENALTY_CATEGORY, region_name
from gongshi.portal.query import Filters
from gongshi.portal.reader import SearchReader
from gongshi.portal.schemas import FacetValue, Item, Listing
from gongshi.search import SearchError, SearchHit, SearchResult
from gongshi.search.base import MAX_PER_PAGE, MAX_RESULT_WINDOW
from gongshi.storage.models import Disclosure

log = logging.getLogger("gongshi.portal")


class SearchUnavailable(GongshiError):
    status = 503
    code = "search_unavailable"


_FACETS = {"agency_code": "agency", "kind": "kind", "region": "region", "penalty_categories": "category"}


def _from_yyyymmdd(value: int) -> date:
    return date(value // 10000, value // 100 % 100, value % 100)


def detail_path(public_id: str) -> str:
    return f"/disclosures/{public_id}"


def _item_from_hit(hit: SearchHit, base_url: str) -> Item:
    doc = hit.document
    snippet = hit.highlights.get("body") or next((s for f, s in hit.highlights.items() if f != "title"), None)
    title = hit.highlights.get("title")
    return Item(
        id=doc.id,
        title=doc.title,
        agency=doc.agency_name,
        agency_code=doc.agency_code,
        kind=doc.kind,
        region=doc.region,
        decided_on=_from_yyyymmdd(doc.decided_on),
        published_at=datetime.fromtimestamp(doc.published_at, UTC),
        document_number=doc.document_number,
        party_name=doc.party_name,
        penalty_categories=list(doc.penalty_categories),
        url=base_url + detail_path(doc.id),
        snippet=snippet.text if snippet else None,
        snippet_html=snippet.html if snippet else None,
        title_html=title.html if title and "<mark>" in title.html else None,
    )


def _facets(result: SearchResult, names: AgencyNames) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    agency_labels = names.lookup(list(result.facets.get("agency_code", {})))
    for field, param in _FACETS.items():
        counts = result.facets.get(field, {})
        values = []
        for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if param == "agency":
                label = agency_labels.get(value, value)
            elif param == "kind":
                label = KIND.get(value, value)
            elif param == "region":
                label = region_name(value)
            else:
                label = PENALTY_CATEGORY.get(value, value)
            values.append(FacetValue(value=value, label=label, count=count))
        out[param] = values
    return out


class AgencyNames:
    """Agency code → name, from the read model itself; cached, names rarely change."""

    TTL = 600.0

    def __init__(self, wf: Workflow) -> None:
        self._wf = wf
        self._names: dict[str, tuple[str, float]] = {}

    def remember(self, code: str, name: str) -> None:
        self._names[code] = (name, time.monotonic() + self.TTL)

    def lookup(self, codes: list[str]) -> dict[str, str]:
        now = time.monotonic()
        found: dict[str, str] = {}
        missing = []
        for code in codes:
            cached = self._names.get(code)
            if cached and cached[1] > now:
                found[code] = cached[0]
            else:
                missing.append(code)
        if missing:
            with self._wf.db.read() as session:
                rows = session.execute(
                    select(Disclosure.agency_code, func.max(Disclosure.agency_name))
                    .where(Disclosure.agency_code.in_(missing))
                    .group_by(Disclosure.agency_code)
                ).all()
            for code, name in rows:
                self.remember(code, name)
                found[code] = name
        return found


def search(
    reader: SearchReader, wf: Workflow, names: AgencyNames, filters: Filters, base_url: str
) -> Listing:
    """One page of results with facets; the read model answers when the engine cannot."""
    if filters.modified_since is not None or not (reader.indexed or filters.q or filters.category):
        return database_page(wf, filters, base_url)  # (without search, a text query finds nothing)
    try:
        result = reader.search(filters.search_query())
    except SearchError as exc:
        if filters.q or filters.category:
            log.warning("search engine unavailable: %s", exc)
            raise SearchUnavailable("检索服务暂时不可用，请稍后再试；公示详情页不受影响") from exc
        log.warning("search engine unavailable, listing from the database: %s", exc)
        return database_page(wf, filters, base_url)
    items = [_item_from_hit(hit, base_url) for hit in result.hits]
    for item in items:
        names.remember(item.agency_code, item.agency)
    return Listing(total=result.total, items=items, facets=_facets(result, names))


# --- the read model ------------------------------------------------------------------------------

_COLUMNS: tuple[Any, ...] = (
    Disclosure.public_id,
    Disclosure.title,
    Disclosure.agency_name,
    Disclosure.agency_code,
    Disclosure.kind,
    Disclosure.region,
    Disclosure.decided_on,
    Disclosure.published_at,
    Disclosure.document_number,
    # The public record as its stored JSON text, decoded once per row into PublicDecision.
    cast(Disclosure.record, Text).label("record_json"),
)


def _db_filtered(filters: Filters) -> Select[Any]:
    query = select(*_COLUMNS).where(Disclosure.status == "published")
    if filters.agency:
        query = query.where(Disclosure.agency_code.in_(filters.agency))
    if filters.kind:
        query = query.where(Disclosure.kind.in_(filters.kind))
    if filters.region:
        query = query.where(Disclosure.region.in_(filters.region))
    if filters.date_from:
        query = query.where(Disclosure.decided_on >= filters.date_from)
    if filters.date_to:
        query = query.where(Disclosure.decided_on <= filters.date_to)
    if filters.modified_since:
        query = query.where(Disclosure.updated_at >= filters.modified_since)
    return query


def _item_from_row(row: Any, base_url: str) -> Item:
    public = decode_public(row.record_json)
    return Item(
        id=row.public_id,
        title=row.title,
        agency=row.agency_name,
        agency_code=row.agency_code,
        kind=row.kind,
        region=row.region,
        decided_on=row.decided_on,
        published_at=row.published_at,
        document_number=row.document_number,
        party_name=public.party.name,
        penalty_categories=list(public.penalty.categories) if public.penalty else [],
        url=base_url + detail_path(row.public_id),
    )


def _matches_category(item: Item, filters: Filters) -> bool:
    return not filters.category or any(c in filters.category for c in item.penalty_categories)


def database_page(wf: Workflow, filters: Filters, base_url: str) -> Listing:
    """A page from the read model: newest decisions first (or oldest changes first with modified_since)."""
    if filters.category:
        raise SearchUnavailable("检索服务暂时不可用，暂不能按处罚种类筛选；请稍后再试")
    query = _db_filtered(filters)
    if filters.modified_since:
        order = (Disclosure.updated_at, Disclosure.public_id)
    else:
        order = (Disclosure.decided_on.desc(), Disclosure.public_id)  # type: ignore[assignment]
    with wf.db.read() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(
            query.order_by(*order).offset((filters.page - 1) * filters.per_page).limit(filters.per_page)
        ).all()
    return Listing(
        total=total, items=[_item_from_row(r, base_url) for r in rows], facets={}, source="database"
    )


def export_rows(reader: SearchReader, wf: Workflow, filters: Filters, base_url: str) -> Iterator[Item]:
    """Every matching disclosure: streamed from the read model without text, paged from the engine with it."""
    if not filters.q:
        yield from _database_rows(wf, filters, base_url)
        return
    page = 1
    while page * MAX_PER_PAGE <= MAX_RESULT_WINDOW:
        paged = msgspec.structs.replace(filters, page=page, per_page=MAX_PER_PAGE)
        try:
            result = reader.search(paged.search_query(facets=False, highlight=False))
        except SearchError as exc:
            raise SearchUnavailable("检索服务暂时不可用，请稍后再试") from exc
        for hit in result.hits:
            yield _item_from_hit(hit, base_url)
        if page * MAX_PER_PAGE >= result.total:
            return
        page += 1


def _database_rows(wf: Workflow, filters: Filters, base_url: str) -> Iterator[Item]:
    query = _db_filtered(filters).order_by(Disclosure.decided_on.desc(), Disclosure.public_id)
    with wf.db.read() as session:
        for row in session.execute(query.execution_options(yield_per=1000)):
            item = _item_from_row(row, base_url)
            if _matches_category(item, filters):
                yield item


def shanghai_date(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()

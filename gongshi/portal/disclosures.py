"""Search and disclosure views: each builds one structure, rendered as HTML, JSON or CSV."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator
from typing import Annotated, Any

import msgspec
from litestar import HttpMethod, Request, Response, get, route
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream, Template

from gongshi.errors import GongshiError, NotFound
from gongshi.parties import corrections
from gongshi.portal import detail as detail_mod
from gongshi.portal.context import Portal
from gongshi.portal.labels import KIND, PENALTY_CATEGORY, region_name
from gongshi.portal.listing import export_rows, search
from gongshi.portal.query import Filters, parse_filters
from gongshi.portal.ratelimit import SEARCH, enforce
from gongshi.portal.schemas import DisclosureOut, Item, Listing, ListingLinks, SearchResponse
from gongshi.search.base import MAX_RESULT_WINDOW

API = "/api/public/v1"
JSON_TWIN = "application/json"


class Gone(GongshiError):
    status = 410
    code = "gone"


def _listing(portal: Portal, request: Request[Any, Any, Any], *, json_api: bool) -> tuple[Filters, Listing]:
    enforce(request, SEARCH)
    filters = parse_filters(request.query_params)
    if not json_api and filters.modified_since:
        filters = msgspec.structs.replace(filters, modified_since=None)
    return filters, search(portal.reader, portal.wf, portal.names, filters, portal.base_url)


def _pages(filters: Filters, total: int) -> dict[str, Any]:
    last = max(1, min(math.ceil(total / filters.per_page), MAX_RESULT_WINDOW // filters.per_page))
    window = range(max(1, filters.page - 3), min(last, filters.page + 3) + 1)
    return {
        "last": last,
        "window": list(window),
        "prev": filters.qs(page=filters.page - 1) if filters.page > 1 else None,
        "next": filters.qs(page=filters.page + 1) if filters.page < last else None,
    }


def _api_body(filters: Filters, listing: Listing, base_url: str) -> SearchResponse:
    qs = filters.qs()
    return SearchResponse(
        total=listing.total,
        page=filters.page,
        per_page=filters.per_page,
        sort=filters.effective_sort,
        items=listing.items,
        facets=listing.facets,
        source=listing.source,
        links=ListingLinks(
            html=f"{base_url}/{qs}",
            csv=f"{base_url}/disclosures.csv{filters.qs(page=1)}",
            next=(
                f"{base_url}{API}/disclosures{filters.qs(page=filters.page + 1)}"
                if filters.page * filters.per_page < min(listing.total, MAX_RESULT_WINDOW)
                else None
            ),
        ),
    )


# Searches run in the thread pool: a cache miss takes milliseconds in the engine, and cached
# searches, detail pages and feeds should not queue behind it on the event loop.
@route("/", http_method=[HttpMethod.GET, HttpMethod.HEAD], sync_to_thread=True, include_in_schema=False)
def search_page(request: Request[Any, Any, Any], portal: NamedDependency[Portal]) -> Template:
    filters, listing = _listing(portal, request, json_api=False)
    selected_agencies = portal.names.lookup(list(filters.agency)) if filters.agency else {}
    return Template(
        "portal/search.html",
        context={
            "f": filters,
            "listing": listing,
            "pages": _pages(filters, listing.total),
            "json_url": f"{API}/disclosures{filters.qs()}",
            "csv_url": f"/disclosures.csv{filters.qs(page=1)}",
            "kinds": KIND,
            "categories": PENALTY_CATEGORY,
            "region_name": region_name,
            "selected_agencies": selected_agencies,
        },
        headers={"Cache-Control": "no-cache"},
    )


@get(
    f"{API}/disclosures",
    sync_to_thread=True,
    summary="检索公示信息",
    description=(
        "与检索页相同的查询，返回 JSON。agency、kind、region、category 可重复（任一匹配）；"
        "from/to 为决定日期范围（YYYY-MM-DD）；sort 为 relevance 或 newest；"
        "modified_since 返回该时间后新增或更正的公示（按变更时间升序，可用于增量同步）。"
    ),
    tags=["公示信息"],
)
def api_search(
    request: Request[Any, Any, Any],
    portal: NamedDependency[Portal],
    q: Annotated[str | None, QueryParameter(description="检索词（全文）")] = None,
    agency: Annotated[
        list[str] | None, QueryParameter(description="执法机关代码（统一社会信用代码）")
    ] = None,
    kind: Annotated[list[str] | None, QueryParameter(description="执法类别：" + "、".join(KIND))] = None,
    region: Annotated[list[str] | None, QueryParameter(description="行政区划代码（6 位）")] = None,
    category: Annotated[
        list[str] | None, QueryParameter(description="处罚种类：" + "、".join(PENALTY_CATEGORY))
    ] = None,
    from_: Annotated[str | None, QueryParameter(name="from", description="决定日期起（YYYY-MM-DD）")] = None,
    to: Annotated[str | None, QueryParameter(description="决定日期止（YYYY-MM-DD）")] = None,
    sort: Annotated[str | None, QueryParameter(description="relevance（默认）或 newest")] = None,
    page: Annotated[str | None, QueryParameter(description="页码，从 1 开始")] = None,
    per_page: Annotated[str | None, QueryParameter(description="每页条数，1–100，默认 10")] = None,
    modified_since: Annotated[str | None, QueryParameter(description="ISO 8601 日期或时间")] = None,
) -> Response[SearchResponse]:
    # The typed parameters document the API; parse_filters validates them with clear messages.
    filters, listing = _listing(portal, request, json_api=True)
    return Response(_api_body(filters, listing, portal.base_url), headers={"Cache-Control": "no-cache"})


CSV_HEADER = [
    "公示编号",
    "标题",
    "决定文书号",
    "执法机关",
    "机关代码",
    "执法类别",
    "行政区划",
    "行政相对人",
    "处罚种类",
    "决定日期",
    "公示日期",
    "链接",
]


def _csv_line(values: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue().encode("utf-8")


def _csv_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_stream(rows: Iterator[Item]) -> Iterator[bytes]:
    yield b"\xef\xbb\xbf" + _csv_line(CSV_HEADER)
    batch: list[bytes] = []
    for item in rows:
        batch.append(
            _csv_line(
                [
                    _csv_cell(v)
                    for v in (
                        item.id,
                        item.title,
                        item.document_number,
                        item.agency,
                        item.agency_code,
                        item.kind_label,
                        item.region_label,
                        item.party_name,
                        "、".join(item.category_labels),
                        item.decided_on.isoformat(),
                        item.published_at.date().isoformat(),
                        item.url,
                    )
                ]
            )
        )
        if len(batch) >= 500:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


@get(
    "/disclosures.csv",
    # The first row of a large export may need a sort over the whole read model: not on the event loop.
    sync_to_thread=True,
    summary="导出检索结果（CSV）",
    description=(
        "参数与检索接口相同。UTF-8 编码并带 BOM，可直接用 Excel 打开。不带检索词时导出全部符合条件的公示；"
        "带检索词时导出前 10000 条匹配结果。"
    ),
    tags=["公示信息"],
)
def export_csv(request: Request[Any, Any, Any], portal: NamedDependency[Portal]) -> Stream:
    """All matching disclosures as CSV (UTF-8 with BOM, so Excel opens it); same parameters as the search."""
    enforce(request, SEARCH)
    filters = parse_filters(request.query_params)
    rows = export_rows(portal.reader, portal.wf, filters, portal.base_url)
    # Pull the first row now so a failing engine is a clean error, not a truncated download.
    first = next(rows, None)

    def all_rows() -> Iterator[Item]:
        if first is not None:
            yield first
            yield from rows

    return Stream(
        _csv_stream(all_rows()),
        media_type="text/csv",  # Litestar adds "; charset=utf-8" to text types itself
        headers={
            "Content-Disposition": 'attachment; filename="gongshi-disclosures.csv"',
            "Cache-Control": "no-cache",
        },
    )


def _correcting(portal: Portal, public_id: str) -> bool:
    """An accepted correction whose corrected revision is not out yet: the page says 更正中."""
    with portal.wf.db.read() as session:
        return corrections.correction_in_progress(session, public_id)


def _conditional(request: Request[Any, Any, Any], tag: str, headers: dict[str, str]) -> Response[Any] | None:
    match = request.headers.get("if-none-match")
    if match and (match.strip() == "*" or tag in [m.strip().removeprefix("W/") for m in match.split(",")]):
        return Response(b"", status_code=304, headers=headers)
    return None


@route(
    "/disclosures/{public_id:str}",
    http_method=[HttpMethod.GET, HttpMethod.HEAD],
    sync_to_thread=False,
    include_in_schema=False,
)
def disclosure_page(
    request: Request[Any, Any, Any], portal: NamedDependency[Portal], public_id: FromPath[str]
) -> Response[Any]:
    row = detail_mod.load(portal.wf, public_id)
    if row is None:
        raise NotFound("未找到该公示信息，可能编号有误或尚未公示")
    elder = request.cookies.get("gs_elder") == "1"
    correcting = row.status == "published" and _correcting(portal, row.public_id)
    tag = detail_mod.etag(row, ("elder" if elder else "") + ("correcting" if correcting else ""))
    headers = {"ETag": tag, "Cache-Control": detail_mod.CACHE_CONTROL, "Vary": "Cookie"}
    not_modified = _conditional(request, tag, headers)
    if not_modified is not None:
        return not_modified
    json_url = f"{API}/disclosures/{row.public_id}"
    if row.status == "published":
        view = detail_mod.public_view(row, portal.base_url, correcting=correcting)
        return Template(
            "portal/disclosure.html",
            context={"d": view, "json_url": json_url, "correcting": correcting},
            headers=headers,
        )
    notice = detail_mod.removal_notice(row, portal.base_url)
    return Template(
        "portal/removed.html", context={"n": notice, "json_url": json_url}, status_code=410, headers=headers
    )


@get(
    f"{API}/disclosures/{{public_id:str}}",
    sync_to_thread=False,
    summary="单条公示信息",
    description="已撤下或公示期满的返回 410，并附撤下说明；从未公示的返回 404。",
    tags=["公示信息"],
)
def api_disclosure(
    request: Request[Any, Any, Any], portal: NamedDependency[Portal], public_id: FromPath[str]
) -> Response[DisclosureOut]:
    row = detail_mod.load(portal.wf, public_id)
    if row is None:
        raise NotFound("未找到该公示信息")
    correcting = row.status == "published" and _correcting(portal, row.public_id)
    tag = detail_mod.etag(row, "json" + ("correcting" if correcting else ""))
    headers = {"ETag": tag, "Cache-Control": detail_mod.CACHE_CONTROL}
    not_modified = _conditional(request, tag, headers)
    if not_modified is not None:
        return not_modified
    if row.status != "published":
        notice: dict[str, Any] = msgspec.to_builtins(detail_mod.removal_notice(row, portal.base_url))
        message, status = notice.pop("message"), notice.pop("status")
        raise Gone(message, code=status, extra=notice)
    return Response(detail_mod.public_view(row, portal.base_url, correcting=correcting), headers=headers)


ROUTES = [search_page, api_search, export_csv, disclosure_page, api_disclosure]

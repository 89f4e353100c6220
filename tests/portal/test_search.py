"""The search page and its JSON twin: filters, facets, sorting, paging, highlighting, errors."""

from __future__ import annotations

from typing import Any

import pytest

from gongshi.portal.ratelimit import Limit
from gongshi.portal.reader import SearchReader
from gongshi.search import SearchError
from tests.portal import rows

WUHU = {"code": "11340200MB1111111Y", "name": "芜湖市市场监督管理局"}


@pytest.fixture
def corpus(wf: Any) -> None:
    rows.insert(wf, "a000000000001", decided_on="2026-03-01")
    rows.insert(
        wf,
        "a000000000002",
        title="芜湖某某餐饮有限公司行政处罚决定书",
        document_number="芜市监罚〔2026〕2号",
        agency=WUHU,
        decided_on="2026-05-01",
        facts="当事人使用过期原料加工食品。",
        penalty={"categories": ["confiscation"], "fine_yuan": None, "confiscated_yuan": "800"},
    )
    rows.insert(
        wf,
        "a000000000003",
        kind="licensing",
        title="合肥某某药房有限公司药品经营许可",
        document_number="合市监许〔2026〕3号",
        decided_on="2026-07-01",
        facts="申请人申请药品经营许可，经审查符合条件。",
        penalty=None,
        license={
            "name": "药品经营许可证",
            "number": "皖AA5510001",
            "valid_from": None,
            "valid_until": "2031-07-01",
        },
    )
    rows.insert(wf, "a000000000004", status="withdrawn", title="已撤下的过期食品案", decided_on="2026-08-01")
    rows.index(wf)


def api(portal: Any, query: str = "") -> dict[str, Any]:
    response = portal.get("/api/public/v1/disclosures" + query)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def ids(data: dict[str, Any]) -> list[str]:
    return [item["id"] for item in data["items"]]


def test_browse_lists_published_newest_first_with_facets(corpus: None, portal: Any) -> None:
    data = api(portal)
    assert ids(data) == ["a000000000003", "a000000000002", "a000000000001"]
    assert data["total"] == 3 and data["page"] == 1
    item = data["items"][0]
    assert item["url"].endswith("/disclosures/a000000000003")
    assert {item[k] for k in ("title", "agency", "kind", "decided_on")} == {
        "合肥某某药房有限公司药品经营许可",
        "合肥市市场监督管理局",
        "licensing",
        "2026-07-01",
    }
    kinds = {f["value"]: f["count"] for f in data["facets"]["kind"]}
    assert kinds == {"penalty": 2, "licensing": 1}
    agencies = {f["label"]: f["count"] for f in data["facets"]["agency"]}
    assert agencies == {"合肥市市场监督管理局": 2, "芜湖市市场监督管理局": 1}


def test_text_query_finds_and_highlights(corpus: None, portal: Any) -> None:
    data = api(portal, "?q=食品")
    # The pharmacy matches through its party name; the withdrawn one never appears.
    assert set(ids(data)) == {"a000000000001", "a000000000002", "a000000000003"}
    page = portal.get("/?q=食品")
    assert page.status_code == 200
    assert "<mark>食品</mark>" in page.text
    assert "共 <strong>3</strong> 条" in page.text
    assert 'href="/api/public/v1/disclosures?q=%E9%A3%9F%E5%93%81"' in page.text
    assert 'rel="alternate" type="application/json"' in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=licensing", {"a000000000003"}),
        ("?kind=licensing&kind=penalty", {"a000000000001", "a000000000002", "a000000000003"}),
        (f"?agency={WUHU['code']}", {"a000000000002"}),
        ("?category=confiscation", {"a000000000002"}),
        ("?category=fine", {"a000000000001"}),
        ("?from=2026-04-01&to=2026-06-30", {"a000000000002"}),
        ("?from=2026-05-01", {"a000000000002", "a000000000003"}),
        ("?region=340200", {"a000000000002"}),
        ("?q=食品&kind=penalty&from=2026-04-01", {"a000000000002"}),
        ("?kind=", {"a000000000001", "a000000000002", "a000000000003"}),
    ],
)
def test_filters(corpus: None, portal: Any, query: str, expected: set[str]) -> None:
    assert set(ids(api(portal, query))) == expected


def test_sort_and_paging(corpus: None, portal: Any) -> None:
    first = api(portal, "?sort=newest&per_page=2")
    assert ids(first) == ["a000000000003", "a000000000002"]
    assert first["links"]["next"].endswith("page=2&per_page=2") or "page=2" in first["links"]["next"]
    second = api(portal, "?sort=newest&per_page=2&page=2")
    assert ids(second) == ["a000000000001"] and second["links"]["next"] is None
    page = portal.get("/?per_page=1&page=2")
    assert 'aria-current="page">2<' in page.text
    assert 'rel="prev"' in page.text and 'rel="next"' in page.text


def test_search_page_is_a_plain_accessible_form(corpus: None, portal: Any) -> None:
    page = portal.get("/?kind=penalty")
    html = page.text
    assert '<form method="get" action="/" role="search"' in html
    assert '<label for="q"' in html and 'id="q"' in html
    assert 'name="kind" value="penalty" checked' in html
    assert "<script" not in html and "style=" not in html


def test_user_text_is_escaped(wf: Any, portal: Any) -> None:
    rows.insert(
        wf,
        "x000000000001",
        title="<script>alert(1)</script>公司处罚决定书",
        facts="<img src=x onerror=alert(1)>",
    )
    rows.index(wf)
    page = portal.get("/?q=公司")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    assert "<img src=x" not in page.text
    detail = portal.get("/disclosures/x000000000001")
    assert "<script>alert(1)" not in detail.text and "<img src=x" not in detail.text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?from=2026-13-45", "from"),
        ("?to=yesterday", "to"),
        ("?page=1000000000", "page"),
        ("?page=0", "page"),
        ("?page=abc", "page"),
        ("?per_page=101", "per_page"),
        ("?kind=parking", "kind"),
        ("?category=flogging", "category"),
        ("?region=34", "region"),
        ("?sort=oldest", "sort"),
        ("?q=" + "字" * 201, "q"),
        ("?from=2026-05-01&to=2026-04-01", "from"),
        ("?modified_since=last-week", "modified_since"),
        ("?page=1&page=2", "page"),
    ],
)
def test_bad_parameters_are_clear_400s(corpus: None, portal: Any, query: str, field: str) -> None:
    response = portal.get("/api/public/v1/disclosures" + query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == field and error["code"] == "invalid_field" and error["message"]
    page = portal.get("/" + query)
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "请求有误" in page.text and f"<code>{field}</code>" in page.text


def test_rate_limit_is_a_429_in_chinese(corpus: None, make_portal: Any) -> None:
    portal = make_portal(rate_limits={"search": Limit(rate=0.01, burst=2), "form": Limit(rate=0.01, burst=2)})
    assert portal.get("/").status_code == 200
    assert portal.get("/api/public/v1/disclosures").status_code == 200
    limited = portal.get("/api/public/v1/disclosures")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert "请求过于频繁" in limited.json()["error"]["message"]
    assert int(limited.headers["retry-after"]) >= 1
    page = portal.get("/")
    assert page.status_code == 429 and "请稍后再试" in page.text
    # Detail pages are not search: they stay available (and cacheable).
    assert portal.get("/disclosures/a000000000001").status_code == 200


def test_engine_down_browse_falls_back_to_the_database(corpus: None, make_portal: Any) -> None:
    def broken() -> Any:
        raise SearchError("index unavailable")

    portal = make_portal(search_reader=SearchReader(broken, interval=0))
    data = api(portal, "?kind=penalty")
    assert data["source"] == "database"
    assert ids(data) == ["a000000000002", "a000000000001"]
    assert "检索服务暂时不可用" in portal.get("/").text
    failed = portal.get("/api/public/v1/disclosures?q=食品")
    assert failed.status_code == 503 and failed.json()["error"]["code"] == "search_unavailable"
    assert portal.get("/disclosures/a000000000001").status_code == 200


def test_modified_since_lists_changes_from_the_read_model(wf: Any, portal: Any) -> None:
    from datetime import UTC, datetime

    rows.insert(wf, "m000000000001", updated_at=datetime(2026, 11, 1, tzinfo=UTC))
    rows.insert(wf, "m000000000002", updated_at=datetime(2026, 11, 20, tzinfo=UTC))
    rows.insert(wf, "m000000000003", status="withdrawn", updated_at=datetime(2026, 11, 21, tzinfo=UTC))
    data = api(portal, "?modified_since=2026-11-10")
    assert ids(data) == ["m000000000002"]
    data = api(portal, "?modified_since=2026-10-01T00:00:00Z")
    assert ids(data) == ["m000000000001", "m000000000002"]


def test_reader_caches_per_index_generation() -> None:
    from gongshi.search import SearchQuery, SearchResult

    calls: list[SearchQuery] = []
    reloads: list[int] = []

    class Engine:
        name = "fake"

        def search(self, query: SearchQuery) -> SearchResult:
            calls.append(query)
            facets = {"kind": {"penalty": 1}} if query.facets else {}
            return SearchResult(total=1, page=query.page, per_page=query.per_page, hits=[], facets=facets)

        def reload(self) -> None:
            reloads.append(1)

    generation = [1]
    reader = SearchReader(lambda: Engine(), generation=lambda: generation[0])  # type: ignore[arg-type,return-value]
    query = SearchQuery(text="食品", facets=["kind"])
    assert reader.search(query).facets == {"kind": {"penalty": 1}}
    assert reader.search(query).total == 1 and len(calls) == 1  # same snapshot: cached
    second_page = reader.search(SearchQuery(text="食品", facets=["kind"], page=2))
    assert second_page.facets == {"kind": {"penalty": 1}} and calls[-1].facets == []  # facets reused
    generation[0] = 2  # the worker committed
    reader.search(query)
    assert len(calls) == 3 and calls[-1].facets == ["kind"] and reloads


def test_warm_up_opens_the_index_at_start_up(corpus: None, settings: Any, make_portal: Any) -> None:
    opened: list[int] = []

    def opener() -> Any:
        from gongshi.search.indexer import engine_for

        opened.append(1)
        return engine_for(settings, writer=False)

    import time

    make_portal(search_reader=SearchReader(opener), warm_up=True)
    deadline = time.monotonic() + 10
    while not opened and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened

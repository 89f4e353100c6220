"""CSV export, Atom feeds and the sitemap: published disclosures only, in formats tools read."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.portal import rows

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
WUHU = {"code": "11340200MB1111111Y", "name": "芜湖市市场监督管理局"}
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def corpus(wf: Any) -> None:
    for n in range(1, 6):
        rows.insert(
            wf,
            f"p00000000000{n}",
            title=f"=合肥第{n}食品有限公司行政处罚决定书"
            if n == 1
            else f"合肥第{n}食品有限公司行政处罚决定书",
            document_number=f"合市监罚〔2026〕{n}号",
            decided_on=f"2026-0{n}-10",
            published_at=T0 + timedelta(days=n),
            penalty={
                "categories": ["fine"] if n % 2 else ["warning"],
                "fine_yuan": None,
                "confiscated_yuan": None,
            },
        )
    rows.insert(
        wf,
        "p000000000006",
        agency=WUHU,
        title="芜湖某某公司行政处罚决定书",
        published_at=T0 + timedelta(days=9),
    )
    rows.insert(
        wf,
        "w000000000001",
        status="withdrawn",
        title="已撤下公司行政处罚决定书",
        published_at=T0 + timedelta(days=10),
    )
    rows.insert(
        wf,
        "e000000000001",
        status="expired",
        title="已过期公司行政处罚决定书",
        published_at=T0 + timedelta(days=11),
    )
    rows.index(wf)


def read_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_has_bom_header_and_every_published_row(corpus: None, portal: Any) -> None:
    table = read_csv(portal.get("/disclosures.csv"))
    assert table[0][:4] == ["公示编号", "标题", "决定文书号", "执法机关"]
    ids = [r[0] for r in table[1:]]
    assert sorted(ids) == [f"p00000000000{n}" for n in range(1, 7)]
    row = next(r for r in table if r[0] == "p000000000002")
    assert row[2] == "合市监罚〔2026〕2号" and row[5] == "行政处罚" and row[8] == "警告"
    assert row[-1].endswith("/disclosures/p000000000002")
    # A title starting with '=' must not become an Excel formula.
    assert next(r for r in table if r[0] == "p000000000001")[1].startswith("'=")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?category=fine", {"p000000000001", "p000000000003", "p000000000005", "p000000000006"}),
        (f"?agency={WUHU['code']}", {"p000000000006"}),
        ("?from=2026-02-01&to=2026-04-30", {"p000000000002", "p000000000003", "p000000000004"}),
        ("?q=合肥第3", {"p000000000003"}),
        ("?q=公司&category=warning", {"p000000000002", "p000000000004", "p000000000006"}),
    ],
)
def test_csv_applies_the_search_filters(corpus: None, portal: Any, query: str, expected: set[str]) -> None:
    assert {r[0] for r in read_csv(portal.get("/disclosures.csv" + query))[1:]} == expected


def test_csv_rejects_bad_parameters_as_json(corpus: None, portal: Any) -> None:
    response = portal.get("/disclosures.csv?from=not-a-date")
    assert response.status_code == 400 and response.json()["error"]["field"] == "from"


def test_atom_feed_lists_newest_published(corpus: None, portal: Any) -> None:
    response = portal.get("/feed.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert links[0].endswith("/disclosures/p000000000006")
    assert len(entries) == 6 and not any("w000" in x or "e000" in x for x in links)
    assert feed.find(f"{ATOM}title").text  # type: ignore[union-attr]


def test_agency_feed(corpus: None, portal: Any) -> None:
    feed = ET.fromstring(portal.get(f"/agencies/{WUHU['code']}/feed.atom").content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert "芜湖市市场监督管理局" in feed.find(f"{ATOM}title").text  # type: ignore[union-attr,operator]
    assert portal.get("/agencies/11999999MB9999999Z/feed.atom").status_code == 404


def test_sitemap_lists_published_pages_only(corpus: None, portal: Any) -> None:
    response = portal.get("/sitemap.xml")
    assert response.status_code == 200
    locs = [e.text or "" for e in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    pages = [x for x in locs if "/disclosures/" in x]
    assert len(pages) == 6 and not any("w000" in x or "e000" in x for x in pages)
    assert any(x.endswith("/agencies") for x in locs)
    assert any(x.endswith(f"/agencies/{WUHU['code']}") for x in locs)  # the Art 9 directory pages


def test_sitemap_becomes_an_index_past_the_protocol_limit(
    corpus: None, portal: Any, monkeypatch: Any
) -> None:
    from gongshi.portal import feeds

    monkeypatch.setattr(feeds, "SITEMAP_SIZE", 4)
    index = ET.fromstring(portal.get("/sitemap.xml").content)
    parts = [e.text or "" for e in index.iter(f"{SITEMAP}loc")]
    assert index.tag == f"{SITEMAP}sitemapindex" and len(parts) == 2
    seen = []
    for url in parts:
        part = ET.fromstring(portal.get(url.removeprefix("http://127.0.0.1:8000")).content)
        seen += [e.text for e in part.iter(f"{SITEMAP}loc") if "/disclosures/" in (e.text or "")]
    assert len(seen) == 6


def test_open_data_page_lists_the_documented_endpoints(portal: Any) -> None:
    page = portal.get("/api")
    assert page.status_code == 200
    for path in ("/api/public/v1/disclosures", "/disclosures.csv", "/api/public/v1/disclosures/{public_id}"):
        assert f"{path}</code>" in page.text
    assert "<code>modified_since</code>" in page.text and "<script" not in page.text
    spec = portal.get("/api/docs/openapi.json").json()
    assert "/api/public/v1/disclosures" in spec["paths"]

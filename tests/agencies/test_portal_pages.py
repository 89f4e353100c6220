"""Public pages: directory, agency profile with officers, statistics with SVG charts, annual report."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from litestar.testing import TestClient

from gongshi.core.context import Workflow
from tests.agencies.helpers import CODE, agency_body, officer
from tests.agencies.test_rule_and_reports import FULL
from tests.conftest import Clock
from tests.factories import AGENCY_B, token
from tests.portal.conftest import Publisher, body


def _setup(client: Any, wf: Workflow) -> None:
    headers = token(wf, "head")
    assert client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=headers).status_code == 200
    officers = [
        officer(),
        officer(name="王芳", certificate_number="34010020002", valid_until="2026-10-31"),
        officer(name="欧阳娜娜", certificate_number="34010020003", role="auxiliary"),
    ]
    assert (
        client.put(
            f"/api/v1/agencies/{CODE}/officers", json={"officers": officers}, headers=headers
        ).status_code
        == 200
    )
    token(wf, "head", AGENCY_B)


def _no_inline_style(html: str) -> None:
    assert "<style" not in html and " style=" not in html and "<script" not in html


def test_directory_and_agency_page(client: Any, wf: Workflow, portal: TestClient[Any]) -> None:
    _setup(client, wf)
    listing = portal.get("/agencies")
    assert listing.status_code == 200
    assert "合肥市" in listing.text and "芜湖市" in listing.text  # grouped by region
    assert f'href="/agencies/{CODE}"' in listing.text
    _no_inline_style(listing.text)
    found = portal.get("/agencies", params={"q": "芜湖"})
    assert "芜湖市市场监督管理局" in found.text and "合肥市市场监督管理局" not in found.text
    data = portal.get("/api/public/v1/agencies", params={"q": "合肥"}).json()
    assert [i["code"] for i in data["items"]] == [CODE] and data["items"][0]["head"] == "张局长"

    page = portal.get(f"/agencies/{CODE}")
    assert page.status_code == 200
    assert page.headers["vary"] == "Cookie" and "max-age" in page.headers["cache-control"]
    html = page.text
    _no_inline_style(html)
    for text in (
        "张局长",
        "负责全市市场监督管理工作",
        "0551-12345678",
        "皖A34010020001",
        "市场监管综合执法",
        "2024-01-01",
        "2028-12-31",
        "中华人民共和国食品安全法",
        "裁量基准",
        "执法辅助人员",
    ):
        assert text in html, text
    # The expired certificate is marked, on its own row.
    row = re.search(r"<tr class=\"expired\">(.*?)</tr>", html, re.S)
    assert row and "王芳" in row.group(1) and "证件已过期" in row.group(1)
    assert html.count("证件已过期") == 1
    for link in (
        f"/?agency={CODE}",
        f"/agencies/{CODE}/feed.atom",
        f"/stats?agency={CODE}",
        f"/api/public/v1/agencies/{CODE}",
    ):
        assert f'href="{link}"' in html, link

    twin = portal.get(f"/api/public/v1/agencies/{CODE}").json()
    assert twin["profile"]["head"] == "张局长"
    assert [(o["name"], o["certificate_expired"]) for o in twin["officers"]] == [
        ("李明", False),
        ("王芳", True),
        ("欧阳娜娜", False),
    ]
    assert {o["name"]: o["certificate_expired"] for o in twin["officers"]}["王芳"] is True
    assert "audit_head" not in str(twin) and "reported_by" not in str(twin)

    missing = portal.get("/agencies/NOPE")
    assert missing.status_code == 404
    assert portal.get("/api/public/v1/agencies/NOPE").json()["error"]["code"] == "agency_not_found"


def test_stats_page_counts_and_charts(
    client: Any,
    wf: Workflow,
    portal: TestClient[Any],
    publisher: Publisher,
) -> None:
    ids = publisher.publish(
        body(1),
        body(2),
        body(3, kind="licensing", penalty=None),
        body(4, decided_on="2025-06-01"),
    )
    publisher.withdraw(ids[1])
    page = portal.get("/stats")
    assert page.status_code == 200
    html = page.text
    _no_inline_style(html)
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4  # years, kinds, agencies, timeliness
    for svg in svgs:
        root = ElementTree.fromstring(svg)  # well-formed XML
        ns = "{http://www.w3.org/2000/svg}"
        assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
        assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "2025 年 1 件" in html and "2026 年 2 件" in html  # chart descriptions carry the data
    assert "<caption>各年度公示决定数</caption>" in html

    data = portal.get("/api/public/v1/stats").json()
    assert data["total_published"] == 3 and data["total_withdrawn"] == 1
    assert {r["key"]: r["published"] for r in data["by_kind"]} == {"licensing": 1, "penalty": 2}
    assert {r["key"]: (r["published"], r["withdrawn"]) for r in data["by_year"]} == {
        "2025": (1, 0),
        "2026": (2, 1),
    }
    filtered = portal.get(
        "/api/public/v1/stats", params={"agency": CODE, "year": 2026, "kind": "penalty"}
    ).json()
    assert filtered["total_published"] == 1 and filtered["total_withdrawn"] == 1
    # A breakdown ignores its own filter: the year chart still shows every year for penalties.
    assert {r["key"] for r in filtered["by_year"]} == {"2025", "2026"}
    assert portal.get("/stats", params={"year": "abc"}).status_code == 400
    assert portal.get("/api/public/v1/stats", params={"year": "1800"}).json()["error"]["field"] == "year"
    # The filter form sends empty values for "all".
    empty = portal.get("/stats", params={"agency": "", "year": "", "kind": ""})
    assert empty.status_code == 200 and "共公示执法决定 <strong>3</strong> 件" in empty.text
    assert portal.get("/api/public/v1/stats", params={"kind": "bribery"}).json()["error"]["field"] == "kind"
    assert portal.get("/api/public/v1/stats", params={"agency": "NOPE"}).status_code == 400


def test_annual_report_is_public_only_once_published(
    client: Any, wf: Workflow, clock: Clock, portal: TestClient[Any]
) -> None:
    _setup(client, wf)
    head = token(wf, "head")
    clock.set("2027-01-20T10:00:00+08:00")
    client.put(f"/api/v1/agencies/{CODE}/reports/2026", json={"figures": FULL}, headers=head)
    assert portal.get(f"/agencies/{CODE}/reports/2026").status_code == 404
    assert "尚未公开统计年报" in portal.get(f"/agencies/{CODE}").text
    assert client.post(f"/api/v1/agencies/{CODE}/reports/2026/publish", headers=head).status_code == 200
    page = portal.get(f"/agencies/{CODE}/reports/2026")
    assert page.status_code == 200
    _no_inline_style(page.text)
    for text in ("2026 年度行政执法统计年报", "收到复议申请", "投诉举报", "移送司法机关", "<svg"):
        assert text in page.text, text
    assert f'href="/agencies/{CODE}/reports/2026"' in portal.get(f"/agencies/{CODE}").text
    twin = portal.get(f"/api/public/v1/agencies/{CODE}/reports/2026").json()
    assert twin["figures"]["complaints_received"] == 120 and twin["revision"] == 1
    assert "updated_by" not in twin and "audit_head" not in twin

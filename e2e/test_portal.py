"""The public portal in a real browser against the real servers: the paths a citizen takes."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from typing import Any

from e2e.conftest import Servers


def test_search_filter_open_result_and_follow_to_the_agency(
    page: Any, servers: Servers, screenshot: Any
) -> None:
    page.goto(servers.portal_url + "/")
    screenshot(page, "search")
    assert page.title().startswith("公示信息检索")
    page.get_by_label("检索词").fill("公司")
    page.get_by_role("button", name="检索", exact=True).click()
    page.wait_for_url(re.compile(r"q=%E5%85%AC%E5%8F%B8"))
    status = page.locator("#result-count")
    unfiltered = int(status.locator("strong").inner_text())
    assert unfiltered > 0
    assert page.locator(".results mark").count() > 0  # highlighted matches

    # Filter by kind with the facet checkbox and the submit button (no JavaScript involved).
    page.locator(".filters").get_by_role("checkbox", name="行政处罚", exact=True).check()
    page.get_by_role("button", name="应用筛选").click()
    page.wait_for_url(re.compile(r"kind=penalty"))
    filtered = int(page.locator("#result-count strong").inner_text())
    assert 0 < filtered <= unfiltered
    badges = page.locator(".results .badge").all_inner_texts()
    assert badges and set(badges) == {"行政处罚"}
    screenshot(page, "search-filtered")

    first = page.locator(".results h2 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/disclosures/[a-z0-9]+$"))
    assert page.locator("h1").inner_text() == title
    for label in ("决定文书号", "行政相对人", "处罚内容", "决定日期", "公示截止期", "执法机关"):
        assert page.locator("dt", has_text=label).count() == 1, label
    screenshot(page, "detail")

    agency = page.locator("dt:has-text('执法机关') + dd a")
    href = agency.get_attribute("href")
    assert href and re.fullmatch(r"/agencies/[0-9A-Z]{18}", href)
    name = agency.inner_text()
    response = page.request.get(servers.portal_url + href)
    agency.click()
    page.wait_for_url(servers.portal_url + href)
    if response.status == 200:  # the agency directory page (built alongside) shows the agency
        assert name in page.content()
        screenshot(page, "agency")


def test_withdrawn_disclosure_shows_its_notice(page: Any, servers: Servers, screenshot: Any) -> None:
    status, listing = servers.api("GET", "/api/v1/decisions?state=withdrawn&limit=1")
    assert status == 200 and listing["items"], listing
    public_id = listing["items"][0]["public_id"]
    response = page.goto(f"{servers.portal_url}/disclosures/{public_id}")
    assert response is not None and response.status == 410
    assert page.locator("h1").inner_text() == "该公示信息已撤下"
    body = page.locator("main").inner_text()
    assert "已被依法撤销" in body and "撤下日期" in body
    screenshot(page, "withdrawn")
    # Gone from search and the export at once.
    assert public_id not in page.request.get(servers.portal_url + "/disclosures.csv").text()


def test_elder_mode_switch_persists_across_pages(page: Any, servers: Servers, screenshot: Any) -> None:
    page.goto(servers.portal_url + "/?q=公司")
    base_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="长辈版").click()
    page.wait_for_load_state()
    assert page.url.endswith("/?q=%E5%85%AC%E5%8F%B8")  # back where we were
    assert page.locator("html.elder").count() == 1
    big = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert big >= base_size * 1.2
    screenshot(page, "search-elder")
    page.locator(".results h2 a").first.click()
    page.wait_for_url(re.compile(r"/disclosures/"))
    assert page.locator("html.elder").count() == 1  # the cookie carries it
    page.reload()
    assert page.locator("html.elder").count() == 1
    screenshot(page, "detail-elder")
    page.get_by_role("button", name="标准版").click()
    page.wait_for_load_state()
    assert page.locator("html.elder").count() == 0


def test_phone_layout_has_no_horizontal_scroll(phone: Any, servers: Servers, screenshot: Any) -> None:
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    phone.goto(servers.portal_url + "/?q=公司")
    assert phone.evaluate(fits)
    screenshot(phone, "search-phone")
    # The filters come first in the narrow layout; a link jumps past them to the results.
    phone.get_by_role("link", name=re.compile("^跳到检索结果")).click()
    assert phone.url.endswith("#results")
    assert phone.evaluate("document.querySelector('#results').getBoundingClientRect().top") < 50
    phone.locator(".results h2 a").first.click()
    phone.wait_for_url(re.compile(r"/disclosures/"))
    assert phone.evaluate(fits)
    # The record's label column stacks above its value on a narrow screen.
    dt, dd = (
        phone.locator(".record dt").first.bounding_box(),
        phone.locator(".record dd").first.bounding_box(),
    )
    assert dd["y"] > dt["y"]
    screenshot(phone, "detail-phone")


def test_keyboard_reaches_the_search_box_first(page: Any, servers: Servers) -> None:
    page.goto(servers.portal_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    names = []
    for _ in range(8):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.id || document.activeElement.textContent"))
    assert "q" in names  # after the skip link, the brand, the navigation and the 长辈版 switch


def test_csv_downloads_and_parses(page: Any, servers: Servers, tmp_path: Path) -> None:
    page.goto(servers.portal_url + "/?kind=penalty")
    total = int(page.locator("#result-count strong").inner_text())
    with page.expect_download() as info:
        page.locator("a", has_text="下载 CSV").click()
    download = info.value
    path = tmp_path / "export.csv"
    download.save_as(str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:3] == ["公示编号", "标题", "决定文书号"]
    assert len(table) - 1 == total
    assert {row[5] for row in table[1:]} == {"行政处罚"}


def test_approve_to_searchable_within_five_seconds(servers: Servers) -> None:
    intake = {
        "source_id": f"E2E-{time.time_ns()}",
        "agency": {"code": "11340100MB0000000X", "name": "合肥市市场监督管理局"},
        "kind": "penalty",
        "document_number": "合市监罚〔2026〕9901号",
        "title": "合肥端到端测试食品有限公司行政处罚决定书",
        "decided_on": "2026-11-24",
        "party": {
            "kind": "legal_person",
            "name": "合肥端到端测试食品有限公司",
            "id_type": "uscc",
            "id_number": "91340100MA2N0000XF",
        },
        "facts": "当事人销售标签不合格的预包装食品。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十五条",
        "result": "警告。",
        "penalty": {"categories": ["warning"]},
    }
    status, created = servers.api("POST", "/api/v1/decisions", intake)
    assert status == 201, created
    servers.wait_until(
        lambda: servers.api("GET", f"/api/v1/decisions/{created['id']}")[1]["state"] == "in_review",
        what="redaction",
    )
    status, approved = servers.api("POST", f"/api/v1/decisions/{created['id']}/approve", {"note": "e2e"})
    assert status == 200, approved
    started = time.monotonic()
    servers.wait_until(
        lambda: servers.portal_json("/api/public/v1/disclosures?q=端到端测试食品")["total"] == 1,
        timeout=10,
        what="the approved decision to become searchable",
    )
    elapsed = time.monotonic() - started
    print(f"approve → searchable on the portal: {elapsed:.2f} s")
    assert elapsed < 5

"""The agency directory, an agency's officers, statistics and the annual report in a real browser."""

from __future__ import annotations

import re
from typing import Any

from e2e.conftest import Servers


def test_directory_agency_officers_and_report(page: Any, servers: Servers, screenshot: Any) -> None:
    directory = servers.portal_json("/api/public/v1/agencies")
    assert directory["total"] > 0
    page.goto(servers.portal_url + "/agencies")
    assert page.title().startswith("执法机关")
    screenshot(page, "agencies")
    # Search by name, without JavaScript: a GET form.
    name = directory["items"][0]["name"]
    page.get_by_label("按机关名称查找").fill(name)
    page.get_by_role("button", name="查找").click()
    page.wait_for_url(re.compile(r"/agencies\?q="))
    links = page.locator(".agency-list a")
    assert links.count() >= 1 and all(name in t for t in links.all_inner_texts())

    # The demo annual report belongs to an agency: open that agency from its page link.
    with_report = next(
        a
        for a in (
            servers.portal_json(f"/api/public/v1/agencies/{i['code']}") for i in directory["items"][:400]
        )
        if a["report_years"]
    )
    page.goto(servers.portal_url + f"/agencies/{with_report['code']}")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == with_report["name"]
    officers = page.locator("table.officers tbody tr")
    assert officers.count() == len(with_report["officers"]) > 0
    first = with_report["officers"][0]
    assert page.locator("table.officers").get_by_text(first["certificate_number"]).is_visible()
    expired = [o for o in with_report["officers"] if o["certificate_expired"]]
    assert page.locator("tr.expired").count() == len(expired)
    assert page.get_by_role("link", name="查看本机关公示的执法决定").get_attribute("href") == (
        f"/?agency={with_report['code']}"
    )
    screenshot(page, "agency-profile")

    year = with_report["report_years"][0]
    page.get_by_role("link", name=f"{year} 年度统计年报").click()
    page.wait_for_url(re.compile(rf"/reports/{year}$"))
    assert "统计年报" in page.locator("h1").inner_text()
    assert page.get_by_role("row", name=re.compile("收到复议申请")).count() == 1
    assert page.locator("svg.chart > title").count() == 1
    screenshot(page, "annual-report")


def _shown_total(page: Any) -> int:
    found = re.search(r"共公示执法决定 (\d+) 件", page.locator("main").inner_text())
    assert found, "the stats page states the total"
    return int(found.group(1))


def test_stats_page_charts_and_filters(page: Any, servers: Servers, screenshot: Any) -> None:
    # The worker keeps publishing the demo's due decisions while this runs: the page's total lies
    # between the JSON totals read just before and just after it.
    before = servers.portal_json("/api/public/v1/stats")["total_published"]
    page.goto(servers.portal_url + "/stats")
    assert page.title().startswith("统计")
    charts = page.locator("svg.chart")
    assert charts.count() == 4  # years, kinds, agencies, timeliness
    for i in range(4):
        chart = charts.nth(i)
        assert chart.get_attribute("role") == "img"
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 20  # drawn, with the page's CSS
    bars = page.locator("svg.chart rect.chart-bar")
    assert bars.count() > 0
    # The CSP forbids inline styles: the bars are coloured by the stylesheet or attributes all the same.
    fill = bars.first.evaluate("el => getComputedStyle(el).fill")
    assert fill not in ("", "none", "rgb(0, 0, 0)")
    total = servers.portal_json("/api/public/v1/stats")["total_published"]
    assert before <= _shown_total(page) <= total
    screenshot(page, "stats")

    page.get_by_label("执法类别", exact=True).select_option("penalty")
    page.get_by_role("button", name="统计").click()
    page.wait_for_url(re.compile(r"kind=penalty"))
    penalties = servers.portal_json("/api/public/v1/stats?kind=penalty")["total_published"]
    assert _shown_total(page) <= penalties <= servers.portal_json("/api/public/v1/stats")["total_published"]
    table = page.get_by_role("table", name="各执法类别公示决定数")
    assert table.locator("tbody tr").count() >= 1
    # Timeliness per agency, computed from the demo's history (issue 12).
    timely = page.get_by_role("table", name="各机关公示及时性")
    assert timely.locator("tbody tr").count() >= 6  # the six demo agencies


def test_console_agency_page(page: Any, servers: Servers, console_login: Any, screenshot: Any) -> None:
    console_login(page)
    page.goto(servers.internal_url + "/console/agencies")
    first = page.locator("table a").first
    first.click()
    page.wait_for_url(re.compile(r"/console/agencies/[0-9A-Z]+$"))
    assert page.get_by_label("负责人（必填）").input_value()
    screenshot(page, "console-agency")

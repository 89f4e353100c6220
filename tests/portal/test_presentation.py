"""How portal pages read (issue 12): the /api page in Chinese, annual-report sections numbered in order,
success notices not styled as errors, charts drawn at text size, and the 长辈版 search page with the
results first and the filters behind a disclosure. The measured parts (axe, sizes) are in e2e/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from litestar.testing import TestClient

from gongshi.agencies.charts import bar_chart
from gongshi.core.context import Workflow
from tests.agencies.helpers import CODE
from tests.agencies.test_portal_pages import _setup
from tests.agencies.test_rule_and_reports import FULL
from tests.conftest import Clock
from tests.factories import token
from tests.portal.conftest import Publisher, body

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"[A-Za-z]+ [A-Za-z]+ [A-Za-z]+")
CSS = Path(__file__).resolve().parents[2] / "gongshi" / "static" / "portal.css"


def _text(html: str) -> str:
    """Visible text without code (paths, parameter names and values are code, not prose)."""
    html = re.sub(r"<code>.*?</code>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_api_page_describes_every_operation_in_chinese(portal: TestClient[Any]) -> None:
    spec = portal.get("/api/docs/openapi.json").json()
    operations = [(m.upper(), p) for p, item in spec["paths"].items() for m in item if m in ("get", "post")]
    page = portal.get("/api").text
    cards = re.findall(r'<section class="card api-op".*?</section>', page, flags=re.S)
    assert len(cards) == len(operations) > 10
    for (method, path), card in zip(operations, cards, strict=True):
        assert f'<span class="method">{method}</span> <code>{path}</code>' in card
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", card, flags=re.S)
        assert heading and CJK.search(heading.group(1)), (path, card[:300])
        prose = re.findall(r"<p>(.*?)</p>", card, flags=re.S)
        assert prose and all(CJK.search(p) for p in prose), (path, "no description")
        assert not ENGLISH_WORDS.search(_text(card)), (path, ENGLISH_WORDS.search(_text(card)))
        for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", card, flags=re.S):
            described = re.sub(r'<span class="where">.*?</span>', "", row)
            assert CJK.search(_text(described)), (path, row)


def test_annual_report_sections_are_numbered_in_order(
    client: Any, wf: Workflow, clock: Clock, portal: TestClient[Any]
) -> None:
    _setup(client, wf)
    head = token(wf, "head")
    clock.set("2027-01-20T10:00:00+08:00")
    client.put(f"/api/v1/agencies/{CODE}/reports/2026", json={"figures": FULL}, headers=head)
    assert client.post(f"/api/v1/agencies/{CODE}/reports/2026/publish", headers=head).status_code == 200
    page = portal.get(f"/agencies/{CODE}/reports/2026").text
    headings = re.findall(r"<h2[^>]*>(（.）)", page)
    assert headings == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    # （三） holds both reconsideration and litigation, each table named.
    third = page[page.index("（三）") : page.index("（四）")]
    assert "<caption>行政复议（作为被申请人）</caption>" in third and "<caption>行政应诉</caption>" in third


def test_success_notice_is_not_styled_as_an_error(portal: TestClient[Any], publisher: Publisher) -> None:
    (public_id,) = publisher.publish(body(1))
    received = portal.post(
        "/requests/correction",
        files={"disclosure_id": (None, public_id), "description": (None, "罚款金额写错了。")},
    )
    assert received.status_code == 200 and "申请已收到" in received.text
    assert '<section class="notice ok"' in received.text
    missing = portal.get("/disclosures/nosuchthing")
    assert missing.status_code == 404 and '<section class="notice error"' in missing.text
    css = CSS.read_text()
    rules = dict(re.findall(r"^(\.notice(?:\.\w+)?) \{([^}]*)\}", css, flags=re.M))
    assert "var(--danger)" not in rules[".notice"] and "var(--danger)" not in rules[".notice.ok"]
    assert "var(--ok)" in rules[".notice.ok"] and "var(--danger)" in rules[".notice.error"]


def test_chart_text_is_drawn_at_its_size_whatever_the_box() -> None:
    root = ElementTree.fromstring(bar_chart("各年度", [("2025 年", 108), ("2026 年", 31)], chart_id="y"))
    # No viewBox: a wide card does not blow the labels up, a phone does not shrink them to dust.
    assert root.get("viewBox") is None and root.get("width") == "100%"
    sizes = {t.get("font-size") for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert sizes == {"15"}


def test_search_page_elder_mode_puts_results_before_closed_filters(
    make_portal: Any, publisher: Publisher
) -> None:
    for n in range(3):
        publisher.publish(body(n + 1))
    normal = make_portal().get("/?q=公司").text
    elder = make_portal()
    elder.cookies.set("gs_elder", "1")
    large = elder.get("/?q=公司").text
    assert '<details class="filters" id="filters" open>' in normal
    assert normal.index('id="filters"') < normal.index('<ol class="results"')
    assert '<details class="filters" id="filters">' in large  # closed
    assert large.index('<ol class="results"') < large.index('id="filters"')
    assert 'href="#filters"' in large and "跳到检索结果" not in large

"""Pure functions: certificate numbers, SVG charts, the statistics breakdowns, report deadlines."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest

from gongshi.agencies import rule, stats
from gongshi.agencies.charts import bar_chart
from gongshi.agencies.validation import check_certificate, normalise_certificate
from gongshi.domain.workdays import WorkCalendar
from gongshi.errors import Unprocessable

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("皖A34010020001", "皖A34010020001"),
        ("  皖ａ３４０１００２０００１ ", "皖A34010020001"),
        ("34-0100-2001", "34-0100-2001"),
        ("1101050012345", "1101050012345"),
    ],
)
def test_certificate_numbers_normalised(raw: str, expected: str) -> None:
    assert normalise_certificate(raw) == expected
    assert check_certificate(raw, "f") == expected


@pytest.mark.parametrize(
    "raw", ["", "12", "皖A 3401", "34010020001!", "安徽省A3401002", "ABCDEFGH", "-3401002"]
)
def test_bad_certificate_numbers(raw: str) -> None:
    with pytest.raises(Unprocessable) as exc:
        check_certificate(raw, "officers[0].certificate_number")
    assert exc.value.field == "officers[0].certificate_number"


def test_chart_is_escaped_accessible_svg() -> None:
    long_name = "很长很长很长很长很长很长很长很长很长很长的机关名称"
    svg = bar_chart("标题<script>", [("甲&乙", 3), ("丙", 0), (long_name, 6)], chart_id="c1")
    root = ElementTree.fromstring(svg)
    assert (
        root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    )
    assert root.find(f"{SVG}title").text == "标题<script>"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == f"甲&乙 3 件；丙 0 件；{long_name} 6 件"  # type: ignore[union-attr]
    widths = [float(r.get("width", "0").rstrip("%")) for r in root.iter(f"{SVG}rect")]
    assert widths == [50, 0, 100]  # percentages of the box, proportional; zero stays empty
    assert "style" not in svg and "<script" not in svg
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels[2] is not None and labels[2].endswith("…")  # long labels cut, full text in <title>


def test_empty_chart_says_so() -> None:
    root = ElementTree.fromstring(bar_chart("空", []))
    assert any(t.text == "暂无数据" for t in root.iter(f"{SVG}text"))


def test_stats_breakdowns_honour_the_other_filters() -> None:
    rows: list[stats.GroupedRow] = [
        ("A", "甲局", 2025, "penalty", "published", 4),
        ("A", "甲局", 2025, "penalty", "expired", 1),
        ("A", "甲局", 2026, "licensing", "published", 2),
        ("A", "甲局", 2026, "penalty", "withdrawn", 1),
        ("B", "乙局", 2026, "penalty", "published", 7),
    ]
    s = stats.compute(rows, agency="A", year=2026)
    assert (s.total_published, s.total_withdrawn) == (2, 1)
    assert [(r.key, r.published, r.withdrawn) for r in s.by_year] == [("2025", 5, 0), ("2026", 2, 1)]
    assert [(r.key, r.published) for r in s.by_kind] == [("licensing", 2), ("penalty", 0)]
    assert [(r.key, r.published) for r in s.by_agency] == [("B", 7), ("A", 2)]
    assert s.agency_name == "甲局" and s.years == [2026, 2025]
    assert stats.compute(rows, agency="C").agency_name is None


def test_report_and_update_deadlines() -> None:
    cal = WorkCalendar()
    assert rule.report_due_on(2026) == date(2027, 1, 31)
    # Certificate valid through Friday 2026-11-20: day 0 is Saturday the 21st.
    assert rule.certificate_deadline(cal, date(2026, 11, 20)).on == date(2026, 12, 18)
    assert rule.update_deadline(cal, date(2026, 11, 25)).on == date(2026, 12, 23)


def test_stale_while_revalidate_serves_old_value_and_refreshes_once() -> None:
    import threading
    import time

    from gongshi.agencies.public import StaleWhileRevalidate

    calls: list[int] = []
    release = threading.Event()

    def compute() -> int:
        calls.append(1)
        if len(calls) > 1:
            release.wait(5)
        return len(calls)

    cache = StaleWhileRevalidate(ttl=0.05)
    assert cache.get("k", compute) == 1
    assert cache.get("k", compute) == 1 and len(calls) == 1  # fresh: no recomputation
    time.sleep(0.06)
    assert cache.get("k", compute) == 1  # stale: served at once, refresh started
    assert cache.get("k", compute) == 1 and len(calls) == 2  # only one refresh in flight
    release.set()
    deadline = time.monotonic() + 5
    while cache.get("k", compute) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cache.get("k", compute) >= 2  # the refreshed value replaced the stale one

"""Server-rendered SVG bar charts: no JavaScript, no inline styles (the CSP forbids them).

Colours come from presentation attributes (allowed under a strict CSP) and classes the stylesheet
may refine; each chart carries <title> and <desc> and is labelled by them, and every chart on a page
has a data table twin.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

_ids = itertools.count(1)

BAR_HEIGHT = 24
GAP = 8
VALUE_WIDTH = 60
FONT_SIZE = 15


def _label_text(label: str, limit: int = 12) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, int]],
    *,
    desc: str | None = None,
    chart_id: str | None = None,
    unit: str = "件",
    width: int = 440,
    label_width: int = 120,
) -> str:
    """A horizontal bar chart as an inline <svg> element (safe markup; every text is escaped).

    `width` should be close to the width the page gives the chart, so text stays near its font size.
    """
    cid = chart_id or f"chart{next(_ids)}"
    peak = max((v for _, v in bars), default=0)
    plot = width - label_width - VALUE_WIDTH
    limit = max(4, label_width // FONT_SIZE - 1)
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    summary = desc or "；".join(f"{label} {value} {unit}" for label, value in bars) or "暂无数据"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(cid)}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{escape(cid)}-t {escape(cid)}-d">',
        f'<title id="{escape(cid)}-t">{escape(title)}</title>',
        f'<desc id="{escape(cid)}-d">{escape(summary)}</desc>',
    ]
    if not bars:
        parts.append(
            f'<text x="{width // 2}" y="{height // 2 + 5}" text-anchor="middle" class="chart-empty" '
            f'fill="#555" font-size="{FONT_SIZE}">暂无数据</text>'
        )
    for i, (label, value) in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        bar = 0 if peak == 0 else max(2 if value else 0, round(plot * value / peak))
        mid = y + BAR_HEIGHT // 2 + 5
        parts.append(
            f'<text x="{label_width - 8}" y="{mid}" text-anchor="end" class="chart-label" fill="#1a1a1a" '
            f'font-size="{FONT_SIZE}">{escape(_label_text(label, limit))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" class="chart-bar" '
            f'fill="#0b5cad"><title>{escape(label)}：{value} {escape(unit)}</title></rect>'
        )
        parts.append(
            f'<text x="{label_width + bar + 6}" y="{mid}" class="chart-value" fill="#1a1a1a" '
            f'font-size="{FONT_SIZE}">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

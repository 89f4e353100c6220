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

BAR_HEIGHT = 26
GAP = 8
LABEL_WIDTH = 170
VALUE_WIDTH = 70
WIDTH = 640


def _label_text(label: str, limit: int = 12) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, int]],
    *,
    desc: str | None = None,
    chart_id: str | None = None,
    unit: str = "件",
) -> str:
    """A horizontal bar chart as an inline <svg> element (safe markup; every text is escaped)."""
    cid = chart_id or f"chart{next(_ids)}"
    peak = max((v for _, v in bars), default=0)
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    summary = desc or "；".join(f"{label} {value} {unit}" for label, value in bars) or "暂无数据"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(cid)}" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{escape(cid)}-t {escape(cid)}-d">',
        f'<title id="{escape(cid)}-t">{escape(title)}</title>',
        f'<desc id="{escape(cid)}-d">{escape(summary)}</desc>',
    ]
    if not bars:
        parts.append(
            f'<text x="{WIDTH // 2}" y="{height // 2 + 5}" text-anchor="middle" class="chart-empty" '
            f'fill="#555" font-size="14">暂无数据</text>'
        )
    for i, (label, value) in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = 0 if peak == 0 else max(2 if value else 0, round(plot * value / peak))
        mid = y + BAR_HEIGHT // 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{mid}" text-anchor="end" class="chart-label" fill="#1a1a1a" '
            f'font-size="14">{escape(_label_text(label))}</text>'
        )
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" class="chart-bar" '
            f'fill="#0b5cad"><title>{escape(label)}：{value} {escape(unit)}</title></rect>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6}" y="{mid}" class="chart-value" fill="#1a1a1a" '
            f'font-size="14">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

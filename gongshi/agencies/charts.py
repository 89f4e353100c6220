"""Server-rendered SVG bar charts: no JavaScript, no inline styles (the CSP forbids them).

Colours come from presentation attributes (allowed under a strict CSP) and classes the stylesheet
may refine; each chart carries <title> and <desc> and is labelled by them, and every chart on a page
has a data table twin.

The chart has no viewBox: it takes the width of its box and its text keeps the page's pixel size. A
scaled drawing made labels twice the text size in a wide card and 4 px on a phone. Each bar has its
label and value on a line above it, and its length is a percentage of the box.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

_ids = itertools.count(1)

FONT_SIZE = 15  # CSS px, as drawn (the 长辈版 stylesheet raises it)
ROW = 48  # label line and bar, per row
BAR_TOP = 24  # the bar's offset in its row, below the label's baseline
BAR_HEIGHT = 14
LABEL_LIMIT = 18  # characters; with the value, one line fits a phone's card at 18 px


def _label_text(label: str, limit: int = LABEL_LIMIT) -> str:
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
    height = max(1, len(bars)) * ROW
    summary = desc or "；".join(f"{label} {value} {unit}" for label, value in bars) or "暂无数据"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(cid)}" role="img" '
        f'width="100%" height="{height}" aria-labelledby="{escape(cid)}-t {escape(cid)}-d">',
        f'<title id="{escape(cid)}-t">{escape(title)}</title>',
        f'<desc id="{escape(cid)}-d">{escape(summary)}</desc>',
    ]
    if not bars:
        parts.append(
            f'<text x="50%" y="{ROW // 2 + 5}" text-anchor="middle" class="chart-empty" '
            f'fill="#555" font-size="{FONT_SIZE}">暂无数据</text>'
        )
    for i, (label, value) in enumerate(bars):
        top = i * ROW
        share = 0.0 if peak == 0 else 100 * value / peak
        length = f"{max(share, 0.5):.1f}%" if value else "0"
        parts.append(
            f'<text x="0" y="{top + 17}" class="chart-label" fill="#1a1a1a" '
            f'font-size="{FONT_SIZE}">{escape(_label_text(label))}</text>'
        )
        parts.append(
            f'<text x="100%" y="{top + 17}" text-anchor="end" class="chart-value" fill="#1a1a1a" '
            f'font-size="{FONT_SIZE}">{value}</text>'
        )
        parts.append(
            f'<rect x="0" y="{top + BAR_TOP}" width="{length}" height="{BAR_HEIGHT}" class="chart-bar" '
            f'fill="#0b5cad"><title>{escape(label)}：{value} {escape(unit)}</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)

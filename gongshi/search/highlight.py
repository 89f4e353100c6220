"""Turn engine snippets carrying private markers into safe HTML (<mark>) and plain text."""

from __future__ import annotations

import functools
import html
import re
from typing import Final

from gongshi.search.base import MARK_END, MARK_START, Snippet
from gongshi.search.text import normalize


def render(marked: str) -> Snippet:
    """Escape everything, then turn balanced marker pairs into <mark>…</mark>; stray markers vanish."""
    # Meilisearch marks 过期 and 食品 separately; one mark per run reads better and matches tantivy.
    marked = marked.replace(MARK_END + MARK_START, "")
    out_html: list[str] = []
    out_text: list[str] = []
    open_mark = False
    pos = 0
    length = len(marked)
    while pos < length:
        start = marked.find(MARK_START, pos) if not open_mark else marked.find(MARK_END, pos)
        if start < 0:
            break
        chunk = _strip(marked[pos:start])
        out_html.append(html.escape(chunk, quote=True))
        out_text.append(chunk)
        if not open_mark:
            # Only open a mark that is closed later, so the HTML is always balanced.
            if marked.find(MARK_END, start + 1) < 0:
                pos = start + 1
                continue
            out_html.append("<mark>")
        else:
            out_html.append("</mark>")
        open_mark = not open_mark
        pos = start + 1
    tail = _strip(marked[pos:])
    out_html.append(html.escape(tail, quote=True))
    out_text.append(tail)
    if open_mark:
        out_html.append("</mark>")
    return Snippet(html="".join(out_html), text="".join(out_text))


def _strip(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


@functools.lru_cache(maxsize=256)
def _matcher(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A regex finding every (overlapping) occurrence of any term in un-normalised text.

    Normalising a whole body costs ~30 µs per hit; matching each character against the class of
    characters that normalise to it does the same job inside the regex engine.
    """
    alternatives = []
    for term in sorted(terms, key=len, reverse=True):
        alternatives.append("".join(_char_class(ch) for ch in term))
    return re.compile("(?=(" + "|".join(alternatives) + "))")


def _char_class(ch: str) -> str:
    variants = sorted(_SOURCES.get(ch, set()) | {ch})
    return "[" + "".join(re.escape(v) for v in variants) + "]" if len(variants) > 1 else re.escape(ch)


def _reverse_table() -> dict[str, set[str]]:
    sources: dict[str, set[str]] = {}
    for code in range(0x20, 0x10000):
        original = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        folded = normalize(original)
        if folded != original and len(folded) == 1:
            sources.setdefault(folded, set()).add(original)
    return sources


_SOURCES: Final = _reverse_table()


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged [start, end) spans where any normalised term occurs in `text`."""
    if not terms or not text:
        return []
    spans = [(m.start(1), m.end(1)) for m in _matcher(tuple(terms)).finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, terms: list[str], crop_length: int | None = None) -> tuple[str, bool]:
    """Wrap matches of `terms` in private markers, optionally cropping around the first match.

    Returns the marked text and whether anything matched.
    """
    spans = match_spans(text, terms)
    begin, end = 0, len(text)
    if crop_length is not None and len(text) > crop_length:
        if spans:
            # Put the first match a quarter into the window so the reader sees what leads up to it.
            begin = max(0, min(spans[0][0] - crop_length // 4, len(text) - crop_length))
        end = begin + crop_length
    parts: list[str] = ["…" if begin > 0 else ""]
    cursor = begin
    for start, stop in spans:
        if stop <= begin or start >= end:
            continue
        start, stop = max(start, begin), min(stop, end)
        parts.append(text[cursor:start])
        parts.append(MARK_START + text[start:stop] + MARK_END)
        cursor = stop
    parts.append(text[cursor:end])
    if end < len(text):
        parts.append("…")
    return "".join(parts), bool(spans)

"""Text folding: full-width to half-width, escaped JSON/HTML back to text, separators removed."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

# Full-width digits, letters and the signs found inside identifiers fold to ASCII, one code point for
# one, so positions in the folded text are positions in the original. Full-width punctuation such as
# （，： is left alone: the patterns accept both forms, and leaving it keeps folding rare (and cheap).
_WIDTH = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
for _cp in (0xFF0B, 0xFF0D, 0xFF0E, 0xFF20, 0xFF3F):
    _WIDTH[_cp] = _cp - 0xFEE0
_WIDTH[0x3000] = 0x20
_WIDTH[0x00A0] = 0x20
# Other dashes and dots people type inside numbers and plates.
for _cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63):
    _WIDTH[_cp] = ord("-")
WIDTH_TABLE: dict[int, int] = _WIDTH

# Characters that may be sprinkled inside a protected string without changing what it says.
_NOISE = re.compile(r"[\s\-_·•・\u200b-\u200f\u2060\ufeff]+")
_NEEDS_FOLD = re.compile("[" + "".join(chr(c) for c in sorted(_WIDTH)) + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([nrtbf/\\\"])")
_JSON_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": " ", "f": " ", "/": "/", "\\": "\\", '"': '"'}
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def fold_width(text: str) -> str:
    """Full-width letters, digits, signs and spaces become ASCII (same length)."""
    return text.translate(WIDTH_TABLE) if _NEEDS_FOLD.search(text) else text


def _json_unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code is not None:
        return chr(int(code, 16))
    return _JSON_SIMPLE[match.group(2)]


def decode_escapes(text: str) -> str:
    """Undo JSON \\uXXXX escapes (surrogate pairs too), HTML entities and URL percent-encoding."""
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_json_unescape, text)
        if _SURROGATE.search(text):
            text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if "&" in text:
        text = html.unescape(text)
    if "%" in text and _PERCENT.search(text):
        text = unquote(text, errors="replace")
    return text


def compact(text: str) -> str:
    """Width-folded, lower-cased, with spaces, dashes and other filler removed."""
    return _NOISE.sub("", fold_width(text)).lower()


def compact_with_index(text: str) -> tuple[str, list[int]]:
    """Like `compact`, plus the position in `text` of every character kept."""
    folded = fold_width(text).lower()
    kept: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _NOISE.finditer(folded):
        kept.append(folded[pos : m.start()])
        index.extend(range(pos, m.start()))
        pos = m.end()
    kept.append(folded[pos:])
    index.extend(range(pos, len(folded)))
    return "".join(kept), index

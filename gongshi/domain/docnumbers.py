"""Document numbers (文号) as people type them: any bracket around the year, any width."""

from __future__ import annotations

import re
from typing import Final

# The year of a 文号 is written 〔2026〕 by the rules (GB/T 9704) and typed every other way.
BRACKETS: Final = (
    ("〔", "〕"),
    ("（", "）"),
    ("(", ")"),
    ("[", "]"),
    ("【", "】"),
    ("［", "］"),
    ("〖", "〗"),
)
_OPEN: Final = "".join(o for o, _ in BRACKETS)
_CLOSE: Final = "".join(c for _, c in BRACKETS)
_YEAR: Final = re.compile(rf"[{re.escape(_OPEN)}]\s*((?:19|20)\d\d)\s*[{re.escape(_CLOSE)}]")
_WIDTH: Final = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)} | {0x3000: 0x20}


def variants(text: str) -> list[str]:
    """The spellings of `text` with its year in each bracket style, the canonical 〔〕 one first."""
    typed = text.strip().translate(_WIDTH)
    match = _YEAR.search(typed)
    if match is None:
        return [typed] if typed else []
    head, year, tail = typed[: match.start()], match.group(1), typed[match.end() :]
    out = [f"{head}{o}{year}{c}{tail}" for o, c in BRACKETS]
    return out

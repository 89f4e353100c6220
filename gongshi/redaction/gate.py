"""The leak gate: re-detect protected items in the exact bytes about to leave the system."""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongshi.domain.intake import Intake
from gongshi.redaction.fold import compact, compact_with_index, decode_escapes
from gongshi.redaction.identifiers import find_identifiers
from gongshi.redaction.protected import protected_strings
from gongshi.redaction.types import LeakHit, Policy

_HAS_SIGNAL = re.compile(r"[0-9０-９]{3}|@|＠|\(at\)|不动产|权证|国用|集用|[A-Za-zＡ-Ｚ][0-9０-９]")


def _mask(s: str) -> str:
    return (s[:1] + "…") if s else "…"


class LeakGate:
    """Blocks publication when outgoing bytes carry a protected identifier or a protected string."""

    __slots__ = ("_protected",)

    def __init__(self, protected: Iterable[str] = ()) -> None:
        # Compare in compact form, so "王 建 国" or "１３８-0013-8000" cannot slip through.
        seen: dict[str, str] = {}
        for p in protected:
            c = compact(p) if p else ""
            if len(c) >= 2 and c not in seen:
                seen[c] = p
        self._protected = sorted(seen, key=len, reverse=True)

    @classmethod
    def for_intake(cls, intake: Intake, policy: Policy | None = None) -> LeakGate:
        """A gate knowing every protected string of this intake (cheap: no segmentation)."""
        return cls(protected_strings(intake, policy or Policy()))

    @property
    def protected_count(self) -> int:
        """How many protected strings the gate looks for."""
        return len(self._protected)

    def scan(self, data: bytes | str) -> list[LeakHit]:
        """Every protected item in `data`; offsets refer to the decoded text (escapes and entities undone)."""
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        text = decode_escapes(text)
        hits: list[LeakHit] = []
        if _HAS_SIGNAL.search(text):
            hits.extend(
                LeakHit(
                    category=f.category,
                    rule=f.rule,
                    start=f.start,
                    end=f.end,
                    excerpt=_mask(text[f.start : f.end]),
                )
                for f in find_identifiers(text)
                if not f.keep
            )
        if self._protected:
            hits.extend(self._scan_strings(text))
        return hits

    def _scan_strings(self, text: str) -> list[LeakHit]:
        haystack = compact(text)
        found = [p for p in self._protected if p in haystack]
        if not found:
            return []
        haystack, index = compact_with_index(text)
        hits = []
        for p in found:
            start = haystack.find(p)
            while start >= 0:
                a, b = index[start], index[start + len(p) - 1] + 1
                hits.append(
                    LeakHit(
                        category="protected", rule="intake_string", start=a, end=b, excerpt=_mask(text[a:b])
                    )
                )
                start = haystack.find(p, start + len(p))
        return hits

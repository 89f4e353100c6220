"""The leak gate: re-detect protected items in the exact bytes about to leave the system."""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongshi.domain.intake import Intake
from gongshi.redaction.fold import compact, compact_with_index, decode_escapes
from gongshi.redaction.identifiers import find_identifiers
from gongshi.redaction.protected import names_for_gate, protected_strings
from gongshi.redaction.types import LeakHit, Policy

_HAS_SIGNAL = re.compile(
    r"[0-9０-９]{3}|@|＠|\(at\)|不动产|权证|国用|集用|[A-Za-zＡ-Ｚ][0-9０-９]|微信|QQ|qq|支付宝|抖音|快手|旺旺"
)


def _mask(s: str) -> str:
    return (s[:1] + "…") if s else "…"


class LeakGate:
    """Blocks publication when outgoing bytes carry a protected identifier or a protected string."""

    __slots__ = ("_names", "_protected", "_published")

    def __init__(
        self, protected: Iterable[str] = (), *, names: Iterable[str] = (), published: Iterable[str] = ()
    ) -> None:
        """`protected` strings block anywhere; `names` block unless inside one of the `published` strings.

        A name inside a published string (the party 王建国 beside a witness 王建, the agency's name) is what
        redaction deliberately left: it was never masked there, so seeing it there is no leak.
        """
        # Compare in compact form, so "王 建 国" or "１３８-0013-8000" cannot slip through.
        self._protected = _compact_set(protected)
        always = set(self._protected)
        self._names = [n for n in _compact_set(names) if n not in always]
        self._published = _compact_set(published)

    @classmethod
    def for_intake(
        cls, intake: Intake, policy: Policy | None = None, *, names: Iterable[str] | None = None
    ) -> LeakGate:
        """A gate knowing every protected string of this intake and every name redaction masks in it.

        The names are those the engine masked when it ran in this process, or found again by the same
        rules (segmentation included) in a new one, so engine and gate cannot disagree about names.
        A caller that kept the engine's output (its name spans) passes them as `names` instead.
        """
        policy = policy or Policy()
        from gongshi.redaction.engine import published_strings

        return cls(
            protected_strings(intake, policy),
            names=names_for_gate(intake, policy) if names is None else names,
            published=published_strings(intake, policy),
        )

    @property
    def protected_count(self) -> int:
        """How many protected strings (names included) the gate looks for."""
        return len(self._protected) + len(self._names)

    def scan(self, data: bytes | str) -> list[LeakHit]:
        """Every protected item in `data`; offsets refer to the decoded text (escapes and entities undone)."""
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        text = decode_escapes(text)
        hits: list[LeakHit] = []
        if _HAS_SIGNAL.search(text):
            found = [f for f in find_identifiers(text) if not f.keep]
            if found and self._published:
                # A public phone, mailbox or fine account that redaction kept (an agency's, a label's) is
                # published on purpose.
                public = {compact(p) for p in self._published}
                found = [
                    f
                    for f in found
                    if f.category not in ("phone", "email", "bank_account")
                    or compact(text[f.start : f.end]) not in public
                ]
            hits.extend(
                LeakHit(
                    category=f.category,
                    rule=f.rule,
                    start=f.start,
                    end=f.end,
                    excerpt=_mask(text[f.start : f.end]),
                )
                for f in found
            )
        if self._protected or self._names:
            hits.extend(self._scan_strings(text))
        return hits

    def _scan_strings(self, text: str) -> list[LeakHit]:
        haystack = compact(text)
        found = [(p, "intake_string") for p in self._protected if p in haystack]
        found += [(n, "name") for n in self._names if n in haystack]
        if not found:
            return []
        haystack, index = compact_with_index(text)
        published: list[tuple[int, int]] = []
        if any(rule == "name" for _, rule in found):
            for p in self._published:
                published.extend(_find_all(haystack, p))
        hits = []
        for p, rule in found:
            for start, end in _find_all(haystack, p):
                if rule == "name" and any(x <= start and end <= y for x, y in published):
                    continue
                a, b = index[start], index[end - 1] + 1
                hits.append(
                    LeakHit(category="protected", rule=rule, start=a, end=b, excerpt=_mask(text[a:b]))
                )
        return hits


def _compact_set(strings: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    for s in strings:
        c = compact(s) if s else ""
        if len(c) >= 2:
            seen.add(c)
    return sorted(seen, key=lambda c: (-len(c), c))


def _find_all(haystack: str, needle: str) -> list[tuple[int, int]]:
    out = []
    start = haystack.find(needle)
    while start >= 0:
        out.append((start, start + len(needle)))
        start = haystack.find(needle, start + len(needle))
    return out

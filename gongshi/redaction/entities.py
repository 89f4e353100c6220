"""Entities: the engine's spans grouped by what they remove, with every mention across all fields.

An entity is one person, one ID number, one address. Its id depends only on the string it removes
(width, spacing and case folded), so the same person keeps the same id when the decision is redacted
again or corrected; two spellings linked by the reviewer share the id of the first one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

import msgspec

from gongshi.domain.intake import Intake
from gongshi.redaction.fold import compact
from gongshi.redaction.types import Doubt, Entity, Mention, RedactionResult, Span

TEXT_FIELDS = ("title", "facts", "legal_basis", "result", "full_text")

# Categories whose unmasking needs a head (证件号码、银行卡号、电话、车牌、权属证书).
IDENTIFIER_CATEGORIES = frozenset(
    {"resident_id", "passport", "bank_account", "phone", "plate", "property_cert", "id_masked"}
)

CATEGORY_LABELS = {
    "name": "自然人姓名",
    "resident_id": "身份证件号码",
    "passport": "护照或通行证号码",
    "bank_account": "银行账号",
    "phone": "电话号码",
    "plate": "车牌号码",
    "property_cert": "权属证书编号",
    "email": "电子邮箱",
    "handle": "网络账号",
    "address": "住址",
    "health": "健康状况",
    "finance": "财产状况",
    "minor": "未成年人信息",
    "other": "其他个人信息",
}


def texts_of(intake: Intake) -> dict[str, str]:
    """The text fields redaction works on, by name ("" when absent)."""
    return {f: getattr(intake, f) or "" for f in TEXT_FIELDS}


def entity_key(text: str) -> str:
    """What makes two mentions the same entity: the string, folded as the leak gate folds it."""
    return compact(text)


def entity_id(key: str) -> str:
    return "e" + hashlib.blake2b(key.encode(), digest_size=5).hexdigest()


def doubt_id(field: str, start: int, end: int, kind: str) -> str:
    raw = f"{field}:{start}:{end}:{kind}".encode()
    return "d" + hashlib.blake2b(raw, digest_size=5).hexdigest()


def with_ids(doubts: Iterable[Doubt]) -> list[Doubt]:
    """Doubts with their stable id (status untouched)."""
    return [
        d if d.id else msgspec.structs.replace(d, id=doubt_id(d.field, d.start, d.end, d.kind))
        for d in doubts
    ]


class _Links:
    """Union of entity keys; the first key of a link is the group's canonical key."""

    def __init__(self, links: Iterable[Sequence[str]]) -> None:
        self.parent: dict[str, str] = {}
        for group in links:
            keys = [k for k in group if k]
            if not keys:
                continue
            root = self.find(keys[0])
            for k in keys[1:]:
                other = self.find(k)
                if other != root:
                    self.parent[other] = root

    def find(self, key: str) -> str:
        while key in self.parent:
            key = self.parent[key]
        return key


def group(
    spans: Sequence[Span],
    texts: Mapping[str, str],
    *,
    links: Iterable[Sequence[str]] = (),
    sources: Mapping[str, str] | None = None,
) -> list[Entity]:
    """Entities of `spans` in order of first mention; `sources` says who masked a key (default engine)."""
    joined = _Links(links)
    ordered = sorted(
        spans, key=lambda s: (TEXT_FIELDS.index(s.field) if s.field in TEXT_FIELDS else 99, s.start)
    )
    groups: dict[str, list[tuple[Span, str]]] = {}
    for s in ordered:
        text = texts.get(s.field, "")[s.start : s.end]
        groups.setdefault(joined.find(entity_key(text)), []).append((s, text))
    sources = sources or {}
    out = []
    for root, members in groups.items():
        first = next((sp for sp, t in members if entity_key(t) == root), members[0][0])
        source = next((sources[k] for k in (entity_key(t) for _, t in members) if k in sources), "engine")
        out.append(
            Entity(
                id=entity_id(root),
                category=first.category,
                replacement=first.replacement,
                source=source,  # type: ignore[arg-type]
                mentions=[Mention(field=sp.field, start=sp.start, end=sp.end, text=t) for sp, t in members],
            )
        )
    return out


def attach(result: RedactionResult, texts: Mapping[str, str]) -> RedactionResult:
    """The engine's result with its entities and doubt ids (what is stored and shown)."""
    return msgspec.structs.replace(
        result, entities=group(result.redactions, texts), doubts=with_ids(result.doubts)
    )


def render(texts: Mapping[str, str], spans: Sequence[Span]) -> dict[str, str]:
    """Each text field with its spans replaced (spans must not overlap)."""
    by_field: dict[str, list[Span]] = {}
    for s in spans:
        by_field.setdefault(s.field, []).append(s)
    out = {}
    for field, text in texts.items():
        pieces, pos = [], 0
        for s in sorted(by_field.get(field, []), key=lambda x: x.start):
            pieces += [text[pos : s.start], s.replacement]
            pos = s.end
        pieces.append(text[pos:])
        out[field] = "".join(pieces)
    return out

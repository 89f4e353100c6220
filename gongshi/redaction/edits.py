"""Reviewer edits of a redaction, stored as a list and replayed over the engine's result.

Edits name what they act on by its text (an entity key, a masked string), not by an offset, so the
same list re-applies when the rules change and the decision is redacted again. A correction changes
the text: `rebase` keeps the edits whose fields are unchanged and turns the others into questions
(a `recheck` doubt) — except masks, which always apply wherever their string still occurs.
"""

from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Mapping, Sequence
from typing import Literal

import msgspec
from msgspec import Struct

from gongshi.redaction import entities as ent
from gongshi.redaction.fold import compact, compact_with_index
from gongshi.redaction.names import NameMasker
from gongshi.redaction.types import Doubt, Entity, Span

Resolution = Literal["mask", "keep"]


class MentionRef(Struct, frozen=True, kw_only=True):
    field: str
    start: int


class _Edit(Struct, frozen=True, kw_only=True, tag_field="action"):
    actor: str = ""
    at: str = ""
    # Hash of each field the edit acted on, when it was made: a correction that changes one re-asks.
    fields: dict[str, str] = {}


class Mask(_Edit, frozen=True, kw_only=True, tag="mask"):
    text: str
    category: str
    skip: list[MentionRef] = []


class Unmask(_Edit, frozen=True, kw_only=True, tag="unmask"):
    key: str
    reason: str
    mention: MentionRef | None = None
    category: str = ""


class Recategorise(_Edit, frozen=True, kw_only=True, tag="recategorise"):
    key: str
    category: str


class Link(_Edit, frozen=True, kw_only=True, tag="link"):
    keys: list[str]


class Resolve(_Edit, frozen=True, kw_only=True, tag="resolve_doubt"):
    doubt_id: str
    resolution: Resolution
    category: str = ""
    text: str = ""


class Recheck(_Edit, frozen=True, kw_only=True, tag="recheck"):
    """An earlier edit whose text a correction changed: asked again as a doubt."""

    previous: Unmask | Recategorise | Link
    field: str
    start: int
    end: int


Edit = Mask | Unmask | Recategorise | Link | Resolve | Recheck
_decoder = msgspec.json.Decoder(list[Edit])


def load(raw: Sequence[object] | None) -> list[Edit]:
    return _decoder.decode(msgspec.json.encode(raw or []))


def dump(edits: Sequence[Edit]) -> list[object]:
    return msgspec.to_builtins(list(edits))  # type: ignore[no-any-return]


def field_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class AgencyTerms(Struct, frozen=True, kw_only=True):
    """An agency's accepted lists: strings always masked (with a category), strings never masked."""

    always: list[tuple[str, str]] = []
    never: list[str] = []


class Reviewed(Struct, frozen=True, kw_only=True):
    spans: list[Span]
    doubts: list[Doubt]
    entities: list[Entity]
    texts: dict[str, str]
    # Strings the reviewer masked (the gate blocks them) and the places an occurrence was unticked.
    masked: list[str]
    published: list[str]


def occurrences(
    text: str, needle: str, compacted: tuple[str, list[int]] | None = None
) -> list[tuple[int, int]]:
    """Where `needle` occurs in `text`, ignoring width, case, spaces and dashes."""
    target = compact(needle)
    if not target or not text:
        return []
    haystack, index = compacted or compact_with_index(text)
    out, i = [], haystack.find(target)
    while i >= 0:
        out.append((index[i], index[i + len(target) - 1] + 1))
        i = haystack.find(target, i + len(target))
    return out


class _State:
    def __init__(self, texts: Mapping[str, str], spans: Sequence[Span], doubts: Sequence[Doubt]) -> None:
        self.texts = texts
        self.spans = list(spans)
        self.doubts = {d.id: d for d in ent.with_ids(doubts)}
        self.links: list[list[str]] = []
        self.sources: dict[str, str] = {}
        self.masked: list[str] = []
        self.published: list[str] = []
        self._compacted: dict[str, tuple[str, list[int]]] = {}

    def compacted(self, field: str) -> tuple[str, list[int]]:
        if field not in self._compacted:
            self._compacted[field] = compact_with_index(self.texts[field])
        return self._compacted[field]

    def key_of(self, s: Span) -> str:
        return ent.entity_key(self.texts.get(s.field, "")[s.start : s.end])

    def root(self, key: str) -> str:
        return ent._Links(self.links).find(key)

    def mask(
        self, text: str, category: str, skip: Sequence[MentionRef] = (), source: str = "reviewer"
    ) -> None:
        skipped = {(m.field, m.start) for m in skip}
        for field, value in self.texts.items():
            if not value:
                continue
            for a, b in occurrences(value, text, self.compacted(field)):
                if (field, a) in skipped:
                    self.published.append(value[max(0, a - 2) : b + 2])
                    continue
                self._cover(field, a, b, category)
        self.sources[ent.entity_key(text)] = source
        self.masked.append(text)

    def apply_terms(self, terms: AgencyTerms) -> None:
        """The agency's lists, before any reviewer edit: never-masked strings first, then always-masked."""
        always, never = _prepared(tuple(terms.always), tuple(terms.never))
        if never:
            self.spans = [s for s in self.spans if self.key_of(s) not in never]
        # One search per term over all fields at once; only a term that occurs is masked field by field.
        joined = "\x00".join(self.compacted(f)[0] for f, v in self.texts.items() if v)
        pairs = set(map(operator.add, joined, joined[1:]))  # every two-character piece, at C speed
        for key, term, category in always:
            if key[:2] in pairs and key[-2:] in pairs and key in joined:
                self.mask(term, category, source="agency_list")

    def _cover(self, field: str, a: int, b: int, category: str) -> None:
        hits = [s for s in self.spans if s.field == field and s.start < b and a < s.end]
        if any(s.start <= a and b <= s.end for s in hits):
            return
        start, end = min([a, *(s.start for s in hits)]), max([b, *(s.end for s in hits)])
        self.spans = [s for s in self.spans if s not in hits]
        self.spans.append(
            Span(field=field, start=start, end=end, category=category, rule="reviewer", replacement="××")
        )
        for d in list(self.doubts.values()):
            if d.field == field and d.start < end and start < d.end and d.status == "open":
                self.doubts[d.id] = msgspec.structs.replace(d, status="masked")

    def unmask(self, e: Unmask) -> None:
        if e.mention is not None:
            ref = e.mention
            self.spans = [s for s in self.spans if not (s.field == ref.field and s.start == ref.start)]
            return
        root = self.root(e.key)
        self.spans = [s for s in self.spans if self.root(self.key_of(s)) != root]

    def recategorise(self, key: str, category: str) -> None:
        root = self.root(key)
        self.spans = [
            msgspec.structs.replace(s, category=category) if self.root(self.key_of(s)) == root else s
            for s in self.spans
        ]

    def resolve(self, e: Resolve) -> None:
        d = self.doubts.get(e.doubt_id)
        if d is None:
            return
        if e.resolution == "mask":
            text = self.texts.get(d.field, "")[d.start : d.end]
            self.mask(text, e.category or _default_category(d.kind))
        self.doubts[d.id] = msgspec.structs.replace(d, status="masked" if e.resolution == "mask" else "kept")


@functools.lru_cache(maxsize=256)
def _prepared(
    always: tuple[tuple[str, str], ...], never: tuple[str, ...]
) -> tuple[list[tuple[str, str, str]], frozenset[str]]:
    """An agency's lists folded once (they change only when a head accepts an entry)."""
    keys = [(compact(t), t, c) for t, c in always]
    return [k for k in keys if len(k[0]) >= 2], frozenset(ent.entity_key(t) for t in never)


def _default_category(kind: str) -> str:
    return {"possible_name": "name", "health": "health", "finance": "finance"}.get(kind, "other")


def fresh(e: Edit, texts: Mapping[str, str]) -> bool:
    """Whether every field the edit acted on still has the text it had."""
    return all(field_hash(texts.get(f, "")) == h for f, h in e.fields.items())


def _recheck_doubt(e: Recheck) -> Doubt:
    what = {"unmask": "保留（不删除）", "recategorise": "改为其他类别", "link": "合并为同一对象"}
    return Doubt(
        field=e.field,
        start=e.start,
        end=e.end,
        kind="recheck",
        message=f"更正后该处文字已变，此前审核人员将其{what.get(_tag(e.previous), '修改')}，请重新确认",
        id=ent.doubt_id(e.field, e.start, e.end, "recheck"),
    )


def _tag(e: Edit) -> str:
    return str(msgspec.to_builtins(e)["action"])


def _apply(state: _State, e: Edit, kept_rechecks: set[str]) -> None:
    if isinstance(e, Mask):
        state.mask(e.text, e.category, e.skip)
    elif isinstance(e, Recheck):
        d = _recheck_doubt(e)
        state.doubts[d.id] = d
        if d.id in kept_rechecks:
            _apply(state, msgspec.structs.replace(e.previous, fields={}), set())
            state.doubts[d.id] = msgspec.structs.replace(d, status="kept")
    elif not fresh(e, state.texts):
        return
    elif isinstance(e, Unmask):
        state.unmask(e)
    elif isinstance(e, Recategorise):
        state.recategorise(e.key, e.category)
    elif isinstance(e, Link):
        state.links.append(list(e.keys))
    elif isinstance(e, Resolve):
        state.resolve(e)


def replay(
    texts: Mapping[str, str],
    spans: Sequence[Span],
    doubts: Sequence[Doubt],
    edits: Sequence[Edit],
    terms: AgencyTerms | None = None,
) -> Reviewed:
    """The engine's spans and doubts with the agency's `terms`, then the reviewer's `edits`, applied."""
    state = _State(texts, spans, doubts)
    if terms is not None:
        state.apply_terms(terms)
    kept_rechecks = {e.doubt_id for e in edits if isinstance(e, Resolve) and e.resolution == "keep"}
    for e in edits:
        _apply(state, e, kept_rechecks)
    touched = edits or (terms is not None and (terms.always or terms.never))
    final = _renamed(state) if touched else sorted(state.spans, key=_order)
    return Reviewed(
        spans=final,
        doubts=list(state.doubts.values()),
        entities=ent.group(final, texts, links=state.links, sources=state.sources),
        texts=ent.render(texts, final),
        masked=state.masked,
        published=state.published,
    )


def _order(s: Span) -> tuple[int, int]:
    return (ent.TEXT_FIELDS.index(s.field) if s.field in ent.TEXT_FIELDS else 99, s.start)


def _renamed(state: _State) -> list[Span]:
    """Spans with their replacements: one pseudonym per name entity (王某1, 王某2…), ×× otherwise."""
    spans = sorted(state.spans, key=_order)
    canon: dict[str, str] = {}
    for s in spans:
        if s.category == "name":
            key = state.key_of(s)
            canon.setdefault(state.root(key), state.texts[s.field][s.start : s.end])
    masker = NameMasker(list(canon.values()), "".join(state.texts.values()))
    out = []
    for s in spans:
        if s.category == "name":
            replacement = masker.mask(canon[state.root(state.key_of(s))])
        else:
            replacement = s.replacement if s.rule != "reviewer" and s.replacement else "××"
        out.append(msgspec.structs.replace(s, replacement=replacement))
    return out


def rebase(edits: Sequence[Edit], texts: Mapping[str, str]) -> list[Edit]:
    """Edits for a new revision: unchanged ones kept, masks always kept, changed ones asked again."""
    out: list[Edit] = []
    for e in edits:
        if isinstance(e, Mask) or fresh(e, texts):
            out.append(e)
            continue
        if isinstance(e, Resolve | Recheck):
            continue  # the doubt itself comes back (open) from the engine, or was settled by a mask
        target = e.keys[0] if isinstance(e, Link) else e.key
        for field, value in texts.items():
            found = next(
                (ab for ab in occurrences(value, target) if compact(value[ab[0] : ab[1]]) == target), None
            )
            if found:
                out.append(
                    Recheck(previous=e, field=field, start=found[0], end=found[1], actor=e.actor, at=e.at)
                )
                break
    return out

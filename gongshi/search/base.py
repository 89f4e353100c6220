"""The engine-neutral search interface: documents, queries, results and the SearchEngine protocol."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Literal, Protocol, runtime_checkable

import msgspec

from gongshi.domain.intake import KINDS
from gongshi.search.text import query_terms

# Fields a query may filter on by equality / any-of, by range, and facet on.
KEYWORD_FIELDS: Final = frozenset({"agency_code", "kind", "region", "penalty_categories"})
RANGE_FIELDS: Final = frozenset({"decided_on", "published_at"})
FACET_FIELDS: Final = frozenset({"agency_code", "kind", "region", "penalty_categories"})
# Full-text fields, in the order their snippets are produced.
TEXT_FIELDS: Final = ("title", "party_name", "document_number", "agency_name", "body")

MAX_PER_PAGE: Final = 100
# Deepest result a query may page to; both engines agree on it so paging behaves the same everywhere.
MAX_RESULT_WINDOW: Final = 10_000
MAX_QUERY_CHARS: Final = 200

# Private-use code points mark highlighted ranges inside engine output; they are stripped from
# documents before indexing so a document can never forge a highlight.
MARK_START: Final = "\ue000"
MARK_END: Final = "\ue001"


class SearchError(Exception):
    """The search engine failed (unreachable, task failed, index unusable)."""


class ReadOnlyError(SearchError):
    """A write was attempted on an engine opened for reading only."""


class WriterBusy(SearchError):
    """Another process holds the index's only writer (the embedded engine's writer lock)."""


class SearchDocument(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """One published disclosure as indexed: only public, leak-gated fields."""

    id: str
    title: str
    agency_code: str
    agency_name: str
    kind: str
    region: str = ""
    decided_on: int  # yyyymmdd
    published_at: int  # unix seconds
    penalty_categories: list[str] = []
    party_name: str = ""
    document_number: str = ""
    body: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("id must not be empty")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if not 19000101 <= self.decided_on <= 29991231:
            raise ValueError("decided_on must be a yyyymmdd integer")
        if self.region and not (len(self.region) == 6 and self.region.isascii() and self.region.isdigit()):
            raise ValueError("region must be a 6-digit code or empty")


class IntRange(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """Inclusive bounds; None means unbounded."""

    gte: int | None = None
    lte: int | None = None


class SearchQuery(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """A search request; an empty `text` lists everything (browse mode, newest first)."""

    text: str = ""
    equals: dict[str, str] = {}
    any_of: dict[str, list[str]] = {}
    ranges: dict[str, IntRange] = {}
    sort: Literal["relevance", "newest"] = "relevance"
    page: int = 1
    per_page: int = 20
    facets: list[str] = []
    highlight: bool = True
    # Characters of body text around the first match (Meilisearch counts words instead).
    crop_length: int = 80

    def __post_init__(self) -> None:
        for name in (*self.equals, *self.any_of):
            if name not in KEYWORD_FIELDS:
                raise ValueError(f"cannot filter on {name!r}")
        for name in self.ranges:
            if name not in RANGE_FIELDS:
                raise ValueError(f"cannot range-filter on {name!r}")
        for name in self.facets:
            if name not in FACET_FIELDS:
                raise ValueError(f"cannot facet on {name!r}")
        if len(self.text) > MAX_QUERY_CHARS:
            raise ValueError(f"query longer than {MAX_QUERY_CHARS} characters")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page < 1 or self.page * self.per_page > MAX_RESULT_WINDOW:
            raise ValueError(f"page must be >= 1 and page * per_page <= {MAX_RESULT_WINDOW}")
        if not 10 <= self.crop_length <= 1000:
            raise ValueError("crop_length must be between 10 and 1000")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def terms(self) -> list[str]:
        """The normalised terms every hit must contain as substrings; empty means browse mode."""
        return query_terms(self.text)

    @property
    def effective_sort(self) -> Literal["relevance", "newest"]:
        """Browse mode has no relevance to rank by, so it lists newest first."""
        return self.sort if self.terms else "newest"


class Snippet(msgspec.Struct, kw_only=True, frozen=True):
    """A highlighted excerpt: `html` is escaped with <mark> tags, `text` is the same excerpt as plain text."""

    html: str
    text: str


class SearchHit(msgspec.Struct, kw_only=True, frozen=True):
    id: str
    document: SearchDocument
    # Snippets keyed by text field name; only fields that matched (and the body, cropped) appear.
    highlights: dict[str, Snippet] = {}


class SearchResult(msgspec.Struct, kw_only=True, frozen=True):
    total: int
    page: int
    per_page: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]] = {}


@runtime_checkable
class SearchEngine(Protocol):
    """What the worker (the only writer) and the servers (readers) need from a search engine."""

    name: str

    def configure(self) -> bool:
        """Create or update the index and its settings (idempotent); True if it is new and needs a reindex."""
        ...

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        """Add or replace documents by id; they are searchable when this returns."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id (unknown ids are ignored)."""
        ...

    def clear(self) -> None:
        """Remove every document."""
        ...

    def reindex(self, docs: Iterable[SearchDocument]) -> int:
        """Replace the whole index with `docs`; returns how many were indexed."""
        ...

    def reload(self) -> None:
        """Make a reader see the latest committed writes (and reopen an index that was replaced)."""
        ...

    def recover(self) -> bool:
        """Writer: recreate an index that was deleted, replaced or broken; True if it must be reindexed."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query; user text never raises a parse error."""
        ...

    def count(self) -> int:
        """Number of documents in the index."""
        ...

    def close(self) -> None:
        """Release files, locks and connections."""
        ...


def sanitize(doc: SearchDocument) -> SearchDocument:
    """Strip highlight marker code points from every text field so documents cannot forge highlights."""
    table = {ord(MARK_START): None, ord(MARK_END): None}

    def clean(value: str) -> str:
        return value.translate(table) if (MARK_START in value or MARK_END in value) else value

    return msgspec.structs.replace(
        doc,
        id=clean(doc.id),
        title=clean(doc.title),
        agency_code=clean(doc.agency_code),
        agency_name=clean(doc.agency_name),
        kind=clean(doc.kind),
        region=clean(doc.region),
        penalty_categories=[clean(c) for c in doc.penalty_categories],
        party_name=clean(doc.party_name),
        document_number=clean(doc.document_number),
        body=clean(doc.body),
    )

"""Search over published disclosures, behind the engine-neutral SearchEngine protocol."""

from __future__ import annotations

from gongshi.search.base import (
    IntRange,
    ReadOnlyError,
    SearchDocument,
    SearchEngine,
    SearchError,
    SearchHit,
    SearchQuery,
    SearchResult,
    Snippet,
    WriterBusy,
)

__all__ = [
    "IntRange",
    "ReadOnlyError",
    "SearchDocument",
    "SearchEngine",
    "SearchError",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "Snippet",
    "WriterBusy",
    "open_engine",
]


def open_engine(
    *, index_dir: str, meili_url: str | None, meili_key: str | None, writer: bool
) -> SearchEngine:
    """Meilisearch when a URL is given, else the embedded tantivy index in `index_dir`; not yet configured."""
    if meili_url:
        from gongshi.search.meili_engine import MeiliEngine

        return MeiliEngine(url=meili_url, api_key=meili_key, writer=writer)
    from gongshi.search.tantivy_engine import TantivyEngine

    return TantivyEngine(index_dir, writer=writer)

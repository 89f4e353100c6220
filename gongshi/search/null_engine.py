"""The null search engine: the SearchEngine interface with no index behind it.

For a deployment that runs without search (`GONGSHI_SEARCH_ENGINE=none`) and for tests that do not
test search. Writes are accepted and forgotten, so the worker's indexer drains its outbox events as
usual; every search finds nothing (with the requested facets present and empty), so the portal still
lists from the read model and answers a text search with an empty page instead of an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gongshi.search.base import SearchDocument, SearchQuery, SearchResult


class NullEngine:
    name = "none"

    def configure(self) -> bool:
        return False  # nothing to build, so never a reindex to run

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        pass

    def delete(self, ids: Sequence[str]) -> None:
        pass

    def clear(self) -> None:
        pass

    def reindex(self, docs: Iterable[SearchDocument]) -> int:
        return 0  # nothing indexed; the documents are not even read

    def reload(self) -> None:
        pass

    def recover(self) -> bool:
        return False

    def search(self, query: SearchQuery) -> SearchResult:
        return SearchResult(
            total=0,
            page=query.page,
            per_page=query.per_page,
            hits=[],
            facets={name: {} for name in query.facets},
        )

    def count(self) -> int:
        return 0

    def close(self) -> None:
        pass

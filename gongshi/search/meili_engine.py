"""Meilisearch through its official client: settings first, every task awaited and checked."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any, Final

import meilisearch
import msgspec
from meilisearch.errors import MeilisearchApiError, MeilisearchError

from gongshi.search import highlight
from gongshi.search.base import (
    FACET_FIELDS,
    KEYWORD_FIELDS,
    MARK_END,
    MARK_START,
    RANGE_FIELDS,
    TEXT_FIELDS,
    ReadOnlyError,
    SearchDocument,
    SearchError,
    SearchHit,
    SearchQuery,
    SearchResult,
    Snippet,
    sanitize,
)
from gongshi.search.text import query_terms

DEFAULT_INDEX: Final = "disclosures"
LOCALES: Final = ["cmn"]
_BATCH: Final = 10_000
_DELETE_BATCH: Final = 1_000
# Exhaustive totals need maxTotalHits above the collection size; paging depth is capped separately.
MAX_TOTAL_HITS: Final = 10_000_000


def settings_payload() -> dict[str, Any]:
    """Index settings; applied (and awaited) before any document is sent."""
    return {
        "searchableAttributes": list(TEXT_FIELDS),
        "filterableAttributes": sorted({"id", *KEYWORD_FIELDS, *RANGE_FIELDS}),
        "sortableAttributes": ["decided_on", "id"],
        # `sort` first: an explicit sort (newest) must win over relevance, as in the embedded engine.
        "rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
        "localizedAttributes": [{"attributePatterns": list(TEXT_FIELDS), "locales": LOCALES}],
        # Document numbers and credit codes must match exactly; typo tolerance would blur them.
        "typoTolerance": {"enabled": False},
        "faceting": {"maxValuesPerFacet": 10_000, "sortFacetValuesBy": {"*": "count"}},
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    }


def quote(value: str) -> str:
    """A filter string literal: double-quoted with backslashes and quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_expression(query: SearchQuery) -> str | None:
    """The Meilisearch filter for a query's equality, any-of and range filters (None if there are none)."""
    parts: list[str] = []
    for name, value in sorted(query.equals.items()):
        parts.append(f"{name} = {quote(value)}")
    for name, values in sorted(query.any_of.items()):
        parts.append(f"{name} IN [{', '.join(quote(v) for v in values)}]")
    for name, bounds in sorted(query.ranges.items()):
        if bounds.gte is not None:
            parts.append(f"{name} >= {int(bounds.gte)}")
        if bounds.lte is not None:
            parts.append(f"{name} <= {int(bounds.lte)}")
    return " AND ".join(parts) if parts else None


def query_string(text: str) -> str:
    """Each term as a quoted phrase: consecutive words, the closest Meilisearch gets to a substring."""
    terms = [term.replace('"', " ").strip() for term in query_terms(text)]
    return " ".join(f'"{term}"' for term in terms if term)


def search_params(query: SearchQuery) -> dict[str, Any]:
    """Search parameters for /search (everything except `q`)."""
    params: dict[str, Any] = {
        "page": query.page,
        "hitsPerPage": query.per_page,
        "locales": LOCALES,
        "matchingStrategy": "all",
    }
    expression = filter_expression(query)
    if expression:
        params["filter"] = expression
    if query.effective_sort == "newest":
        params["sort"] = ["decided_on:desc", "id:asc"]
    if query.facets:
        params["facets"] = list(dict.fromkeys(query.facets))
    if query.highlight:
        params.update(
            {
                "attributesToHighlight": list(TEXT_FIELDS),
                "highlightPreTag": MARK_START,
                "highlightPostTag": MARK_END,
                "attributesToCrop": ["body"],
                # Meilisearch crops by words; a Chinese word is about two characters.
                "cropLength": max(5, query.crop_length // 2),
                "cropMarker": "…",
            }
        )
    return params


def to_meili(doc: SearchDocument) -> dict[str, Any]:
    """The JSON document sent to Meilisearch; an unknown region is null so it is not a facet value."""
    payload: dict[str, Any] = msgspec.to_builtins(sanitize(doc))
    if not payload["region"]:
        payload["region"] = None
    return payload


def from_meili(hit: Mapping[str, Any]) -> SearchDocument:
    """Rebuild the indexed document from a hit, ignoring Meilisearch's own keys."""
    fields = {k: v for k, v in hit.items() if not k.startswith("_")}
    if fields.get("region") is None:
        fields["region"] = ""
    return msgspec.convert(fields, SearchDocument)


def hit_highlights(hit: Mapping[str, Any]) -> dict[str, Snippet]:
    """Snippets from `_formatted`: matched fields, and the (cropped) body always."""
    formatted = hit.get("_formatted") or {}
    out: dict[str, Snippet] = {}
    for field in TEXT_FIELDS:
        value = formatted.get(field)
        if isinstance(value, str) and (MARK_START in value or field == "body"):
            out[field] = highlight.render(value)
    return out


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class MeiliEngine:
    """One Meilisearch index; reindex builds a twin index and swaps it in atomically."""

    name = "meilisearch"

    def __init__(
        self,
        *,
        url: str,
        api_key: str | None,
        writer: bool,
        index_uid: str = DEFAULT_INDEX,
        task_timeout_ms: int = 600_000,
        client: Any = None,
    ) -> None:
        self._client = client if client is not None else meilisearch.Client(url, api_key, timeout=30)
        self._uid = index_uid
        self._is_writer = writer
        self._task_timeout_ms = task_timeout_ms

    # --- tasks -----------------------------------------------------------------------------------

    def _await(self, task_info: Any) -> None:
        """Wait for a task and raise unless it succeeded."""
        uid = int(task_info.task_uid)
        try:
            task = self._client.wait_for_task(uid, timeout_in_ms=self._task_timeout_ms, interval_in_ms=50)
        except MeilisearchError as exc:
            raise SearchError(f"Meilisearch task {uid} did not finish: {exc}") from exc
        if task.status != "succeeded":
            raise SearchError(f"Meilisearch task {uid} ({task.type}) ended {task.status}: {task.error}")

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MeilisearchError as exc:
            raise SearchError(f"Meilisearch request failed: {exc}") from exc

    def _require_writer(self) -> None:
        if not self._is_writer:
            raise ReadOnlyError("this search engine was opened read-only; writes go through the worker")

    # --- lifecycle -------------------------------------------------------------------------------

    def configure(self) -> bool:
        if not self._is_writer:
            # Servers must start even while Meilisearch is down; their searches raise until it is back.
            return False
        created = self._ensure_index(self._uid)
        self._await(self._call(self._client.index(self._uid).update_settings, settings_payload()))
        return created

    def _ensure_index(self, uid: str) -> bool:
        try:
            self._client.get_index(uid)
            return False
        except MeilisearchApiError as exc:
            if exc.code != "index_not_found":
                raise SearchError(f"Meilisearch request failed: {exc}") from exc
        except MeilisearchError as exc:
            raise SearchError(f"Meilisearch request failed: {exc}") from exc
        self._await(self._call(self._client.create_index, uid, {"primaryKey": "id"}))
        return True

    def reload(self) -> None:
        """Meilisearch serves every succeeded task at once; nothing to reload."""

    def recover(self) -> bool:
        """Meilisearch keeps its own storage (and recreates a deleted index on the next write)."""
        self._require_writer()
        return False

    def close(self) -> None:
        """The HTTP client holds no resources worth releasing."""

    def drop_index(self) -> None:
        """Delete the whole index (tests and decommissioning)."""
        self._require_writer()
        self._await(self._call(self._client.delete_index, self._uid))

    # --- writes ----------------------------------------------------------------------------------

    def _add(self, uid: str, docs: Iterable[SearchDocument]) -> int:
        index = self._client.index(uid)
        count = 0
        for batch in _batches(docs, _BATCH):
            self._await(self._call(index.add_documents, [to_meili(d) for d in batch], primary_key="id"))
            count += len(batch)
        return count

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        self._require_writer()
        self._add(self._uid, docs)

    def delete(self, ids: Sequence[str]) -> None:
        self._require_writer()
        index = self._client.index(self._uid)
        for batch in _batches(ids, _DELETE_BATCH):
            expression = f"id IN [{', '.join(quote(i) for i in batch)}]"
            self._await(self._call(index.delete_documents, filter=expression))

    def clear(self) -> None:
        self._require_writer()
        self._await(self._call(self._client.index(self._uid).delete_all_documents))

    def reindex(self, docs: Iterable[SearchDocument]) -> int:
        """Fill a fresh twin index, then swap it in, so searches never see a half-built index."""
        self._require_writer()
        twin = f"{self._uid}__reindex"
        # A twin may be left over from an interrupted run; there is usually none.
        with contextlib.suppress(SearchError):
            self._await(self._call(self._client.delete_index, twin))
        self._ensure_index(twin)
        self._await(self._call(self._client.index(twin).update_settings, settings_payload()))
        count = self._add(twin, docs)
        self._ensure_index(self._uid)
        self._await(self._call(self._client.swap_indexes, [{"indexes": [self._uid, twin]}]))
        self._await(self._call(self._client.delete_index, twin))
        return count

    # --- reads -----------------------------------------------------------------------------------

    def count(self) -> int:
        stats = self._call(self._client.index(self._uid).get_stats)
        return int(stats.number_of_documents)

    def search(self, query: SearchQuery) -> SearchResult:
        if any(not values for values in query.any_of.values()):
            # `IN []` is not valid filter syntax; an empty any-of matches nothing by definition.
            empty: dict[str, dict[str, int]] = {name: {} for name in query.facets}
            return SearchResult(total=0, page=query.page, per_page=query.per_page, hits=[], facets=empty)
        response = self._call(
            self._client.index(self._uid).search, query_string(query.text), search_params(query)
        )
        return self.result_from_response(query, response)

    @staticmethod
    def result_from_response(query: SearchQuery, response: Mapping[str, Any]) -> SearchResult:
        """Map a /search response onto the engine-neutral result."""
        hits = []
        for raw in response.get("hits", []):
            doc = from_meili(raw)
            highlights = hit_highlights(raw) if query.highlight else {}
            hits.append(SearchHit(id=doc.id, document=doc, highlights=highlights))
        distribution = response.get("facetDistribution") or {}
        facets = {
            name: {str(k): int(v) for k, v in (distribution.get(name) or {}).items()}
            for name in dict.fromkeys(query.facets)
            if name in FACET_FIELDS
        }
        total = int(response.get("totalHits", len(hits)))
        return SearchResult(
            total=total,
            page=query.page,
            per_page=query.per_page,
            hits=hits,
            facets=facets,
        )

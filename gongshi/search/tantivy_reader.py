"""Searching the embedded index: the page (ranked, verified or newest first), the exact total, facets."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Final

import tantivy

from gongshi.search import highlight
from gongshi.search.base import (
    TEXT_FIELDS,
    SearchDocument,
    SearchError,
    SearchHit,
    SearchQuery,
    SearchResult,
    Snippet,
)
from gongshi.search.tantivy_codec import Codec
from gongshi.search.tantivy_queries import QueryBuilder, count_of
from gongshi.search.text import normalize

# Large enough to return every distinct facet value, so counts are exact (checked after each call).
_FACET_BUCKETS: Final = 65_000
_FACET_BUCKETS_FIRST: Final = 1_000
# Deepest relevance page (offset + per_page) found by checking phrases on loaded candidates.
_VERIFY_WINDOW: Final = 200


def load_document(codec: Codec, searcher: tantivy.Searcher, address: tantivy.DocAddress) -> SearchDocument:
    raw = searcher.doc(address).get_first("src")
    if not isinstance(raw, bytes):
        raise SearchError("indexed document has no stored source; reindex")
    return codec.unpack(raw)


class TantivySearch:
    """Runs queries on searcher snapshots; the match pass (facets, exact count) may run on `pool`."""

    def __init__(self, queries: QueryBuilder, pool: ThreadPoolExecutor) -> None:
        self._queries = queries
        self._pool = pool

    def run(
        self, codec: Codec, searcher: tantivy.Searcher, query: SearchQuery, *, parallel_facets: bool
    ) -> SearchResult:
        """The page, total and facets of `query` on one searcher snapshot and the codec of its index."""
        terms = query.terms
        grams = self._queries.common_grams(codec, searcher, terms)
        # Phrases other than a common 4-gram (which is a term, see QueryBuilder.common_grams) need positions.
        long_terms = [term for term in terms if len(term) >= 3 and term not in grams]
        sort = query.effective_sort
        # Exact matching without ranking: what counts, facets and the newest-first order need.
        q_match = self._queries.matching(terms, query, grams, ranked=False)
        # Terms of 3+ characters are phrases; positions make checking them the dearest part of a query.
        # For a relevance page, rank the documents holding the terms' bigrams (no positions) and check
        # the phrase on the loaded candidates instead; the exact count comes from the match pass.
        verify = sort == "relevance" and bool(long_terms) and query.offset + query.per_page <= _VERIFY_WINDOW
        # tantivy releases the GIL, so the match pass (facets, exact count) runs on the other core while
        # the page is found.
        pending: Future[tuple[int | None, dict[str, dict[str, int]]]] | None = None
        if query.facets or verify:
            if parallel_facets:
                pending = self._pool.submit(self._match_pass, searcher, q_match, query.facets, verify)
            else:
                pending = Future()
                pending.set_result(self._match_pass(searcher, q_match, query.facets, verify))
        docs: list[SearchDocument] | None = None
        total: int | None = None
        if sort == "newest":
            total, addresses = self._newest_page(codec, searcher, q_match, query)
        else:
            page = None
            if verify:
                q_cheap = self._queries.matching(terms, query, grams, ranked=True, exact=False)
                page = self._verified_page(codec, searcher, q_cheap, long_terms, query)
            if page is not None:
                docs = page
                addresses = []
            else:
                # Same scores as the verified plan (the phrases only filter), so pages agree.
                q = self._queries.matching(terms, query, grams, ranked=True)
                found = searcher.search(q, limit=query.per_page, offset=query.offset, count=not verify)
                total = None if verify else count_of(found)
                addresses = [address for _score, address in found.hits]
        if docs is None:
            docs = [load_document(codec, searcher, address) for address in addresses]
        hits = [self._hit(doc, terms, query) for doc in docs]
        count, facets = pending.result() if pending is not None else (None, {})
        if total is None:
            assert count is not None
            total = count
        return SearchResult(total=total, page=query.page, per_page=query.per_page, hits=hits, facets=facets)

    def _match_pass(
        self, searcher: tantivy.Searcher, q_match: tantivy.Query, names: list[str], need_count: bool
    ) -> tuple[int | None, dict[str, dict[str, int]]]:
        if not names:
            return (count_of(searcher.search(q_match, limit=1, count=True)) if need_count else None), {}
        requested = list(dict.fromkeys(names))
        # Every document has exactly one kind, so its facet counts sum to the number of matches.
        facets = self._facets(searcher, q_match, requested if "kind" in requested else [*requested, "kind"])
        count = sum(facets["kind"].values()) if need_count else None
        return count, {name: facets[name] for name in requested}

    def _verified_page(
        self,
        codec: Codec,
        searcher: tantivy.Searcher,
        q_cheap: tantivy.Query,
        long_terms: list[str],
        query: SearchQuery,
    ) -> list[SearchDocument] | None:
        """The page from a ranking of bigram matches, keeping documents that hold every long term.

        None when too few of the candidates hold them (a rare phrase of common bigrams): the caller then
        ranks the exact matches, with the same scores.
        """
        needed = query.offset + query.per_page
        limit = needed + max(10, needed // 4)
        found = searcher.search(q_cheap, limit=limit, count=False)
        verified: list[SearchDocument] = []
        for _score, address in found.hits:
            doc = load_document(codec, searcher, address)
            values = [normalize(getattr(doc, field)) for field in TEXT_FIELDS]
            if all(any(term in value for value in values) for term in long_terms):
                verified.append(doc)
                if len(verified) == needed:
                    break
        if len(verified) < needed and len(found.hits) == limit:
            return None
        return verified[query.offset : needed]

    def _newest_page(
        self, codec: Codec, searcher: tantivy.Searcher, q: tantivy.Query, query: SearchQuery
    ) -> tuple[int, list[tantivy.DocAddress]]:
        """A page ordered by (decided_on desc, id asc), exact even when sort keys tie."""
        # One extra hit on each side shows whether a run of equal keys crosses the page boundary.
        start = max(0, query.offset - 1)
        stop = query.offset + query.per_page + 1
        found = searcher.search(
            q,
            limit=stop - start,
            offset=start,
            count=True,
            order_by_field="sort_key",
            order=tantivy.Order.Desc,
        )
        total = count_of(found)
        rows = [(int(key), address) for key, address in found.hits]
        lead = query.offset - start
        page_rows = rows[lead : lead + query.per_page]
        if not page_rows:
            return total, []
        keys = [key for key, _ in rows]
        ties_inside = len(set(k for k, _ in page_rows)) < len(page_rows)
        end = lead + query.per_page
        crosses = (lead > 0 and keys[0] == keys[1]) or (len(rows) > end and keys[end - 1] == keys[end])
        if not ties_inside and not crosses:
            return total, [address for _, address in page_rows]
        return total, self._resolve_ties(codec, searcher, q, query, page_rows[0][0], page_rows[-1][0])

    def _resolve_ties(
        self,
        codec: Codec,
        searcher: tantivy.Searcher,
        q: tantivy.Query,
        query: SearchQuery,
        high: int,
        low: int,
    ) -> list[tantivy.DocAddress]:
        """Slow path for equal keys: fetch every hit with a key in [low, high] and order by id."""
        above = self._queries.sort_keys(high, None, include_lower=False)
        before = count_of(searcher.search(q.and_must_match(above), limit=1, count=True))
        window = q.and_must_match(self._queries.sort_keys(low, high))
        size = count_of(searcher.search(window, limit=1, count=True))
        found = searcher.search(window, limit=max(size, 1), count=False)
        rows = []
        for _score, address in found.hits:
            doc = load_document(codec, searcher, address)
            rows.append((-doc.decided_on, doc.id, address))
        rows.sort(key=lambda row: (row[0], row[1]))
        skip = query.offset - before
        return [address for *_rest, address in rows[skip : skip + query.per_page]]

    def _hit(self, doc: SearchDocument, terms: list[str], query: SearchQuery) -> SearchHit:
        highlights: dict[str, Snippet] = {}
        if query.highlight:
            for field in TEXT_FIELDS:
                value: str = getattr(doc, field)
                crop = query.crop_length if field == "body" else None
                marked, matched = highlight.mark(value, terms, crop)
                if matched or field == "body":
                    highlights[field] = highlight.render(marked)
        return SearchHit(id=doc.id, document=doc, highlights=highlights)

    def _facets(
        self, searcher: tantivy.Searcher, q: tantivy.Query, names: list[str]
    ) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        pending = list(dict.fromkeys(names))
        # Small bucket lists are cheaper; a facet with more values is asked again with room for all.
        for size in (_FACET_BUCKETS_FIRST, _FACET_BUCKETS):
            if not pending:
                break
            request = {name: {"terms": {"field": name, "size": size}} for name in pending}
            result: dict[str, Any] = searcher.aggregate(q, request)
            pending = []
            for name in request:
                agg = result.get(name) or {}
                if agg.get("sum_other_doc_count", 0) or agg.get("doc_count_error_upper_bound", 0):
                    pending.append(name)
                    continue
                facets[name] = {str(b["key"]): int(b["doc_count"]) for b in agg.get("buckets", [])}
        if pending:
            raise SearchError(f"facets {pending} have over {_FACET_BUCKETS} values; counts would be wrong")
        return facets

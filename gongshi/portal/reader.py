"""The portal's read-only search engine: opened lazily, reloaded when the worker commits, cached."""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

import msgspec

from gongshi.search import (
    SearchEngine,
    SearchError,
    SearchQuery,
    SearchResult,
    engine_opener,
    index_generation,
)
from gongshi.settings import Settings

log = logging.getLogger("gongshi.portal")

# How often a reader looks for the worker's new commits; cheap, but not on every request.
RELOAD_INTERVAL = 1.0
# How soon a reader tries again to load an index it could not reload (deleted, or a broken commit).
RETRY_INTERVAL = 0.5


class SearchReader:
    """The portal's read-only engine: opened lazily, reloaded when the index changes, never written.

    Between two index generations a reader sees one fixed snapshot, so a result computed for a query
    stays exact until the generation changes: results (and facet counts, which do not depend on the
    page or the sort) are cached per generation. A generation is the index's meta.json (tantivy
    commits rewrite it atomically) or, for engines without such a file, a one-second time slot.
    """

    MAX_CACHED = 2048

    def __init__(
        self,
        opener: Callable[[], SearchEngine],
        *,
        interval: float = RELOAD_INTERVAL,
        generation: Callable[[], object] | None = None,
        indexed: bool = True,
    ) -> None:
        # False for a deployment without search (the null engine): lists come from the read model.
        self.indexed = indexed
        self._opener = opener
        self._engine: SearchEngine | None = None
        self._interval = interval
        self._generation_of = generation
        self._generation: object = None
        self._next_check = 0.0
        self._said_stale = False
        self._reopen_after = 0.0
        self._lock = threading.Lock()
        self._results: OrderedDict[bytes, SearchResult] = OrderedDict()
        self._facets: OrderedDict[bytes, dict[str, dict[str, int]]] = OrderedDict()

    @classmethod
    def for_settings(cls, settings: Settings) -> SearchReader:
        """The deployment's reader (engine chosen once from settings by gongshi.search.engine_opener)."""
        return cls(
            engine_opener(settings, writer=False),
            generation=index_generation(settings),
            indexed=settings.search_engine != "none",
        )

    @classmethod
    def null(cls) -> SearchReader:
        """A reader with no index behind it (the null engine), as with search_engine "none"."""
        from gongshi.search.null_engine import NullEngine

        return cls(NullEngine, indexed=False)

    def _current(self) -> SearchEngine:
        engine = self._engine
        if engine is None:
            with self._lock:
                if self._engine is None:
                    self._engine = self._opener()
                    self._generation = self._current_generation()
                engine = self._engine
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + (self._interval if self._generation_of is None else 0.0)
            generation = self._current_generation()
            if generation != self._generation or self._generation_of is None:
                try:
                    # A tantivy reader also reopens here when the index was rebuilt in a new directory.
                    engine.reload()
                except (SearchError, OSError, ValueError, RuntimeError) as exc:
                    # Deleted, or a broken commit: keep answering from the snapshot we have and look
                    # again shortly (the worker recreates the index; `gongshi reindex` rebuilds it).
                    self._next_check = now + RETRY_INTERVAL
                    if not self._said_stale:
                        log.warning("search index not reloadable, answering from the last snapshot: %s", exc)
                        self._said_stale = True
                    return engine
                self._said_stale = False
                with self._lock:
                    self._generation = generation
                    self._results.clear()
                    self._facets.clear()
        return engine

    def _current_generation(self) -> object:
        if self._generation_of is None:
            return int(time.monotonic() / self._interval) if self._interval else time.monotonic()
        return self._generation_of()

    def search(self, query: SearchQuery) -> SearchResult:
        engine: SearchEngine | None = None
        try:
            engine = self._current()
            key = msgspec.msgpack.encode(query)
            cached = self._results.get(key)
            if cached is not None:
                return cached
            facet_key = None
            if query.facets:
                facet_key = msgspec.msgpack.encode(
                    msgspec.structs.replace(query, page=1, sort="relevance", highlight=False, crop_length=80)
                )
                facets = self._facets.get(facet_key)
                if facets is not None:
                    hits = engine.search(msgspec.structs.replace(query, facets=[]))
                    result = msgspec.structs.replace(hits, facets=facets)
                    self._remember(key, result, None)
                    return result
            result = engine.search(query)
            self._remember(key, result, facet_key)
            return result
        except SearchError:
            self._forget(engine)
            raise
        except (OSError, ValueError, RuntimeError) as exc:
            self._forget(engine)
            raise SearchError(str(exc)) from exc

    def _forget(self, engine: SearchEngine | None) -> None:
        """After a failed search, reopen the index if that works; else keep the engine we have.

        A new engine replaces the old one only once it can count its documents, so a snapshot that
        still answers most queries is not traded for no index at all. Tried at most every
        RETRY_INTERVAL seconds.
        """
        now = time.monotonic()
        if engine is None or now < self._reopen_after:
            return
        self._reopen_after = now + RETRY_INTERVAL
        try:
            fresh = self._opener()
            fresh.count()
        except (SearchError, OSError, ValueError, RuntimeError) as exc:
            log.info("search index not reopened: %s", exc)
            return
        with self._lock:
            if self._engine is engine:
                # The old one is not closed: other requests may still be using it.
                self._engine = fresh
                self._generation = self._current_generation()
                self._results.clear()
                self._facets.clear()
                return
        fresh.close()

    def _remember(self, key: bytes, result: SearchResult, facet_key: bytes | None) -> None:
        with self._lock:
            self._results[key] = result
            if len(self._results) > self.MAX_CACHED:
                self._results.popitem(last=False)
            if facet_key is not None:
                self._facets[facet_key] = result.facets
                if len(self._facets) > self.MAX_CACHED:
                    self._facets.popitem(last=False)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

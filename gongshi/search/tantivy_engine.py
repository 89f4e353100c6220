"""Embedded search on tantivy: exact-substring matching over position-carrying bigrams.

The engine opens, recovers and writes the index; what it holds is in tantivy_documents, the stored
documents' compression in tantivy_codec, the directory's lock and version file in tantivy_directory,
queries in tantivy_queries and the search itself in tantivy_reader.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

import tantivy

from gongshi.search.base import (
    ReadOnlyError,
    SearchDocument,
    SearchError,
    SearchQuery,
    SearchResult,
    WriterBusy,
)
from gongshi.search.tantivy_codec import DICT_MIN_DOCS, DICT_SAMPLE, Codec
from gongshi.search.tantivy_directory import Identity, IndexDirectory
from gongshi.search.tantivy_documents import build_schema, to_tantivy
from gongshi.search.tantivy_queries import QueryBuilder
from gongshi.search.tantivy_reader import TantivySearch, load_document

log = logging.getLogger("gongshi.search")

_WRITER_HEAP: Final = 256_000_000


class _Opened:
    """One opened index directory: the tantivy index, the codec of its dictionaries, and which index it is.

    Kept together so that a search that started on one index never decodes with another one's
    dictionaries (an index rebuilt in a new directory numbers its dictionaries from 1 again).
    """

    __slots__ = ("codec", "identity", "index")

    def __init__(self, index: tantivy.Index, codec: Codec, identity: Identity) -> None:
        self.index = index
        self.codec = codec
        self.identity = identity


class TantivyEngine:
    """A tantivy index in one directory; only an engine opened with writer=True may change it.

    The writer holds an OS lock on `<dir>.lock` beside the directory (so deleting the directory does
    not free it) from `configure` to `close`: there is never a second writer, whoever it is.
    Readers notice on `reload` that the directory was replaced (its version file names the index
    instance) and reopen; the writer notices in `recover` that it was deleted, replaced or broken and
    recreates it, after which the caller rebuilds it from the database.
    """

    name = "tantivy"

    def __init__(self, index_dir: str, *, writer: bool, parallel_facets: bool = True) -> None:
        self._dir = Path(index_dir)
        self._files = IndexDirectory(self._dir)
        # Whether the facet pass runs on a second thread (set False to measure one core's latency).
        self.parallel_facets = parallel_facets
        self._is_writer = writer
        self._schema = build_schema()
        self._state: _Opened | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gongshi-facets")
        self._search = TantivySearch(QueryBuilder(self._schema), self._pool)
        # meta.json as the writer last saw it valid (inode, mtime, size); see _problem.
        self._meta_seen: tuple[int, int, int] | None = None

    @property
    def lock_path(self) -> Path:
        return self._files.lock_path

    @property
    def aside_path(self) -> Path:
        """Where a broken index is moved before it is rebuilt (one copy, for inspection)."""
        return self._files.aside_path

    # --- lifecycle -------------------------------------------------------------------------------

    def configure(self) -> bool:
        """Open the index, creating it (writer only) when missing, broken or of an older schema version.

        A writer first takes the writer lock (WriterBusy when another process holds it). An index that
        cannot be opened is moved aside to `aside_path` and created empty; True means the index is new
        and must be rebuilt (reindex).
        """
        if self._is_writer:
            self._files.take_lock()
        with self._lock:
            return self._configure()

    def _configure(self) -> bool:
        if self._files.version_ok():
            try:
                self._open()
                return False
            except SearchError as exc:
                if not self._is_writer:
                    raise
                log.warning("search index %s unusable (%s); moving it to %s", self._dir, exc, self.aside_path)
                self._files.set_aside()
        if not self._is_writer:
            # A server may start before the worker has built the index; searches raise until it has.
            return False
        self._files.create(self._schema)
        self._open()
        return True

    def _open(self) -> None:
        if self._state is not None:
            return
        self._state = self._load_state()
        if self._is_writer:
            index, codec = self._state.index, self._state.codec
            codec.scan()
            # Keep packing with the list the committed documents carry (a failed reindex may have
            # left a newer, unused one on disk).
            markers = index.searcher().terms_with_prefix("grams", "#", limit=3)
            if len(markers) == 1 and markers[0][0][1:].isdigit():
                codec.current = int(markers[0][0][1:])
            try:
                self._writer = index.writer(heap_size=_WRITER_HEAP, num_threads=min(4, os.cpu_count() or 1))
            except ValueError as exc:
                self._state = None
                if "LockBusy" in str(exc):
                    raise WriterBusy(f"another process holds tantivy's writer lock in {self._dir}") from exc
                raise SearchError(f"cannot open a writer on {self._dir}: {exc}") from exc
            self._meta_seen = self._files.meta_stat()

    def _load_state(self) -> _Opened:
        """Open the directory as it is now; SearchError when it is missing or broken."""
        identity = self._files.identity()
        if identity is None:
            raise SearchError(f"no search index in {self._dir}")
        try:
            index = tantivy.Index.open(str(self._dir))
            # Readers reload when told to (SearchReader does on every new commit), so they can check
            # first that the directory still holds the same index.
            index.config_reader(reload_policy="manual" if not self._is_writer else "commit")
            index.reload()
        except (ValueError, OSError) as exc:
            raise SearchError(f"search index {self._dir} cannot be opened: {exc}") from exc
        codec = Codec(self._dir)
        if not self._is_writer:
            # Hold the dictionaries in memory, so this snapshot stays readable if the directory goes.
            codec.load_all()
        if self._files.identity() != identity:
            raise SearchError(f"search index {self._dir} was replaced while opening it; try again")
        return _Opened(index, codec, identity)

    def _require_state(self) -> _Opened:
        state = self._state
        if state is None:
            self.configure()
            state = self._state
        if state is None:
            raise SearchError(f"no search index in {self._dir} yet; the worker must build it (reindex)")
        return state

    def _require_writer(self) -> tuple[_Opened, tantivy.IndexWriter]:
        if not self._is_writer:
            raise ReadOnlyError("this search engine was opened read-only; writes go through the worker")
        state = self._state
        if state is None:
            # Opened lazily by a first write (or again after close): the lock comes first here too.
            self._files.take_lock()
            self._configure()
            state = self._state
        assert state is not None and self._writer is not None
        return state, self._writer

    def reload(self) -> None:
        """See the latest commit; a reader whose directory was replaced reopens it.

        Raises SearchError when the directory is gone or cannot be read; the engine then keeps
        answering from the snapshot it has.
        """
        state = self._state
        if state is None:
            if self._files.version_ok():
                with self._lock:
                    self._open()
            return
        if self._is_writer:
            state.index.reload()
            return
        before = self._files.identity()
        if before is None:
            raise SearchError(f"the search index in {self._dir} is gone; answering from the last snapshot")
        if before == state.identity:
            try:
                state.index.reload()
            except (ValueError, OSError) as exc:
                raise SearchError(f"cannot read the latest commit of {self._dir}: {exc}") from exc
            if self._files.identity() == state.identity:
                # A rebuild in place trains a new dictionary: hold it before the directory can go.
                state.codec.load_all()
                return
        # Another index now lives in the directory (rebuilt after a deletion or corruption).
        fresh = self._load_state()
        with self._lock:
            self._state = fresh

    def recover(self) -> bool:
        """Writer: recreate the index if it was deleted, replaced or broken; True if it must be rebuilt.

        Cheap when nothing happened (a read of the version file and a stat of meta.json), so the
        worker calls it every pass.
        """
        if not self._is_writer:
            raise ReadOnlyError("only the writer recovers the index")
        self._files.take_lock()
        with self._lock:
            state = self._state
            if state is None:
                return self._configure()
            problem = self._problem(state)
            if problem is None:
                return False
            log.warning("search index %s %s; recreating it", self._dir, problem)
            # The old writer may point at a deleted directory: drop it without committing.
            self._writer = None
            self._state = None
            if self._dir.exists() and not self._files.version_ok():
                self._files.set_aside()
            self._configure()
            return True

    def _problem(self, state: _Opened) -> str | None:
        identity = self._files.identity()
        if identity is None:
            return "was deleted (or lost its version file)"
        if identity != state.identity:
            return "was replaced by another process"
        seen = self._files.meta_stat()
        if seen is None:
            return "lost its meta.json"
        if seen != self._meta_seen:
            # Changed by a merge of ours, or by someone else: make sure tantivy can still read it.
            if not self._files.meta_readable():
                return "has a corrupt meta.json"
            self._meta_seen = seen
        return None

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                with contextlib.suppress(ValueError, OSError):
                    self._writer.wait_merging_threads()
                self._writer = None
            self._state = None
            self._files.release_lock()
        self._pool.shutdown(wait=True)

    # --- writes ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[tuple[Codec, tantivy.IndexWriter]]:
        """All of a call's writes commit together, or none do (a failed reindex keeps the old index)."""
        with self._lock:
            state, writer = self._require_writer()
            try:
                yield state.codec, writer
            except BaseException:
                writer.rollback()
                raise
            writer.commit()
            state.index.reload()
            self._meta_seen = self._files.meta_stat()

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        with self._transaction() as (codec, writer):
            number = codec.current
            if number == 0:
                # An index filled by upserts alone gets a dictionary once it has enough documents.
                sample = [*docs, *self._stored_sample(DICT_SAMPLE - len(docs))]
                if len(sample) >= DICT_MIN_DOCS:
                    number = codec.train(sample)
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(to_tantivy(codec, doc, number))
        codec.current = number

    def _stored_sample(self, limit: int) -> list[SearchDocument]:
        state = self._state
        if limit <= 0 or state is None:
            return []
        searcher = state.index.searcher()
        found = searcher.search(tantivy.Query.all_query(), limit=limit, count=False)
        return [load_document(state.codec, searcher, address) for _score, address in found.hits]

    def delete(self, ids: Sequence[str]) -> None:
        with self._transaction() as (_codec, writer):
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)

    def clear(self) -> None:
        with self._transaction() as (_codec, writer):
            writer.delete_all_documents()

    def reindex(self, docs: Iterable[SearchDocument]) -> int:
        """Rebuild in place: readers keep the previous commit until the single final commit."""
        count = 0
        iterator = iter(docs)
        # Read ahead to train the stored-document dictionary on what is being indexed.
        head = list(itertools.islice(iterator, DICT_SAMPLE))
        with self._transaction() as (codec, writer):
            writer.delete_all_documents()
            number = codec.train(head) if len(head) >= DICT_MIN_DOCS else 0
            for doc in itertools.chain(head, iterator):
                writer.add_document(to_tantivy(codec, doc, number))
                count += 1
        codec.current = number
        # Readers still on the previous commit may need its dictionaries: the previous one, or the one
        # before it when a failed reindex trained one in between (and upserts then used it).
        codec.prune(number - 2)
        return count

    # --- reads -----------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._require_state().index.searcher().num_docs)

    def search(self, query: SearchQuery) -> SearchResult:
        # One opened index for the whole query, even if a reload swaps in another meanwhile.
        state = self._require_state()
        return self._search.run(
            state.codec, state.index.searcher(), query, parallel_facets=self.parallel_facets
        )

"""Embedded search on tantivy: exact-substring matching over position-carrying bigrams."""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import json
import logging
import os
import shutil
import threading
import uuid
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import msgspec
import tantivy

from gongshi.search import highlight
from gongshi.search.base import (
    TEXT_FIELDS,
    ReadOnlyError,
    SearchDocument,
    SearchError,
    SearchHit,
    SearchQuery,
    SearchResult,
    Snippet,
    WriterBusy,
    sanitize,
)
from gongshi.search.text import GRAM, common_grams, index_runs, normalize, phrase_words

log = logging.getLogger("gongshi.search")

# Bump when the schema or the token form changes; an index of another version must be rebuilt.
SCHEMA_VERSION: Final = 4
_VERSION_FILE: Final = "gongshi-search.json"
# Beside the index directory: the writer lock, and where a broken index is moved before a rebuild.
_LOCK_SUFFIX: Final = ".lock"
_ASIDE_SUFFIX: Final = ".broken"
_WRITER_HEAP: Final = 256_000_000
# Large enough to return every distinct facet value, so counts are exact (checked after each call).
_FACET_BUCKETS: Final = 65_000
_FACET_BUCKETS_FIRST: Final = 1_000
_TITLE_BOOST: Final = 3.0
# Deepest relevance page (offset + per_page) found by checking phrases on loaded candidates.
_VERIFY_WINDOW: Final = 200
_ID_KEY_BITS: Final = 38
_ID_PREFIX_MAX: Final = (1 << 35) - 1


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    # Only looked up by term (replace, delete); nothing sorts or aggregates on it.
    sb.add_text_field("id", tokenizer_name="raw", index_option="basic")
    # Every text field, concatenated as bigram streams; a run never spans two fields.
    sb.add_text_field("all", tokenizer_name="whitespace", index_option="position")
    # The title alone, only to rank title matches higher: its bigrams are queried as terms, the
    # exact match is already required on "all", so it needs no positions.
    sb.add_text_field("title", tokenizer_name="whitespace", index_option="basic")
    for name in ("agency_code", "kind", "region", "penalty_categories"):
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    # Narrow decision-date ranges read postings (see _narrow); publication-time ranges scan the fast
    # field, which saves a term per document (the timestamps are nearly all distinct).
    # Common 4-grams a document lacks ("!gram"), and the number of the vocabulary it was checked
    # against ("#n"): see _Codec.train and TantivyEngine._grams.
    sb.add_text_field("grams", tokenizer_name="whitespace", index_option="basic")
    sb.add_integer_field("decided_on", indexed=True, fast=True)
    sb.add_integer_field("published_at", fast=True)
    sb.add_integer_field("sort_key", fast=True)
    # The whole document in one field (see _Codec), so a hit costs a single fetch and decode.
    sb.add_bytes_field("src", stored=True)
    return sb.build()


def sort_key(decided_on: int, doc_id: str) -> int:
    """Newest-first order key: the date, then the id's leading characters, packed in 63 bits."""
    prefix = 0
    for ch in doc_id[:5]:
        # Ids are ASCII (base32); 7 bits per character keep byte order for those.
        prefix = (prefix << 7) | min(ord(ch), 127)
    prefix <<= 7 * (5 - min(len(doc_id), 5))
    # Larger keys come first in a descending sort, so invert the id part to list ids ascending.
    return (decided_on << _ID_KEY_BITS) | ((_ID_PREFIX_MAX - prefix) << 3)


_FIELDS: Final = tuple(SearchDocument.__struct_fields__)
_DICT_PREFIX: Final = "gongshi-zdict-"
# Deflate looks back at most 32 KiB, so a longer preset dictionary would never be used.
_DICT_BYTES: Final = 32_768
# Documents read ahead at reindex to sample the dictionary from, and the fewest worth training on.
_DICT_SAMPLE: Final = 2_000
_DICT_MIN_DOCS: Final = 32
_DEFLATE_LEVEL: Final = 6
_GRAMS_PREFIX: Final = "gongshi-grams-"
# A 4-gram in at least this share of the sampled documents gets an "absent" term; above ~70 % the lists
# of documents lacking one are short enough to cost ~3 bytes per document for about a hundred 4-grams.
_GRAMS_MIN_SHARE: Final = 0.7
_GRAMS_MAX: Final = 256


def _encode(doc: SearchDocument) -> bytes:
    """A msgpack array of the field values, text as UTF-16: 2 bytes per Chinese character instead of 3
    compresses ~9% smaller and faster than UTF-8."""
    return msgspec.msgpack.encode(
        [
            v.encode("utf-16-le", "surrogatepass") if isinstance(v, str) else v
            for v in msgspec.structs.astuple(doc)
        ]
    )


def _decode(data: bytes) -> SearchDocument:
    values = msgspec.msgpack.decode(data)
    fields = {
        name: value.decode("utf-16-le", "surrogatepass") if isinstance(value, bytes) else value
        for name, value in zip(_FIELDS, values, strict=True)
    }
    return msgspec.convert(fields, SearchDocument)


def _uvarint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_uvarint(raw: bytes) -> tuple[int, int]:
    value = shift = pos = 0
    while True:
        byte = raw[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if not byte & 0x80:
            return value, pos
        shift += 7


class _Codec:
    """Stored documents: a msgpack array (see _encode), raw-deflated with a preset dictionary.

    A disclosure is too short for deflate to find much repetition inside it, but disclosures repeat
    each other (agency names, legal boilerplate, statute titles). The dictionary is a sample of the
    documents being indexed, taken at reindex (or at the first large enough upsert into an index
    without one) and kept in the index directory as gongshi-zdict-<n>.bin; every stored document
    starts with the number of the dictionary it was packed with (0: none), so a new dictionary never
    invalidates documents packed with an older one. On the synthetic benchmark corpus this takes a
    stored document from ~945 to ~390 bytes; decoding costs ~8 µs.
    """

    def __init__(self, directory: Path) -> None:
        self._dir = directory
        self._dicts: dict[int, bytes] = {0: b""}
        self._grams: dict[int, frozenset[str]] = {0: frozenset()}
        self._lock = threading.Lock()
        self.current = 0

    def _path(self, number: int) -> Path:
        return self._dir / f"{_DICT_PREFIX}{number}.bin"

    def _numbers(self) -> list[int]:
        numbers = []
        for path in self._dir.glob(f"{_DICT_PREFIX}*.bin"):
            suffix = path.stem.removeprefix(_DICT_PREFIX)
            if suffix.isdigit():
                numbers.append(int(suffix))
        return numbers

    def scan(self) -> None:
        """Use the newest dictionary on disk for new documents (the writer, on opening)."""
        self.current = max(self._numbers(), default=0)

    def train(self, sample: Sequence[SearchDocument]) -> int:
        """Write a dictionary sampled evenly from `sample` and return its number (not yet current)."""
        encoded = [_encode(doc) for doc in sample]
        average = max(1, sum(map(len, encoded)) // max(1, len(encoded)))
        step = max(1, len(encoded) // max(1, _DICT_BYTES // average))
        data = b"".join(encoded[::step])[-_DICT_BYTES:]
        number = max(self._numbers(), default=0) + 1
        grams = common_grams(
            [[getattr(doc, field) for field in TEXT_FIELDS] for doc in sample], _GRAMS_MIN_SHARE, _GRAMS_MAX
        )
        for path, payload in (
            (self._grams_path(number), json.dumps(grams, ensure_ascii=False).encode()),
            (self._path(number), data),
        ):
            tmp = path.with_suffix(".tmp")
            with open(tmp, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        # The rename must be durable before any commit refers to the dictionary.
        dir_fd = os.open(self._dir, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        with self._lock:
            self._dicts[number] = data
            self._grams[number] = frozenset(grams)
        return number

    def _grams_path(self, number: int) -> Path:
        return self._dir / f"{_GRAMS_PREFIX}{number}.json"

    def grams(self, number: int) -> frozenset[str] | None:
        """The common 4-grams documents packed with dictionary `number` were checked for (None: gone)."""
        with self._lock:
            grams = self._grams.get(number)
        if grams is None:
            try:
                grams = frozenset(json.loads(self._grams_path(number).read_text()))
            except (OSError, ValueError):
                return None
            with self._lock:
                self._grams[number] = grams
        return grams

    def prune(self, keep_from: int) -> None:
        """Delete dictionaries older than `keep_from` (no committed document uses them any more)."""
        for number in self._numbers():
            if 0 < number < keep_from:
                with self._lock:
                    self._dicts.pop(number, None)
                    self._grams.pop(number, None)
                self._path(number).unlink(missing_ok=True)
                self._grams_path(number).unlink(missing_ok=True)

    def _dict(self, number: int) -> bytes:
        with self._lock:
            data = self._dicts.get(number)
        if data is None:
            try:
                data = self._path(number).read_bytes()
            except FileNotFoundError:
                raise SearchError(
                    f"stored documents need {self._path(number)}, which is gone; reindex"
                ) from None
            with self._lock:
                self._dicts[number] = data
        return data

    def load_all(self) -> None:
        """Read the dictionaries and 4-gram lists not read yet (a reader, on opening and on reloading)."""
        for number in self._numbers():
            with self._lock:
                known = number in self._dicts and number in self._grams
            if not known:
                with contextlib.suppress(SearchError):
                    self._dict(number)
                self.grams(number)

    def pack(self, doc: SearchDocument, number: int) -> bytes:
        zdict = self._dict(number)
        if zdict:
            packer = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15, 9, zdict=zdict)
        else:
            packer = zlib.compressobj(_DEFLATE_LEVEL, zlib.DEFLATED, -15, 9)
        body = packer.compress(_encode(doc)) + packer.flush()
        return _uvarint(number) + body

    def unpack(self, raw: bytes) -> SearchDocument:
        number, pos = _read_uvarint(raw)
        zdict = self._dict(number)
        unpacker = zlib.decompressobj(-15, zdict=zdict) if zdict else zlib.decompressobj(-15)
        try:
            return _decode(unpacker.decompress(raw[pos:]) + unpacker.flush())
        except (zlib.error, msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
            raise SearchError(f"a stored document cannot be decoded ({exc}); reindex") from exc


def _narrow(field: str, low: int | None, high: int | None) -> bool:
    """Whether a date range is narrow enough that its postings beat scanning the fast field.

    Measured on 1M documents over 8 years: postings are 2-10x faster up to about a year, and 2-3x
    slower for ranges covering most of the index.
    """
    if field != "decided_on" or low is None or high is None:
        return False
    return (high // 10000 - low // 10000) * 12 + (high // 100 % 100 - low // 100 % 100) <= 12


def _count(found: tantivy.SearchResult) -> int:
    # `count` exists at runtime (search(count=True)) but is missing from tantivy's type stub.
    return int(getattr(found, "count", 0) or 0)


class _Opened:
    """One opened index directory: the tantivy index, the codec of its dictionaries, and which index it is.

    Kept together so that a search that started on one index never decodes with another one's
    dictionaries (an index rebuilt in a new directory numbers its dictionaries from 1 again).
    """

    __slots__ = ("codec", "identity", "index")

    def __init__(self, index: tantivy.Index, codec: _Codec, identity: tuple[str, int, int]) -> None:
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
        # Whether the facet pass runs on a second thread (set False to measure one core's latency).
        self.parallel_facets = parallel_facets
        self._is_writer = writer
        self._schema = _schema()
        self._state: _Opened | None = None
        self._writer: tantivy.IndexWriter | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="gongshi-facets")
        self._lock_fd: int | None = None
        # meta.json as the writer last saw it valid (inode, mtime, size); see _problem.
        self._meta_seen: tuple[int, int, int] | None = None

    @property
    def lock_path(self) -> Path:
        return self._dir.with_name(self._dir.name + _LOCK_SUFFIX)

    @property
    def aside_path(self) -> Path:
        """Where a broken index is moved before it is rebuilt (one copy, for inspection)."""
        return self._dir.with_name(self._dir.name + _ASIDE_SUFFIX)

    # --- lifecycle -------------------------------------------------------------------------------

    def configure(self) -> bool:
        """Open the index, creating it (writer only) when missing, broken or of an older schema version.

        A writer first takes the writer lock (WriterBusy when another process holds it). An index that
        cannot be opened is moved aside to `aside_path` and created empty; True means the index is new
        and must be rebuilt (reindex).
        """
        if self._is_writer:
            self._take_lock()
        with self._lock:
            return self._configure()

    def _configure(self) -> bool:
        if self._version_ok():
            try:
                self._open()
                return False
            except SearchError as exc:
                if not self._is_writer:
                    raise
                log.warning("search index %s unusable (%s); moving it to %s", self._dir, exc, self.aside_path)
                self._set_aside()
        if not self._is_writer:
            # A server may start before the worker has built the index; searches raise until it has.
            return False
        if self._dir.exists() and any(self._dir.iterdir()):
            if not (self._dir / "meta.json").exists() and not (self._dir / _VERSION_FILE).exists():
                raise SearchError(f"{self._dir} is not a search index; refusing to delete its contents")
            shutil.rmtree(self._dir)
        self._dir.mkdir(parents=True, exist_ok=True)
        tantivy.Index(self._schema, path=str(self._dir), reuse=False)
        version = {"schema_version": SCHEMA_VERSION, "instance": uuid.uuid4().hex}
        tmp = self._dir / f"{_VERSION_FILE}.tmp"
        tmp.write_text(json.dumps(version))
        os.replace(tmp, self._dir / _VERSION_FILE)
        self._open()
        return True

    def _take_lock(self) -> None:
        if self._lock_fd is not None:
            return
        path = self.lock_path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise WriterBusy(
                f"another process (pid {holder or '?'}) writes the search index {self._dir}; it holds {path}"
            ) from None
        # The holder's pid, for the message above; the lock itself is the flock, released on exit.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _set_aside(self) -> None:
        aside = self.aside_path
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(self._dir, aside)

    def _version(self) -> tuple[int | None, tuple[str, int, int] | None]:
        """The schema version and the identity (instance id, device, inode) of the index in the directory."""
        try:
            with open(self._dir / _VERSION_FILE, "rb") as fh:
                st = os.fstat(fh.fileno())
                meta = json.loads(fh.read())
        except (OSError, ValueError):
            return None, None
        if not isinstance(meta, dict):
            return None, None
        # Indexes made before the instance id existed are told apart by the version file's inode only.
        return meta.get("schema_version"), (str(meta.get("instance", "")), st.st_dev, st.st_ino)

    def _identity(self) -> tuple[str, int, int] | None:
        return self._version()[1]

    def _version_ok(self) -> bool:
        version, _identity = self._version()
        return version == SCHEMA_VERSION and tantivy.Index.exists(str(self._dir))

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
            self._meta_seen = self._meta_stat()

    def _load_state(self) -> _Opened:
        """Open the directory as it is now; SearchError when it is missing or broken."""
        identity = self._identity()
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
        codec = _Codec(self._dir)
        if not self._is_writer:
            # Hold the dictionaries in memory, so this snapshot stays readable if the directory goes.
            codec.load_all()
        if self._identity() != identity:
            raise SearchError(f"search index {self._dir} was replaced while opening it; try again")
        return _Opened(index, codec, identity)

    def _meta_stat(self) -> tuple[int, int, int] | None:
        try:
            st = (self._dir / "meta.json").stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

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
            self._take_lock()
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
            if self._version_ok():
                with self._lock:
                    self._open()
            return
        if self._is_writer:
            state.index.reload()
            return
        before = self._identity()
        if before is None:
            raise SearchError(f"the search index in {self._dir} is gone; answering from the last snapshot")
        if before == state.identity:
            try:
                state.index.reload()
            except (ValueError, OSError) as exc:
                raise SearchError(f"cannot read the latest commit of {self._dir}: {exc}") from exc
            if self._identity() == state.identity:
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
        self._take_lock()
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
            if self._dir.exists() and not self._version_ok():
                self._set_aside()
            self._configure()
            return True

    def _problem(self, state: _Opened) -> str | None:
        identity = self._identity()
        if identity is None:
            return "was deleted (or lost its version file)"
        if identity != state.identity:
            return "was replaced by another process"
        seen = self._meta_stat()
        if seen is None:
            return "lost its meta.json"
        if seen != self._meta_seen:
            # Changed by a merge of ours, or by someone else: make sure tantivy can still read it.
            try:
                meta = json.loads((self._dir / "meta.json").read_bytes())
            except (OSError, ValueError):
                meta = None
            if not isinstance(meta, dict) or "segments" not in meta:
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
            self._release_lock()
        self._pool.shutdown(wait=True)

    # --- writes ----------------------------------------------------------------------------------

    def _to_tantivy(self, codec: _Codec, doc: SearchDocument, dict_number: int) -> tantivy.Document:
        doc = sanitize(doc)
        # The body first: the other fields are often repeated in it and then add nothing.
        out = tantivy.Document()
        out.add_text("id", doc.id)
        # Normalised once (it is most of the cost of preparing a document).
        norm = {field: normalize(getattr(doc, field)) for field in TEXT_FIELDS}
        # One value per run: tantivy leaves a position gap between values, so phrases never span runs.
        runs = index_runs([norm["body"], *(norm[f] for f in TEXT_FIELDS if f != "body")], normalized=True)
        for stream in runs:
            out.add_text("all", stream)
        out.add_text("title", " ".join(index_runs([norm["title"]], normalized=True)))
        grams = codec.grams(dict_number)
        if grams is None:
            raise SearchError(f"the 4-gram list of dictionary {dict_number} is missing; reindex")
        # A 4-gram never contains a newline, so it cannot match across two fields here.
        haystack = "\n".join(norm.values())
        absent = [f"!{gram}" for gram in grams if gram not in haystack]
        out.add_text("grams", " ".join([f"#{dict_number}", *absent]))
        out.add_text("agency_code", doc.agency_code)
        out.add_text("kind", doc.kind)
        # An empty region is "unknown": absent from filters and facets, as in Meilisearch (null).
        if doc.region:
            out.add_text("region", doc.region)
        for category in dict.fromkeys(doc.penalty_categories):
            out.add_text("penalty_categories", category)
        out.add_integer("decided_on", doc.decided_on)
        out.add_integer("published_at", doc.published_at)
        out.add_integer("sort_key", sort_key(doc.decided_on, doc.id))
        out.add_bytes("src", codec.pack(doc, dict_number))
        return out

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[tuple[_Codec, tantivy.IndexWriter]]:
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
            self._meta_seen = self._meta_stat()

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        with self._transaction() as (codec, writer):
            number = codec.current
            if number == 0:
                # An index filled by upserts alone gets a dictionary once it has enough documents.
                sample = [*docs, *self._stored_sample(_DICT_SAMPLE - len(docs))]
                if len(sample) >= _DICT_MIN_DOCS:
                    number = codec.train(sample)
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(self._to_tantivy(codec, doc, number))
        codec.current = number

    def _stored_sample(self, limit: int) -> list[SearchDocument]:
        state = self._state
        if limit <= 0 or state is None:
            return []
        searcher = state.index.searcher()
        found = searcher.search(tantivy.Query.all_query(), limit=limit, count=False)
        return [self._load(state.codec, searcher, address) for _score, address in found.hits]

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
        head = list(itertools.islice(iterator, _DICT_SAMPLE))
        with self._transaction() as (codec, writer):
            writer.delete_all_documents()
            number = codec.train(head) if len(head) >= _DICT_MIN_DOCS else 0
            for doc in itertools.chain(head, iterator):
                writer.add_document(self._to_tantivy(codec, doc, number))
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
        codec = state.codec
        searcher = state.index.searcher()
        terms = query.terms
        grams = self._grams(codec, searcher, terms)
        # Phrases other than a common 4-gram (which is a term, see _grams) need positions.
        long_terms = [term for term in terms if len(term) >= 3 and term not in grams]
        sort = query.effective_sort
        # Exact matching without ranking: what counts, facets and the newest-first order need.
        q_match = self._build_query(terms, query, grams, ranked=False)
        # Terms of 3+ characters are phrases; positions make checking them the dearest part of a query.
        # For a relevance page, rank the documents holding the terms' bigrams (no positions) and check
        # the phrase on the loaded candidates instead; the exact count comes from the match pass.
        verify = sort == "relevance" and bool(long_terms) and query.offset + query.per_page <= _VERIFY_WINDOW
        # tantivy releases the GIL, so the match pass (facets, exact count) runs on the other core while
        # the page is found.
        pending: Future[tuple[int | None, dict[str, dict[str, int]]]] | None = None
        if query.facets or verify:
            if self.parallel_facets:
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
                q_cheap = self._build_query(terms, query, grams, ranked=True, exact=False)
                page = self._verified_page(codec, searcher, q_cheap, long_terms, query)
            if page is not None:
                docs = page
                addresses = []
            else:
                # Same scores as the verified plan (the phrases only filter), so pages agree.
                q = self._build_query(terms, query, grams, ranked=True)
                found = searcher.search(q, limit=query.per_page, offset=query.offset, count=not verify)
                total = None if verify else _count(found)
                addresses = [address for _score, address in found.hits]
        if docs is None:
            docs = [self._load(codec, searcher, address) for address in addresses]
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
            return (_count(searcher.search(q_match, limit=1, count=True)) if need_count else None), {}
        requested = list(dict.fromkeys(names))
        # Every document has exactly one kind, so its facet counts sum to the number of matches.
        facets = self._facets(searcher, q_match, requested if "kind" in requested else [*requested, "kind"])
        count = sum(facets["kind"].values()) if need_count else None
        return count, {name: facets[name] for name in requested}

    def _verified_page(
        self,
        codec: _Codec,
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
            doc = self._load(codec, searcher, address)
            values = [normalize(getattr(doc, field)) for field in TEXT_FIELDS]
            if all(any(term in value for value in values) for term in long_terms):
                verified.append(doc)
                if len(verified) == needed:
                    break
        if len(verified) < needed and len(found.hits) == limit:
            return None
        return verified[query.offset : needed]

    def _grams(self, codec: _Codec, searcher: tantivy.Searcher, terms: list[str]) -> dict[str, tantivy.Query]:
        """Exact queries for the terms that are common 4-grams, if every document was checked for one list.

        Each document carries "#n" (the list it was checked against) and "!gram" for each common 4-gram
        it lacks: "holds gram" is then "#n and not !gram", postings without positions. A reindex
        replaces every document in one commit, so one list normally covers the index; if documents of
        two lists (or deleted ones not yet merged away) are present, phrases are used instead.
        """
        markers = searcher.terms_with_prefix("grams", "#", limit=3)
        if len(markers) != 1:
            return {}
        marker = markers[0][0]
        number = int(marker[1:]) if marker[1:].isdigit() else 0
        common = codec.grams(number) if number else None
        wanted = [term for term in terms if len(term) == GRAM and common and term in common]
        if not wanted:
            return {}
        has = tantivy.Query.term_query(self._schema, "grams", marker)
        Occur = tantivy.Occur
        return {
            gram: tantivy.Query.boolean_query(
                [
                    (Occur.Must, has),
                    (Occur.MustNot, tantivy.Query.term_query(self._schema, "grams", f"!{gram}")),
                ]
            )
            for gram in wanted
        }

    def _build_query(
        self,
        terms: list[str],
        query: SearchQuery,
        grams: dict[str, tantivy.Query],
        *,
        ranked: bool,
        exact: bool = True,
    ) -> tantivy.Query:
        """Documents holding every term (as exact substrings unless not `exact`) and passing the filters.

        Ranked queries score a term of 3+ characters by its bigrams; its phrase, when `exact`, only
        filters, so the exact and the verified plans rank alike.
        """
        Occur = tantivy.Occur
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for term in terms:
            matcher = grams.get(term) if len(term) == GRAM else None
            if ranked and len(term) >= 3:
                clauses.append((Occur.Must, self._bigrams_query("all", term)))
                if exact or matcher is not None:
                    phrase = matcher if matcher is not None else self._substring_query("all", term)
                    clauses.append((Occur.Must, tantivy.Query.const_score_query(phrase, 0.0)))
            else:
                clauses.append(
                    (Occur.Must, matcher if matcher is not None else self._substring_query("all", term))
                )
            if ranked:
                boosted = tantivy.Query.boost_query(self._title_query(term), _TITLE_BOOST)
                clauses.append((Occur.Should, boosted))
        filters: list[tantivy.Query] = []
        for name, value in query.equals.items():
            filters.append(tantivy.Query.term_query(self._schema, name, value))
        for name, values in query.any_of.items():
            # An empty any-of list matches nothing, like an SQL IN ().
            filters.append(tantivy.Query.term_set_query(self._schema, name, list(values)))
        for name, bounds in query.ranges.items():
            if bounds.gte is None and bounds.lte is None:
                continue
            filters.append(
                tantivy.Query.range_query(
                    self._schema,
                    name,
                    tantivy.FieldType.Integer,
                    bounds.gte,
                    bounds.lte,
                    use_inverted_index=_narrow(name, bounds.gte, bounds.lte),
                )
            )
        for f in filters:
            # Filters restrict, they do not rank.
            clauses.append((Occur.Must, tantivy.Query.const_score_query(f, 0.0)))
        if not any(occur == Occur.Must for occur, _ in clauses):
            clauses.append((Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _substring_query(self, field: str, term: str) -> tantivy.Query:
        if len(term) == 1:
            # Every character starts exactly one token (its bigram, or itself at the end of a run).
            pattern = f"\\x{{{ord(term):x}}}.?"
            return tantivy.Query.regex_query(self._schema, field, pattern)
        if len(term) == 2:
            return tantivy.Query.term_query(self._schema, field, term)
        return tantivy.Query.phrase_query(self._schema, field, list(phrase_words(term)))

    def _title_query(self, term: str) -> tantivy.Query:
        """Ranking only: the title holds the term's bigrams (not necessarily adjacent)."""
        if len(term) == 1:
            return self._substring_query("title", term)
        return self._bigrams_query("title", term)

    def _bigrams_query(self, field: str, term: str) -> tantivy.Query:
        """Documents holding the bigrams that cover `term` (length >= 2), anywhere."""
        words = list(dict.fromkeys(word for _offset, word in phrase_words(term)))
        if len(words) == 1:
            return tantivy.Query.term_query(self._schema, field, words[0])
        Occur = tantivy.Occur
        return tantivy.Query.boolean_query(
            [(Occur.Must, tantivy.Query.term_query(self._schema, field, word)) for word in words]
        )

    def _newest_page(
        self, codec: _Codec, searcher: tantivy.Searcher, q: tantivy.Query, query: SearchQuery
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
        total = _count(found)
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
        codec: _Codec,
        searcher: tantivy.Searcher,
        q: tantivy.Query,
        query: SearchQuery,
        high: int,
        low: int,
    ) -> list[tantivy.DocAddress]:
        """Slow path for equal keys: fetch every hit with a key in [low, high] and order by id."""
        above = tantivy.Query.range_query(
            self._schema, "sort_key", tantivy.FieldType.Integer, high, None, include_lower=False
        )
        before = _count(searcher.search(q.and_must_match(above), limit=1, count=True))
        window = q.and_must_match(
            tantivy.Query.range_query(self._schema, "sort_key", tantivy.FieldType.Integer, low, high)
        )
        size = _count(searcher.search(window, limit=1, count=True))
        found = searcher.search(window, limit=max(size, 1), count=False)
        rows = []
        for _score, address in found.hits:
            doc = self._load(codec, searcher, address)
            rows.append((-doc.decided_on, doc.id, address))
        rows.sort(key=lambda row: (row[0], row[1]))
        skip = query.offset - before
        return [address for *_rest, address in rows[skip : skip + query.per_page]]

    def _load(self, codec: _Codec, searcher: tantivy.Searcher, address: tantivy.DocAddress) -> SearchDocument:
        raw = searcher.doc(address).get_first("src")
        if not isinstance(raw, bytes):
            raise SearchError("indexed document has no stored source; reindex")
        return codec.unpack(raw)

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

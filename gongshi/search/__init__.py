"""Search over published disclosures, behind the engine-neutral SearchEngine protocol."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
from gongshi.settings import Settings

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
    "engine_opener",
    "index_generation",
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


def engine_opener(settings: Settings, *, writer: bool) -> Callable[[], SearchEngine]:
    """How this deployment opens its engine, decided once from settings by the app factory or worker.

    The result opens and configures the engine when called: the null engine (search_engine "none"),
    Meilisearch when meili_url is set, else tantivy under the data dir. Opening is left to the caller
    because a tantivy writer may have to wait for another process's lock.
    """
    if settings.search_engine == "none":
        from gongshi.search.null_engine import NullEngine

        return NullEngine
    index_dir = str(Path(settings.data_dir) / "search")
    meili_url, meili_key = settings.meili_url, settings.meili_key

    def open_configured() -> SearchEngine:
        engine = open_engine(index_dir=index_dir, meili_url=meili_url, meili_key=meili_key, writer=writer)
        engine.configure()
        return engine

    return open_configured


def index_generation(settings: Settings) -> Callable[[], object] | None:
    """For readers: what changes when the embedded index commits (its meta.json); None for engines
    without such a file (Meilisearch, the null engine), which readers then re-check on a timer."""
    if settings.search_engine == "none" or settings.meili_url:
        return None
    meta = Path(settings.data_dir) / "search" / "meta.json"

    def generation() -> object:
        try:
            st = meta.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    return generation

"""Feeds the search engine from the published read model.

The database is the source of truth. Publishing, correcting, withdrawing and expiring write an
outbox row in the same transaction (gongshi/core/outbox.py); the worker hands those rows to
`SearchIndexer`, which looks each disclosure up again and makes the index agree with it: a
published disclosure is upserted, anything else is deleted. Because the handler reads the current
state rather than trusting the event, the order of events and replays after a failure do not
matter, and an engine that is down only delays search: the rows stay pending and are retried.

Only one process may write a tantivy index: the one holding the writer lock (an OS lock on
`<data dir>/search.lock`, beside the index so deleting the index does not free it). The worker that
holds it indexes; other workers leave search events to it. Every pass it checks that the index is
still the one it opened and readable, and recreates and rebuilds it from the database when it was
deleted, replaced or corrupted. `gongshi reindex` rebuilds the index directly when it can take the
lock, or asks the running worker to do it through the outbox and waits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.core.context import Workflow
from gongshi.core.outbox import SEARCH_DELETE, SEARCH_REINDEX, SEARCH_UPSERT
from gongshi.domain.public import public_from_builtins
from gongshi.search import SearchDocument, SearchEngine, SearchError, engine_opener
from gongshi.settings import Settings
from gongshi.storage.models import Disclosure, OutboxEvent

log = logging.getLogger("gongshi.search")

BATCH = 1000


def engine_for(settings: Settings, *, writer: bool) -> SearchEngine:
    """The deployment's engine, opened and configured now (gongshi.search.engine_opener decides which)."""
    return engine_opener(settings, writer=writer)()


def _yyyymmdd(d: date) -> int:
    return d.year * 10000 + d.month * 100 + d.day


def to_document(d: Disclosure) -> SearchDocument:
    """The indexed form of a disclosure: only fields of its leak-gated public record, typed."""
    public = public_from_builtins(d.record)
    body = "\n".join(
        part
        for part in (
            public.facts,
            public.legal_basis,
            public.result,
            public.license.name if public.license else "",
        )
        if part
    )
    return SearchDocument(
        id=d.public_id,
        title=d.title,
        agency_code=d.agency_code,
        agency_name=d.agency_name,
        kind=d.kind,
        region=d.region,
        decided_on=_yyyymmdd(d.decided_on),
        published_at=int(d.published_at.timestamp()),
        penalty_categories=list(public.penalty.categories) if public.penalty else [],
        party_name=public.party.name,
        document_number=d.document_number,
        body=body,
    )


def published_documents(wf: Workflow) -> Iterator[SearchDocument]:
    """Every published disclosure, streamed from the read model in batches."""
    with wf.db.read() as session:
        rows = session.scalars(
            select(Disclosure)
            .where(Disclosure.status == "published")
            .order_by(Disclosure.public_id)
            .execution_options(yield_per=BATCH)
        )
        for d in rows:
            yield to_document(d)


def reindex(wf: Workflow, engine: SearchEngine) -> int:
    """Rebuild the whole index from the database; readers see the old index until it is done."""
    return engine.reindex(published_documents(wf))


def sync(session: Session, engine: SearchEngine, public_ids: list[str]) -> tuple[int, int]:
    """Make the index agree with the read model for these ids; returns (upserted, deleted)."""
    ids = list(dict.fromkeys(public_ids))
    live = {
        d.public_id: d
        for d in session.scalars(
            select(Disclosure).where(Disclosure.public_id.in_(ids), Disclosure.status == "published")
        )
    }
    gone = [i for i in ids if i not in live]
    if live:
        engine.upsert([to_document(d) for d in live.values()])
    if gone:
        engine.delete(gone)
    return len(live), len(gone)


OutboxHandler = Callable[[Session, list[OutboxEvent]], None]


class SearchIndexer:
    """The worker's side of search: opens the writer lazily and retries when it cannot.

    `open_writer` is the deployment's engine opener (gongshi.search.engine_opener), built by the worker
    from its settings; by default, from the workflow's settings.
    """

    def __init__(self, wf: Workflow, open_writer: Callable[[], SearchEngine] | None = None) -> None:
        self.wf = wf
        self._open_writer = open_writer or engine_opener(wf.settings, writer=True)
        self.engine: SearchEngine | None = None
        self._said_unavailable = False
        # When the last full rebuild started: requests made before it are already carried out.
        self._rebuilt_from: datetime | None = None

    def _writer(self) -> SearchEngine | None:
        """The writer, checked every pass: an index deleted, replaced or broken under it is rebuilt."""
        if self.engine is None:
            try:
                engine = self._open_writer()
            except (SearchError, ValueError, OSError) as exc:
                # Another worker holds the writer lock, or Meilisearch is unreachable; this is asked
                # again every pass, so say it once.
                if not self._said_unavailable:
                    log.info("search writer not available in this worker (will keep trying): %s", exc)
                    self._said_unavailable = True
                return None
            self._said_unavailable = False
            self.engine = engine
            try:
                if engine.count() == 0:
                    started = self.wf.clock()
                    built = reindex(self.wf, engine)
                    self._rebuilt_from = started
                    if built:
                        log.info("search index was empty; rebuilt %d documents from the database", built)
            except Exception:
                # Retried next pass; the writer lock must not stay held by an engine nobody owns.
                self.close()
                raise
            return engine
        try:
            if self.engine.recover():
                started = self.wf.clock()
                built = reindex(self.wf, self.engine)
                self._rebuilt_from = started
                log.warning("search index was deleted, replaced or broken; rebuilt %d documents", built)
        except Exception:
            self.close()
            raise
        return self.engine

    def handlers(self) -> dict[str, OutboxHandler]:
        """topic → handler; empty when this worker cannot write the index (its events wait)."""
        try:
            engine = self._writer()
        except Exception as exc:
            # Publishing must go on whatever happens to search; the events wait for the next pass.
            log.warning("search index not usable this pass (will retry): %s", exc)
            return {}
        if engine is None:
            return {}
        return {SEARCH_REINDEX: self._reindex, SEARCH_UPSERT: self._sync, SEARCH_DELETE: self._sync}

    def _sync(self, session: Session, events: list[OutboxEvent]) -> None:
        assert self.engine is not None
        sync(session, self.engine, [ev.key for ev in events])

    def _reindex(self, session: Session, events: list[OutboxEvent]) -> None:
        assert self.engine is not None
        if self._rebuilt_from is not None and all(ev.created_at < self._rebuilt_from for ev in events):
            # `gongshi reindex` asked after the index broke, and this worker has rebuilt it since.
            log.info("search index already rebuilt after this request; nothing to do")
            return
        started = self.wf.clock()
        count = reindex(self.wf, self.engine)
        self._rebuilt_from = started
        log.info("search index rebuilt on request: %d documents", count)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
            self.engine = None

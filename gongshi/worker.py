"""The background worker: redact, publish what is due, expire, drain the outbox, raise alerts."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.deadlines.alerts import raise_deadline_alerts
from gongshi.parties import notify
from gongshi.parties.steps import run as parties_step
from gongshi.publication import publisher
from gongshi.search import engine_opener
from gongshi.search.indexer import OutboxHandler, SearchIndexer
from gongshi.storage.models import OutboxEvent

log = logging.getLogger("gongshi.worker")

# topic → handler(session, events), from whoever consumes a topic (the search indexer).
Handlers = dict[str, OutboxHandler]


def _drain(step: Callable[[], int | tuple[int, int]], limit: int, max_rounds: int = 1000) -> int:
    """Repeat a batch step while it keeps claiming full batches.

    A step returns how many rows it handled, or (claimed, done) when some claimed rows are not
    counted as done (a leak-blocked record is claimed but not published, and must not stop the pass).
    """
    total = 0
    for _ in range(max_rounds):
        result = step()
        claimed, done = result if isinstance(result, tuple) else (result, result)
        total += done
        if claimed < limit:
            break
    return total


def _publish_batch(wf: Workflow, limit: int) -> tuple[int, int]:
    result = publisher.publish_due(wf, limit)
    return result.claimed, result.published


def drain_outbox(wf: Workflow, handlers: Handlers, limit: int = 500) -> int:
    """Hand pending events to their topic's handler; a failing handler leaves them pending for retry."""
    done = 0
    for topic, handler in handlers.items():
        while True:
            with wf.db.write() as session:
                query = (
                    select(OutboxEvent)
                    .where(OutboxEvent.topic == topic, OutboxEvent.processed_at.is_(None))
                    .order_by(OutboxEvent.id)
                    .limit(limit)
                )
                if session.get_bind().dialect.name == "postgresql":
                    query = query.with_for_update(skip_locked=True)
                events = list(session.scalars(query))
                if not events:
                    break
                try:
                    handler(session, events)
                except Exception as exc:
                    log.warning("outbox %s: %s (will retry)", topic, exc)
                    for ev in events:
                        ev.attempts += 1
                        ev.last_error = str(exc)[:2000]
                    return done
                now = datetime.now(UTC)
                for ev in events:
                    ev.processed_at = now
                done += len(events)
            if len(events) < limit:
                break
    return done


def run_once(
    wf: Workflow, handlers: Handlers | None = None, *, sender: notify.Sender | None = None
) -> dict[str, int]:
    """One full pass; safe to run in several processes at once.

    `handlers` consume the outbox (the search indexer), `sender` delivers requesters' e-mail; both are
    built once by the worker (`outbox_handlers`, `notify.notifier_for`). Without a sender, messages
    stay in the console's outbox.
    """
    return {
        "redacted": _drain(lambda: publisher.redact_received(wf, 200), 200),
        "published": _drain(lambda: _publish_batch(wf, 500), 500),
        "expired": _drain(lambda: publisher.expire_due(wf, 1000), 1000),
        "outbox": drain_outbox(wf, handlers or {}),
        "alerts": raise_deadline_alerts(wf),
        # Settle accepted corrections, send pending e-mail to requesters when SMTP is configured.
        "parties": parties_step(wf, sender),
    }


def run_forever(
    wf: Workflow,
    handlers: Callable[[], Handlers] = dict,
    on_pass: Callable[[dict[str, Any]], None] | None = None,
    *,
    sender: notify.Sender | None = None,
) -> None:
    """Pass after pass until SIGTERM/SIGINT; `handlers` is asked anew each pass (a lock may free up)."""
    stop = False

    def _stop(*_: Any) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while not stop:
        try:
            counts = run_once(wf, handlers(), sender=sender)
            if any(counts.values()):
                log.info("worker pass: %s", counts)
            if on_pass:
                on_pass(counts)
        except Exception:
            # The database may be restarting; keep going, the next pass retries everything.
            log.exception("worker pass failed")
        time.sleep(wf.settings.worker_interval)


def outbox_handlers(wf: Workflow) -> Callable[[], Handlers]:
    """The consumers this deployment has; topics without one stay pending until one exists.

    The search engine is chosen here, once, from the settings (the null engine, Meilisearch or the
    embedded index) and handed to the indexer, which opens it when it can take the writer.
    """
    return SearchIndexer(wf, engine_opener(wf.settings, writer=True)).handlers

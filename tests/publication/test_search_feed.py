"""The outbox feeds the search index; the database stays the source of truth."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from gongshi.core.context import Workflow
from gongshi.search import SearchQuery
from gongshi.search.indexer import SearchIndexer, engine_for
from gongshi.storage.models import OutboxEvent
from gongshi.worker import run_once
from tests.factories import intake, token


@pytest.fixture
def indexer(wf: Workflow) -> Iterator[SearchIndexer]:
    ix = SearchIndexer(wf)
    yield ix
    ix.close()


def _publish(client: Any, wf: Workflow, handlers: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    rev = token(wf, "reviewer")
    decision_id = client.post(
        "/api/v1/decisions", json=intake(**overrides), headers=token(wf, "submitter")
    ).json()["id"]
    run_once(wf, handlers)
    client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev)
    assert run_once(wf, handlers)["published"] == 1
    record: dict[str, Any] = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    return record


def _hits(engine: Any, text: str) -> list[str]:
    engine.reload()
    return [h.id for h in engine.search(SearchQuery(text=text)).hits]


def _pending(wf: Workflow) -> int:
    with wf.db.read() as s:
        return s.scalar(select(func.count()).where(OutboxEvent.processed_at.is_(None))) or 0


def test_published_then_withdrawn_disclosure_enters_and_leaves_the_index(
    client: Any, wf: Workflow, indexer: SearchIndexer
) -> None:
    record = _publish(client, wf, indexer.handlers(), title="合肥某餐饮店未按规定公示证照案")
    engine = indexer.engine
    assert engine is not None
    assert _hits(engine, "公示证照") == [record["public_id"]]
    assert _pending(wf) == 0

    withdraw = {
        "reason": "revoked",
        "ruling_received_on": "2026-11-25",
        "explanation": "复议决定撤销原处罚决定。",
    }
    rev = token(wf, "reviewer")
    assert client.post(f"/api/v1/decisions/{record['id']}/withdraw", json=withdraw, headers=rev).is_success
    run_once(wf, indexer.handlers())
    assert _hits(engine, "公示证照") == []


def test_engine_failure_keeps_events_pending_until_it_recovers(
    client: Any, wf: Workflow, indexer: SearchIndexer, monkeypatch: pytest.MonkeyPatch
) -> None:
    handlers = indexer.handlers()
    engine = indexer.engine
    assert engine is not None

    def down(*_: Any) -> None:
        raise ConnectionError("search engine unreachable")

    monkeypatch.setattr(engine, "upsert", down)
    record = _publish(client, wf, handlers, title="某建材公司超标排放案")
    with wf.db.read() as s:
        event = s.scalars(select(OutboxEvent).where(OutboxEvent.key == record["public_id"])).one()
        assert event.processed_at is None and event.attempts == 1
        assert "unreachable" in (event.last_error or "")
    # The detail page's data is in the database regardless; search catches up once the engine is back.
    monkeypatch.undo()
    run_once(wf, handlers)
    assert _hits(engine, "超标排放") == [record["public_id"]]
    assert _pending(wf) == 0


def test_second_worker_leaves_search_events_to_the_lock_holder(
    client: Any, wf: Workflow, indexer: SearchIndexer
) -> None:
    assert indexer.handlers()  # this one holds tantivy's writer lock
    other = SearchIndexer(wf)
    assert other.handlers() == {}
    record = _publish(client, wf, other.handlers(), title="某物流公司超载运输案")
    assert _pending(wf) == 1
    run_once(wf, indexer.handlers())
    assert _hits(indexer.engine, "超载运输") == [record["public_id"]]


def test_new_index_is_built_from_the_database(client: Any, wf: Workflow, indexer: SearchIndexer) -> None:
    record = _publish(client, wf, {}, title="某药房销售过期药品案")  # published while search was absent
    with wf.db.write() as s:  # as if the outbox had been lost
        for ev in s.scalars(select(OutboxEvent)):
            ev.processed_at = ev.created_at
    indexer.handlers()  # first writer on an empty index rebuilds it
    assert _hits(indexer.engine, "过期药品") == [record["public_id"]]


def test_reindex_command_rebuilds_or_delegates_to_the_worker(
    client: Any, wf: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongshi.cli import main

    record = _publish(client, wf, {}, title="某网吧超时营业案")
    settings = wf.settings
    monkeypatch.setenv("GONGSHI_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GONGSHI_DATA_DIR", settings.data_dir)
    monkeypatch.setenv("GONGSHI_SECRET_KEY", settings.secret_key)
    result = CliRunner().invoke(main, ["reindex"])
    assert result.exit_code == 0, result.output
    assert "reindexed 1" in result.output
    reader = engine_for(settings, writer=False)
    assert _hits(reader, "超时营业") == [record["public_id"]]

    # While a worker holds the writer, the command asks it to rebuild instead.
    ix = SearchIndexer(wf)
    try:
        handlers = ix.handlers()
        result = CliRunner().invoke(main, ["reindex", "--wait", "0"])
        assert result.exit_code == 0, result.output
        assert "重建" in result.output
        # The publish event left pending while search was absent, and the rebuild request.
        assert run_once(wf, handlers)["outbox"] == 2
        assert _pending(wf) == 0
    finally:
        ix.close()
        reader.close()

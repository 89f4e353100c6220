"""A deleted or corrupted index under a running worker and portal comes back without a restart."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from gongshi.core.context import Workflow
from gongshi.portal.reader import SearchReader
from gongshi.search import SearchQuery
from gongshi.search.indexer import SearchIndexer, engine_for
from gongshi.worker import run_once
from tests.factories import intake, token


@pytest.fixture(autouse=True)
def retry_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A reader that could not reload tries again after half a second; these tests do not wait.
    monkeypatch.setattr("gongshi.portal.reader.RETRY_INTERVAL", 0.0)


@pytest.fixture
def indexer(wf: Workflow) -> Iterator[SearchIndexer]:
    ix = SearchIndexer(wf)
    yield ix
    ix.close()


def index_dir(wf: Workflow) -> Path:
    return Path(wf.settings.data_dir) / "search"


def publish(client: Any, wf: Workflow, ix: SearchIndexer, title: str) -> str:
    rev = token(wf, "reviewer")
    decision_id = client.post(
        "/api/v1/decisions",
        json=intake(title=title, source_id=f"HF-{abs(hash(title)) % 10**9}"),
        headers=token(wf, "submitter"),
    ).json()["id"]
    run_once(wf, ix.handlers())
    client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev)
    assert run_once(wf, ix.handlers())["published"] == 1
    public_id: str = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()["public_id"]
    return public_id


def found(reader: SearchReader, text: str) -> list[str]:
    return [h.id for h in reader.search(SearchQuery(text=text)).hits]


def reindex_cli(wf: Workflow, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    from gongshi.cli import main

    monkeypatch.setenv("GONGSHI_DATABASE_URL", wf.settings.database_url)
    monkeypatch.setenv("GONGSHI_DATA_DIR", wf.settings.data_dir)
    monkeypatch.setenv("GONGSHI_SECRET_KEY", wf.settings.secret_key)
    return CliRunner().invoke(main, ["reindex", *args])


def test_worker_rebuilds_a_deleted_index_and_the_portal_follows_without_restart(
    client: Any, wf: Workflow, indexer: SearchIndexer
) -> None:
    first = publish(client, wf, indexer, "合肥某餐饮店未按规定公示证照案")
    reader = SearchReader.for_settings(wf.settings)
    assert found(reader, "公示证照") == [first]
    shutil.rmtree(index_dir(wf))
    # The portal keeps answering from the snapshot it has while there is no index.
    assert found(reader, "公示证照") == [first]
    run_once(wf, indexer.handlers())  # the worker notices and rebuilds from the database
    assert found(reader, "公示证照") == [first]
    # New publications reach the new directory, and the portal sees them.
    second = publish(client, wf, indexer, "某建材公司超标排放案")
    assert found(reader, "超标排放") == [second]
    fresh = engine_for(wf.settings, writer=False)
    assert fresh.count() == 2
    fresh.close()
    reader.close()


def test_worker_rebuilds_an_index_whose_meta_json_is_corrupt(
    client: Any, wf: Workflow, indexer: SearchIndexer
) -> None:
    first = publish(client, wf, indexer, "某物流公司超载运输案")
    reader = SearchReader.for_settings(wf.settings)
    assert found(reader, "超载运输") == [first]
    (index_dir(wf) / "meta.json").write_text("{not json")
    assert found(reader, "超载运输") == [first]  # the last good snapshot
    run_once(wf, indexer.handlers())
    second = publish(client, wf, indexer, "某网吧超时营业案")
    assert found(reader, "超载运输") == [first]
    assert found(reader, "超时营业") == [second]
    reader.close()


def test_reindex_rebuilds_a_corrupt_index_with_a_message_not_a_traceback(
    client: Any, wf: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = SearchIndexer(wf)
    public_id = publish(client, wf, ix, "某药房销售过期药品案")
    ix.close()  # no worker running
    (index_dir(wf) / "meta.json").write_text("{not json")
    result = reindex_cli(wf, monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "检索索引已从数据库重建：1 条公示" in result.output
    assert (index_dir(wf).with_name("search.broken") / "meta.json").read_text() == "{not json"
    reader = SearchReader.for_settings(wf.settings)
    assert found(reader, "过期药品") == [public_id]
    reader.close()


def test_reindex_refuses_a_directory_that_is_not_an_index_with_a_clear_error(
    wf: Workflow, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir(wf).mkdir()
    (index_dir(wf) / "notes.txt").write_text("keep me")
    result = reindex_cli(wf, monkeypatch)
    assert result.exit_code == 1
    assert "无法打开检索索引" in result.output and "not a search index" in result.output
    assert isinstance(result.exception, SystemExit)  # click's error exit, not a traceback
    assert (index_dir(wf) / "notes.txt").read_text() == "keep me"


def test_reindex_hands_the_rebuild_to_a_running_worker_and_waits_for_it(
    client: Any, wf: Workflow, indexer: SearchIndexer, monkeypatch: pytest.MonkeyPatch
) -> None:
    public_id = publish(client, wf, indexer, "某超市销售不合格食品案")
    shutil.rmtree(index_dir(wf))
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            run_once(wf, indexer.handlers())
            stop.wait(0.1)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        result = reindex_cli(wf, monkeypatch, "--wait", "30")
    finally:
        stop.set()
        thread.join(30)
    assert result.exit_code == 0, result.output
    assert "worker 已从数据库重建检索索引" in result.output
    reader = SearchReader.for_settings(wf.settings)
    assert found(reader, "不合格食品") == [public_id]
    reader.close()


def test_reindex_says_when_the_worker_has_not_rebuilt_in_time(
    wf: Workflow, indexer: SearchIndexer, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert indexer.handlers()  # holds the writer, but runs no pass
    result = reindex_cli(wf, monkeypatch, "--wait", "0.5")
    assert result.exit_code == 1
    assert "未完成重建，请求仍在队列中" in result.output
    assert run_once(wf, indexer.handlers())["outbox"] == 1  # the request is carried out later


def test_a_rebuild_request_older_than_the_workers_own_rebuild_is_not_done_twice(
    client: Any, wf: Workflow, indexer: SearchIndexer, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongshi.core import outbox
    from gongshi.search import indexer as indexer_module

    publish(client, wf, indexer, "某加油站未按规定检测案")
    rebuilds: list[int] = []
    real = indexer_module.reindex

    def counting(*args: Any) -> int:
        rebuilds.append(1)
        return real(*args)

    monkeypatch.setattr(indexer_module, "reindex", counting)
    with wf.db.write() as session:  # `gongshi reindex` asked just after the index was deleted...
        outbox.emit(session, outbox.SEARCH_REINDEX, "all", clock())
    shutil.rmtree(index_dir(wf))
    clock.set("2026-11-25T10:01:00+08:00")
    assert run_once(wf, indexer.handlers())["outbox"] == 1  # ...and the worker's recovery covered it
    assert rebuilds == [1]
    with wf.db.write() as session:  # a request made after that rebuild started is carried out
        outbox.emit(session, outbox.SEARCH_REINDEX, "all", clock())
    assert run_once(wf, indexer.handlers())["outbox"] == 1
    assert rebuilds == [1, 1]


def test_a_failing_rebuild_does_not_stop_publication_and_is_retried(
    client: Any, wf: Workflow, indexer: SearchIndexer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gongshi.search import indexer as indexer_module

    publish(client, wf, indexer, "某餐馆使用过期原料案")
    shutil.rmtree(index_dir(wf))
    real = indexer_module.reindex

    def database_gone(*_args: Any) -> int:
        raise ConnectionError("database restarting")

    monkeypatch.setattr(indexer_module, "reindex", database_gone)
    assert indexer.handlers() == {}  # search waits; the lock is not left held by a dead engine
    second = SearchIndexer(wf)
    try:
        assert second.handlers() == {}  # it could take the lock, but its rebuild fails the same way
    finally:
        second.close()
    # Publication goes on meanwhile, its search event pending.
    later = publish(client, wf, indexer, "某酒店消防通道堵塞案")
    monkeypatch.setattr(indexer_module, "reindex", real)
    run_once(wf, indexer.handlers())
    reader = SearchReader.for_settings(wf.settings)
    assert found(reader, "消防通道") == [later]
    assert found(reader, "过期原料") != []
    reader.close()

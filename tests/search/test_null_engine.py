"""The null search engine, and a deployment that runs without search (GONGSHI_SEARCH_ENGINE=none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from gongshi.core.context import Workflow
from gongshi.search import SearchEngine, SearchQuery, engine_opener
from gongshi.search.null_engine import NullEngine
from gongshi.settings import Settings, load_settings
from gongshi.storage.models import OutboxEvent
from gongshi.worker import outbox_handlers, run_once
from tests.portal.conftest import NO_LIMITS, Publisher, body
from tests.search.test_contract import CORPUS


def test_the_null_engine_accepts_writes_and_finds_nothing() -> None:
    engine = NullEngine()
    assert isinstance(engine, SearchEngine)
    assert engine.configure() is False and engine.recover() is False
    engine.upsert(CORPUS)
    engine.delete(["d1"])
    assert engine.reindex(iter(CORPUS)) == 0 and engine.count() == 0
    result = engine.search(SearchQuery(text="行政处罚", page=2, per_page=5, facets=["agency_code", "kind"]))
    assert (result.total, result.page, result.per_page, result.hits) == (0, 2, 5, [])
    assert result.facets == {"agency_code": {}, "kind": {}}
    assert engine.search(SearchQuery()).total == 0  # browse mode too
    engine.clear()
    engine.reload()
    engine.close()


def test_the_setting_chooses_the_engine(tmp_path: Path) -> None:
    none = load_settings({"GONGSHI_DATA_DIR": str(tmp_path), "GONGSHI_SEARCH_ENGINE": "none"})
    assert none.search_engine == "none"
    assert isinstance(engine_opener(none, writer=True)(), NullEngine)
    auto = load_settings({"GONGSHI_DATA_DIR": str(tmp_path)})
    assert engine_opener(auto, writer=False) is not NullEngine
    with pytest.raises(ValueError, match="GONGSHI_SEARCH_ENGINE"):
        load_settings({"GONGSHI_DATA_DIR": str(tmp_path), "GONGSHI_SEARCH_ENGINE": "elastic"})


def test_a_deployment_without_search_publishes_and_lists_from_the_read_model(
    settings: Settings, wf: Workflow
) -> None:
    wf.settings = msgspec.structs.replace(settings, search_engine="none")
    publisher = Publisher(wf)
    [public_id] = publisher.publish(body(1, title="合肥某某商贸有限公司行政处罚决定书"))
    publisher.close()
    # The worker's indexer took every search event (nothing waits for an index that will never exist).
    assert run_once(wf, outbox_handlers(wf)())["outbox"] == 0
    with wf.db.read() as s:
        pending = s.scalar(
            select(func.count()).where(OutboxEvent.topic.like("search.%"), OutboxEvent.processed_at.is_(None))
        )
    assert pending == 0
    assert not (Path(settings.data_dir) / "search").exists()  # no index was built

    from gongshi.portal import create_app

    with TestClient(create_app(wf.settings, wf, rate_limits=NO_LIMITS)) as portal:
        listed: Any = portal.get("/api/public/v1/disclosures").json()
        assert [item["id"] for item in listed["items"]] == [public_id]  # from the read model
        found = portal.get("/api/public/v1/disclosures", params={"q": "商贸"})
        assert found.status_code == 200 and found.json()["items"] == []  # text search finds nothing
        assert portal.get(f"/disclosures/{public_id}").status_code == 200

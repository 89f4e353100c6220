"""The fault drill of bench/search_faults.py, small: a real portal and worker recover without restarts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def drill() -> ModuleType:
    spec = importlib.util.spec_from_file_location("search_faults", ROOT / "bench" / "search_faults.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_faults"] = module
    spec.loader.exec_module(module)
    return module


def test_deleted_and_corrupt_index_under_a_running_portal_and_worker(tmp_path: Path) -> None:
    rounds = drill().run(tmp_path / "drill", docs=300, portal_workers=1, streak=5, without_worker=False)
    assert [r.fault for r in rounds] == ["deleted", "corrupt meta.json"]
    for r in rounds:
        assert r.reindex_rc == 0, r.reindex_output
        assert "worker 已从数据库重建检索索引" in r.reindex_output
        # Text search kept answering from the last snapshot, and the rebuilt index showed up in time.
        assert r.served_during_fault > 0
        assert set(r.statuses) == {200}, r.statuses
        assert r.searchable_after_fault_s < 10, r.line()

"""The embedded engine's storage details: the stored-document dictionary and the deduplicated text."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongshi.search import SearchDocument, SearchError, SearchQuery
from gongshi.search.tantivy_engine import TantivyEngine
from gongshi.search.text import bigram_stream, index_stream

from .test_contract import make_doc


def boilerplate_docs(prefix: str, n: int) -> list[SearchDocument]:
    return [
        make_doc(
            f"{prefix}{i:03d}",
            party_name=f"合肥第{i}商贸有限公司",
            title=f"合肥第{i}商贸有限公司行政处罚决定书",
            body=f"当事人合肥第{i}商贸有限公司销售过期食品{i}件，违反了《中华人民共和国食品安全法》的规定。😀",
        )
        for i in range(n)
    ]


def dictionaries(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.glob("gongshi-zdict-*.bin"))


def test_reindex_trains_a_dictionary_and_documents_round_trip(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    docs = boilerplate_docs("a", 40)
    assert engine.reindex(docs) == 40
    assert dictionaries(index_dir) == ["gongshi-zdict-1.bin"]
    result = engine.search(SearchQuery(text="第7商贸", per_page=100))
    assert [hit.document for hit in result.hits] == [docs[7]]
    # An upsert after the reindex packs with the same dictionary.
    engine.upsert([make_doc("late", body="迟到的文书 \U0001f600 \x00 İ")])
    assert engine.search(SearchQuery(text="迟到")).hits[0].document.body == "迟到的文书 \U0001f600 \x00 İ"
    engine.close()


def test_older_dictionaries_stay_readable_until_no_commit_uses_them(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    reader = TantivyEngine(str(index_dir), writer=False)
    for round_no in range(1, 4):
        engine.reindex(boilerplate_docs(f"r{round_no}-", 40))
        # The previous dictionary is kept for readers still on the previous commit; older ones go.
        assert dictionaries(index_dir) == [
            f"gongshi-zdict-{n}.bin" for n in range(max(1, round_no - 1), round_no + 1)
        ]
    reader.configure()
    assert reader.search(SearchQuery(text="第3商贸")).hits[0].id == "r3-003"
    engine.close()
    reader.close()
    # A writer opened later keeps packing with the newest dictionary.
    again = TantivyEngine(str(index_dir), writer=True)
    again.configure()
    again.upsert([make_doc("x1", body="再次打开")])
    assert dictionaries(index_dir) == ["gongshi-zdict-2.bin", "gongshi-zdict-3.bin"]
    assert again.search(SearchQuery(text="再次打开")).hits[0].id == "x1"
    again.close()


def test_an_index_filled_by_upserts_gets_a_dictionary_once_it_is_large_enough(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    docs = boilerplate_docs("u", 40)
    engine.upsert(docs[:10])
    assert dictionaries(index_dir) == []
    engine.upsert(docs[10:])
    assert dictionaries(index_dir) == ["gongshi-zdict-1.bin"]
    result = engine.search(SearchQuery(text="商贸", per_page=100))
    assert sorted((hit.document for hit in result.hits), key=lambda d: d.id) == docs
    engine.close()


def test_a_missing_dictionary_is_a_search_error_not_garbage(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    engine.reindex(boilerplate_docs("m", 40))
    engine.close()
    (index_dir / "gongshi-zdict-1.bin").unlink()
    reader = TantivyEngine(str(index_dir), writer=False)
    reader.configure()
    with pytest.raises(SearchError, match="reindex"):
        reader.search(SearchQuery(text="商贸"))
    reader.close()


def test_index_stream_drops_runs_another_field_already_holds() -> None:
    body = "当事人合肥甲乙商贸有限公司销售过期食品"
    # The party name is inside the body; the title is not; the repeated run of the title is kept once.
    stream = index_stream([body, "合肥甲乙商贸有限公司行政处罚", "合肥甲乙商贸有限公司", "决定 决定"])
    assert stream == " ".join(
        [bigram_stream(body), bigram_stream("合肥甲乙商贸有限公司行政处罚"), bigram_stream("决定")]
    )
    # Case and width folding happen before the comparison.
    assert index_stream(["Nike Air 运动鞋", "ＮＩＫＥ"]) == bigram_stream("Nike Air 运动鞋")
    assert index_stream(["", "甲"]) == "甲"

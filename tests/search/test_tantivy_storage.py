"""The embedded engine's storage details: the stored-document dictionary and the deduplicated text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gongshi.search import SearchDocument, SearchError, SearchQuery
from gongshi.search.tantivy_documents import build_schema
from gongshi.search.tantivy_engine import TantivyEngine
from gongshi.search.tantivy_queries import QueryBuilder
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


def gram_queries(engine: TantivyEngine, terms: list[str]) -> dict[str, Any]:
    """The terms the engine answers as common 4-grams (without positions) on its current snapshot."""
    state = engine._require_state()
    return QueryBuilder(build_schema()).common_grams(state.codec, state.index.searcher(), terms)


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
    for round_no in range(1, 5):
        engine.reindex(boilerplate_docs(f"r{round_no}-", 40))
        # The two before are kept for readers still on an earlier commit; older ones go.
        assert dictionaries(index_dir) == [
            f"gongshi-zdict-{n}.bin" for n in range(max(1, round_no - 2), round_no + 1)
        ]
    reader.configure()
    assert reader.search(SearchQuery(text="第3商贸")).hits[0].id == "r4-003"
    engine.close()
    reader.close()
    # A writer opened later keeps packing with the newest dictionary.
    again = TantivyEngine(str(index_dir), writer=True)
    again.configure()
    again.upsert([make_doc("x1", body="再次打开")])
    assert dictionaries(index_dir) == ["gongshi-zdict-2.bin", "gongshi-zdict-3.bin", "gongshi-zdict-4.bin"]
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


def phrase_corpus() -> list[SearchDocument]:
    docs = []
    for i in range(90):
        if i % 3 == 0:
            body = f"第{i}号：综合执法检查。"
        else:
            # Both bigrams of 综合执法, often (so these rank first), never adjacent.
            body = f"第{i}号：" + "综合治理，执法检查；" * (1 + i % 4)
        # A few exact matches rank first through their title: their pages come from the checked candidates;
        # deeper pages, full of candidates that fail the check, from the exact plan.
        title = "综合执法决定" if i % 9 == 0 else "决定"
        docs.append(make_doc(f"q{i:02d}", title=title, body=body, kind="penalty" if i % 2 else "licensing"))
    return docs


@pytest.mark.parametrize("facets", [[], ["kind"], ["agency_code"]])
def test_phrase_pages_are_exact_and_agree_with_the_exact_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, facets: list[str]
) -> None:
    from gongshi.search import tantivy_reader

    engine = TantivyEngine(str(tmp_path / "index"), writer=True)
    engine.configure()
    docs = phrase_corpus()
    engine.upsert(docs)
    expected = {d.id for d in docs if "综合执法" in d.body}

    def pages(per_page: int) -> tuple[list[str], set[int]]:
        seen: list[str] = []
        totals = set()
        for page in range(1, 40 // per_page + 2):
            result = engine.search(SearchQuery(text="综合执法", per_page=per_page, page=page, facets=facets))
            totals.add(result.total)
            if facets:
                assert sum(result.facets[facets[0]].values()) == result.total
            seen += [hit.id for hit in result.hits]
        return seen, totals

    verified = {per_page: pages(per_page) for per_page in (1, 4, 7, 30)}
    # Every candidate plan off: rank the exact matches directly.
    monkeypatch.setattr(tantivy_reader, "_VERIFY_WINDOW", 0)
    exact = pages(7)
    assert set(exact[0]) == expected and len(exact[0]) == len(expected)
    assert exact[1] == {len(expected)}
    for seen, totals in verified.values():
        assert seen == exact[0]
        assert totals == {len(expected)}


def test_common_four_grams_are_answered_without_positions_and_stay_exact(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    docs = [
        make_doc(
            f"g{i:02d}",
            # 询问笔录 in 80 % of the documents; 询问 and 笔录 apart in the rest.
            body=("以上事实有询问笔录等证据。" if i % 5 else "询问当事人，制作笔录。") + f"编号{i}",
            title="询问笔录" if i % 7 == 0 else "决定书",
        )
        for i in range(60)
    ]
    engine.reindex(docs)
    grams = gram_queries(engine, ["询问笔录", "以上事实", "询问"])
    assert set(grams) == {"询问笔录", "以上事实"}
    for text in ("询问笔录", "以上事实", "询问", "事实有询问笔录", "笔录等证", "制作笔录", "问当事人"):
        expected = sorted(d.id for d in docs if text in d.body or text in d.title)
        for facets in ([], ["kind"]):
            for sort in ("relevance", "newest"):
                result = engine.search(SearchQuery(text=text, per_page=100, facets=facets, sort=sort))
                assert sorted(hit.id for hit in result.hits) == expected, (text, facets, sort)
                assert result.total == len(expected)
    # Title matches still rank first.
    assert engine.search(SearchQuery(text="询问笔录")).hits[0].document.title == "询问笔录"
    # An upsert keeps the same list: still one marker, still exact.
    engine.upsert([make_doc("late", body="无关内容"), make_doc("late2", body="询问笔录")])
    assert "询问笔录" in gram_queries(engine, ["询问笔录"])
    found = engine.search(SearchQuery(text="询问笔录", per_page=100))
    assert "late2" in {hit.id for hit in found.hits} and "late" not in {hit.id for hit in found.hits}
    engine.close()


def test_documents_checked_against_two_lists_fall_back_to_phrases(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    # Too few documents to train: packed and marked with list 0.
    early = [make_doc(f"e{i}", body="询问笔录 早期") for i in range(5)]
    engine.upsert(early)
    # This batch trains list 1; the index now holds documents of both lists.
    later = [make_doc(f"l{i:02d}", body="以上事实有询问笔录" if i % 2 else "询问 笔录") for i in range(40)]
    engine.upsert(later)
    assert dictionaries(index_dir) == ["gongshi-zdict-1.bin"]
    assert gram_queries(engine, ["询问笔录"]) == {}
    expected = sorted(d.id for d in [*early, *later] if "询问笔录" in d.body)
    result = engine.search(SearchQuery(text="询问笔录", per_page=100, facets=["kind"]))
    assert sorted(hit.id for hit in result.hits) == expected
    assert result.total == len(expected)
    engine.close()


def test_a_writer_reopened_after_a_failed_reindex_keeps_the_committed_list(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    engine = TantivyEngine(str(index_dir), writer=True)
    engine.configure()
    engine.reindex(boilerplate_docs("a", 40))

    def broken() -> Iterator[SearchDocument]:
        # More than the read-ahead, so the dictionary is trained before the failure.
        yield from boilerplate_docs("b", 2050)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        engine.reindex(broken())
    engine.close()
    assert dictionaries(index_dir) == ["gongshi-zdict-1.bin", "gongshi-zdict-2.bin"]
    again = TantivyEngine(str(index_dir), writer=True)
    again.configure()
    again.upsert([make_doc("x", body="当事人销售过期食品")])
    assert "销售过期" in gram_queries(again, ["销售过期"])
    assert again.search(SearchQuery(text="销售过期", per_page=100)).total == 41
    again.close()

"""One contract for every search engine: the embedded tantivy index and Meilisearch (when reachable)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongshi.search import (
    IntRange,
    ReadOnlyError,
    SearchDocument,
    SearchEngine,
    SearchError,
    SearchQuery,
    open_engine,
)
from gongshi.search.base import TEXT_FIELDS
from gongshi.search.text import normalize, query_terms

MEILI_URL = os.environ.get("GONGSHI_MEILI_URL")


def make_doc(doc_id: str, **overrides: object) -> SearchDocument:
    """A small valid document; tests override only what they assert on."""
    fields: dict[str, object] = {
        "id": doc_id,
        "title": "行政处罚决定书",
        "agency_code": "A01",
        "agency_name": "合肥市市场监督管理局",
        "kind": "penalty",
        "region": "340100",
        "decided_on": 20260101,
        "published_at": 1767225600,
        "penalty_categories": ["warning"],
        "party_name": "某某公司",
        "document_number": f"合市监罚〔2026〕{doc_id}号",
        "body": "经查，当事人存在违法行为。",
    }
    fields.update(overrides)
    return msgspec.convert(fields, SearchDocument)


CORPUS = [
    make_doc(
        "d1",
        title="综合执法大队行政处罚决定",
        body="本机关综合执法大队于检查中发现当事人销售过期食品，依据《食品安全法》第一百二十四条，决定罚款五千元。",
        party_name="合肥甲乙商贸有限公司",
        document_number="合市监罚〔2026〕123号",
        decided_on=20260105,
        agency_code="A01",
        kind="penalty",
        region="340102",
        penalty_categories=["fine", "warning"],
    ),
    make_doc(
        "d2",
        title="综合行政执法局责令改正通知",
        body="当事人未按规定公示营业执照，综合行政执法局责令限期改正。统一社会信用代码91340100MA2N0ABC1X。",
        party_name="芜湖丙丁餐饮店",
        document_number="芜综执罚〔2025〕7号",
        decided_on=20251220,
        agency_code="B02",
        kind="coercion",
        region="340200",
        penalty_categories=[],
    ),
    make_doc(
        "d3",
        title="Nike Air 商标侵权案",
        body="当事人销售假冒 Nike Air 运动鞋 30 双，没收违法所得并处罚款。",
        party_name="张三",
        document_number="合市监罚〔2026〕45号",
        decided_on=20260105,
        agency_code="A01",
        kind="penalty",
        region="",
        penalty_categories=["fine", "confiscation"],
    ),
    make_doc(
        "d4",
        title="行政许可决定",
        body="准予许可。<script>alert('x')</script> & 其他说明",
        party_name="李四",
        document_number="皖许〔2024〕9号",
        decided_on=20240301,
        agency_code="C03",
        kind="licensing",
        region="340100",
        penalty_categories=[],
    ),
]


@pytest.fixture(params=["tantivy", "meili"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    if request.param == "meili":
        if not MEILI_URL:
            pytest.skip("GONGSHI_MEILI_URL is not set")
        from gongshi.search.meili_engine import MeiliEngine

        meili = MeiliEngine(
            url=MEILI_URL,
            api_key=os.environ.get("GONGSHI_MEILI_KEY") or None,
            writer=True,
            index_uid=f"test_{uuid.uuid4().hex[:12]}",
        )
        meili.configure()
        yield meili
        meili.drop_index()
        return
    eng = open_engine(index_dir=str(tmp_path / "index"), meili_url=None, meili_key=None, writer=True)
    assert eng.configure() is True
    yield eng
    eng.close()


@pytest.fixture
def loaded(engine: SearchEngine) -> SearchEngine:
    engine.upsert(CORPUS)
    return engine


def ids(engine: SearchEngine, text: str = "", **kwargs: object) -> list[str]:
    result = engine.search(msgspec.convert({"text": text, **kwargs}, SearchQuery))
    return [hit.id for hit in result.hits]


def substring_only(engine: SearchEngine) -> None:
    if engine.name == "meilisearch":
        pytest.skip("Meilisearch matches segmented words, not arbitrary substrings")


# --- writes -------------------------------------------------------------------------------------


def test_upsert_replace_delete_clear(engine: SearchEngine) -> None:
    engine.upsert(CORPUS)
    assert engine.count() == 4
    engine.upsert([make_doc("d1", title="更正后的标题", body="更正内容")])
    assert engine.count() == 4
    assert ids(engine, "更正后") == ["d1"]
    assert ids(engine, "过期食品") == []
    engine.delete(["d2", "no-such-id"])
    assert engine.count() == 3
    assert sorted(ids(engine)) == ["d1", "d3", "d4"]
    engine.clear()
    assert engine.count() == 0
    assert engine.search(SearchQuery()).total == 0


def test_reindex_replaces_everything(engine: SearchEngine) -> None:
    engine.upsert(CORPUS)
    assert engine.reindex(iter([make_doc("n1"), make_doc("n2")])) == 2
    assert sorted(ids(engine)) == ["n1", "n2"]


def test_configure_is_idempotent(loaded: SearchEngine) -> None:
    assert loaded.configure() is False
    assert loaded.count() == 4


# --- text matching ------------------------------------------------------------------------------


def test_one_two_and_four_character_queries(loaded: SearchEngine) -> None:
    substring_only(loaded)
    assert sorted(ids(loaded, "鞋")) == ["d3"]
    assert sorted(ids(loaded, "罚")) == ["d1", "d2", "d3"]
    assert sorted(ids(loaded, "食品")) == ["d1"]
    assert sorted(ids(loaded, "过期食品")) == ["d1"]
    assert sorted(ids(loaded, "执法")) == ["d1", "d2"]


def test_query_is_an_exact_substring_not_any_of_its_characters(loaded: SearchEngine) -> None:
    substring_only(loaded)
    # d2 has 综合行政执法: every character of 综合执法 but not the substring.
    assert ids(loaded, "综合执法") == ["d1"]
    assert ids(loaded, "行政执法") == ["d2"]
    assert ids(loaded, "执法综合") == []
    # Odd lengths use an overlapping last bigram.
    assert ids(loaded, "综合执") == ["d1"]
    assert ids(loaded, "期食品") == ["d1"]


def test_terms_separated_by_spaces_must_all_match(loaded: SearchEngine) -> None:
    assert ids(loaded, "综合执法 罚款") == ["d1"]
    assert ids(loaded, "综合行政执法 罚款") == []


def test_text_never_matches_across_two_fields(loaded: SearchEngine) -> None:
    substring_only(loaded)
    # d1's title ends in 决定 and its party name starts with 合肥: no document contains 定合.
    assert ids(loaded, "定合") == []
    assert ids(loaded, "决定合肥") == []


def test_ascii_and_mixed_queries(loaded: SearchEngine) -> None:
    assert ids(loaded, "合市监罚〔2026〕123号") == ["d1"]
    assert ids(loaded, "nike air") == ["d3"]
    assert ids(loaded, "NIKE") == ["d3"]
    assert ids(loaded, "91340100MA2N0ABC1X") == ["d2"]


def test_mixed_substrings_and_bracket_variants(loaded: SearchEngine) -> None:
    substring_only(loaded)
    assert sorted(ids(loaded, "2026")) == ["d1", "d3"]
    assert ids(loaded, "123号") == ["d1"]
    assert ids(loaded, "ma2n0abc") == ["d2"]
    assert ids(loaded, "合市监罚[2026]123号") == ["d1"]
    assert ids(loaded, "ＮＩＫＥ") == ["d3"]


@pytest.mark.parametrize(
    "text",
    [
        *["zzqxv", "无此内容的查询", '"', "AND OR NOT", "title:综合", "(((", "*?~^", "\\", "[1 TO 2]"],
        *["-综合", "\x00", "  ", "〔", "\ue000"],
    ],
)
def test_odd_input_returns_results_or_nothing_never_an_error(loaded: SearchEngine, text: str) -> None:
    result = loaded.search(SearchQuery(text=text))
    assert result.total == len(result.hits)


def test_a_query_of_only_symbols_browses(loaded: SearchEngine) -> None:
    assert loaded.search(SearchQuery(text='" ((( *')).total == 4


def test_documents_are_validated() -> None:
    for bad in ({"kind": "fine"}, {"region": "3401"}, {"decided_on": 2026}, {"id": ""}):
        with pytest.raises(msgspec.ValidationError):
            make_doc("v1", **bad)


def test_nonsense_query_returns_zero(loaded: SearchEngine) -> None:
    result = loaded.search(SearchQuery(text="qqzzxx喵喵", facets=["kind"]))
    assert (result.total, result.hits) == (0, [])
    assert result.facets == {"kind": {}}


# --- filters, sort, paging, facets --------------------------------------------------------------


def test_equality_filter(loaded: SearchEngine) -> None:
    assert sorted(ids(loaded, equals={"agency_code": "A01"})) == ["d1", "d3"]
    assert sorted(ids(loaded, equals={"region": "340100"})) == ["d4"]
    assert ids(loaded, "改正", equals={"kind": "coercion"}) == ["d2"]
    assert ids(loaded, "改正", equals={"kind": "penalty"}) == []


def test_any_of_filter(loaded: SearchEngine) -> None:
    assert sorted(ids(loaded, any_of={"penalty_categories": ["confiscation", "warning"]})) == ["d1", "d3"]
    assert sorted(ids(loaded, any_of={"kind": ["licensing", "coercion"]})) == ["d2", "d4"]
    assert ids(loaded, any_of={"kind": []}) == []


def test_range_filter_is_inclusive(loaded: SearchEngine) -> None:
    assert sorted(ids(loaded, ranges={"decided_on": IntRange(gte=20251220, lte=20260105)})) == [
        "d1",
        "d2",
        "d3",
    ]
    assert ids(loaded, ranges={"decided_on": IntRange(lte=20240301)}) == ["d4"]
    assert sorted(ids(loaded, ranges={"decided_on": IntRange(gte=20260101)})) == ["d1", "d3"]


def test_range_filter_on_publication_time(loaded: SearchEngine) -> None:
    assert len(ids(loaded, ranges={"published_at": IntRange(gte=1767225600, lte=1767225600)})) == 4
    assert ids(loaded, ranges={"published_at": IntRange(gte=1767225601)}) == []


def test_two_filters_and_text_combine(loaded: SearchEngine) -> None:
    found = ids(
        loaded,
        "罚款",
        equals={"agency_code": "A01"},
        ranges={"decided_on": IntRange(gte=20260101, lte=20261231)},
        any_of={"penalty_categories": ["confiscation"]},
    )
    assert found == ["d3"]


def test_unknown_filter_field_is_rejected() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"equals": {"party_name": "张三"}}, SearchQuery)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"text": "x", "typo": 1}, SearchQuery)


def test_sort_newest_breaks_date_ties_by_id(engine: SearchEngine) -> None:
    docs = [
        make_doc("b", decided_on=20260301),
        make_doc("a", decided_on=20260301),
        make_doc("c", decided_on=20260401),
        make_doc("d", decided_on=20250101),
        make_doc("aaaaaz", decided_on=20260301),
        make_doc("aaaaab", decided_on=20260301),
    ]
    engine.upsert(docs)
    expected = ["c", "a", "aaaaab", "aaaaaz", "b", "d"]
    assert ids(engine, sort="newest", per_page=10) == expected
    assert ids(engine, "当事人", sort="newest", per_page=10) == expected
    # Every page boundary inside the tied run must still give the same order.
    for per_page in (1, 2, 3, 4):
        paged: list[str] = []
        for page in range(1, 7):
            paged += ids(engine, sort="newest", per_page=per_page, page=page)
        assert paged == expected, per_page


def test_empty_query_lists_everything_newest_first(loaded: SearchEngine) -> None:
    result = loaded.search(SearchQuery())
    assert result.total == 4
    assert [h.id for h in result.hits] == ["d1", "d3", "d2", "d4"]


def test_relevance_ranks_title_matches_first(engine: SearchEngine) -> None:
    engine.upsert(
        [
            make_doc("body", title="决定书", body="关于消防安全的检查结果。" * 3),
            make_doc("title", title="消防安全检查", body="检查结果见附件。"),
        ]
    )
    assert ids(engine, "消防安全") == ["title", "body"]


def test_pagination_edges(loaded: SearchEngine) -> None:
    first = loaded.search(SearchQuery(per_page=3, page=1))
    last = loaded.search(SearchQuery(per_page=3, page=2))
    beyond = loaded.search(SearchQuery(per_page=3, page=3))
    assert (first.total, len(first.hits)) == (4, 3)
    assert (last.total, len(last.hits)) == (4, 1)
    assert (beyond.total, beyond.hits) == (4, [])
    assert {h.id for h in first.hits} | {h.id for h in last.hits} == {"d1", "d2", "d3", "d4"}
    assert (last.page, last.per_page) == (2, 3)


@pytest.mark.parametrize(
    "bad", [{"per_page": 0}, {"per_page": 101}, {"page": 0}, {"page": 200, "per_page": 100}]
)
def test_paging_limits_are_enforced(bad: dict[str, int]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(bad, SearchQuery)


def test_facet_counts_are_exact(loaded: SearchEngine) -> None:
    result = loaded.search(SearchQuery(facets=["agency_code", "kind", "region", "penalty_categories"]))
    assert result.facets == {
        "agency_code": {"A01": 2, "B02": 1, "C03": 1},
        "kind": {"penalty": 2, "coercion": 1, "licensing": 1},
        # d3 has no region: it is counted nowhere rather than under "".
        "region": {"340102": 1, "340200": 1, "340100": 1},
        "penalty_categories": {"fine": 2, "warning": 1, "confiscation": 1},
    }


def test_facets_follow_text_and_filters(loaded: SearchEngine) -> None:
    result = loaded.search(
        SearchQuery(text="罚款", equals={"agency_code": "A01"}, facets=["penalty_categories", "kind"])
    )
    assert result.total == 2
    assert result.facets == {
        "penalty_categories": {"fine": 2, "warning": 1, "confiscation": 1},
        "kind": {"penalty": 2},
    }


def test_facets_on_many_documents(engine: SearchEngine) -> None:
    docs = [
        make_doc(
            f"m{i:03d}",
            agency_code=f"AG{i % 7}",
            region=f"34{i % 13:04d}",
            penalty_categories=[f"c{i % 3}", f"c{i % 5}"],
        )
        for i in range(150)
    ]
    engine.upsert(docs)
    result = engine.search(SearchQuery(facets=["agency_code", "region", "penalty_categories"]))
    expected_agencies = {f"AG{k}": sum(1 for i in range(150) if i % 7 == k) for k in range(7)}
    assert result.facets["agency_code"] == expected_agencies
    assert sum(result.facets["region"].values()) == 150
    expected_cats: dict[str, int] = {}
    for i in range(150):
        for cat in {f"c{i % 3}", f"c{i % 5}"}:
            expected_cats[cat] = expected_cats.get(cat, 0) + 1
    assert result.facets["penalty_categories"] == expected_cats


# --- hits and highlights ------------------------------------------------------------------------


def test_hits_carry_the_stored_document(loaded: SearchEngine) -> None:
    hit = loaded.search(SearchQuery(text="过期食品")).hits[0]
    assert hit.document == CORPUS[0]


def test_highlights_mark_matches(loaded: SearchEngine) -> None:
    hit = loaded.search(SearchQuery(text="过期食品")).hits[0]
    assert "<mark>过期食品</mark>" in hit.highlights["body"].html
    assert "过期食品" in hit.highlights["body"].text
    assert "<mark>" not in hit.highlights["body"].text


def test_highlight_never_returns_document_markup(loaded: SearchEngine) -> None:
    hit = loaded.search(SearchQuery(text="script")).hits[0]
    snippet = hit.highlights["body"].html
    assert "<script" not in snippet
    assert "&lt;" in snippet
    assert "<mark>script</mark>" in snippet
    assert "&amp;" in snippet


def test_documents_cannot_forge_highlight_markers(engine: SearchEngine) -> None:
    engine.upsert([make_doc("f1", body="前文\ue000伪造\ue001后文 <b>粗体</b>")])
    hit = engine.search(SearchQuery(text="后文")).hits[0]
    assert hit.highlights["body"].html.count("<mark>") == 1
    assert "<b>" not in hit.highlights["body"].html


def test_body_snippet_is_cropped_around_the_match(engine: SearchEngine) -> None:
    substring_only(engine)
    body = "甲" * 500 + "目标词语" + "乙" * 500
    engine.upsert([make_doc("long", body=body)])
    snippet = engine.search(SearchQuery(text="目标词语", crop_length=40)).hits[0].highlights["body"]
    assert "<mark>目标词语</mark>" in snippet.html
    assert len(snippet.text) <= 40 + 2


def test_highlight_can_be_turned_off(loaded: SearchEngine) -> None:
    assert loaded.search(SearchQuery(text="食品", highlight=False)).hits[0].highlights == {}


# --- readers and writers ------------------------------------------------------------------------


def test_reader_sees_commits_after_reload_and_cannot_write(tmp_path: Path) -> None:
    index_dir = str(tmp_path / "index")
    writer = open_engine(index_dir=index_dir, meili_url=None, meili_key=None, writer=True)
    writer.configure()
    reader = open_engine(index_dir=index_dir, meili_url=None, meili_key=None, writer=False)
    reader.configure()
    writer.upsert(CORPUS[:2])
    reader.reload()
    assert reader.count() == 2
    with pytest.raises(ReadOnlyError):
        reader.upsert(CORPUS)
    writer.close()
    reader.close()


# --- exact substring semantics, checked against a brute-force scan -------------------------------

PROPERTY_TEXTS = [doc for doc in CORPUS] + [
    make_doc("p1", title="关于综合执法的说明", body="罚款罚款，执法执法；ABC abc 123 一二三"),
    make_doc("p2", title="说明", body="综合 执法 分开写的文字，以及 〔2026〕 号"),
    # Fields repeated inside the body are indexed once; matching must not change.
    make_doc(
        "p3", title="执法说明书", party_name="执法说明", body="关于执法说明的答复", document_number="说明"
    ),
]
ALPHABET = sorted(set("".join(d.title + d.body + d.party_name + d.document_number for d in PROPERTY_TEXTS)))


def brute_force(text: str) -> list[str]:
    terms = query_terms(text)
    found = []
    for doc in PROPERTY_TEXTS:
        fields = [normalize(getattr(doc, f)) for f in TEXT_FIELDS]
        if all(any(term in value for value in fields) for term in terms):
            found.append(doc.id)
    return sorted(found)


@pytest.fixture(scope="module")
def property_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchEngine]:
    eng = open_engine(
        index_dir=str(tmp_path_factory.mktemp("prop") / "index"), meili_url=None, meili_key=None, writer=True
    )
    eng.configure()
    eng.upsert(PROPERTY_TEXTS)
    yield eng
    eng.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=6),
        st.sampled_from(PROPERTY_TEXTS).flatmap(
            lambda d: st.tuples(st.integers(0, len(d.body) - 1), st.integers(1, 8)).map(
                lambda t: d.body[t[0] : t[0] + t[1]]
            )
        ),
    )
)
def test_tantivy_matches_exactly_the_documents_containing_the_text(
    property_engine: SearchEngine, text: str
) -> None:
    result = property_engine.search(SearchQuery(text=text, per_page=100))
    assert sorted(hit.id for hit in result.hits) == brute_force(text)
    assert result.total == len(result.hits)


def test_runs_separated_by_a_space_never_join(property_engine: SearchEngine) -> None:
    # p2 holds 综合 执法 (with a space); a phrase over bigrams must not bridge the gap.
    for text in ("综合执法", "综合执", "合执法"):
        result = property_engine.search(SearchQuery(text=text, per_page=100, facets=["kind"]))
        assert sorted(hit.id for hit in result.hits) == brute_force(text)
        assert result.total == len(result.hits) == sum(result.facets["kind"].values())


def test_facets_with_more_than_a_thousand_values_stay_exact(engine: SearchEngine) -> None:
    engine.upsert([make_doc(f"r{i:04d}", region=f"{340000 + i % 1100}", body="正文") for i in range(1200)])
    result = engine.search(SearchQuery(facets=["region"], per_page=1))
    assert len(result.facets["region"]) == 1100
    assert result.facets["region"]["340000"] == 2
    assert result.facets["region"]["341099"] == 1
    assert sum(result.facets["region"].values()) == 1200


def test_a_failed_reindex_keeps_the_previous_index(engine: SearchEngine) -> None:
    engine.upsert(CORPUS)

    def broken() -> Iterator[SearchDocument]:
        yield make_doc("new1")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        engine.reindex(broken())
    engine.reload()
    assert sorted(ids(engine)) == ["d1", "d2", "d3", "d4"]
    engine.upsert([make_doc("after")])
    assert sorted(ids(engine)) == ["after", "d1", "d2", "d3", "d4"]


def test_reader_before_the_index_exists_raises_a_search_error(tmp_path: Path) -> None:
    reader = open_engine(index_dir=str(tmp_path / "none"), meili_url=None, meili_key=None, writer=False)
    assert reader.configure() is False
    with pytest.raises(SearchError):
        reader.search(SearchQuery())
    writer = open_engine(index_dir=str(tmp_path / "none"), meili_url=None, meili_key=None, writer=True)
    writer.configure()
    writer.upsert(CORPUS[:1])
    reader.reload()
    assert reader.search(SearchQuery()).total == 1
    writer.close()
    reader.close()


def test_writer_refuses_to_wipe_a_directory_that_is_not_an_index(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    writer = open_engine(index_dir=str(tmp_path), meili_url=None, meili_key=None, writer=True)
    with pytest.raises(SearchError):
        writer.configure()
    assert (tmp_path / "precious.txt").read_text() == "keep me"

"""The Meilisearch adapter's requests, checked without a server through a recording fake client."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec
import pytest

from gongshi.search import IntRange, ReadOnlyError, SearchDocument, SearchError, SearchQuery
from gongshi.search.base import MARK_END, MARK_START
from gongshi.search.meili_engine import (
    MeiliEngine,
    filter_expression,
    query_string,
    quote,
    search_params,
    settings_payload,
    to_meili,
)


def doc(doc_id: str = "x1", **overrides: Any) -> SearchDocument:
    fields: dict[str, Any] = {
        "id": doc_id,
        "title": "行政处罚决定书",
        "agency_code": "A01",
        "agency_name": "某局",
        "kind": "penalty",
        "region": "",
        "decided_on": 20260105,
        "published_at": 1767225600,
        "body": "正文",
    }
    fields.update(overrides)
    return msgspec.convert(fields, SearchDocument)


# --- pure request building ----------------------------------------------------------------------


def test_settings_put_sort_first_and_localize_text_fields_as_chinese() -> None:
    settings = settings_payload()
    assert settings["rankingRules"][0] == "sort"
    assert settings["localizedAttributes"] == [
        {
            "attributePatterns": ["title", "party_name", "document_number", "agency_name", "body"],
            "locales": ["cmn"],
        }
    ]
    assert set(settings["filterableAttributes"]) >= {
        "agency_code",
        "kind",
        "region",
        "penalty_categories",
        "decided_on",
        "id",
    }
    assert settings["sortableAttributes"] == ["decided_on", "id"]
    assert settings["searchableAttributes"] == [
        "title",
        "party_name",
        "document_number",
        "agency_name",
        "body",
    ]
    assert settings["pagination"]["maxTotalHits"] >= 1_000_000
    assert settings["faceting"]["maxValuesPerFacet"] >= 3_000  # every county code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A01", '"A01"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash\\", '"back\\\\slash\\\\"'),
        ('x" OR kind = "y', '"x\\" OR kind = \\"y"'),
        ("合肥", '"合肥"'),
    ],
)
def test_filter_values_are_quoted_and_escaped(value: str, expected: str) -> None:
    assert quote(value) == expected


def test_filter_expression_combines_every_kind_of_filter() -> None:
    query = SearchQuery(
        equals={"agency_code": 'A"1', "kind": "penalty"},
        any_of={"penalty_categories": ["fine", "warning"]},
        ranges={"decided_on": IntRange(gte=20250101, lte=20251231)},
    )
    assert filter_expression(query) == (
        'agency_code = "A\\"1" AND kind = "penalty" AND penalty_categories IN ["fine", "warning"]'
        " AND decided_on >= 20250101 AND decided_on <= 20251231"
    )
    assert filter_expression(SearchQuery()) is None
    assert filter_expression(SearchQuery(ranges={"decided_on": IntRange(lte=5)})) == "decided_on <= 5"


def test_query_terms_become_quoted_phrases_and_user_quotes_are_dropped() -> None:
    assert query_string("综合执法  罚款") == '"综合执法" "罚款"'
    assert query_string('say "hi') == '"say" "hi"'
    assert query_string('"') == ""
    assert query_string("NIKE") == '"nike"'
    assert query_string("-综合") == '"-综合"'


def test_search_params_page_locale_sort_facets_highlight() -> None:
    params = search_params(
        SearchQuery(text="执法", sort="newest", page=3, per_page=25, facets=["kind", "kind", "region"])
    )
    assert params["page"] == 3
    assert params["hitsPerPage"] == 25
    assert params["locales"] == ["cmn"]
    assert params["sort"] == ["decided_on:desc", "id:asc"]
    assert params["facets"] == ["kind", "region"]
    assert params["highlightPreTag"] == MARK_START
    assert params["highlightPostTag"] == MARK_END
    assert params["attributesToCrop"] == ["body"]
    assert "filter" not in params
    assert "sort" not in search_params(SearchQuery(text="执法"))
    # Browse mode has nothing to rank by relevance, so it lists newest first.
    assert search_params(SearchQuery())["sort"] == ["decided_on:desc", "id:asc"]
    assert "attributesToHighlight" not in search_params(SearchQuery(text="x", highlight=False))


def test_documents_are_sanitized_and_unknown_region_is_null() -> None:
    payload = to_meili(doc(body=f"a{MARK_START}b{MARK_END}c", decided_on=20260105))
    assert payload["region"] is None
    assert payload["body"] == "abc"
    assert payload["decided_on"] == 20260105


def test_response_mapping_escapes_highlights_and_keeps_facets() -> None:
    query = SearchQuery(text="script", facets=["kind", "region"])
    response = {
        "hits": [
            {
                **msgspec.to_builtins(doc("h1", body="<script>x</script>")),
                "region": None,
                "_formatted": {"title": "行政处罚决定书", "body": f"<{MARK_START}script{MARK_END}>x"},
            }
        ],
        "totalHits": 1,
        "facetDistribution": {"kind": {"penalty": 1}},
    }
    result = MeiliEngine.result_from_response(query, response)
    assert result.total == 1
    hit = result.hits[0]
    assert hit.document.region == ""
    assert hit.highlights["body"].html == "&lt;<mark>script</mark>&gt;x"
    assert "title" not in hit.highlights  # nothing matched there
    assert result.facets == {"kind": {"penalty": 1}, "region": {}}


# --- task handling with a fake client -----------------------------------------------------------


@dataclass
class FakeTaskInfo:
    task_uid: int


@dataclass
class FakeTask:
    uid: int
    status: str
    type: str
    error: dict[str, Any] | None = None


@dataclass
class FakeIndex:
    uid: str
    client: FakeClient

    def update_settings(self, body: dict[str, Any]) -> FakeTaskInfo:
        return self.client.record("update_settings", self.uid, body)

    def add_documents(self, docs: list[dict[str, Any]], primary_key: str) -> FakeTaskInfo:
        return self.client.record("add_documents", self.uid, docs)

    def delete_documents(self, *, filter: str) -> FakeTaskInfo:
        return self.client.record("delete_documents", self.uid, filter)

    def delete_all_documents(self) -> FakeTaskInfo:
        return self.client.record("delete_all_documents", self.uid, None)


@dataclass
class FakeClient:
    existing: set[str] = field(default_factory=set)
    calls: list[tuple[str, str, Any]] = field(default_factory=list)
    fail: set[str] = field(default_factory=set)
    statuses: dict[int, tuple[str, str]] = field(default_factory=dict)

    def record(self, op: str, uid: str, payload: Any) -> FakeTaskInfo:
        self.calls.append((op, uid, payload))
        task_uid = len(self.calls)
        self.statuses[task_uid] = ("failed" if op in self.fail else "succeeded", op)
        return FakeTaskInfo(task_uid)

    def wait_for_task(self, uid: int, timeout_in_ms: int, interval_in_ms: int) -> FakeTask:
        status, op = self.statuses[uid]
        error = {"code": "invalid_document_id"} if status == "failed" else None
        return FakeTask(uid=uid, status=status, type=op, error=error)

    def get_index(self, uid: str) -> object:
        if uid not in self.existing:
            from meilisearch.errors import MeilisearchApiError

            class _Response:
                status_code = 404
                text = '{"code": "index_not_found", "message": "not found"}'

            raise MeilisearchApiError("not found", _Response())  # type: ignore[arg-type]
        return object()

    def create_index(self, uid: str, options: dict[str, Any]) -> FakeTaskInfo:
        self.existing.add(uid)
        return self.record("create_index", uid, options)

    def delete_index(self, uid: str) -> FakeTaskInfo:
        self.existing.discard(uid)
        return self.record("delete_index", uid, None)

    def swap_indexes(self, parameters: list[dict[str, Any]]) -> FakeTaskInfo:
        return self.record("swap_indexes", "", parameters)

    def index(self, uid: str) -> FakeIndex:
        return FakeIndex(uid, self)


def engine(client: FakeClient, *, writer: bool = True) -> MeiliEngine:
    return MeiliEngine(url="http://unused", api_key=None, writer=writer, index_uid="disc", client=client)


def test_configure_creates_index_then_applies_settings_before_documents() -> None:
    client = FakeClient()
    eng = engine(client)
    assert eng.configure() is True
    eng.upsert([doc("a"), doc("b")])
    assert [(op, uid) for op, uid, _ in client.calls] == [
        ("create_index", "disc"),
        ("update_settings", "disc"),
        ("add_documents", "disc"),
    ]
    assert client.calls[0][2] == {"primaryKey": "id"}
    assert eng.configure() is False


def test_a_failed_task_raises_a_clear_error() -> None:
    client = FakeClient(existing={"disc"}, fail={"add_documents"})
    with pytest.raises(SearchError, match=r"task \d+ \(add_documents\) ended failed"):
        engine(client).upsert([doc("a")])


def test_delete_uses_an_escaped_id_filter() -> None:
    client = FakeClient(existing={"disc"})
    engine(client).delete(['a"b', "c"])
    assert client.calls == [("delete_documents", "disc", 'id IN ["a\\"b", "c"]')]


def test_reindex_fills_a_twin_and_swaps_it_in() -> None:
    client = FakeClient(existing={"disc"})
    assert engine(client).reindex(iter([doc("a"), doc("b")])) == 2
    ops = [(op, uid) for op, uid, _ in client.calls]
    assert ops == [
        ("delete_index", "disc__reindex"),
        ("create_index", "disc__reindex"),
        ("update_settings", "disc__reindex"),
        ("add_documents", "disc__reindex"),
        ("swap_indexes", ""),
        ("delete_index", "disc__reindex"),
    ]
    assert client.calls[4][2] == [{"indexes": ["disc", "disc__reindex"]}]


def test_reader_cannot_write_and_configures_nothing() -> None:
    client = FakeClient(existing=set())
    reader = engine(client, writer=False)
    assert reader.configure() is False
    with pytest.raises(ReadOnlyError):
        reader.upsert([doc()])
    assert client.calls == []


def test_empty_any_of_matches_nothing_without_a_request() -> None:
    client = FakeClient(existing={"disc"})
    result = engine(client).search(SearchQuery(any_of={"kind": []}, facets=["kind"]))
    assert (result.total, result.hits, result.facets) == (0, [], {"kind": {}})

"""Snippet rendering and text normalisation, independent of any engine."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongshi.search.base import MARK_END, MARK_START
from gongshi.search.highlight import mark, render
from gongshi.search.text import bigram_stream, normalize, phrase_words, query_terms

S, E = MARK_START, MARK_END


def test_render_escapes_text_and_turns_markers_into_mark_tags() -> None:
    snippet = render(f"<b>&{S}罚款{E}\"'")
    assert snippet.html == "&lt;b&gt;&amp;<mark>罚款</mark>&quot;&#x27;"
    assert snippet.text == "<b>&罚款\"'"


def test_adjacent_marks_merge() -> None:
    assert render(f"{S}过期{E}{S}食品{E}").html == "<mark>过期食品</mark>"


def test_unbalanced_markers_never_leave_an_open_tag() -> None:
    assert render(f"a{S}b").html == "ab"
    assert render(f"a{E}b").html == "ab"
    assert render(f"{S}a{S}b{E}c{E}").html == "<mark>ab</mark>c"


@given(st.text(alphabet=st.sampled_from(["<", ">", "&", '"', "a", "中", S, E]), max_size=30))
def test_rendered_html_only_ever_contains_mark_tags(marked: str) -> None:
    html = render(marked).html
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped
    assert html.count("<mark>") == html.count("</mark>")


def test_mark_crops_around_the_first_match() -> None:
    text = "甲" * 100 + "目标" + "乙" * 100
    marked, matched = mark(text, ["目标"], 20)
    assert matched
    assert marked.startswith("…") and marked.endswith("…")
    assert f"{S}目标{E}" in marked
    assert len(marked.replace(S, "").replace(E, "")) == 22


def test_mark_is_case_and_width_insensitive_but_keeps_the_original_text() -> None:
    marked, _ = mark("购买ＮＩＫＥ鞋", query_terms("nike"))
    assert marked == f"购买{S}ＮＩＫＥ{E}鞋"


def test_terms_without_letters_or_digits_are_dropped() -> None:
    assert query_terms('综合 " ((( 〔2026〕 - 综合') == ["综合", "〔2026〕"]
    assert query_terms("\x00 \ue000 *?") == []


def test_normalize_keeps_length_and_folds_brackets() -> None:
    for text in ["合市监罚[2026]123号", "ＡＢＣ　１２３", "İstanbul", "Straße"]:
        assert len(normalize(text)) == len(text)
    assert normalize("合市监罚[2026]") == "合市监罚〔2026〕"
    assert normalize("ＡＢＣ") == "abc"


def test_bigram_stream_positions_are_character_offsets() -> None:
    assert bigram_stream("综合执法") == "综合 合执 执法 法"
    assert bigram_stream("ab  C") == "ab b c"
    assert bigram_stream("") == ""


def test_phrase_words_cover_the_term() -> None:
    assert phrase_words("综合执法") == [(0, "综合"), (2, "执法")]
    assert phrase_words("综合执") == [(0, "综合"), (1, "合执")]
    assert phrase_words("abcde") == [(0, "ab"), (2, "cd"), (3, "de")]

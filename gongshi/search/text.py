"""Length-preserving text normalisation and the position-carrying bigram form the embedded index uses."""

from __future__ import annotations

import operator
from typing import Final


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Full-width ASCII (Ａ, １, （) is typed interchangeably with ASCII in Chinese documents.
    for code in range(0xFF01, 0xFF5F):
        table[code] = chr(code - 0xFEE0)
    table[0x3000] = " "
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    # Document numbers are written with 〔〕 but typed with [], 【】 or round brackets of either width;
    # fold them all to one form (the same fold applies to the query, so other brackets still match).
    for left in "[【〖［(（":
        table[ord(left)] = "〔"
    for right in "]】〗］)）":
        table[ord(right)] = "〕"
    return table


_TABLE: Final = _build_table()


def normalize(text: str) -> str:
    """Fold case, full-width forms and bracket variants; the result has exactly len(text) characters."""
    folded = text.translate(_TABLE)
    lowered = folded.lower()
    # A few characters lower-case to two code points (İ); keep offsets aligned rather than fold those.
    return lowered if len(lowered) == len(folded) else folded


def bigram_stream(text: str) -> str:
    """Whitespace-separated tokens whose position equals the character offset inside each run.

    Every run of non-space characters contributes one token per character: the bigram starting there,
    or the lone last character. tantivy's own n-gram tokenizer gives every gram position 0, so phrase
    queries over it cannot demand adjacency; this form lets a phrase of bigrams mean "exact substring".
    """
    return " ".join(map(_run_stream, normalize(text).split()))


def _run_stream(run: str) -> str:
    """The tokens of one normalised run: its bigrams, then its last character."""
    if len(run) > 1:
        return " ".join(map(operator.add, run, run[1:])) + " " + run[-1]
    return run


def index_stream(values: list[str]) -> str:
    """index_runs as one text (for tests and debugging)."""
    return " ".join(index_runs(values))


def index_runs(values: list[str], *, normalized: bool = False) -> list[str]:
    """The bigram streams of the runs of several fields, leaving out runs another field already holds.

    Each stream must be indexed as a separate value of the field: tantivy leaves a position gap
    between values, so a phrase cannot span two runs (one stream per field or for the whole text
    would let 询问 笔录, or a title ending in 决定 followed by a party name starting with 合肥, match
    询问笔录 or 决定合肥: the phrase checks only every other bigram).

    A run (whitespace-free stretch) that occurs inside a run already kept adds no document a
    substring query could match (a query term never spans whitespace or two fields), so it is
    dropped: a party name or a title repeated in the body is indexed once. Put the longest field
    (the body) first.
    """
    # Runs never contain a newline, so a match in the haystack never spans two kept runs.
    haystack = ""
    streams: list[str] = []
    for value in values:
        text = value if normalized else normalize(value)
        runs = [run for run in dict.fromkeys(text.split()) if run not in haystack]
        if runs:
            haystack += "\n" + "\n".join(runs)
            streams.extend(map(_run_stream, runs))
    return streams


def query_terms(text: str) -> list[str]:
    """Split user input into normalised terms; every term must occur as an exact substring.

    Terms without a letter or digit (a lone quote, brackets, operators) are dropped: engines that
    segment words treat them as separators, so keeping them would make the engines disagree.
    """
    terms: list[str] = []
    for term in normalize(text).split():
        if term not in terms and any(ch.isalnum() for ch in term):
            terms.append(term)
    return terms


def phrase_words(term: str) -> list[tuple[int, str]]:
    """Bigrams (offset, gram) that cover `term` (length >= 2) with as few grams as possible."""
    words = [(i, term[i : i + 2]) for i in range(0, len(term) - 1, 2)]
    if len(term) % 2 == 1:
        words.append((len(term) - 2, term[-2:]))
    return words


GRAM: Final = 4


def common_grams(docs: list[list[str]], min_share: float, limit: int) -> list[str]:
    """The 4-grams (inside normalised runs) that at least `min_share` of the documents contain.

    `docs` holds each document's text field values. Boilerplate phrases are the 4-character queries
    that match most documents, and the dearest to answer from bigram positions.
    """
    counts: dict[str, int] = {}
    for values in docs:
        seen: set[str] = set()
        for value in values:
            for run in normalize(value).split():
                seen.update(run[i : i + GRAM] for i in range(len(run) - GRAM + 1))
        for gram in seen:
            counts[gram] = counts.get(gram, 0) + 1
    need = max(1, min_share * len(docs))
    common = [gram for gram, count in counts.items() if count >= need]
    common.sort(key=lambda gram: (-counts[gram], gram))
    return sorted(common[:limit])

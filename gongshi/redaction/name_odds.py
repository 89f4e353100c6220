"""How much a name-shaped string looks like a person's name, from jieba's dictionary (a statistical signal).

The dictionary tags ~48,000 entries of two to four ideographs that start with a surname as person names
(nr). Their characters after the surname are a sample of given-name characters; all dictionary words,
weighted by frequency, are a sample of running text. A candidate's score is the log odds of its
characters under the two: log P(surname starts a name) / P(char in text) plus, for each given-name
character, log P(char in a given name) / P(char in text). 涛, 俊, 杰 score high; 的, 店, 区 low.

The signal is cheap (a dict lookup per character; the table of ~3,000 given-name and ~500 surname
characters is built from dict.txt once and cached, ~2 ms to load) and is used only to ask the reviewer
(a doubt), never to mask: the rules decide what is removed.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from pathlib import Path

from gongshi.redaction import segment
from gongshi.redaction.surnames import COMPOUND_SURNAMES, SINGLE_SURNAMES

_VERSION = 2
_lock = threading.Lock()
_state: dict[str, dict[str, float]] = {}
_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff]+")
# Smoothing: a character seen in no name gets half a name; a rare character counts as if seen in text
# 50 times more, so a character that is rare everywhere does not look like a name's.
_NAME_PRIOR = 0.5
_TEXT_PRIOR = 50.0


def _build(path: Path) -> dict[str, float]:
    given: Counter[str] = Counter()
    surname: Counter[str] = Counter()
    text: Counter[str] = Counter()
    words: dict[str, int] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word, freq = parts[0], int(parts[1])
            if word in COMPOUND_SURNAMES:
                words[word] = freq
            for c in word:
                text[c] += freq
            if len(parts) < 3 or parts[2] != "nr" or not _IDEOGRAPHS.fullmatch(word):
                continue
            if word[:2] in COMPOUND_SURNAMES and 3 <= len(word) <= 4:
                head, rest = word[:2], word[2:]
            elif word[0] in SINGLE_SURNAMES and 2 <= len(word) <= 3:
                head, rest = word[0], word[1:]
            else:
                continue
            surname[head] += 1
            given.update(rest)
    n_given, n_surname, n_text = sum(given.values()), sum(surname.values()), sum(text.values())

    def text_log(c: str) -> float:
        return math.log((text[c] + _TEXT_PRIOR) / n_text)

    # "g…" keys: a given-name character; "s…" keys: a surname (single or compound).
    table = {f"g{c}": math.log((given[c] + _NAME_PRIOR) / n_given) - text_log(c) for c in text.keys() | given}
    for s in SINGLE_SURNAMES:
        table[f"s{s}"] = math.log((surname[s] + _NAME_PRIOR) / n_surname) - text_log(s)
    for s in COMPOUND_SURNAMES:
        # A compound surname is read as one unit: how often the pair itself is written (东方 often).
        seen = words.get(s, 0) + _TEXT_PRIOR
        table[f"s{s}"] = math.log((surname[s] + _NAME_PRIOR) / n_surname) - math.log(seen / n_text)
    # A character the dictionary never writes: seen in no name, rare in text.
    table["?"] = math.log(_NAME_PRIOR / n_given) - math.log(_TEXT_PRIOR / n_text)
    return table


def _load() -> dict[str, float]:
    return segment.derived(f"name-odds-{_VERSION}", segment.dictionary_file(), _build)


def _table() -> dict[str, float]:
    if "table" not in _state:
        with _lock:
            if "table" not in _state:
                _state["table"] = _load()
    return _state["table"]


def score(surname: str, given: str) -> float:
    """Log odds that `surname` + `given` is a person's name rather than running text (higher: a name)."""
    t = _table()
    total = t.get(f"s{surname}", -5.0)
    unseen = t["?"]
    for c in given:
        total += t.get(f"g{c}", unseen)
    return total


def warm_up() -> None:
    """Load the table now rather than on the first decision."""
    _table()


# Where a name may start although the segmenter glued the character before it to it: after a person
# word's last character (邀约人伍龙健, 第三人苗丽) or a preposition (前往甘梅龙家, 后魏红萍被…).
_GLUE_BEFORE = frozenset("人员者主长师工友属向由与和对让请给替帮被将据经跟同及了为是往后前但即")


# Characters a surname starts with (the regex engine finds them; Python looks at those places only).
_SURNAME_START = re.compile(
    "[" + "".join(sorted(set(SINGLE_SURNAMES) | {c[0] for c in COMPOUND_SURNAMES})) + "]"
)


def candidates(text: str, boundaries: set[int], not_given: frozenset[str]) -> list[tuple[int, int, float]]:
    """Name-shaped strings of `text` (surname + one or two given-name characters) with their score.

    A candidate starts at a word boundary (or after a character a name is often glued to) and ends at
    one (or before a character that ends a name); of the candidates starting at one place the best one
    is returned.
    """
    out: list[tuple[int, int, float]] = []
    n = len(text)
    table = _table()
    unseen = table["?"]
    for m in _SURNAME_START.finditer(text):
        i = m.start()
        if i not in boundaries and not (i and text[i - 1] in _GLUE_BEFORE):
            continue
        head = 2 if text[i : i + 2] in COMPOUND_SURNAMES else 1
        if head == 1 and m.group() not in SINGLE_SURNAMES:
            continue
        odds = table.get(f"s{text[i : i + head]}", -5.0)
        best: tuple[int, int, float] | None = None
        for end in (i + head + 1, i + head + 2):
            c = text[end - 1] if end <= n else ""
            if not c or not "\u4e00" <= c <= "\u9fff" or c in not_given:
                break
            odds += table.get(f"g{c}", unseen)
            if end not in boundaries and not (end < n and text[end] in not_given):
                continue
            if best is None or odds > best[2]:
                best = (i, end, odds)
        if best is not None:
            out.append(best)
    return out

"""Lazy, thread-safe jieba: one tokenizer per process, its cache in a writable place."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_state: dict[str, Any] = {}


def cache_dir() -> str:
    """A writable directory for derived data (GONGSHI_CACHE_DIR, else XDG cache, else a temp dir)."""
    # Read at first use, never at import: tests and services choose the location explicitly.
    base = os.environ.get("GONGSHI_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    path = Path(base) / "gongshi" if base else Path.home() / ".cache" / "gongshi"
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".probe"
        probe.touch()
        return str(path)
    except OSError:
        return tempfile.gettempdir()


def _load() -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = cache_dir()
    tokenizer.initialize()
    person_words: set[str] = set()
    dict_path = Path(jieba.__file__).with_name("dict.txt")
    with dict_path.open(encoding="utf-8") as f:
        for line in f:
            if line.endswith(" nr\n"):
                person_words.add(line.split(" ", 1)[0])
    _state["person_words"] = frozenset(person_words)
    _state["freq"] = tokenizer.FREQ
    _state["tokenizer"] = tokenizer


def _ensure() -> dict[str, Any]:
    if "tokenizer" not in _state:
        with _lock:
            if "tokenizer" not in _state:
                _load()
    return _state


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` with their offsets (jieba, HMM on so unknown names come out whole)."""
    tok = _ensure()["tokenizer"]
    out: list[tuple[str, int, int]] = list(tok.tokenize(text, HMM=True))
    return out


def word_freq(word: str) -> int:
    """Dictionary frequency of a word; 0 when the word is not in the dictionary."""
    value = _ensure()["freq"].get(word)
    return int(value) if value else 0


def is_person_word(word: str) -> bool:
    """Whether the dictionary tags `word` as a person name (nr)."""
    return word in _ensure()["person_words"]


def warm_up() -> None:
    """Load the dictionaries now rather than on the first decision."""
    _ensure()

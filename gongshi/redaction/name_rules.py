"""Rules that find a name by its context: lists, clause subjects, split and unknown words, dotted names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongshi.redaction import segment
from gongshi.redaction.name_filters import bad_tail, common_prefix, is_common_word
from gongshi.redaction.name_patterns import (
    BREAKS,
    DOT_NAME,
    LIST_MORE,
    NAME,
    OBJECT_ENDINGS,
    PEOPLE_WORD,
    PLACE_ENDINGS,
    PREP_LIST,
    SUBJECT,
    SUBJECT_LEAD_CHARS,
    SUBJECT_LEAD_WORDS,
    WEAK_ENDINGS,
    NameHit,
)
from gongshi.redaction.surnames import (
    COMPOUND_SURNAMES,
    NOT_GIVEN,
    NOT_NAMES,
    SINGLE_SURNAMES,
    WEAK_SURNAMES,
)

# Words that follow officers' names in the boilerplate of nearly every decision and start with a
# character no given name ends in: 执法人员马静、林超出示执法证件 is 林超 + 出示, though the segmenter
# reads 林/超出/示.
_AFTER_NAME = ("出示",)


def choose_length(text: str, start: int, max_end: int, boundaries: set[int]) -> int:
    """Pick where a name candidate ends, preferring the segmenter's word boundary."""
    end = _choose_length(text, start, max_end, boundaries)
    if end - start >= 3 and text.startswith(_AFTER_NAME, end - 1):
        return end - 1
    return end


def _choose_length(text: str, start: int, max_end: int, boundaries: set[int]) -> int:
    name_len = 2 if text[start : start + 2] in COMPOUND_SURNAMES else 1
    shortest = start + name_len + 1
    if (
        max_end < len(text)
        and text[max_end] in NOT_GIVEN
        and text[max_end - 1] not in WEAK_ENDINGS
        and not common_prefix(text[start:max_end])
    ):
        return max_end
    for end in range(max_end, shortest - 1, -1):
        if end in boundaries:
            return end
    return max_end if max_end - start <= name_len + 1 or text[max_end - 1] not in NOT_GIVEN else shortest


def _subject_lead(text: str, start: int) -> bool:
    if start == 0 or not "\u4e00" <= text[start - 1] <= "\u9fff" or text[start - 1] in SUBJECT_LEAD_CHARS:
        return True
    return text.endswith(SUBJECT_LEAD_WORDS, max(0, start - 2), start)


def _dot_name_end(text: str, dot: int, limit: int, boundaries: set[int]) -> int:
    """Where the part after the last dot ends: at a word boundary followed by a function or common word."""
    first = None
    for end in range(dot + 2, limit + 1):
        if end not in boundaries:
            continue
        first = first or end
        if end == len(text) or not "\u4e00" <= text[end] <= "\u9fff" or text[end] in NOT_GIVEN:
            return end
        if any(segment.word_freq(text[end : end + n]) > 1000 for n in (2, 3)):
            return end
    return first or limit


def _syllables(word: str) -> bool:
    """Whether a token can be part of a transliterated name: rare, not a person word, not a function word."""
    if PEOPLE_WORD.fullmatch(word) or (len(word) == 1 and (word in NOT_GIVEN or word in SUBJECT_LEAD_CHARS)):
        return False
    return segment.word_freq(word) <= 1000 or segment.is_person_word(word)


def dot_names(text: str, toks: list[tuple[str, int, int]], boundaries: set[int]) -> list[NameHit]:
    """Names written with a middle dot, unless inside a title 《…》 or quotes (a brand or a work)."""
    out: list[NameHit] = []
    for m in DOT_NAME.finditer(text):
        before = text[: m.start()]
        if before.count("《") > before.count("》") or before.count("“") > before.count("”"):
            continue
        first_dot = min(p for p in (m.group().find(d) for d in "·•・") if p >= 0) + m.start()
        last_dot = max(m.group().rfind(d) for d in "·•・") + m.start()
        # The first part starts after the words in front of it (证人, 对…): transliterated syllables are
        # rare words, everyday ones are not.
        inside = [(w, a) for w, a, _ in toks if m.start() <= a < first_dot]
        start = first_dot - 1
        for k, (_, a) in enumerate(inside):
            if all(_syllables(w) for w, _ in inside[k:]):
                start = a
                break
        end = _dot_name_end(text, last_dot, m.end(), boundaries)
        out.append(NameHit(start, end, text[start:end], "dot_name", True))
    return out


def overlapping(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches starting at every position: 向章雪退还 must also be tried as 章雪 after 向章雪 fails."""
    m = rx.search(text)
    while m is not None:
        yield m
        m = rx.search(text, m.start() + 1)


def subjects(text: str, boundaries: set[int]) -> list[NameHit]:
    """A name-shaped word starting a clause (or after 向/由/与…) and followed by what a person does."""
    out: list[NameHit] = []
    for m in overlapping(SUBJECT, text):
        start, end = m.start("name"), m.end("name")
        word = text[start:end]
        # The segmenter may glue the lead character to the surname (经罗/永平): that start counts too.
        glued = start > 0 and text[start - 1] in SUBJECT_LEAD_CHARS
        # …or the first character of the predicate to the name's last (李强/阳于).
        end_glued = end < len(text) and text[end] in NOT_GIVEN
        if (
            (start not in boundaries and not glued)
            or (end not in boundaries and not end_glued)
            or not _subject_lead(text, start)
        ):
            continue
        weak = word[:2] not in COMPOUND_SURNAMES and word[0] in WEAK_SURNAMES
        freq = segment.word_freq(word)
        if segment.is_person_word(word):
            if freq > 3000:
                continue
        elif freq > (5 if weak else 50):
            continue
        if word in NOT_NAMES or common_prefix(word) or bad_tail(word):
            continue
        out.append(NameHit(start, end, word, "context_subject", True))
    return out


def list_after(text: str, pos: int, boundaries: set[int], officer: bool) -> list[NameHit]:
    """Names listed after one found by context: 执法人员王强、李娜和欧阳娜娜."""
    listed: list[NameHit] = []
    while (more := LIST_MORE.match(text, pos)) is not None:
        s2 = more.start("name")
        e2 = choose_length(text, s2, more.end("name"), boundaries)
        w2 = text[s2:e2]
        if is_common_word(w2, 5000) or w2 in NOT_NAMES or bad_tail(w2):
            break
        listed.append(NameHit(s2, e2, w2, "context_list", True, officer))
        pos = e2
    return listed


def prep_lists(text: str, boundaries: set[int]) -> list[NameHit]:
    """Two or more name-shaped words listed after a preposition, each rare enough to be a name."""
    out: list[NameHit] = []
    for m in PREP_LIST.finditer(text):
        items: list[tuple[int, int]] = [(m.start("first"), m.end("first"))]
        pos = m.start("rest")
        for part in m.group("rest").split("、")[1:]:
            pos += 1
            items.append((pos, pos + len(part)))
            pos += len(part)
        words = [text[a:b] for a, b in items]
        # The first name may be glued to the preposition (对钟/英阳); the others start after 、.
        if all(
            (a in boundaries or k == 0)
            and not is_common_word(w, 500)
            and w not in NOT_NAMES
            and not bad_tail(w)
            and not common_prefix(w)
            for k, ((a, _), w) in enumerate(zip(items, words, strict=True))
        ):
            out += [NameHit(a, b, w, "context_list", True) for (a, b), w in zip(items, words, strict=True)]
    return out


_LIST_GLUE = frozenset("系是为由与和对向被将经据")


def list_before(text: str, start: int, boundaries: set[int]) -> list[NameHit]:
    """Names listed before one found by a rule after it: 张晓东、李梅、欧阳建华等人."""
    out: list[NameHit] = []
    while start >= 3 and text[start - 1] == "、":
        sep = start - 1
        for length in (4, 3, 2):
            a = sep - length
            word = text[a:sep]
            if a < 0 or (length == 4 and word[:2] not in COMPOUND_SURNAMES):
                continue
            if (
                # The segmenter may glue the word before to the first name (系/晏志勇).
                (a in boundaries or (a > 0 and text[a - 1] in _LIST_GLUE))
                and re.fullmatch(NAME, word)
                and not is_common_word(word, 500)
                and word not in NOT_NAMES
                and not common_prefix(word)
                and not bad_tail(word)
            ):
                out.append(NameHit(a, sep, word, "context_list", True))
                start = a
                break
        else:
            break
    return out


def _breaks_after(toks: list[tuple[str, int, int]], k: int) -> bool:
    return k >= len(toks) or toks[k][0] in BREAKS


def split_name(toks: list[tuple[str, int, int]], k: int) -> NameHit | None:
    """An unknown name the segmenter cut in two: 司马/菊, 郭/飞雪, 刘家/军."""
    word, start, _ = toks[k]
    if k + 1 >= len(toks):
        return None
    nxt, _, nxt_end = toks[k + 1]
    if not (1 <= len(nxt) <= 2) or any(c in NOT_GIVEN or not "\u4e00" <= c <= "\u9fff" for c in nxt):
        return None
    name = word + nxt
    followed = _breaks_after(toks, k + 2)
    if word in COMPOUND_SURNAMES and segment.word_freq(nxt) <= 2000:
        return NameHit(start, nxt_end, name, "segmenter_compound", followed)
    if word[:1] in WEAK_SURNAMES:
        return None
    if len(word) == 1 and word in SINGLE_SURNAMES:
        freq = segment.word_freq(nxt)
        if not followed:
            # No break after it: not sure enough to mask, but a rare pair is worth the reviewer's look.
            return (
                NameHit(start, nxt_end, name, "segmenter_split", False)
                if freq == 0 and len(nxt) == 2
                else None
            )
        if freq == 0 or (len(nxt) == 2 and freq <= 1000):
            return NameHit(start, nxt_end, name, "segmenter_split", freq == 0 or freq <= 50)
    elif not followed:
        return None
    elif len(word) == 2 and word[0] in SINGLE_SURNAMES and len(nxt) == 1 and segment.word_freq(word) <= 3000:
        return NameHit(start, nxt_end, name, "segmenter_split", segment.word_freq(name) == 0)
    return None


def segmenter_name(word: str, start: int, end: int) -> NameHit | None:
    n = len(word)
    compound = word[:2] in COMPOUND_SURNAMES
    if not (2 <= n <= 3 or (compound and n == 4)):
        return None
    if not (compound or word[0] in SINGLE_SURNAMES):
        return None
    given = word[2:] if compound and n > 2 else word[1:]
    if not given or any(c in NOT_GIVEN or not ("\u4e00" <= c <= "\u9fff") for c in given):
        return None
    freq = segment.word_freq(word)
    # 齐云山, 钱塘江, 金寨路: place names carry the person tag too; the reviewer decides.
    weak = (
        (not compound and word[0] in WEAK_SURNAMES)
        or (n == 3 and word[-1] in (PLACE_ENDINGS | OBJECT_ENDINGS))
        or (n == 3 and not compound and is_common_word(word[:2], 50))
    )
    if freq == 0:
        # Not a dictionary word: the segmenter's HMM glued it together, which is how unknown names appear.
        return NameHit(start, end, word, "segmenter_new_word", not weak)
    if segment.is_person_word(word) and freq <= 500:
        # The dictionary's person tag is noisy (许可证, 银行卡 carry it): only rare entries are trusted.
        return NameHit(start, end, word, "segmenter_nr", not weak and freq <= 30)
    return None

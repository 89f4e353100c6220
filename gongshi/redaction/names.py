"""Names of natural persons: context rules, segmentation with a surname table, filters, and masking."""

from __future__ import annotations

import re

from gongshi.redaction import name_odds, places, segment
from gongshi.redaction.name_filters import (
    ORG_SOON,
    bad_tail,
    common_prefix,
    cuts_a_word,
    everyday_start,
    is_common_word,
    names_a_thing,
    title_after_surname,
)
from gongshi.redaction.name_patterns import (
    AFTER,
    AFTER_ANY,
    BEFORE,
    BETWEEN_NUMBERS,
    DOT_NAME_ANYWHERE,
    FIRST_CHARS,
    LABEL,
    NAMED,
    OBJECT_ENDINGS,
    OFFICER_WORDS,
    PLACE_ENDINGS,
    SEX_AFTER,
    STRONG_AFTER,
    NameHit,
)
from gongshi.redaction.name_rules import (
    choose_length,
    dot_names,
    list_after,
    list_before,
    overlapping,
    prep_lists,
    segmenter_name,
    split_name,
    subjects,
)
from gongshi.redaction.surnames import (
    COMPOUND_SURNAMES,
    NOT_GIVEN,
    NOT_NAMES,
    WEAK_SURNAMES,
    surname_of,
)

__all__ = ["OFFICER_WORDS", "NameHit", "NameMasker", "find_names"]


def _before(text: str, boundaries: set[int]) -> list[NameHit]:
    """Names after a person word (证人王建国, 执法人员王强、李娜), and the names listed after them."""
    sure: list[NameHit] = []
    for m in BEFORE.finditer(text):
        officer = re.fullmatch(OFFICER_WORDS, m.group("ctx")) is not None
        start = m.start("name")
        end = choose_length(text, start, m.end("name"), boundaries)
        word = text[start:end]
        if word in NOT_NAMES or bad_tail(word) or cuts_a_word(text, start, end) or everyday_start(word):
            continue
        listed = list_after(text, end, boundaries, officer)
        # 许家, 王家 are dictionary words too: after a person word they are names when more evidence follows
        # (a list of names, （男，…）, 称, 证实…).
        strong = bool(listed or STRONG_AFTER.match(text, end))
        if SEX_AFTER.match(text, end):
            limit = 1500  # 消费者：高新，男，1983年…
        elif word[:2] not in COMPOUND_SURNAMES and word[0] in WEAK_SURNAMES:
            limit = 500 if strong else 50  # 业务员高价推销: 高 + an everyday word
        else:
            limit = 1500 if strong else 500
        if is_common_word(word, limit):
            # 执法人员石子冬和万豪雨: the first looks like a word (石子), the others are still names.
            sure += [h for h in listed if not is_common_word(h.name, 50)]
            continue
        sure.append(NameHit(start, end, word, "context_before", True, officer))
        sure += listed
    return sure


def _labelled(text: str, boundaries: set[int]) -> list[NameHit]:
    """Names after a role label (记录人：李娜), explicit naming (名叫…) and between certificate numbers."""
    sure: list[NameHit] = []
    for m in LABEL.finditer(text):
        start = m.start("name")
        end = choose_length(text, start, m.end("name"), boundaries)
        word = text[start:end]
        if not is_common_word(word, 500) and word not in NOT_NAMES and not common_prefix(word):
            sure.append(NameHit(start, end, word, "context_label", True))
            sure += list_after(text, end, boundaries, False)
    for m in NAMED.finditer(text):
        start = m.start("name")
        end = start + 2
        while end < m.end("name") and text[end] not in NOT_GIVEN and end + 1 in boundaries | {len(text)}:
            end += 1
        word = text[start:end]
        if all(c not in NOT_GIVEN for c in word) and not is_common_word(word, 500) and not bad_tail(word):
            sure.append(NameHit(start, end, word, "context_named", True))
    for m in BETWEEN_NUMBERS.finditer(text):
        word = m.group("name")
        if word not in NOT_NAMES and not is_common_word(word, 500):
            sure.append(NameHit(m.start("name"), m.end("name"), word, "context_numbered", True, True))
    return sure


def _after(text: str, boundaries: set[int]) -> list[NameHit]:
    """Names before what follows a person (（男，…）, 证实, 的证言…), clause subjects, listed after 对/向."""
    after: list[NameHit] = []
    for rx in (AFTER, AFTER_ANY):
        for m in overlapping(rx, text):
            word = m.group("name")
            at_boundary = (
                m.start() in boundaries or m.start() == 0 or not "\u4e00" <= text[m.start() - 1] <= "\u9fff"
            )
            limit = 1500 if rx is AFTER_ANY else 50
            if rx is AFTER and word[:2] not in COMPOUND_SURNAMES and word[0] in WEAK_SURNAMES:
                limit = 0  # 门面房系当事人…: a weak surname needs a word the dictionary does not know
            if (
                at_boundary
                and not is_common_word(word, limit)
                and word not in NOT_NAMES
                and not bad_tail(word)
            ):
                after.append(NameHit(m.start("name"), m.end("name"), word, "context_after", True))
    after += subjects(text, boundaries)
    after += prep_lists(text, boundaries)
    return after


def _guesses(toks: list[tuple[str, int, int]], context_ends: set[int]) -> tuple[list[NameHit], list[NameHit]]:
    """The segmenter's unknown or person-tagged words that start with a surname: (sure, unsure)."""
    sure: list[NameHit] = []
    unsure: list[NameHit] = []
    for k, (word, start, end) in enumerate(toks):
        if word[0] not in FIRST_CHARS:
            continue  # neither rule takes a word that starts with no surname
        guess = segmenter_name(word, start, end) or split_name(toks, k)
        if guess is not None and guess.name not in NOT_NAMES and not bad_tail(guess.name):
            # Right after a name found by context (员工贝晓琳封样), a guess is the verb, not a second name.
            confident = guess.confident and not (guess.start in context_ends and len(guess.name) == 2)
            (sure if confident else unsure).append(guess)
    return sure, unsure


def _without_things(text: str, sure: list[NameHit]) -> list[NameHit]:
    """Drop what names a place, firm, brand or product, and a guess inside a name found whole."""
    # 邵逸夫医院, “马应龙”商标, 周大福金饰: a person's name used as the name of a place, firm or brand.
    thing = [names_a_thing(text, h) or title_after_surname(text, h) for h in sure]
    things = {h.name for h, t in zip(sure, thing, strict=True) if t}
    # A guess that names a thing anywhere in the text (黄金豆卷1袋 … 黄金豆卷及…) is that thing everywhere.
    sure = [
        h
        for h, t in zip(sure, thing, strict=True)
        if not t and not (h.name in things and (h.rule.startswith("segmenter") or h.rule == "context_named"))
    ]
    # A segmenter's piece (喻志) of a name a context rule found whole (喻志刚) is no second person.
    whole = [(h.start, h.end) for h in sure if not h.rule.startswith("segmenter")]
    return [
        h
        for h in sure
        if not (h.rule.startswith("segmenter") and any(a <= h.start and h.end < b for a, b in whole))
    ]


def _worth_a_doubt(text: str, hit: NameHit) -> bool:
    """An unsure guess goes to the reviewer only when it is no dictionary word and no firm's name."""
    return (
        not names_a_thing(text, hit)
        and not ORG_SOON.match(text, hit.end)
        and segment.word_freq(hit.name) <= 20
        # 冷藏柜, 宋体字: a thing's word is boilerplate, not a doubt for every record that says it.
        and not (len(hit.name) == 3 and hit.name[-1] in OBJECT_ENDINGS)
    )


# Weak surnames that are function words before anything else (和, 于, 原…).
FUNCTION_SURNAMES = frozenset(
    "于向和与将从在被对以为及等是有无不之其此该本上下中内外前后共经由按依据至并且又也还就都很最更第各每某"
    "所可能会要应须已曾正才另仅只非未全总同原新老大小多少高低长短"
)

# A candidate whose characters score above this (log odds, see name_odds) is worth the reviewer's look.
LIKELY = 0.0


def _odds_of(word: str) -> float:
    head = 2 if word[:2] in COMPOUND_SURNAMES and len(word) > 2 else 1
    return name_odds.score(word[:head], word[head:])


def _reads_as_name(text: str, hit: NameHit, odds: float) -> bool:
    """Whether an unsure name-shaped string is worth the reviewer's look: its characters read as a name
    (name_odds) and it names no thing, place or firm."""
    word = hit.name
    if odds < LIKELY:
        return False
    head = 2 if word[:2] in COMPOUND_SURNAMES and len(word) > 2 else 1
    # 和申辩, 于新建, 原林权: a surname that is a function word first needs more than its odds; one
    # that is an everyday word too (石, 方, 路) needs a given name that is no word (石芳, not 石材料).
    if head == 1 and word[0] in FUNCTION_SURNAMES:
        if odds < LIKELY + 3 or segment.word_freq(word[1:]) > 0:
            return False
    elif head == 1 and word[0] in WEAK_SURNAMES and len(word) == 3 and is_common_word(word[1:], 100):
        return False
    return not (
        word in NOT_NAMES
        or common_prefix(word)
        or bad_tail(word)
        # A dictionary word written often is a word, whatever its tag (陈述, 花岗岩 carry nr).
        or segment.word_freq(word) > 30
        # 黄牛洞, 冷藏柜: a place's or a thing's ending, unless the characters read strongly as a name (陈峰).
        or (len(word) == 3 and word[-1] in (PLACE_ENDINGS | OBJECT_ENDINGS) and odds < LIKELY + 6)
        or places.known_place(word)
        or names_a_thing(text, hit)
        or title_after_surname(text, hit)
        or ORG_SOON.match(text, hit.end) is not None
    )


def likely_names(
    text: str, boundaries: set[int], taken: list[tuple[int, int]] | None = None
) -> list[NameHit]:
    """Name-shaped strings whose characters read as a name (name_odds) and that name no thing or place,
    outside the `taken` spans (names the rules found already)."""
    covered = {i for a, b in taken or () for i in range(a, b)}
    return [
        hit
        for start, end, odds in name_odds.candidates(text, boundaries, NOT_GIVEN)
        if odds >= LIKELY
        and not any(i in covered for i in range(start, end))
        and _reads_as_name(text, hit := NameHit(start, end, text[start:end], "segmenter_odds", False), odds)
    ]


def _listed_with(text: str, sure: list[NameHit], boundaries: set[int]) -> list[NameHit]:
    """Names listed with 、/和/及/与 beside a name any rule found (业主代表柏建国、俞文斌; 子女贺晓琳、贺晓峰)
    that read as names themselves (name_odds) and name no thing."""
    taken = [(h.start, h.end) for h in sure]
    out: list[NameHit] = []
    for hit in sure:
        for item in (
            *list_after(text, hit.end, boundaries, hit.officer),
            *list_before(text, hit.start, boundaries),
        ):
            joined = text[item.start - 1 : item.start] in "、和及与" or text[item.end : item.end + 1] == "、"
            if (
                joined
                and not any(item.start < b and a < item.end for a, b in taken)
                and _reads_as_name(text, item, _odds_of(item.name))
            ):
                taken.append((item.start, item.end))
                out.append(item)
    return out


def find_names(text: str) -> tuple[list[NameHit], list[NameHit]]:
    """Names in `text`: (sure ones, unsure ones for the reviewer)."""
    toks = segment.tokens(text)
    boundaries = {end for _, _, end in toks} | {start for _, start, _ in toks}
    sure = _before(text, boundaries) + _labelled(text, boundaries)
    after = _after(text, boundaries)
    sure += after
    for hit in after:
        sure += list_before(text, hit.start, boundaries)
    guessed, unsure = _guesses(toks, {h.end for h in sure})
    sure = _without_things(text, sure + guessed)
    sure += _listed_with(text, sure, boundaries)
    unsure = [h for h in unsure if _worth_a_doubt(text, h) and _reads_as_name(text, h, _odds_of(h.name))]
    taken = [(h.start, h.end) for h in sure + unsure]
    unsure += likely_names(text, boundaries, taken)
    if DOT_NAME_ANYWHERE.search(text):
        # A name with a middle dot is one name: pieces other rules found inside it (阿依古) give way.
        dotted = dot_names(text, toks, boundaries)
        spans = [(h.start, h.end) for h in dotted]
        sure = dotted + [h for h in sure if not any(h.start < b and a < h.end for a, b in spans)]
        unsure = [h for h in unsure if not any(h.start < b and a < h.end for a, b in spans)]
    return sure, unsure


class NameMasker:
    """Masks names consistently within one decision: 王建国 → 王某, a second 王… → 王某1/王某2."""

    def __init__(self, names: list[str], taken_text: str = "") -> None:
        by_mask: dict[str, list[str]] = {}
        for name in names:
            by_mask.setdefault(surname_of(name) + "某", []).append(name)
        self.mapping: dict[str, str] = {}
        for mask, group in by_mask.items():
            # A mask already used in the source text for somebody else counts as taken.
            if len(group) == 1 and not re.search(re.escape(mask) + "(?!某)", taken_text):
                self.mapping[group[0]] = mask
            else:
                for i, name in enumerate(group, start=1):
                    self.mapping[name] = f"{mask}{i}"

    def mask(self, name: str) -> str:
        """The masked form of `name`."""
        return self.mapping.get(name) or surname_of(name) + "某"

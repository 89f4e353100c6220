"""Minors (Art 15 (三)): from birth dates, resident IDs, roles and the text itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from gongshi.domain.intake import Intake
from gongshi.redaction.addresses import TextHit
from gongshi.redaction.identifiers import find_identifiers, resident_id_birth

_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_AGE = re.compile(
    r"(?P<neg>未满|不满|未达|不足)?(?P<n>[0-9]{1,2}|[一二两三四五六七八九十]{1,3})\s*"
    r"(?:(?P<full>周岁)(?P<below>以下|以内)?|(?<=[0-9一二两三四五六七八九十])岁)"
)
_PLAIN_AGE_BEFORE = re.compile(
    r"(?:男|女|年仅|时年|年龄|今年|现年|[，,（(、])(?:约|大约|约为|为|才|仅|只有)?\s*$"
)
_MINOR_WORDS = re.compile(
    r"未成年|小学生|初中生|中学生|高中生|幼儿园|婴儿|婴幼儿|学龄前|少年|在校学生|在读学生|女婴|男婴|新生儿|患儿|"
    r"[一二三四五六]年级(?:学生)?|初[一二三](?:学生|年级)|高[一二三](?:学生|年级)"
    # Words that only name a young child (小孩拉肚子), not a label's safety phrase (放在小孩接触不到的地方,
    # 防止小孩误食) or a product's kind (小孩玩具).
    r"|(?:小孩|幼童|宝宝|幼儿(?!园|教育|教师|用品|食品))(?!接触|够不着|拿不到|误食|玩具|用品|食品|衣服|专用)"
)
_TITLE = re.compile(r"《[^》]{0,40}》")
# Pupils as the market of a service, no one in particular: 组织中学生开展学科培训, 面向小学生招生.
_GROUP_BEFORE = re.compile(
    r"(?:组织|招收|招生|面向|针对|辅导|培训|招揽|(?:对象|学员|生源)(?:是|为|均为|主要为|主要是))"
    r"(?:[\u4e00-\u9fff]{0,2}的)?$"
)


def chinese_number(s: str) -> int | None:
    """'17' or '十七' as an int."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        t = _CN_DIGITS.get(tens, 0) if tens else 1
        o = _CN_DIGITS.get(ones, 0) if ones else 0
        return t * 10 + o
    return _CN_DIGITS.get(s) if len(s) == 1 else None


def age_on(birth: date, on: date) -> int:
    """Whole years of age on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def minor_mentions(text: str, decided_on: date) -> Iterator[TextHit]:
    """Phrases saying a minor is involved (outside 《titles》 of laws)."""
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)]

    def in_title(pos: int) -> bool:
        return any(a <= pos < b for a, b in titles)

    for m in _MINOR_WORDS.finditer(text):
        if in_title(m.start()) or _GROUP_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            continue
        yield TextHit(m.start(), m.end(), "minor", "minor_word")
    for m in _AGE.finditer(text):
        n = chinese_number(m.group("n"))
        if n is None or in_title(m.start()):
            continue
        if m.group("full") is None and not _PLAIN_AGE_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            continue  # "3岁以上" on a toy label is not a person's age
        if n < 18 or ((m.group("neg") or m.group("below")) and n <= 18):
            yield TextHit(m.start(), m.end(), "minor", "minor_age")
    for f in find_identifiers(text):
        if f.category == "resident_id":
            birth = resident_id_birth(text[f.start : f.end])
            if birth and 0 <= age_on(birth, decided_on) < 18:
                yield TextHit(f.start, f.end, "minor", "minor_id")


def structured_minor(intake: Intake) -> str | None:
    """Why the structured fields say a minor is involved, or None."""
    party = intake.party
    if party.kind == "natural_person":
        birth = party.birth_date
        if birth is None and party.id_type == "resident_id" and party.id_number:
            birth = resident_id_birth(party.id_number)
        if birth is not None and age_on(birth, intake.decided_on) < 18:
            return "当事人在决定作出之日未满十八周岁"
    for person in intake.persons:
        if person.role == "minor":
            return "涉及未成年人（人员角色为 minor）"
        birth = person.birth_date or (resident_id_birth(person.id_number) if person.id_number else None)
        if birth is not None and age_on(birth, intake.decided_on) < 18:
            return "涉及人员在决定作出之日未满十八周岁"
    return None

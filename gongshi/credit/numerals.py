"""Chinese numerals as decisions write them: dates (二〇二六年三月五日) and amounts (伍万贰仟壹佰贰拾元)."""

from __future__ import annotations

import re
from datetime import date

_CN_DIGIT = {**dict.fromkeys("〇○零ОＯO", 0), **dict(zip("一二三四五六七八九", range(1, 10), strict=True))}
_CN_DATE = re.compile(
    r"([〇○零ОＯO一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_AR_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def parse_chinese_date(text: str) -> date | None:
    m = _CN_DATE.search(text)
    if m:
        year = int("".join(str(_CN_DIGIT[c]) for c in m[1]))
        try:
            return date(year, _small(m[2]), _small(m[3]))
        except ValueError:
            return None
    m = _AR_DATE.search(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def _small(s: str) -> int:
    """十 / 十五 / 二十 / 二十五 / 五 → int."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


_CN_NUM = {
    **dict(zip("零〇壹贰两叁肆伍陆柒捌玖", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)),
    **dict(zip("一二三四五六七八九", range(1, 10), strict=True)),
}
_CN_UNIT = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}


def chinese_amount(s: str) -> int | None:
    """伍万贰仟壹佰贰拾 → 52120 (yuan, integer part)."""
    total, section, digit = 0, 0, 0
    for ch in s:
        if ch in _CN_NUM:
            digit = _CN_NUM[ch]
        elif ch in _CN_UNIT:
            section += (digit or 1) * _CN_UNIT[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total += (section + digit) * 100_000_000
            section = digit = 0
        else:
            return None
    value = total + section + digit
    return value or None

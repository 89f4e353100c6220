"""Identifiers with their real algorithms: resident ID, credit code, cards, phones, permits, plates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from gongshi.redaction.fold import fold_width


class Found(NamedTuple):
    """A detected item: half-open [start, end) in the text it was found in."""

    start: int
    end: int
    category: str
    rule: str
    keep: bool = False


# Separators people put inside numbers: spaces, line breaks, dashes (after width folding).
S = r"[ \t\r\n\-]{0,2}"
_NB = r"(?<![0-9A-Za-z])"
_NA = r"(?![0-9A-Za-z])"
_DIGIT = re.compile(r"[0-9Xx]")
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
        "91",
    ]
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def digits_of(raw: str) -> str:
    """The digits (and a trailing X) of a candidate, separators dropped."""
    return "".join(_DIGIT.findall(fold_width(raw))).upper()


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return 1900 <= y <= 2100


def resident_id_valid(number: str) -> bool:
    """GB 11643: 18 characters with the mod 11-2 check, or the old 15-digit form with a valid date."""
    n = number.upper()
    if len(n) == 18 and n[:17].isdigit():
        if n[:2] not in _PROVINCES or not _valid_date(int(n[6:10]), int(n[10:12]), int(n[12:14])):
            return False
        total = sum(int(c) * w for c, w in zip(n[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == n[17]
    if len(n) == 15 and n.isdigit():
        return n[:2] in _PROVINCES and _valid_date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
    return False


def resident_id_birth(number: str) -> date | None:
    """Birth date encoded in a resident ID, or None."""
    n = digits_of(number)
    try:
        if len(n) == 18:
            return date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
        if len(n) == 15:
            return date(1900 + int(n[6:8]), int(n[8:10]), int(n[10:12]))
    except ValueError:
        return None
    return None


def uscc_valid(code: str) -> bool:
    """GB 32100 unified social credit code with its mod 31 check character."""
    c = code.upper()
    if len(c) != 18 or any(ch not in _USCC_CHARS for ch in c) or not c[2:8].isdigit():
        return False
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(c[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == c[17]


def luhn_valid(number: str) -> bool:
    """The Luhn check most (not all) bank cards carry."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_ID18 = re.compile(rf"{_NB}(?=([1-9](?:{S}[0-9]){{16}}{S}[0-9Xx]){_NA})")
_ID15 = re.compile(rf"{_NB}(?=([1-9](?:{S}[0-9]){{14}}){_NA})")
_ID_MASKED = re.compile(
    rf"{_NB}[1-9][0-9]{{5}}[*]{{4,12}}[0-9*]{{0,8}}[0-9Xx*]{_NA}|{_NB}[1-9][0-9]{{3,5}}[*]{{8,14}}[0-9Xx]{{1,4}}{_NA}"
)
_USCC = re.compile(
    rf"{_NB}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{{2}}[0-9]{{6}}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{{10}}{_NA}"
)
_LONG_DIGITS = re.compile(rf"{_NB}(?=([1-9](?:{S}[0-9]){{15,18}}){_NA})")
_MOBILE = re.compile(rf"{_NB}1{S}[3-9](?:{S}[0-9]){{9}}{_NA}")
_COUNTRY_CODE = re.compile(r"(?:\+|00)?86[ \-]?$")
_LANDLINE = re.compile(
    rf"{_NB}(?:[(（]0[1-9][0-9]{{1,2}}[)）]|0[1-9][0-9]{{1,2}}){S}[2-9](?:{S}[0-9]){{6,7}}(?:(?:转|-|ext\.?)[0-9]{{1,5}})?{_NA}"
)
_EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}\s?(?:@|＠|\(at\)|\[at\])\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,10}(?![A-Za-z])"
)
# Passports (E, EA.., G, D/S/P) and travel permits (C, CA.., H/M 回乡证, L/T 台湾, K, MA).
_PASSPORT = re.compile(
    rf"(?<![0-9A-Za-z字])(?:E[A-HJ-NP-Z][0-9]{{7}}|E[0-9]{{8}}|MA[0-9]{{7}}|C[A-HJ-NP-Z][0-9]{{7}}"
    rf"|[GKCHMLTDSP][0-9]{{8}}(?:[0-9]{{2}})?|[DSP]E[0-9]{{7}}){_NA}"
)
_PLATE = re.compile(
    r"(?<![A-Za-z0-9])[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][ ]?[A-HJ-NP-Z]"
    r"[ ·•・.\-]?(?=(?:[A-HJ-NP-Z]?[0-9]){3})[A-HJ-NP-Z0-9]{5,6}[挂学警港澳领试超]?(?![A-Za-z0-9])"
)
_CERT = re.compile(
    r"(?:[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][(（]\s*\d{4}\s*[)）])?"
    r"[\u4e00-\u9fff]{0,10}?不动产(?:权|证明)\s*第?\s*[0-9A-Za-z]{3,14}\s*号"
    r"|[\u4e00-\u9fff]{0,8}?房(?:地)?(?:产)?权证[\u4e00-\u9fff]{0,8}?第?\s*[0-9A-Za-z\-]{3,14}\s*号?"
    r"|[\u4e00-\u9fff]{0,6}?(?:国|集)用\s*[(（]\s*\d{4}\s*[)）]\s*(?:第|字第)?\s*[0-9A-Za-z\-]{2,12}\s*号?"
    r"|(?<=证号|编号|书号)[:：]?\s*(?:[\u4e00-\u9fff]{1,2}[(（]\d{4}[)）])?[0-9A-Za-z\-]{6,20}(?=\s|[，。；、）)]|$)"
)
# Where a certificate number can be: the regex runs only in a window around these anchors.
_CERT_WORD = re.compile(r"不动产|权证|[国集]用")
_CERT_ANCHOR = re.compile(r"不动产|权证|[国集]用|证号|编号|书号")
_CERT_CONTEXT = re.compile(r"产权证|房权证|房地权证|房产证|土地证|权属证|登记证书|不动产|行驶证|房屋所有权")
_ID_CONTEXT = re.compile(r"身份证|身份号码|证件号|公民身份|身份证明")
_USCC_CONTEXT = re.compile(r"信用代码|社会信用|纳税人识别号|税号|注册号|组织机构代码")
_ACCOUNT_CONTEXT = re.compile(r"开户|账号|帐号|账户|帐户|户名|银行卡|卡号|银行|收款|转账|汇款|转入|存入|对公")
_ACCOUNT_AFTER_CONTEXT = re.compile(
    rf"(?:账号|帐号|账户|帐户|卡号|银行卡|收款账号|对公账户)[为是:：\s]{{0,3}}(?:[\u4e00-\u9fff]{{0,12}}?(?:银行|支行|分行|信用社)[\u4e00-\u9fff]{{0,10}}?[,，:：\s]{{0,2}})?"
    rf"([0-9](?:{S}[0-9]){{7,29}}){_NA}"
)
_PHONE_CONTEXT_NUMBER = re.compile(
    rf"(?:电话|手机|联系方式|联系电话|座机|传真|tel|TEL|Tel)[号码为是:：\s]{{0,4}}([2-9](?:{S}[0-9]){{6,7}}){_NA}"
)
_AT = re.compile(r"@|\(at\)|\[at\]")
_ISO_DATE = re.compile(r"[12][0-9]{3}-[01][0-9]-[0-3][0-9]")
_RUN = re.compile(r"[0-9](?:[ \t\r\n\-]{0,2}[0-9])+")
_CARD_PREFIXES = ("62", "4", "51", "52", "53", "54", "55", "34", "37", "35", "60", "9")


def _context_before(text: str, start: int, rx: re.Pattern[str], width: int = 24) -> bool:
    return rx.search(text, max(0, start - width), start) is not None


# A 15-digit business registration number (注册号) has the old resident ID's shape.
_REGISTRATION_BEFORE = re.compile(r"(?:注册号|营业执照|执照号|编号|文号|登记号)[码为是:：\s]{0,3}$")


def _iter_ids(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for rx, rule in ((_ID18, "gb11643"), (_ID15, "gb11643_15")):
        for m in rx.finditer(text, pos, endpos):
            raw = m.group(1)
            number = digits_of(raw)
            if rule == "gb11643_15" and _REGISTRATION_BEFORE.search(
                text, max(0, m.start(1) - 10), m.start(1)
            ):
                continue
            if resident_id_valid(number):
                yield Found(m.start(1), m.start(1) + len(raw), "resident_id", rule)
            elif len(number) == 18 and _context_before(text, m.start(1), _ID_CONTEXT):
                yield Found(m.start(1), m.start(1) + len(raw), "resident_id", "id_context")
    if "*" in text:
        for m in _ID_MASKED.finditer(text, pos, endpos):
            if not _REGISTRATION_BEFORE.search(text, max(0, m.start() - 10), m.start()):
                yield Found(m.start(), m.end(), "resident_id", "id_masked")


def _iter_uscc(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for m in _USCC.finditer(text, pos, endpos):
        code = m.group().upper()
        if not uscc_valid(code):
            continue
        if resident_id_valid(code) and not _context_before(text, m.start(), _USCC_CONTEXT, 30):
            continue  # both checks pass: without credit-code words nearby, treat it as a personal ID
        yield Found(m.start(), m.end(), "uscc", "gb32100", keep=True)


# A number that a label names as a record's or a document's (编号…, 第…号): no card, whatever its checksum.
_NUMBERED_BEFORE = re.compile(r"(?:编号|文号|单号|第)[:：\s]*$")


def _iter_accounts(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for m in _LONG_DIGITS.finditer(text, pos, endpos):
        raw = m.group(1)
        number = digits_of(raw)
        in_context = _context_before(text, m.start(1), _ACCOUNT_CONTEXT, 30)
        if in_context:
            yield Found(m.start(1), m.start(1) + len(raw), "bank_account", "account_context")
        elif luhn_valid(number) and number.startswith(_CARD_PREFIXES):
            if _NUMBERED_BEFORE.search(text, max(0, m.start(1) - 6), m.start(1)):
                continue  # 编号4304073800015770号: a decision's number that passes Luhn by chance
            yield Found(m.start(1), m.start(1) + len(raw), "bank_account", "luhn")
    for m in _ACCOUNT_AFTER_CONTEXT.finditer(text, pos, endpos):
        yield Found(m.start(1), m.end(1), "bank_account", "account_after_context")


# Numbers of the same shape that are no travel document: 国药准字H20083611, 报告编号：BND-T02506452.
_NOT_PASSPORT_BEFORE = re.compile(
    r"(?:准字|批准文号|批号|编号|报告|证书号|登记号|注册号|备案号|许可证号)[:：\s]*$|[A-Za-z]-$"
)


def _iter_passports(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for m in _PASSPORT.finditer(text, pos, endpos):
        if _NOT_PASSPORT_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue
        yield Found(m.start(), m.end(), "passport", "passport_permit")


def _iter_phones(text: str, pos: int, endpos: int) -> Iterator[Found]:
    for m in _MOBILE.finditer(text, pos, endpos):
        cc = _COUNTRY_CODE.search(text, max(0, m.start() - 5), m.start())
        yield Found(cc.start() if cc else m.start(), m.end(), "phone", "mobile")
    for m in _LANDLINE.finditer(text, pos, endpos):
        yield Found(m.start(), m.end(), "phone", "landline")
    for m in _PHONE_CONTEXT_NUMBER.finditer(text, pos, endpos):
        yield Found(m.start(1), m.end(1), "phone", "phone_context")


# Contact handles after their platform's word: 微信号：zhang_1988, QQ 12345678, 抖音号：dy486719585.
_HANDLE_WORD = re.compile(r"微信|QQ|qq|扣扣|支付宝|抖音|快手|旺旺|钉钉|小红书|淘宝|微博|Telegram|WhatsApp")
_HANDLE = re.compile(
    r"(?:微信(?:号|账号|帐号|ID|id)?|QQ(?:号码?)?|qq(?:号码?)?|扣扣号?|支付宝(?:账号|帐号|账户)?|抖音(?:号|账号|ID|id)?"
    r"|快手(?:号|账号|ID)?|旺旺(?:号|ID)?|钉钉号?|小红书号?|淘宝(?:账号|ID)|微博(?:账号|ID)?|Telegram|WhatsApp)"
    r"(?:[:：\s为是]|[（(]){1,3}"
    r"(?P<handle>[A-Za-z0-9][A-Za-z0-9_\-.]{3,39}(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)(?![A-Za-z0-9_\-])"
)


def _iter_handles(text: str) -> Iterator[Found]:
    for m in _HANDLE.finditer(text):
        handle = m.group("handle")
        if (len(handle) >= 5 and any(c.isdigit() for c in handle)) or len(handle) >= 6:
            yield Found(m.start("handle"), m.end("handle"), "handle", "contact_handle")


def _iter_other(text: str) -> Iterator[Found]:
    if _HANDLE_WORD.search(text):
        yield from _iter_handles(text)
    last_end = -1
    for at in _AT.finditer(text):
        m = _EMAIL.search(text, max(0, at.start() - 64, last_end), at.end() + 80)
        if m is not None and m.start() <= at.start():
            last_end = m.end()
            yield Found(m.start(), m.end(), "email", "email")
    for m in _PLATE.finditer(text):
        yield Found(m.start(), m.end(), "plate", "plate")
    if _CERT_CONTEXT.search(text) or "国用" in text or "集用" in text:
        seen: set[int] = set()
        for anchor in _CERT_ANCHOR.finditer(text):
            m = _CERT.search(text, max(0, anchor.start() - 16), anchor.end() + 40)
            if m is None or m.start() in seen or m.start() > anchor.end() or not m.group().strip():
                continue
            seen.add(m.start())
            if not _CERT_WORD.search(m.group()) and not _context_before(text, m.start(), _CERT_CONTEXT, 16):
                continue  # "编号" alone is too weak: licence and document numbers use it too
            yield Found(m.start(), m.end(), "property_cert", "property_cert")


# Higher first: when two detections overlap, the stronger one wins.
_PRIORITY = {
    "property_cert": 0,
    "resident_id": 1,
    "uscc": 2,
    "bank_account": 3,
    "passport": 4,
    "phone": 5,
    "email": 6,
    "plate": 7,
    "handle": 8,
}


# A document number (文号): issuer, the year in brackets, a serial and 号 — 合市监罚〔2026〕123号,
# 京朝市监罚字[2026]第000123号, and the courts' （2026）皖0102行初123号. Its serial can be a long run
# of digits; inside one, digits are never a phone number or an account.
_YEAR_IN_BRACKETS = r"[〔(（\[【［〖]\s*(?:19|20)[0-9]{2}\s*[〕)）\]】］〗]"
_DOC_NUMBER = re.compile(
    rf"(?:[\u4e00-\u9fff]{{1,20}}{_YEAR_IN_BRACKETS}|{_YEAR_IN_BRACKETS}[\u4e00-\u9fff]{{1,6}}[0-9]{{0,6}}[\u4e00-\u9fff]{{0,6}})"
    r"\s*第?\s*[0-9]{1,24}\s*号"
)
_NOT_IN_DOCUMENT_NUMBERS = frozenset({"phone", "bank_account"})


def document_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of what reads as a document number (文号), in `text` after width folding."""
    return [m.span() for m in _DOC_NUMBER.finditer(text)]


def find_identifiers(text: str) -> list[Found]:
    """All identifiers in `text` (any width, spaced or dashed); kept ones (credit codes) have keep=True."""
    folded = fold_width(text)
    found: list[Found] = list(_iter_other(folded))
    for pos, endpos in _number_windows(folded):
        for gen in (_iter_ids, _iter_uscc, _iter_accounts, _iter_phones, _iter_passports):
            found.extend(gen(folded, pos, endpos))
    if found and ("号" in folded):
        spans = document_numbers(folded)
        found = [
            f
            for f in found
            if f.category not in _NOT_IN_DOCUMENT_NUMBERS
            or not any(a <= f.start and f.end <= b for a, b in spans)
        ]
    return resolve_overlaps(found)


def _number_windows(text: str) -> list[tuple[int, int]]:
    """Stretches around runs of 6+ digits (with separators), plus room for the context words before."""
    windows: list[tuple[int, int]] = []
    for m in _RUN.finditer(text):
        run = m.group()
        # Every number-based identifier has 6+ digits in a row; an ISO date on its own is none of them.
        if len(run) < 6 or _ISO_DATE.fullmatch(run) or len(_DIGIT.findall(run)) < 6:
            continue
        # Context words sit up to 30 characters before; the look-ahead needs a character after.
        a, b = max(0, m.start() - 36), min(len(text), m.end() + 8)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    return windows


def resolve_overlaps(found: list[Found]) -> list[Found]:
    """Keep the strongest, then longest, of overlapping detections."""
    ranked = sorted(found, key=lambda f: (_PRIORITY.get(f.category, 9), -(f.end - f.start), f.start))
    chosen: list[Found] = []
    for f in ranked:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)

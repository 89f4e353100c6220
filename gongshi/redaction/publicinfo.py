"""What is published as it is: document numbers, amounts in Chinese numerals, organisations' public facts.

These regions are kept (never masked): a name-shaped prefix of a document number (岳环罚告字, 祁公(陶)决字)
is no person, 伍万贰仟元 is an amount, and an agency's or a firm's address and public telephone are
registration facts (SPEC §2.2, §8).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# The year part of a document number (〔2021〕, [2021], ﹝2022﹞, （2021）) and the serial after it.
_YEAR = re.compile(
    r"[〔\[［【﹝(（]\s*(?:19|20)[0-9]{2}\s*[〕\]］】﹞)）]\s*[-－—]?\s*第?\s*[0-9０-９A-Za-zＸ×*＊]{1,8}\s*号?"
)
_OPEN, _CLOSE = "(（[［【〔", ")）]］】〕"
# Characters that end the prefix walking backwards: particles, punctuation, quotes, spaces.
_STOP = frozenset("的了和及与对在为将把按据经由即或、，,。；;：:《》“”\"'‘’ \t\n\u3000")
_STOP_WORDS = (
    "作出",
    "撤销",
    "请求",
    "文号",
    "编号",
    "决定书",
    "送达",
    "下达",
    "制作",
    "出具",
    "签发",
    "依据",
)
_MAX_PREFIX = 16

_CN_AMOUNT = re.compile(
    r"(?:人民币)?[零壹贰贰叁肆伍陆柒捌玖拾佰仟万亿]{2,}(?:元|圆)(?:[零壹贰叁肆伍陆柒捌玖]角)?"
    r"(?:[零壹贰叁肆伍陆柒捌玖]分)?整?"
    r"|(?:人民币)?[一二三四五六七八九十百千万两零]{1,12}余?万?元(?:整)?"
)

# Names that end an organisation (or agency) name; used to tell whose address or phone follows.
ORG_END = (
    r"(?:局|分局|所|厂|公司|委员会|委|中心|站|院|队|部|社|行|店|馆|协会|政府|办事处|学校|医院|银行|支行|分行"
    r"|合作社|商行|门市|超市|网吧|网咖|酒店|宾馆|事务所|研究所|集团|工作室|药房|诊所|卫生室|加油站)"
)
# …an organisation's name, or a lawyer of one (…律师事务所律师，地址：… is the firm's address).
_ORG_BEFORE = re.compile(ORG_END + r"(?:律师|法律工作者)?[\s,，:：]*(?:[\u4e00-\u9fff]{0,6}[:：])?\s*$")
_SELF = re.compile(r"(?:本机关|本局|我局|本单位|本院|本委|本所|本站|本行政机关)")
_PERSON_CUE = re.compile(r"身份证|公民身份|出生|[男女][,，、）)]|住址|家住|现住|户籍|民族|汉族")
_PUBLIC_PHONE_BEFORE = re.compile(
    ORG_END
    + r"[^。\n]{0,40}?(?:电话|联系电话|咨询电话|投诉电话|举报电话|服务电话|热线|传真)[号码为是:：\s]{0,3}$"
    r"|(?:邮编|邮政编码)[:：]?\s*[0-9]{6}[^。\n]{0,4}?(?:电话|联系电话)[:：\s]{0,3}$"
    r"|(?:本机关|本局|我局|本单位|本委|本院|监督|咨询|投诉|举报)[^。；;\n]{0,10}(?:电话|热线)[号码为是:：\s]{0,3}$"
)


def document_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Document numbers: an agency prefix (any characters, brackets included), a year, a serial."""
    for m in _YEAR.finditer(text):
        if not re.search(r"[0-9０-９XxＸ×]", text[m.end() - 3 : m.end()]) and not m.group().endswith("号"):
            continue
        start = m.start()
        depth = 0
        while start > 0 and m.start() - start < _MAX_PREFIX:
            if any(text.endswith(w, 0, start) for w in _STOP_WORDS):
                break
            ch = text[start - 1]
            if ch in _CLOSE:
                depth += 1
            elif ch in _OPEN:
                if depth == 0:
                    break
                depth -= 1
            elif (ch in _STOP and depth == 0) or not ("\u4e00" <= ch <= "\u9fff" or ch.isalnum()):
                break  # inside brackets any character belongs to the prefix: 杭拱公(和)行罚决字
            start -= 1
        if m.start() - start >= 1:
            yield start, m.end()


def chinese_amounts(text: str) -> Iterator[tuple[int, int]]:
    """Amounts written in Chinese numerals: 伍万贰仟壹佰贰拾元, 三万元."""
    for m in _CN_AMOUNT.finditer(text):
        yield m.start(), m.end()


def organisation_before(text: str, pos: int) -> bool:
    """Whether the words right before `pos` (a trigger such as 地址) end an organisation's name."""
    clause_start = max(text.rfind(c, 0, pos) for c in "。；;\n")
    window = text[max(clause_start + 1, pos - 40) : pos]
    if not window.strip() and clause_start >= 0 and text[clause_start] == "\n":
        # 被申请人：平罗县公安局 / 住所地：… — the label starts a line under the organisation's name (which
        # may end its line with a full stop: 被申请人：…人力资源和社会保障局。 / 地址：…).
        previous = text[max(0, clause_start - 60) : clause_start].rstrip().rstrip("。")
        window = previous[previous.rfind("\n") + 1 :]
    if _SELF.search(window):
        return True  # 本机关联系电话：…，地址：… — the agency's own contact details
    m = _ORG_BEFORE.search(window)
    # A person's details just before the organisation's name (…男，汉族，…公司职工，住址…) mean a person.
    return m is not None and not _PERSON_CUE.search(window, max(0, m.start() - 12))


def person_before(text: str, pos: int) -> bool:
    """Whether the clause before `pos` describes a natural person (ID number, sex, birth…).

    A label that starts its line (经营者：巫斌身份证号码：… / 住所：…) belongs to the line above it.
    """
    clause_start = max(text.rfind(c, 0, pos) for c in "。；;\n")
    window = text[max(clause_start + 1, pos - 80) : pos]
    if not window.strip() and clause_start >= 0 and text[clause_start] == "\n":
        previous = text[max(0, clause_start - 80) : clause_start].rstrip()
        window = previous[previous.rfind("\n") + 1 :]
    return _PERSON_CUE.search(window) is not None


def public_phone(text: str, start: int) -> bool:
    """A telephone number given as an organisation's public contact (a label, an agency's footer)."""
    window = text[max(0, start - 60) : start]
    cut = max(window.rfind(c) for c in "。\n")
    window = window[cut + 1 :]
    return _PUBLIC_PHONE_BEFORE.search(window) is not None and not _PERSON_CUE.search(window)


# Where a fine is paid: 请于…将罚款缴至…银行（账号：…）, 缴入国库, 代收: the collecting account is public.
_FINE_ACCOUNT = re.compile(r"罚款|罚没|缴款|非税|国库|代收")
_PAY = re.compile(r"缴纳|缴至|缴入|交至|汇至|汇入|上缴|缴款|代收|收款")


def public_account(text: str, start: int) -> bool:
    """An account number given as where the fine is to be paid (the agency's or the treasury's)."""
    sentence_start = max(text.rfind(c, 0, start) for c in "。；;\n") + 1
    m = re.compile(r"[。；;\n]").search(text, start)
    sentence = text[sentence_start : m.start() if m else len(text)]
    return _FINE_ACCOUNT.search(sentence) is not None and _PAY.search(sentence) is not None


# An organisation's contact block lists a fax (传真): a phone or a mailbox beside it is the office's.
_FAX = re.compile(r"传真")


def office_contact(text: str, start: int, end: int) -> bool:
    """A phone or e-mail in the same contact block as a fax number (…联系电话：2965039 2965181（传真）)."""
    window = text[max(0, start - 40) : end + 40]
    return _FAX.search(window) is not None and not _PERSON_CUE.search(window)


# A licence or certificate number written with its issuer's prefix: 湘交运管郴字431000123456号.
_PREFIXED_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}字(?:第)?[0-9A-Za-z]{4,}号")


def kept_regions(text: str) -> list[tuple[int, int]]:
    """Every region of `text` published as it is by the rules of this module."""
    out = [*document_numbers(text), *chinese_amounts(text)]
    if "字" in text:
        out += [(m.start(), m.end()) for m in _PREFIXED_NUMBER.finditer(text)]
    return out


# The head of an agency or organisation named in its official capacity: 法定代表人：徐帆欣，所长.
_HEAD_BEFORE = re.compile(r"(?:法定代表人|法人代表|主要负责人|负责人)[:：\s]*$")
_HEAD_TITLE = re.compile(
    r"(?:。(?=\s*职务))?[,，、\s]*(?:职务[:：]?|系该单位|该单位|系)?[\u4e00-\u9fff]{0,6}?"
    # Offices of public bodies only: a firm's head (…，总经理 / 董事长) other than the party's own legal
    # representative (kept from the intake) is a private person in another's decision.
    r"(?:所长|局长|主任|队长|站长|院长|处长|科长|书记|主席|镇长|乡长|区长|县长|市长|厅长|部长|会长|理事长|校长|行长)"
)


_HEAD = re.compile(
    r"(?:法定代表人|法人代表|主要负责人|负责人)[:：\s]*(?P<name>[\u4e00-\u9fff·]{2,5}?)(?="
    + _HEAD_TITLE.pattern
    + ")"
)


# The parties a decision is addressed to: a line "申请人：潘浩。", or "段宜勇、蒋平娥：" opening a letter.
_PARTY_LINE = re.compile(
    r"(?m)(?:^|(?<=[\s。]))[ \t\u3000]*申请人[:：][ \t]*(?P<name>[\u4e00-\u9fff·]{2,4}?)"
    # …the line ends, or the applicant's particulars follow (申请人：吕峰艳 住所：…, 申请人：潘浩，男，…).
    r"(?=[。，,；;]?[ \t]*$|[ \t]+(?:住|所|性别|身份|公民|出生)|[，,][ \t]*(?:男|女)[，,、])"
)
_ADDRESSEES = re.compile(
    r"(?m)^[ \t\u3000]*(?P<names>[\u4e00-\u9fff·]{2,4}(?:、[\u4e00-\u9fff·]{2,4}){1,5})[:：][ \t]*$"
)


def head_names(text: str) -> list[str]:
    """Agency heads named with their title (法定代表人：胡墨沐，局长 → 胡墨沐) and the addressed parties."""
    out = (
        [m.group("name") for m in _HEAD.finditer(text)]
        if "负责人" in text or "法定代表人" in text or "法人代表" in text
        else []
    )
    if "申请人" in text:
        out += [m.group("name") for m in _PARTY_LINE.finditer(text)]
    if "、" in text:
        for m in _ADDRESSEES.finditer(text):
            out += m.group("names").split("、")
    return out


def public_head(text: str, start: int, end: int) -> bool:
    """Whether the name at [start, end) is the head of an agency named with the title (…所长, …局长).

    A legal representative of a firm that is not the party stays protected: only the head named in
    an official capacity (法定代表人：徐帆欣，所长) is public.
    """
    before = text[max(0, start - 8) : start]
    m = _HEAD_BEFORE.search(before)
    if m is None:
        return False
    return _HEAD_TITLE.match(text, end) is not None

"""Decision documents (.docx, text PDF) → a draft intake object for staff to confirm (issue 15).

Agencies without a case system have the decision as a Word or PDF file. The text is read with
python-docx or pdfplumber; the fields are found by the layout every 决定书 shares: the title ending
in 决定书, the 〔year〕 document number, the party block (当事人/被处罚人/名称 …, 统一社会信用代码 or
身份证号码, 住所/地址, 法定代表人/经营者), the facts, the 违反/依据 sentences, the decision section
("作出如下行政处罚" …), and the signature block with the agency and the date (二〇二六年三月五日).
What is not found is a warning, never a guess; the whole text becomes `full_text` and is redacted
like any other intake once staff submit it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gongshi.credit.doctext import read_text
from gongshi.credit.numerals import chinese_amount, parse_chinese_date
from gongshi.credit.rows import source_id_for
from gongshi.redaction.identifiers import resident_id_valid, uscc_valid

_NUMBER_CHARS = r"\u4e00-\u9fff（）()A-Za-z0-9〔〕\[\]［］·\-"
# A prefix may carry a single inner space as some offices print it (塔市市监 处罚〔2022〕 33 号).
_NUMBER = re.compile(
    rf"(?:[{_NUMBER_CHARS}](?:[{_NUMBER_CHARS}]| (?=[{_NUMBER_CHARS}])){{0,30}})?"
    r"[〔\[［]\s*\d{4}\s*[〕\]］]\s*[\u4e00-\u9fffA-Za-z0-9\-]{0,12}?\d+\s*号"
)
_USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
_RESIDENT_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_PARTY_LABEL = re.compile(
    r"^(?:当事人|被处罚人|被处罚单位|被处罚对象|违法单位|违法行为人|行政相对人|相对人|名称|单位名称|姓名|经营者姓名)"
    r"[^：:，,。]{0,12}[：:]"
)
# A label starts a line or follows a separator or the end of the value before it (the party
# block's spaces are removed, so "身份证号：…1699 家庭住址：" reads "…1699家庭住址："); it may be
# the party's ("当事人地址", "身份证住所") and may offer an alternative ("地址或住址", "住所或地址").
_LABEL_START = r"(?:(?<=^)|(?<=[，,；;。\s\dXx）)]))"
_ADDRESSES = (
    r"(?:家庭住址|详细地址|经营场所|经营地址|注册地址|登记地址|营业场所|住所地|单位地址|户籍地址|居住地址"
    r"|现住址|住所|住址|地址)"
)
_ADDR_LABEL = re.compile(
    rf"{_LABEL_START}(?:当事人|身份证)?{_ADDRESSES}"
    rf"(?:[（(][^）)]{{0,12}}[）)])?(?:或者?{_ADDRESSES})?[：:]?"
)
# The fallback when the block gives no other address: where the party is reached.
_CONTACT_ADDR_LABEL = re.compile(rf"{_LABEL_START}(?:当事人)?(?:联系地址|通讯地址)[：:]?")
_REP_LABEL = re.compile(
    rf"{_LABEL_START}(?:当事人)?(?:法定代表人|法人代表|企业负责人|负责人|主要负责人|经营者|投资人|投资者)"
    r"(?:[（(][^）)]*[）)])?(?:或者?(?:主要)?负责人)?(?:姓名)?(?:及联系方式)?[：:]"
)
# An identifier that is neither a credit code nor a resident ID: a registration number (营业执照
# 注册号, a clinic's 医疗机构执业许可证登记号 …), taken only when the block has no code or ID.
_REG_NUMBER = re.compile(
    r"(?:注册号|登记号|许可证号|证件号码|证号)(?:[（(][^）)]{0,10}[）)])?[：:]([0-9A-Za-z][0-9A-Za-z\-]{5,29})"
)
# A role in brackets after a name ("游丽峰（养猪场租户）"), not part of it;
# a bare name in brackets ("某店（张三）") is the individual business's registered name and stays.
_ROLE_BRACKET = re.compile(
    r"[（(][^（）()]*(?:租户|承租人|场主|业主|户主|经营者|负责人|法定代表人|投资人|以下简称)[^（）()]*[）)]$"
)
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹｘ", "0123456789ABCDEFGHJKLMNPQRTUWXYx"
)
_LABELED = re.compile(r"^[^：:，,。]{1,24}[：:]")  # 当事人法定代表人或主要负责人姓名及联系方式：
_MASKED = re.compile(r"[*＊]{2,}|[Xx×]{3,}")
_STOP = re.compile(
    r"[，,。；;：:\s]|[（(](?:统一社会信用代码|身份证|注册号)|联系电话|电话|性别|年龄|身份证|统一社会信用代码|职务|邮编"
)
_FACTS_START = re.compile(r"(经查|查明|违法事实|现查明|经调查|发现你|存在以下|进行了调查|现场检查)")
_RESULT_START = re.compile(
    r"(?:作出如下|作出以下|给予如下|给予以下|如下行政处罚|以下行政处罚|处罚如下|决定如下"
    r"|决定对你[^。]{0,20}(?:处以|给予|作出)|现决定)(?:的?行政处罚决定|的?行政处罚|处罚决定|处罚)?\s*[：:]?"
)
_RESULT_END = re.compile(r"(如不服|逾期不缴|逾期不履行|到期不缴纳|申请行政复议|缴款|罚款缴至|缴纳至)")
_STATUTE = re.compile(
    r"《[^《》]{2,60}》(?:第[^，,。；;、《》]{1,12}条(?:第[^，,。；;、《》]{1,8}款)?(?:第[^，,。；;、《》]{1,8}项)?)?"
)
_CATEGORY_WORDS = (
    ("warning", ("警告",)),
    ("circulated_criticism", ("通报批评",)),
    ("fine", ("罚款",)),
    ("confiscation", ("没收",)),
    ("suspend_license", ("暂扣",)),
    ("lower_qualification", ("降低资质",)),
    ("revoke_license", ("吊销",)),
    ("restrict_production", ("限制开展生产经营",)),
    ("order_suspension", ("责令停产停业", "停产整顿", "停业整顿")),
    ("order_closure", ("责令关闭",)),
    ("restrict_employment", ("限制从业",)),
    ("detention", ("行政拘留", "拘留")),
)
_CN_AMOUNT = re.compile(r"([零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿一二三四五六七八九十百千两]+)元")
_AR_AMOUNT = re.compile(r"(?:¥|￥|人民币)?\s*(\d[\d,，]*(?:\.\d{1,2})?)\s*(万)?元")
_ORG_WORDS = ("公司", "合作社", "中心", "医院", "学校", "协会", "集团", "事务所", "研究院", "银行")
_INDIVIDUAL_WORDS = ("店", "部", "厂", "场", "馆", "行", "社", "摊", "坊", "作坊", "门市", "超市")


@dataclass
class Extracted:
    intake: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


def _clean_name(raw: str) -> str:
    m = _STOP.search(raw)
    name = (raw[: m.start()] if m else raw).strip(" 　")
    return name


def _lines(text: str) -> list[str]:
    return [re.sub(r"[ \t\u3000]+", " ", ln).strip() for ln in text.splitlines() if ln.strip()]


def _find_title(lines: list[str]) -> tuple[int, str | None]:
    for i, ln in enumerate(lines[:8]):
        compact = ln.replace(" ", "")
        if re.search(r"决定书(?:[（(][^）)]{1,60}[）)])?$", compact) and len(compact) <= 80:
            return i, compact
    return -1, None


def _find_number(lines: list[str]) -> str | None:
    """The first 〔year〕 number near the top, spaced as the document spaces it."""
    for ln in lines[:10]:
        m = _NUMBER.search(ln)
        if m:
            return m.group(0).strip()
    for ln in lines:
        m = _NUMBER.search(ln)
        if m and ln.startswith(m.group(0)):
            return m.group(0).strip()
    return None


def _signature(lines: list[str]) -> tuple[str | None, date | None]:
    """Agency and date from the last lines (the signature block), seal text skipped."""
    tail = [ln for ln in lines[-8:] if not re.fullmatch(r"[（(]?\s*(印章|盖章|公章|章)\s*[）)]?", ln)]
    for i in range(len(tail) - 1, -1, -1):
        d = parse_chinese_date(tail[i]) if len(tail[i]) <= 20 else None
        if d:
            agency = (
                tail[i - 1]
                if i > 0 and len(tail[i - 1]) <= 40 and not _RESULT_END.search(tail[i - 1])
                else None
            )
            return agency, d
    return None, None


_FIELD_LINE = re.compile(
    r"^(?:统一社会信用代码|社会信用代码|身份证|公民身份号码|注册号|组织机构代码|法定代表人|负责人|经营者)"
)
_INLINE_PARTY = re.compile(r"^(?:当事人|被处罚人)([^：:，,。；;\s]{2,30})[，,]")


def _raw_after(raw: str, n: int) -> str:
    """`raw` after its first `n` characters that are not spaces (a label matched on the compact line)."""
    seen = 0
    for i, ch in enumerate(raw):
        if seen == n:
            return raw[i:]
        if ch != " ":
            seen += 1
    return ""


def _address(ln: str, label: re.Pattern[str]) -> str | None:
    """The address after `label` on the line; "" where the published text masks it."""
    am = label.search(ln)
    if not am:
        return None
    value = ln[am.end() :]
    while again := _ADDR_LABEL.match(value):  # nested labels: "住所（住址）：经营场所：…"
        value = value[again.end() :]
    address = re.split(r"[，,；;。]|联系电话|电话|邮编|所在单位", value)[0].strip()
    if _MASKED.search(address):
        return ""
    return address if len(address) >= 4 else None


def _party(lines: list[str], start: int, name_hint: str | None) -> tuple[dict[str, Any], int]:
    """The party block: name, identifier, address, legal representative; and where it ends."""
    party: dict[str, Any] = {}
    end = start
    block = lines[start : start + 12]
    registration = contact = None
    for offset, raw in enumerate(block):
        ln = raw.replace(" ", "")  # "当 事 人：" and "法 定 代 表 人" as some offices space them
        if offset > 0 and (
            _FACTS_START.match(ln) or (len(ln) > 30 and (_FACTS_START.search(ln) or not _LABELED.match(ln)))
        ):
            break  # the facts, or a long line that is no "label：value": the body begins
        end = start + offset + 1
        m = _PARTY_LABEL.match(ln)
        if m and "name" not in party:
            # The value as printed: a name ends at a space ("当事人：张德利 你未经依法批准…").
            party["name"] = _clean_name(_raw_after(raw, m.end()).strip())
        elif "name" not in party and offset == 0:
            inline = _INLINE_PARTY.match(ln)  # "当事人甄雪鑫，性别：…"
            following = block[1].replace(" ", "") if len(block) > 1 else ""
            if inline:
                party["name"] = inline.group(1)
            elif ln.endswith(("：", ":")) and len(ln) <= 60:
                party["name"] = ln.rstrip("：:").strip()
            elif (
                len(ln) <= 50
                and not re.search(r"[，,。；;：:]", ln)
                and (_FIELD_LINE.match(following) or _ADDR_LABEL.match(following))
            ):
                party["name"] = _clean_name(ln)  # a bare name line above the party's fields
        idln = ln.translate(_FULLWIDTH)  # digits printed full-width are the same number
        if "id_number" not in party:
            for found in _USCC.finditer(idln):
                if uscc_valid(found.group(0)):
                    party.update(id_type="uscc", id_number=found.group(0))
                    break
            else:
                for found in _RESIDENT_ID.finditer(idln):
                    if resident_id_valid(found.group(0).upper()):
                        party.update(id_type="resident_id", id_number=found.group(0).upper())
                        break
        rg = _REG_NUMBER.search(idln)
        if (
            rg
            and registration is None
            and not _MASKED.search(rg.group(1))
            and sum(c.isdigit() for c in rg.group(1)) >= 6
        ):
            registration = rg.group(1)
        if "address" not in party and (address := _address(ln, _ADDR_LABEL)) is not None:
            party["address"] = address  # "" when masked: nothing, and no fallback either
        if contact is None:
            contact = _address(ln, _CONTACT_ADDR_LABEL)
        rm = _REP_LABEL.search(ln)
        if rm and "legal_representative" not in party:
            rep = re.split(r"[\d*＊]", _clean_name(_raw_after(raw, rm.end()).strip()))[0]
            if 2 <= len(rep) <= 5 and rep not in ("/", "无"):
                party["legal_representative"] = rep
    name: str = party.get("name") or ""
    if "、" in name and len(name) <= 20:
        party["name"] = name = name.split("、")[0]  # several natural persons: the first is the party
    if (bare := _ROLE_BRACKET.sub("", name).strip()) and bare != name:
        party["name"] = name = bare
    operator = party.get("legal_representative")
    for opener, closer in (("(", ")"), ("（", "）")):
        if operator and name.endswith(f"{opener}{operator}{closer}"):
            party["name"] = name = name[: -len(operator) - 2]  # "某店（张三）" with 经营者：张三
    if party.get("id_type") == "resident_id" and any(w in name for w in _ORG_WORDS):
        del party["id_type"], party["id_number"]  # a company's block: the ID is its manager's
    if "id_number" not in party and registration:
        party.update(id_type="other", id_number=registration)
    if "address" not in party and contact:
        party["address"] = contact
    if party.get("address") == "":
        del party["address"]
    if "name" not in party and name_hint:
        party["name"] = name_hint
    return party, end


def _party_kind(party: dict[str, Any]) -> str:
    name = party.get("name") or ""
    if party.get("id_type") == "resident_id" and not any(w in name for w in _INDIVIDUAL_WORDS + _ORG_WORDS):
        return "natural_person"
    code = party.get("id_number") or ""
    if code.startswith("92") or (party.get("id_type") == "resident_id"):
        return "individual_business"
    if code.startswith("91") or any(w in name for w in _ORG_WORDS):
        return "legal_person"
    if party.get("id_type") == "uscc":
        return "other_org"
    return "natural_person" if 2 <= len(name) <= 4 else "legal_person"


def _sections(lines: list[str], body_start: int) -> tuple[str, str, str]:
    """Facts, legal basis and decision sections of the body."""
    body = lines[body_start:]
    result_at = next((i for i, ln in enumerate(body) if _RESULT_START.search(ln)), None)
    end_at = next(
        (i for i, ln in enumerate(body) if _RESULT_END.search(ln) and (result_at is None or i > result_at)),
        len(body),
    )
    facts_part = body[: result_at if result_at is not None else end_at]
    facts_lines: list[str] = []
    for ln in facts_part:
        if (
            re.match(r"^(以上|上述)(事实|违法事实)|^证据|^(你|当事人|该).{0,12}(上述|的)行为违反", ln)
            and facts_lines
        ):
            break
        facts_lines.append(ln)
    facts = "\n".join(facts_lines)
    basis_sentences = []
    lead = []  # the decision line's start ("…违反了《…》…依据《…》，决定作出如下…") is basis too
    if result_at is not None:
        m0 = _RESULT_START.search(body[result_at])
        lead = [body[result_at][: m0.start()]] if m0 else []
    for ln in [*facts_part, *lead]:
        for sentence in re.split(r"(?<=[。；])", ln):
            if ("违反" in sentence or "依据" in sentence or "根据" in sentence) and "《" in sentence:
                basis_sentences.append(sentence.strip())
    legal_basis = "".join(basis_sentences)
    result = ""
    if result_at is not None:
        first = body[result_at]
        m = _RESULT_START.search(first)
        head = first[m.end() :].lstrip("：: ") if m else first
        result = "\n".join([head, *body[result_at + 1 : end_at]] if head else body[result_at + 1 : end_at])
    return facts.strip(), legal_basis, result.strip()


def _penalty(result: str) -> dict[str, Any]:
    categories = sorted({code for code, words in _CATEGORY_WORDS if any(w in result for w in words)})
    fine = confiscated = None
    for clause in re.split(r"[；;。\n]", result):
        amount: Decimal | None = None
        m = _AR_AMOUNT.search(clause.replace(",", "").replace("，", ""))
        if m:
            amount = Decimal(m.group(1).replace(",", "").replace("，", "")) * (10000 if m.group(2) else 1)
        else:
            cm = _CN_AMOUNT.search(clause)
            value = chinese_amount(cm.group(1)) if cm else None
            amount = Decimal(value) if value else None
        if amount is None:
            continue
        if "没收" in clause and confiscated is None:
            confiscated = amount
        elif "罚款" in clause and fine is None:
            fine = amount
    out: dict[str, Any] = {"categories": categories}
    if fine is not None:
        out["fine_yuan"] = str(fine)
    if confiscated is not None:
        out["confiscated_yuan"] = str(confiscated)
    return out


def extract(text: str, agency_code: str = "", agency_name: str = "") -> Extracted:
    """A draft intake from a decision's text; what could not be found is listed in `warnings`."""
    text = unicodedata.normalize("NFC", text)
    lines = _lines(text)
    warnings: list[str] = []
    title_at, title = _find_title(lines)
    number = _find_number(lines)
    sig_agency, decided = _signature(lines)
    heading_agency = lines[0] if lines and title_at > 0 and len(lines[0]) <= 40 else None
    agency = agency_name or sig_agency or heading_agency or ""
    number_at = next((i for i, ln in enumerate(lines[:10]) if number and number in ln), -1)
    start = max(title_at, number_at) + 1
    # The party block follows the number, but a notice or a case summary may come first: take the
    # labelled block ("当事人：…") near the top that says the most about the party.
    starts = [start] + [
        i
        for i in range(start + 1, min(len(lines), start + 30))
        if _PARTY_LABEL.match(lines[i].replace(" ", ""))
    ]
    blocks = [_party(lines, i, None) for i in starts]
    party, body_start = max(blocks, key=lambda b: len(b[0]))
    facts, legal_basis, result = _sections(lines, body_start)
    kind = "penalty" if title and "处罚" in title else "licensing" if title and "许可" in title else "other"
    intake: dict[str, Any] = {
        "source_id": source_id_for(number) if number else "",
        "agency": {"code": agency_code, "name": agency},
        "kind": kind,
        "document_number": number or "",
        "title": title or "",
        "decided_on": decided.isoformat() if decided else None,
        "party": {"kind": _party_kind(party), **party} if party else {"kind": "legal_person", "name": ""},
        "facts": facts,
        "legal_basis": legal_basis,
        "result": result,
        "full_text": text.strip(),
    }
    if kind == "penalty":
        intake["penalty"] = _penalty(result)
    for key, label in (
        ("document_number", "文号"),
        ("title", "标题"),
        ("decided_on", "决定日期"),
        ("facts", "违法事实"),
        ("legal_basis", "依据"),
        ("result", "处罚内容"),
    ):
        if not intake.get(key):
            warnings.append(f"未识别到{label}，请人工填写")
    if not intake["party"].get("name"):
        warnings.append("未识别到当事人，请人工填写")
    elif not intake["party"].get("id_number"):
        warnings.append("未识别到当事人的统一社会信用代码或身份证号码，请核对")
    if sig_agency and agency_name and sig_agency != agency_name:
        warnings.append(f"落款机关“{sig_agency}”与当前机关“{agency_name}”不一致，请核对")
    if kind == "other":
        warnings.append("未能判断决定类别（处罚或许可），请选择")
    return Extracted(intake=intake, warnings=warnings)


def extract_file(data: bytes, filename: str, agency_code: str = "", agency_name: str = "") -> Extracted:
    return extract(read_text(data, filename), agency_code, agency_name)

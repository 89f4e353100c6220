"""The reviewer's checklist: trigger words with nothing found near them, unsure names, stray numbers."""

from __future__ import annotations

import re

from gongshi.redaction.addresses import TextHit, health_or_finance_words
from gongshi.redaction.names import NameHit
from gongshi.redaction.types import Doubt

_TRIGGERS = re.compile(
    r"(?P<id>身份证号码?|公民身份号码|证件号码?)|(?P<account>银行账号|账号|帐号|卡号|银行卡|开户行|对公账户)"
    r"|(?P<address>家庭住址|住址|家住|现住|户籍地|户籍所在地|居住地)|(?P<phone>联系电话|电话|手机号?码?|联系方式)"
    r"|(?P<plate>车牌号?码?|号牌)|(?P<cert>不动产权证?|房产证|产权证|土地证|登记证书)|(?P<passport>护照|通行证)"
)
_WHAT = {
    "id": "证件号码",
    "account": "银行账号",
    "address": "住址",
    "phone": "电话号码",
    "plate": "车牌号码",
    "cert": "权属证书编号",
    "passport": "护照或通行证号码",
}
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9０-９][0-9０-９ \-]{7,}[0-9０-９](?![0-9A-Za-z])")
# Numbers that explain themselves: dates and times, index and file numbers, certificates and licences.
_DATE_LIKE = re.compile(
    r"(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9](?: [0-2][0-9])?$|(?:19|20)[0-9]{2}-[0-9]{5}$"
)
# A standard's number: its code letters, then the number and its year (GB 8978-1996, GB/T 18920-2020).
_STANDARD_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{1,5}(?:/[A-Z]{1,2})?\s?$")
_STANDARD_YEAR = re.compile(r"-(?:19|20)[0-9]{2}$")
_NUMBER_LABEL = re.compile(
    r"(?:编号|证号|索引号|文号|字号|许可证|登记号|注册号|批号|批准文号|执法证|证件号|代码|案号|邮编|邮政编码|"
    r"条形码|条码|型号|规格|批次|序号|单号|订单号|货号)[^，。；\n]{0,6}$|[（(][\u4e00-\u9fff]?$|/$"
)
# A trigger word used for something else: 举报电话, 电话举报, 联系方式等内容.
# A document's number whose year bracket lost a character or closes right before it (〔20201006…089103号,
# [2019]208201912297480号): a bracket before, 号 after — an agency's number, not a card or a phone.
_BRACKET_BEFORE = re.compile(r"[〔［\[【〕］\]】]$")
_TRIGGER_USED_OTHERWISE = re.compile(r"(?:举报|投诉|咨询|服务|热线|值班|报警|求助)$")
# …or named as a kind in a list (电话、地址等), or as what a notice shows (公示了…联系方式).
_TRIGGER_FOLLOWED = re.compile(r"(?:举报|传唤|通知|联系|告知|咨询|等|[、和及])")
_TRIGGER_SHOWN = re.compile(r"(?:公示|公布|张贴|标明|标注|悬挂|设置)[^。；;\n]{0,12}$")
# A phone named as an event, not as a label (接到公司电话，, 拨打了电话, 交警的电话后, 没收手机):
# no number follows.
_PHONE_EVENT_AFTER = re.compile(r"[，。；！？、]|后")
_PHONE_EVENT_BEFORE = re.compile(r"(?:拨打了?|接到|打了|来了?|没收|暂扣了?|扣押了?)[\u4e00-\u9fff]{0,6}$")
_NEAR = 30


def _covered(a: int, b: int, regions: list[tuple[int, int]]) -> bool:
    return any(a < y and x < b for x, y in regions)


def field_doubts(
    field: str,
    text: str,
    removed: list[tuple[int, int]],
    kept: list[tuple[int, int]],
    unsure: list[NameHit],
    sensitive: list[tuple[int, int]] | None = None,
) -> list[Doubt]:
    """Doubts for one field, given what was removed and what was deliberately kept.

    `sensitive` is what was removed as health or finance (None: everything removed counts); a sentence
    that speaks of a body or money gets a doubt unless its words of that kind were all removed.
    """
    out: list[Doubt] = []
    for m in _TRIGGERS.finditer(text):
        kind = m.lastgroup or "id"
        window_end = m.end() + _NEAR
        if (
            _TRIGGER_USED_OTHERWISE.search(text, max(0, m.start() - 4), m.start())
            or _TRIGGER_FOLLOWED.match(text, m.end())
            or _TRIGGER_SHOWN.search(text, max(0, m.start() - 16), m.start())
            or (
                m.group() in ("电话", "手机")
                and (
                    _PHONE_EVENT_AFTER.match(text, m.end())
                    or _PHONE_EVENT_BEFORE.search(text, max(0, m.start() - 10), m.start())
                )
            )
        ):
            continue
        near_removed = any(m.start() - _NEAR <= b and a <= window_end for a, b in removed)
        if not near_removed and not _covered(m.end(), window_end, kept):
            out.append(
                Doubt(
                    field=field,
                    start=m.start(),
                    end=m.end(),
                    kind="trigger_without_entity",
                    message=f"「{m.group()}」附近未识别出{_WHAT[kind]}，请人工核对是否有遗漏",
                )
            )
    for m in _LONG_NUMBER.finditer(text):
        if _DATE_LIKE.match(m.group()) or _NUMBER_LABEL.search(text, max(0, m.start() - 12), m.start()):
            continue
        if text.startswith("号", m.end()) and _BRACKET_BEFORE.search(text, max(0, m.start() - 1), m.start()):
            continue
        if _STANDARD_YEAR.search(m.group()) and _STANDARD_CODE.search(text, max(0, m.start() - 9), m.start()):
            continue
        if not _covered(m.start(), m.end(), removed) and not _covered(m.start(), m.end(), kept):
            out.append(
                Doubt(
                    field=field,
                    start=m.start(),
                    end=m.end(),
                    kind="unexplained_number",
                    message="一串较长的数字未被识别为可公开的编号，请核对是否为证件号、账号或电话",
                )
            )
    seen: set[str] = set()
    for hit in unsure:
        if hit.name in seen or _covered(hit.start, hit.end, removed):
            continue
        seen.add(hit.name)
        out.append(
            Doubt(
                field=field,
                start=hit.start,
                end=hit.end,
                kind="possible_name",
                message=f"「{hit.name}」可能是当事人以外的自然人姓名，未自动遮蔽，请核对",
            )
        )
    out += _word_doubts(field, text, removed if sensitive is None else sensitive, kept)[:_WORD_DOUBTS_MAX]
    return out


# Body and money words ask at most this many sentences per field (4: where dev coverage stops rising, issue
# 10 fourth round; 3 covered one miss fewer): a work-injury review speaks of 受伤 in
# every paragraph, and the first few show the reviewer where the description is.
_WORD_DOUBTS_MAX = 4
_SENTENCE_END = re.compile(r"[。；！？!?\n]")
_STATUTE = re.compile(r"《[^》]{0,60}》|“[^”]{0,300}”|规定[:：][^。\n]{0,300}")


# Where a person was treated, examined or died, and what a doctor saw (医院, 检查, 死亡, 面容, 胎儿): no
# health word alone, but beside a health phrase the rules removed in part, the rest of that description
# (送往花山医院 before 救治, 胎儿超声心动图 before 检查) is in the sentence: the reviewer reads it.
_CARE_WORDS = re.compile(
    r"医院|卫生院|诊所|医疗|医生|医师|检查|检测|死亡|去世|身亡|离世|面容|胎儿|意识|药|针|超声|心电|CT|核磁|化验"
)


def _care_words_beside_a_removal(text: str, removed: list[tuple[int, int]]) -> list[TextHit]:
    out: list[TextHit] = []
    for m in _CARE_WORDS.finditer(text):
        if _covered(m.start(), m.end(), removed):
            continue
        start = max(text.rfind(c, 0, m.start()) for c in "。；！？!?\n") + 1
        ends = [e for e in (text.find(c, m.end()) for c in "。；！？!?\n") if e >= 0]
        end = min(ends) if ends else len(text)
        if any(start < b and a < end for a, b in removed):
            out.append(TextHit(m.start(), m.end(), "health", "care_word"))
    return out


def _word_doubts(
    field: str, text: str, removed: list[tuple[int, int]], kept: list[tuple[int, int]]
) -> list[Doubt]:
    """One doubt per sentence that speaks of a body, an illness or money in words the rules left visible.

    A sentence whose health phrase was removed in part (左侧多发性 left before 肋骨骨折) still asks the
    reviewer when a body or illness word stays outside what was removed; a word inside it does not.
    """
    out: list[Doubt] = []
    done: set[int] = set()
    quoted = (
        [(q.start(), q.end()) for q in _STATUTE.finditer(text)]
        if ("《" in text or "“" in text or "规定" in text)
        else []
    )
    hits = list(health_or_finance_words(text))
    if removed:
        hits += _care_words_beside_a_removal(text, removed)
    for h in hits:
        start = max(text.rfind(c, 0, h.start) for c in "。；！？!?\n") + 1
        if start in done or _covered(h.start, h.end, quoted) or _covered(h.start, h.end, kept):
            continue
        if _covered(h.start, h.end, removed):
            continue  # the word is inside a phrase the rules took
        done.add(start)
        what = "健康状况" if h.category == "health" else "财产状况"
        out.append(
            Doubt(
                field=field,
                start=h.start,
                end=h.end,
                kind=h.category,
                message=f"「{text[h.start : h.end]}」所在句子可能涉及自然人的{what}，请核对是否需要删除",
            )
        )
    return out

"""Addresses after trigger phrases, health and financial situation of natural persons."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple


class TextHit(NamedTuple):
    """A removal found by a phrase rule."""

    start: int
    end: int
    category: str
    rule: str


_ADDR_BODY = r"[^，。；;,！!？?\n）)“”\"]{4,60}?(?=[，。；;,！!？?\n）)“”\"]|$|(?:的|内|处|门前|附近|经营|从事|销售|开设))"  # noqa: E501
_ADDR_TAIL = r"[^，。；;,！!？?\n）)“”\"]{0,50}?(?=[，。；;,！!？?\n）)“”\"]|$)"
_PERSONAL_ADDR = re.compile(
    r"(?:家庭住址|家庭地址|户籍地址|户籍所在地|户籍地|户口所在地|现住址|现住|家住|住址|居住地|居住于|居住在|"
    r"暂住地?|租住于?|住在|现居住?于?|经常居住地|联系地址|通讯地址|送达地址|身份证地址)"
    rf"(?:[:：]|为|是|在|于)?\s*(?P<addr>{_ADDR_BODY})"
)
_SHORT_ADDR = re.compile(
    rf"(?<=[（(，,、])住(?:[:：])?(?P<addr>[\u4e00-\u9fff]{{2,}}?(?:省|市|区|县|镇|乡|村|路|街|巷|弄|小区){_ADDR_TAIL})"
)
_ORG_ADDR_TRIGGER = re.compile(
    r"(?:住所地?|注册地址|经营场所|经营地址|地址|营业场所|办公地址)(?:[:：]|为|在)?\s*(?P<addr>"
    + _ADDR_BODY
    + ")"
)
_HEALTH = re.compile(
    r"(?:患有|罹患|确诊为?|诊断为|被诊断出|患(?![者儿方])|身患|病史[:：]?|伤情为|伤残等级为?|鉴定为)"
    r"(?!有碍|可能|妨碍|传染病的人员|疾病的人员)(?P<what>[^，。；;,\n]{1,30})"
)
_HEALTH_WORDS = re.compile(
    r"残疾|精神病|精神障碍|抑郁|艾滋|HIV|乙肝|肝炎|结核|癌|肿瘤|怀孕|妊娠|孕期|住院治疗|伤残"
)
_AMOUNT = r"(?:人民币)?\s*[0-9０-９][0-9０-９,，.．]*\s*(?:万|千|百|亿)?余?\s*元|[一二三四五六七八九十百千万两零]+余?(?:万)?元"  # noqa: E501
_FINANCE = re.compile(
    r"(?:个人收入|家庭收入|月收入|年收入|人均收入|收入|工资|月薪|年薪|薪酬|存款|余额|负债|欠款|债务|欠债|贷款|借款|"
    r"资产|家庭财产|财产|房产|养老金|低保金?|补助金?|抚恤金)"
    rf"(?P<gap>[^，。；;\n]{{0,10}}?)(?P<amount>{_AMOUNT})"
)
_FINANCE_KEEP = re.compile(
    r"销售收入|经营收入|营业收入|违法所得|货值|罚款|没收|违法收入|经营额|销售额|营业额|收入囊中"
)
_FINANCE_WORDS = re.compile(
    r"家庭经济困难|经济困难|低保户|贫困户|特困|建档立卡|资不抵债|负债累累|无力偿还|破产"
)


_ADDR_MARK = re.compile(r"[省市区县镇乡村路街巷弄号室栋幢楼组]|小区|大厦|广场|花园|公寓|大道")


def personal_addresses(text: str, *, organisation: bool) -> Iterator[TextHit]:
    """Home and contact addresses after trigger phrases (an organisation's registered address is kept)."""
    rules = [(_PERSONAL_ADDR, "address_trigger"), (_SHORT_ADDR, "address_after_name")]
    if not organisation:
        rules.append((_ORG_ADDR_TRIGGER, "address_natural_person"))
    for rx, rule in rules:
        for m in rx.finditer(text):
            # "经营场所进行检查" follows a trigger word too; only text that reads like an address goes.
            if _ADDR_MARK.search(m.group("addr")):
                yield TextHit(m.start("addr"), m.end("addr"), "address", rule)


def health(text: str) -> Iterator[TextHit]:
    """Illnesses and injuries of a person."""
    for m in _HEALTH.finditer(text):
        yield TextHit(m.start("what"), m.end("what"), "health", "health_trigger")


def finances(text: str) -> Iterator[TextHit]:
    """Amounts describing income, savings, debts or property (not illegal gains, fines or sales)."""
    for m in _FINANCE.finditer(text):
        head = text[max(0, m.start() - 4) : m.start("amount")]
        if _FINANCE_KEEP.search(head):
            continue
        yield TextHit(m.start("amount"), m.end("amount"), "finance", "finance_amount")


def health_or_finance_words(text: str) -> Iterator[TextHit]:
    """Words that suggest health or money troubles: flagged for the reviewer, not removed."""
    for rx, kind in ((_HEALTH_WORDS, "health"), (_FINANCE_WORDS, "finance")):
        for m in rx.finditer(text):
            yield TextHit(m.start(), m.end(), kind, "word")

"""Identifier algorithms and detection in any width or spacing."""

from __future__ import annotations

import random

import pytest

from gongshi.demo.identifiers import make_card, make_resident_id, make_uscc
from gongshi.redaction.identifiers import find_identifiers, luhn_valid, resident_id_valid, uscc_valid


def cats(text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.category) for f in find_identifiers(text) if not f.keep]


def test_resident_id_checksum() -> None:
    assert resident_id_valid("11010519491231002X")
    assert not resident_id_valid("110105194912310021")
    assert resident_id_valid("340104900307123")  # old 15-digit form
    assert not resident_id_valid("340104901307123")  # month 13


def test_uscc_checksum_and_kept() -> None:
    rng = random.Random(1)
    code = make_uscc(rng)
    assert uscc_valid(code)
    text = f"统一社会信用代码：{code}，"
    assert cats(text) == []
    assert [f.keep for f in find_identifiers(text)] == [True]


def test_luhn() -> None:
    assert luhn_valid("6222021234567890125") is luhn_valid("6222021234567890125")
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("身份证号码：１１０１０５１９４９１２３１００２Ｘ。", "resident_id"),
        ("身份证号 110105 19491231 002X，", "resident_id"),
        ("身份证号11010519491231002\nX", "resident_id"),
        ("公民身份号码340104199003071235（经核对有误）", "resident_id"),
        ("电话：138-0013-8000", "phone"),
        ("手机 +86 138 0013 8000", "phone"),
        ("联系电话（0551）65123456", "phone"),
        ("座机0551-65123456转8001", "phone"),
        ("邮箱zhang.san@163.com。", "email"),
        ("护照号码E12345678", "passport"),
        ("往来港澳通行证CA1234567", "passport"),
        ("车牌号为皖A·12345的车辆", "plate"),
        ("新能源车皖AD12345", "plate"),
        ("粤B12345F号车", "plate"),
        ("房产（皖（2019）合肥市不动产权第0012345号）", "property_cert"),
        ("房权证合产字第110012345号", "property_cert"),
        ("合国用(2005)第1234号", "property_cert"),
        ("开户行：中国工商银行合肥分行，账号：1302 0102 0900 0123 456", "bank_account"),
        ("对公账户 34001234567890123456", "bank_account"),
        ("银行卡号6222 0212 3456 7890 128", "bank_account"),
    ],
)
def test_detects(text: str, expected: str) -> None:
    assert expected in [c for _, c in cats(text)], cats(text)


@pytest.mark.parametrize(
    "text",
    [
        "依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        "罚款人民币50000.00元，没收违法所得1234.56元",
        "于2026年3月5日、2026-03-06、2026/03/07",
        "合市监罚〔2026〕123号",
        "食品经营许可证编号JY13401000012345，有效期至2031-03-05",
        "国药准字H20000001，国食健字G20040001",
        "请拨打12345、12315或95588，或400-123-4567、800-820-8820",
        "源编号HF-SJ-2026-000123",
        "生产许可证SC10634010000123",
    ],
)
def test_keeps(text: str) -> None:
    assert cats(text) == []


def test_unicode_digits_in_generated_ids() -> None:
    rng = random.Random(3)
    for _ in range(200):
        number = make_resident_id(rng)
        assert resident_id_valid(number)
        assert cats(f"张某的证件{number}已核对") == [(number, "resident_id")]
        card = make_card(rng)
        assert [c for _, c in cats(f"其银行卡{card}收款")] == ["bank_account"]

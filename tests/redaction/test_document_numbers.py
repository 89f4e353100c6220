"""A document number (文号) is never a phone number: its serial may be any run of digits."""

from __future__ import annotations

import msgspec
import pytest

from gongshi.domain.intake import Intake
from gongshi.redaction import LeakGate, Policy, redact
from gongshi.redaction.identifiers import find_identifiers
from tests.factories import intake

# Real shapes (GB/T 9704 〔〕, the brackets people type, 第…号, the courts' case numbers) with
# serials that read as a mobile number or a card number on their own.
DOCUMENT_NUMBERS = [
    "合市监罚〔2026〕13912345678号",
    "合市监罚〔2026〕１３９１２３４５６７８号",
    "京朝市监罚字[2026]第13912345678号",
    "浙杭市监处罚（2025）18612345678号",
    "皖食药监罚【2026】15012345678号",
    "沪市监黄处〔2026〕022026000123号",
    "（2026）皖0102行初13912345678号",
    "合市监罚〔2026〕6222021234567890123号",
    "苏宁市监罚字〔2026〕第 13912345678 号",
]


@pytest.mark.parametrize("number", DOCUMENT_NUMBERS)
def test_a_document_number_holds_no_phone(number: str) -> None:
    for text in (number, f"依据{number}行政处罚决定书，", f"（{number}）"):
        assert [f for f in find_identifiers(text) if f.category in {"phone", "bank_account"}] == [], text


@pytest.mark.parametrize("number", DOCUMENT_NUMBERS)
def test_a_phone_beside_a_document_number_is_still_found(number: str) -> None:
    text = f"根据{number}，当事人联系电话13812345678。"
    found = [f for f in find_identifiers(text) if f.category == "phone"]
    assert len(found) == 1
    assert text[found[0].start : found[0].end] == "13812345678"


@pytest.mark.parametrize(
    "text",
    ["电话13912345678号楼", "手机：13912345678号码已停用", "（2026年）13912345678号", "13912345678号"],
)
def test_digits_with_a_hao_but_no_document_number_are_still_phones(text: str) -> None:
    assert any(f.category == "phone" for f in find_identifiers(text)), text


@pytest.mark.parametrize("number", DOCUMENT_NUMBERS[:4])
def test_the_leak_gate_passes_a_decision_whose_number_has_a_long_serial(number: str) -> None:
    body = intake(document_number=number, result=f"依据{number}决定书，罚款5000元。")
    decision = msgspec.convert(body, Intake)
    result = redact(decision, Policy())
    assert result.status == "publishable"
    public = msgspec.json.encode(result.public)
    assert number.encode() in public or number.replace(" ", "").encode() in public
    assert LeakGate.for_intake(decision).scan(public) == []

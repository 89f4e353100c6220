"""Row checks shared by export and import: what the credit platforms would reject."""

from __future__ import annotations

from gongshi.credit.mapping import yuan_to_wan
from gongshi.credit.templates import key_for_header, normalise_header
from gongshi.credit.validate import check_row

GOOD = {
    "party_name": "合肥某某食品有限公司",
    "code_uscc": "91340100MA2N0000XF",
    "document_number": "合市监罚〔2026〕123号",
    "violation_type": "经营超过保质期的食品",
    "facts": "当事人经营超过保质期的食品。",
    "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
    "penalty_category": "警告;罚款",
    "result": "警告，并处罚款5000元。",
    "fine_wan": "0.5",
    "decided_on": "2026/11/20",
    "penalty_valid_until": "2099/12/31",
    "publish_until": "2027/11/20",
    "authority": "合肥市市场监督管理局",
    "authority_code": "11340100003000001B",
    "source_unit": "合肥市市场监督管理局",
    "source_unit_code": "11340100003000001B",
}


def _errors(**changes: str) -> dict[str, str]:
    return {e.column: e.message for e in check_row("legal_penalty", {**GOOD, **changes})}


def test_a_good_row_passes() -> None:
    assert _errors() == {}


def test_required_fields_by_chinese_column() -> None:
    errors = _errors(violation_type="", legal_basis=" ")
    assert errors == {"违法行为类型": "必填项不能为空", "处罚依据": "必填项不能为空"}


def test_credit_code_check_character_and_prefix() -> None:
    assert "校验位" in _errors(code_uscc="91340100MA2N0000X1")["行政相对人代码_1(统一社会信用代码)"]
    assert "个体工商户" in _errors(code_uscc="92340104MA2T12345H")["行政相对人代码_1(统一社会信用代码)"]
    assert _errors(code_uscc="92340104MA2T12345H", party_category="个体工商户") == {}
    assert "92 开头" in _errors(party_category="个体工商户")["行政相对人代码_1(统一社会信用代码)"]


def test_individual_business_without_code_needs_registration_number() -> None:
    no_code = {"code_uscc": "00000000000000000X", "party_category": "个体工商户"}
    assert list(_errors(**no_code)) == ["行政相对人代码_2(工商注册号)"]
    assert _errors(**no_code, code_registration="340104600123456") == {}
    # A legal person may not use the placeholder.
    assert "行政相对人代码_1(统一社会信用代码)" in _errors(code_uscc="00000000000000000X")


def test_amounts_dates_and_categories() -> None:
    assert "6 位小数" in _errors(fine_wan="0.1234567")["罚款金额（万元）"]
    assert "6 位小数" in _errors(fine_wan="-1")["罚款金额（万元）"]
    assert _errors(fine_wan="0.123456") == {}
    assert "YYYY/MM/DD" in _errors(decided_on="2026-11-20")["处罚决定日期"]
    assert "YYYY/MM/DD" in _errors(publish_until="2026/02/30")["公示截止期"]
    assert "第九条" in _errors(penalty_category="罚款;批评教育")["处罚类别"]
    assert _errors(penalty_category="警告；没收违法所得、没收非法财物", fine_wan="") == {}
    assert "罚款金额" in _errors(fine_wan="")["罚款金额（万元）"]


def test_natural_person_identity() -> None:
    row = {k: v for k, v in GOOD.items() if k != "code_uscc"}
    ok = {**row, "party_name": "张建国", "id_type": "身份证", "id_number": "340104198001011234"}
    assert check_row("natural_penalty", ok) == []
    [e] = check_row("natural_penalty", {**ok, "id_number": "340104198001011235"})
    assert e.column == "证件号码"


def test_amounts_in_wan() -> None:
    assert yuan_to_wan("5000.00") == "0.5"
    assert yuan_to_wan("123456789.01") == "12345.678901"
    assert yuan_to_wan("0.004") == "0"
    assert yuan_to_wan("200000") == "20"


def test_header_variants_normalise() -> None:
    a = "行政相对人代码_1(统一社会信用代码)"
    b = "行政相对人代码_1（统一社会信用代码）"
    assert normalise_header(a) == normalise_header(b)
    assert key_for_header(b) == key_for_header(" *行政相对人代码_1 （统一社会信用代码） ") == "code_uscc"
    assert key_for_header("法定代表人身份证号") == "legal_rep_id_number"
    assert key_for_header("罚款金额(万元)") == key_for_header("处罚金额（万元）") == "fine_wan"
    assert key_for_header("行政处罚决定书文号") == key_for_header("行政许可决定文书号") == "document_number"
    assert key_for_header("不知道的列") is None


def test_a_cell_longer_than_excel_allows_is_an_error_not_cut_short() -> None:
    assert _errors(facts="查" * 32_767) == {}
    too_long = "超过 32767 个字符（Excel 单元格上限），请精简后再导出"
    assert _errors(facts="查" * 32_768) == {"违法事实": too_long}

"""Checks a 双公示 row the way the credit platforms' import tools do, before it leaves (or enters).

One function for both directions: an export row that would be rejected upstream is shown to the
reviewer instead of being sent, and an imported spreadsheet row gets the same messages, by column.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from gongshi.credit.templates import (
    CATEGORY_CODES,
    CATEGORY_INDIVIDUAL,
    CATEGORY_LEGAL,
    CATEGORY_NATURAL,
    CELL_LIMIT,
    ID_TYPE_CODES,
    LICENSE_CATEGORIES,
    LONG_TERM,
    NO_USCC,
    Template,
    header_of,
    keys,
)
from gongshi.redaction.identifiers import resident_id_valid, uscc_valid

_DATE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")
_AMOUNT = re.compile(r"^\d+(\.\d{1,6})?$")
_CATEGORY_SPLIT = re.compile(r"[;；,，/]+")

_REQUIRED_COMMON = ("party_name",)
_REQUIRED_PENALTY = (
    "document_number",
    "violation_type",
    "facts",
    "legal_basis",
    "penalty_category",
    "result",
    "decided_on",
    "penalty_valid_until",
    "authority",
    "authority_code",
    "source_unit",
    "source_unit_code",
)
_REQUIRED_LICENSE = (
    "license_document_title",
    "document_number",
    "license_category",
    "result",
    "decided_on",
    "valid_from",
    "valid_until",
    "authority",
    "authority_code",
    "status",
    "source_unit",
    "source_unit_code",
)


class CellError(NamedTuple):
    key: str
    column: str  # the template's Chinese header
    message: str


def parse_date(value: str) -> date | None:
    """YYYY/MM/DD as the templates write it; None when it is not a real date in that form."""
    m = _DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def split_categories(value: str) -> list[str]:
    return [p.strip() for p in _CATEGORY_SPLIT.split(value) if p.strip()]


def parse_amount(value: str) -> Decimal | None:
    if not _AMOUNT.match(value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


@functools.lru_cache(maxsize=8192)  # the agency's own codes repeat on every row
def uscc_problem(code: str, category: str | None) -> str | None:
    """Why a unified social credit code is not acceptable for this 行政相对人类别 (None: it is)."""
    if category == CATEGORY_INDIVIDUAL and code == NO_USCC:
        return None
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实际 {len(code)} 位"
    if not uscc_valid(code):
        return "统一社会信用代码校验位不正确（GB 32100）"
    if category == CATEGORY_INDIVIDUAL and not code.startswith("92"):
        return "个体工商户的统一社会信用代码应以 92 开头"
    if category == CATEGORY_LEGAL and code.startswith("92"):
        return "代码以 92 开头表示个体工商户，与行政相对人类别“法人及非法人组织”不符"
    return None


class _Row:
    """One row being checked: its values by key, and the errors found so far."""

    def __init__(self, template: Template, row: dict[str, str]) -> None:
        self.template = template
        self.row = row
        self.errors: list[CellError] = []

    def err(self, key: str, message: str) -> None:
        self.errors.append(CellError(key, header_of(self.template, key), message))

    def val(self, key: str) -> str:
        return (self.row.get(key) or "").strip()


def check_row(template: Template, row: dict[str, str], today: date | None = None) -> list[CellError]:
    """Every problem of one row, by column; an empty list means the platform would accept it."""
    r = _Row(template, row)
    penalty = template.endswith("penalty")
    required = _REQUIRED_COMMON + (_REQUIRED_PENALTY if penalty else _REQUIRED_LICENSE)
    for key in required:
        if not r.val(key):
            r.err(key, "必填项不能为空")
    for key in keys(template):
        if len(row.get(key) or "") > CELL_LIMIT:
            r.err(key, f"超过 {CELL_LIMIT} 个字符（Excel 单元格上限），请精简后再导出")
    if template.startswith("legal"):
        _check_legal_identity(r)
    else:
        _check_natural_identity(r)
    for key in ("authority_code", "source_unit_code"):
        code = r.val(key).upper()
        if code and (problem := uscc_problem(code, None)):
            r.err(key, problem)
    _check_dates(r, penalty, today)
    if penalty:
        _check_penalty(r)
    else:
        if r.val("license_category") and r.val("license_category") not in LICENSE_CATEGORIES.values():
            r.err("license_category", "许可类别应为 普通、特许、认可、核准、登记、其他 之一")
        if r.val("status") and r.val("status") not in ("1", "2"):
            r.err("status", "当前状态应为 1（有效）或 2（无效）")
    return r.errors


def _check_legal_identity(r: _Row) -> None:
    category = r.val("party_category") or CATEGORY_LEGAL
    if category not in (CATEGORY_LEGAL, CATEGORY_INDIVIDUAL):
        r.err("party_category", f"法人模板的行政相对人类别应为“{CATEGORY_LEGAL}”或“{CATEGORY_INDIVIDUAL}”")
    uscc = r.val("code_uscc").upper()
    if not uscc:
        r.err("code_uscc", "必填项不能为空（个体工商户无统一社会信用代码的填 17 个 0 加 X）")
    else:
        problem = uscc_problem(uscc, category)
        if problem:
            r.err("code_uscc", problem)
        if uscc == NO_USCC and not r.val("code_registration"):
            r.err("code_registration", "统一社会信用代码为 17 个 0 加 X 时须填写工商注册号")
    if r.val("legal_rep_id_number") and r.val("legal_rep_id_type") in ("", "身份证"):
        number = r.val("legal_rep_id_number").upper()
        if len(number) == 18 and not resident_id_valid(number):
            r.err("legal_rep_id_number", "法定代表人身份证号码校验位不正确")


def _check_natural_identity(r: _Row) -> None:
    category = r.val("party_category") or CATEGORY_NATURAL
    if category != CATEGORY_NATURAL:
        r.err("party_category", f"自然人模板的行政相对人类别应为“{CATEGORY_NATURAL}”")
    id_type, id_number = r.val("id_type"), r.val("id_number").upper()
    if not id_type:
        r.err("id_type", "必填项不能为空")
    elif id_type not in ID_TYPE_CODES:
        r.err("id_type", f"证件类型“{id_type}”不在可选范围内（身份证、护照、港澳居民来往内地通行证等）")
    if not id_number:
        r.err("id_number", "必填项不能为空")
    elif ID_TYPE_CODES.get(id_type) == "resident_id" and not resident_id_valid(id_number):
        r.err("id_number", "身份证号码不正确（应为 18 位，校验位符合 GB 11643）")


def _check_dates(r: _Row, penalty: bool, today: date | None) -> None:
    dates = (
        ("decided_on", "penalty_valid_until", "publish_until")
        if penalty
        else ("decided_on", "valid_from", "valid_until")
    )
    parsed: dict[str, date] = {}
    for key in dates:
        raw = r.val(key)
        if not raw:
            continue
        d = parse_date(raw)
        if d is None:
            r.err(key, f"日期“{raw}”格式不正确，应为 YYYY/MM/DD（长期填 {LONG_TERM}）")
        else:
            parsed[key] = d
    decided = parsed.get("decided_on")
    if decided and today and decided > today:
        r.err("decided_on", "决定日期不能晚于今天")
    for key in dates[1:]:
        if decided and key in parsed and parsed[key] < decided and key != "valid_from":
            r.err(key, "不能早于决定日期")
    if "valid_from" in parsed and "valid_until" in parsed and parsed["valid_until"] < parsed["valid_from"]:
        r.err("valid_until", "有效期至不能早于有效期自")


def _check_penalty(r: _Row) -> None:
    labels = split_categories(r.val("penalty_category"))
    unknown = [c for c in labels if c not in CATEGORY_CODES]
    if unknown:
        r.err("penalty_category", f"处罚类别“{'、'.join(unknown)}”不属于《行政处罚法》第九条所列种类")
    codes = {CATEGORY_CODES[c] for c in labels if c in CATEGORY_CODES}
    for key in ("fine_wan", "confiscated_wan"):
        raw = r.val(key)
        if raw and parse_amount(raw) is None:
            r.err(key, f"金额“{raw}”不正确：单位为万元，非负数，最多 6 位小数")
    if "fine" in codes and not r.val("fine_wan"):
        r.err("fine_wan", "处罚类别含罚款时须填写罚款金额（万元）")
    if "fine" not in codes and r.val("fine_wan") and (parse_amount(r.val("fine_wan")) or 0) > 0:
        r.err("penalty_category", "填写了罚款金额，处罚类别应含“罚款”")
    if codes & {"suspend_license", "revoke_license"} and not r.val("license_affected"):
        r.err("license_affected", "处罚类别含暂扣或吊销许可证件时须填写证照名称及编号")

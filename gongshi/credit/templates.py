"""The four national 双公示 templates: one canonical row (keys) and each template's headers.

Every value is a string as the credit platforms' import tools take it: dates YYYY/MM/DD (2099/12/31
for 长期), amounts in 万元 with at most 6 decimals, codes as text so leading zeros survive. Export
renders a template by picking its columns from the canonical row; import maps headers back to keys,
with brackets, widths, spaces and required-field marks normalised so template variants are accepted.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

from gongshi.domain.labels import PENALTY_CATEGORY

Template = Literal["legal_penalty", "natural_penalty", "legal_license", "natural_license"]
TEMPLATES: Final[tuple[Template, ...]] = (
    "legal_penalty",
    "natural_penalty",
    "legal_license",
    "natural_license",
)

TITLES: Final[dict[Template, str]] = {
    "legal_penalty": "行政处罚（法人及非法人组织）",
    "natural_penalty": "行政处罚（自然人）",
    "legal_license": "行政许可（法人及非法人组织）",
    "natural_license": "行政许可（自然人）",
}

# 行政相对人类别
CATEGORY_LEGAL = "法人及非法人组织"
CATEGORY_NATURAL = "自然人"
CATEGORY_INDIVIDUAL = "个体工商户"
PARTY_CATEGORIES: Final = (CATEGORY_LEGAL, CATEGORY_NATURAL, CATEGORY_INDIVIDUAL)

LONG_TERM = "2099/12/31"  # 长期
# Excel's limit for one cell: a longer text is refused by validation, never cut short in a file.
CELL_LIMIT: Final = 32_767
# A 个体工商户 without a unified social credit code: 17 zeros and X, then the 工商注册号 is required.
NO_USCC = "0" * 17 + "X"

_LEGAL_IDENTITY: Final = (
    ("party_name", "行政相对人名称"),
    ("code_uscc", "行政相对人代码_1(统一社会信用代码)"),
    ("code_registration", "行政相对人代码_2(工商注册号)"),
    ("code_org", "行政相对人代码_3(组织机构代码)"),
    ("code_tax", "行政相对人代码_4(税务登记号)"),
    ("code_institution", "行政相对人代码_5(事业单位证书号)"),
    ("code_social_org", "行政相对人代码_6(社会组织登记证号)"),
    ("legal_rep", "法定代表人"),
    ("legal_rep_id_type", "法定代表人证件类型"),
    ("legal_rep_id_number", "法定代表人证件号码"),
)
_NATURAL_IDENTITY: Final = (
    ("party_name", "行政相对人名称"),
    ("id_type", "证件类型"),
    ("id_number", "证件号码"),
)
_PENALTY: Final = (
    ("document_number", "行政处罚决定书文号"),
    ("violation_type", "违法行为类型"),
    ("facts", "违法事实"),
    ("legal_basis", "处罚依据"),
    ("penalty_category", "处罚类别"),
    ("result", "处罚内容"),
    ("fine_wan", "罚款金额（万元）"),
    ("confiscated_wan", "没收违法所得、没收非法财物的金额（万元）"),
    ("license_affected", "暂扣或吊销证照名称及编号"),
    ("decided_on", "处罚决定日期"),
    ("penalty_valid_until", "处罚有效期"),
    ("publish_until", "公示截止期"),
    ("authority", "处罚机关"),
    ("authority_code", "处罚机关统一社会信用代码"),
    ("source_unit", "数据来源单位"),
    ("source_unit_code", "数据来源单位统一社会信用代码"),
    ("remark", "备注"),
)
_LICENSE: Final = (
    ("license_document_title", "行政许可决定文书名称"),
    ("document_number", "行政许可决定文书号"),
    ("license_category", "许可类别"),
    ("license_name", "许可证书名称"),
    ("license_number", "许可编号"),
    ("result", "许可内容"),
    ("decided_on", "许可决定日期"),
    ("valid_from", "有效期自"),
    ("valid_until", "有效期至"),
    ("authority", "许可机关"),
    ("authority_code", "许可机关统一社会信用代码"),
    ("status", "当前状态"),
    ("source_unit", "数据来源单位"),
    ("source_unit_code", "数据来源单位统一社会信用代码"),
    ("remark", "备注"),
)

COLUMNS: Final[dict[Template, tuple[tuple[str, str], ...]]] = {
    "legal_penalty": _LEGAL_IDENTITY + _PENALTY,
    "natural_penalty": _NATURAL_IDENTITY + _PENALTY,
    "legal_license": _LEGAL_IDENTITY + _LICENSE,
    "natural_license": _NATURAL_IDENTITY + _LICENSE,
}


def headers(template: Template) -> list[str]:
    return [h for _, h in COLUMNS[template]]


def keys(template: Template) -> list[str]:
    return [k for k, _ in COLUMNS[template]]


def header_of(template: Template, key: str) -> str:
    """The column's name in this template (the name errors are reported under)."""
    return dict(COLUMNS[template]).get(key) or EXTRA_HEADERS.get(key, key)


EXTRA_HEADERS: Final[dict[str, str]] = {"party_category": "行政相对人类别"}

# Text columns carry the reviewed, redacted public text; the leak gate scans them in every row.
TEXT_COLUMNS: Final = frozenset(
    {
        "violation_type",
        "facts",
        "legal_basis",
        "result",
        "remark",
        "license_document_title",
        "license_affected",
    }
)

# Penalty categories of 行政处罚法 (2021) Art 9, as the templates write them: the portal's labels,
# except that the templates' catch-all is plain 其他.
PENALTY_CATEGORIES: Final[dict[str, str]] = {**PENALTY_CATEGORY, "other": "其他"}
# What a spreadsheet may say for each category (Art 9 wording and the usual short forms).
CATEGORY_CODES: Final[dict[str, str]] = {
    **{label: code for code, label in PENALTY_CATEGORIES.items()},
    "没收违法所得": "confiscation",
    "没收非法财物": "confiscation",
    "没收违法所得和非法财物": "confiscation",
    "暂扣许可证": "suspend_license",
    "暂扣执照": "suspend_license",
    "吊销许可证": "revoke_license",
    "吊销执照": "revoke_license",
    "吊销营业执照": "revoke_license",
    "责令停产停业、责令关闭": "order_suspension",
    "其他行政处罚": "other",
    "法律、行政法规规定的其他行政处罚": "other",
}

LICENSE_CATEGORIES: Final[dict[str, str]] = {
    "general": "普通",
    "special": "特许",
    "recognition": "认可",
    "approval": "核准",
    "registration": "登记",
    "other": "其他",
}

ID_TYPES: Final[dict[str, str]] = {
    "resident_id": "身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "foreign_permanent_residence": "外国人永久居留身份证",
    "other": "其他",
}
ID_TYPE_CODES: Final[dict[str, str]] = {
    **{label: code for code, label in ID_TYPES.items()},
    "居民身份证": "resident_id",
    "中华人民共和国居民身份证": "resident_id",
    "港澳通行证": "hk_macao_permit",
    "台胞证": "taiwan_permit",
    "外国人永久居留证": "foreign_permanent_residence",
}

# Header variants seen in public templates → canonical key (after normalise_header).
_ALIASES: Final[dict[str, str]] = {
    "行政相对人类别": "party_category",
    "法定代表人身份证号": "legal_rep_id_number",
    "法定代表人身份证号码": "legal_rep_id_number",
    "处罚金额(万元)": "fine_wan",
    "罚款金额": "fine_wan",
    "没收违法所得、没收非法财务的金额(万元)": "confiscated_wan",
    "没收违法所得没收非法财物的金额(万元)": "confiscated_wan",
    "行政许可决定书文号": "document_number",
    "处罚决定书文号": "document_number",
    "统一社会信用代码": "code_uscc",
    "工商注册号": "code_registration",
    "组织机构代码": "code_org",
    "税务登记号": "code_tax",
    "事业单位证书号": "code_institution",
    "社会组织登记证号": "code_social_org",
    "身份证号": "id_number",
    "身份证号码": "id_number",
    "处罚有效期至": "penalty_valid_until",
    "公示截止日期": "publish_until",
    "许可有效期自": "valid_from",
    "许可有效期至": "valid_until",
    "许可截止期": "valid_until",
}

_MARKS = re.compile(r"^[*＊]+|[*＊]+$|\((必填|选填|可选|非必填)\)$")


def normalise_header(raw: object) -> str:
    """One spelling for a header: NFKC (full-width brackets and digits), no spaces or required marks."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    text = re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")
    text = text.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    previous = None
    while previous != text:
        previous, text = text, _MARKS.sub("", text)
    return text


HEADER_KEYS: Final[dict[str, str]] = {
    **{normalise_header(h): k for cols in COLUMNS.values() for k, h in cols},
    **{normalise_header(h): k for k, h in EXTRA_HEADERS.items()},
    **{normalise_header(a): k for a, k in _ALIASES.items()},
}


def key_for_header(raw: object) -> str | None:
    """The canonical key of a spreadsheet header, or None for a column no template knows."""
    return HEADER_KEYS.get(normalise_header(raw))

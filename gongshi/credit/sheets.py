"""Spreadsheet files as rows of cells: XLSX (python-calamine) or CSV, and which template a header is."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from gongshi.credit.templates import LONG_TERM, Template
from gongshi.errors import InvalidInput

_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # the header first


def _decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which Excel on Chinese Windows writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise InvalidInput("无法识别 CSV 文件的编码（请存为 UTF-8 或 GB18030）", field="file") from exc


def read_sheets(data: bytes, filename: str) -> list[Sheet]:
    """Every sheet of an XLSX (python-calamine), or the one table of a CSV."""
    name = filename.lower()
    if name.endswith(".csv") or name.endswith(".txt"):
        text = _decode_csv(data)
        try:
            dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        return [Sheet(name=filename, rows=list(csv.reader(io.StringIO(text), dialect)))]
    if name.endswith((".xlsx", ".xlsm", ".xls", ".ods")) or data[:4] == b"PK\x03\x04":
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as exc:  # calamine raises its own error types for a damaged file
            raise InvalidInput(f"无法读取电子表格：{exc}", field="file", code="invalid_file") from exc
        return [
            Sheet(name=n, rows=wb.get_sheet_by_name(n).to_python(skip_empty_area=False))
            for n in wb.sheet_names
        ]
    raise InvalidInput("只支持 .xlsx 或 .csv 文件（双公示模板）", field="file", code="unsupported_file")


def template_of(keys: set[str]) -> Template | None:
    """Which template a header row is, from the columns it has."""
    penalty = bool(keys & {"violation_type", "penalty_category", "facts"})
    license_ = bool(keys & {"license_category", "license_document_title", "valid_from", "license_name"})
    natural = bool(keys & {"id_type", "id_number"}) and "code_uscc" not in keys
    if penalty == license_ or "party_name" not in keys:
        return None
    if penalty:
        return "natural_penalty" if natural else "legal_penalty"
    return "natural_license" if natural else "legal_license"


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    return unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else str(value)


def normalise_date(value: str) -> str:
    """2026-11-20, 2026年11月20日, 20261120 → 2026/11/20; 长期 → 2099/12/31; anything else unchanged."""
    if value in ("长期", "长期有效", "永久"):
        return LONG_TERM
    for form in _DATE_FORMS:
        m = form.match(value)
        if m:
            return f"{int(m[1]):04d}/{int(m[2]):02d}/{int(m[3]):02d}"
    return value


DATE_KEYS = ("decided_on", "penalty_valid_until", "publish_until", "valid_from", "valid_until")

"""Template rows → checked intake objects: the same row checks as the export, errors by row and column."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec

from gongshi.credit.sheets import DATE_KEYS, Sheet, cell_text, normalise_date, template_of
from gongshi.credit.templates import (
    CATEGORY_CODES,
    CATEGORY_INDIVIDUAL,
    ID_TYPE_CODES,
    LICENSE_CATEGORIES,
    LONG_TERM,
    NO_USCC,
    Template,
    key_for_header,
)
from gongshi.credit.validate import check_row as check_template_row
from gongshi.credit.validate import parse_amount, parse_date, split_categories
from gongshi.domain.intake import Intake, IntakeError, check_intake
from gongshi.domain.text import convert as checked_convert
from gongshi.errors import InvalidInput

MAX_ROWS = 200_000
_LICENSE_CODES = {label: code for code, label in LICENSE_CATEGORIES.items()}
Progress = Callable[[int, int], None]


class ImportErrorItem(msgspec.Struct, frozen=True, kw_only=True):
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the column as the file names it ("" for the whole row)
    message: str


def source_id_for(document_number: str) -> str:
    """The same 文号 always gives the same source_id, however it is spaced or widened."""
    canon = re.sub(r"\s+", "", unicodedata.normalize("NFKC", document_number))
    return "wh-" + hashlib.sha256(canon.encode()).hexdigest()[:40]


def _wan_to_yuan(value: str) -> Decimal | None:
    amount = parse_amount(value)
    return None if amount is None else (amount * 10000).quantize(Decimal("0.01"))


def _party(template: Template, row: dict[str, str]) -> dict[str, Any]:
    party: dict[str, Any] = {"name": row["party_name"]}
    if not template.startswith("legal"):
        party.update(kind="natural_person", id_type=ID_TYPE_CODES[row["id_type"]], id_number=row["id_number"])
        return party
    code = row.get("code_uscc", "").upper()
    individual = row.get("party_category") == CATEGORY_INDIVIDUAL or code.startswith("92")
    party["kind"] = "individual_business" if individual else "legal_person"
    if code == NO_USCC:
        party.update(id_type="other", id_number=row.get("code_registration"))
    elif code:
        party.update(id_type="uscc", id_number=code)
    if row.get("legal_rep"):
        party["legal_representative"] = row["legal_rep"]
    return party


def to_intake(template: Template, row: dict[str, str], agency_code: str, agency_name: str) -> Intake:
    """A checked template row as an intake object (raises IntakeError or msgspec.ValidationError)."""
    party = _party(template, row)
    decided = parse_date(row["decided_on"])
    body: dict[str, Any] = {
        "source_id": source_id_for(row["document_number"]),
        "agency": {"code": agency_code, "name": agency_name},
        "document_number": row["document_number"],
        "decided_on": decided.isoformat() if decided else None,
        "party": party,
        "legal_basis": row.get("legal_basis", ""),
        "result": row.get("result", ""),
    }
    if template.endswith("penalty"):
        categories = sorted({CATEGORY_CODES[c] for c in split_categories(row["penalty_category"])})
        fine = _wan_to_yuan(row["fine_wan"]) if row.get("fine_wan") else None
        confiscated = _wan_to_yuan(row["confiscated_wan"]) if row.get("confiscated_wan") else None
        body.update(
            kind="penalty",
            title=f"{row['party_name']}行政处罚决定书",
            facts=row.get("facts", ""),
            penalty={
                "categories": categories,
                "fine_yuan": str(fine) if fine else None,
                "confiscated_yuan": str(confiscated) if confiscated else None,
                "violation_type": row.get("violation_type") or None,
            },
        )
        if row.get("license_affected"):
            body["license"] = {"name": row["license_affected"]}
    else:
        until = row.get("valid_until", "")
        valid_from, valid_until = parse_date(row.get("valid_from", "")), parse_date(until)
        body.update(
            kind="licensing",
            title=row.get("license_document_title") or f"{row['party_name']}行政许可决定书",
            license={
                "name": row.get("license_name") or row.get("license_document_title") or "行政许可",
                "number": row.get("license_number") or None,
                "valid_from": valid_from.isoformat() if valid_from else None,
                "valid_until": valid_until.isoformat() if valid_until and until != LONG_TERM else None,
                "category": _LICENSE_CODES.get(row.get("license_category", ""), "other"),
            },
        )
    intake = checked_convert(body, Intake)  # control characters and far dates are row errors too
    check_intake(intake)
    return intake


@dataclass
class ParsedRow:
    line: int
    intake: Intake
    headers: dict[str, str]  # key → the file's own header, for error messages


_Table = tuple[Sheet, Template, list[str | None], dict[str, str]]


def _tables(sheets: list[Sheet]) -> list[_Table]:
    """The sheets whose header row is a template: (sheet, template, key per column, key → header)."""
    tables: list[_Table] = []
    for sheet in sheets:
        if not sheet.rows:
            continue
        header = ["" if h is None else str(h).strip() for h in sheet.rows[0]]  # as the file spells it
        keys = [key_for_header(h) for h in header]
        template = template_of({k for k in keys if k})
        if template is None:
            continue
        names = {k: h for k, h in zip(keys, header, strict=True) if k}
        tables.append((sheet, template, keys, names))
    if not tables:
        raise InvalidInput(
            "文件中没有可识别的双公示模板表头（需含“行政相对人名称”和处罚或许可的列）",
            field="file",
            code="no_template",
        )
    return tables


def _row_values(
    template: Template, keys: list[str | None], cells: list[str], agency_code: str, agency_name: str
) -> dict[str, str]:
    row: dict[str, str] = {}
    for key, value in zip(keys, cells, strict=False):
        if key and value and key not in row:
            row[key] = normalise_date(value) if key in DATE_KEYS else value
    # The codes the platform reports under the agency: they must be the importing agency's.
    row.setdefault("authority_code", agency_code)
    row.setdefault("source_unit_code", agency_code)
    row.setdefault("authority", agency_name)
    row.setdefault("source_unit", agency_name)
    if template.endswith("license"):
        row.setdefault("status", "1")
        row.setdefault("license_category", "其他")
    return row


def _problems(
    template: Template, row: dict[str, str], names: dict[str, str], agency_code: str, today: date
) -> list[tuple[str, str]]:
    """(column as the file names it, message) for every problem of one row, duplicates aside."""
    problems = [(names.get(e.key, e.column), e.message) for e in check_template_row(template, row, today)]
    if row["authority_code"].upper() != agency_code.upper():
        problems.append((names.get("authority_code", "机关代码"), f"与导入机关 {agency_code} 不符"))
    if template.endswith("license") and row.get("status") == "2":
        problems.append(
            (names.get("status", "当前状态"), "当前状态为 2（无效）的许可请在系统中撤下，不通过导入")
        )
    return problems


def parse_rows(
    sheets: list[Sheet], agency_code: str, agency_name: str, today: date, progress: Progress | None = None
) -> tuple[list[ParsedRow], list[ImportErrorItem], int]:
    """Valid rows as intakes, errors by row and column (the file's column names), and the row count."""
    errors: list[ImportErrorItem] = []
    parsed: list[ParsedRow] = []
    seen: dict[str, int] = {}
    tables = _tables(sheets)
    total = sum(len(s.rows) - 1 for s, *_ in tables)
    if total > MAX_ROWS:
        raise InvalidInput(
            f"一次最多导入 {MAX_ROWS} 行，本文件 {total} 行", field="file", code="too_many_rows"
        )
    done = 0
    for sheet, template, keys, names in tables:
        where = f"{sheet.name}!" if len(tables) > 1 else ""
        for index, raw in enumerate(sheet.rows[1:], start=2):
            done += 1
            if progress and done % 500 == 0:
                progress(done, total)
            cells = [cell_text(v) for v in raw]
            if not any(cells):
                continue
            row = _row_values(template, keys, cells, agency_code, agency_name)
            problems = _problems(template, row, names, agency_code, today)
            number = row.get("document_number", "")
            if number:
                first = seen.get(source_id_for(number))
                if first is not None:
                    problems.append((names.get("document_number", "文号"), f"文号与第 {first} 行重复"))
                else:
                    seen[source_id_for(number)] = index
            if problems:
                errors.extend(
                    ImportErrorItem(row=index, column=f"{where}{c}", message=m) for c, m in problems
                )
                continue
            try:
                intake = to_intake(template, row, agency_code, agency_name)
            except (IntakeError, msgspec.ValidationError) as exc:
                message = exc.message if isinstance(exc, IntakeError) else str(exc)
                errors.append(ImportErrorItem(row=index, column=where, message=f"内容不符合要求：{message}"))
                continue
            parsed.append(ParsedRow(line=index, intake=intake, headers=names))
    if progress:
        progress(total, total)
    return parsed, errors, total

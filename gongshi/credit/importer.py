"""Spreadsheets in the 双公示 templates → intake decisions, for agencies that have no case system.

Columns are matched by header name (brackets, widths, spaces and required marks normalised), so the
template variants of different platforms are accepted; each row is checked with the same rules as
the export, and every valid row becomes an intake through the ordinary intake service, idempotent
on agency + 文号 (the source_id is derived from the 文号). All valid rows are stored in one
transaction after the whole file was read: a file is never half-stored, and invalid rows are
reported by row and column, in one pass.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.export import find_agency
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
from gongshi.errors import GongshiError, InvalidInput
from gongshi.publication.intake import submit_batch
from gongshi.storage.models import Decision

MAX_ROWS = 200_000
_LICENSE_CODES = {label: code for code, label in LICENSE_CATEGORIES.items()}
_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
Progress = Callable[[int, int], None]


class ImportErrorItem(msgspec.Struct, frozen=True, kw_only=True):
    row: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the column as the file names it ("" for the whole row)
    message: str


@dataclass
class ImportResult:
    stored: int = 0
    duplicates: int = 0
    errors: list[ImportErrorItem] = field(default_factory=list)
    rows: int = 0

    def to_builtins(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "duplicates": self.duplicates,
            "errors": msgspec.to_builtins(self.errors),
        }


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # the header first


def source_id_for(document_number: str) -> str:
    """The same 文号 always gives the same source_id, however it is spaced or widened."""
    canon = re.sub(r"\s+", "", unicodedata.normalize("NFKC", document_number))
    return "wh-" + hashlib.sha256(canon.encode()).hexdigest()[:40]


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


def _cell(value: Any) -> str:
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


def _normalise_date(value: str) -> str:
    """2026-11-20, 2026年11月20日, 20261120 → 2026/11/20; 长期 → 2099/12/31; anything else unchanged."""
    if value in ("长期", "长期有效", "永久"):
        return LONG_TERM
    for form in _DATE_FORMS:
        m = form.match(value)
        if m:
            return f"{int(m[1]):04d}/{int(m[2]):02d}/{int(m[3]):02d}"
    return value


_DATE_KEYS = ("decided_on", "penalty_valid_until", "publish_until", "valid_from", "valid_until")


def _wan_to_yuan(value: str) -> Decimal | None:
    amount = parse_amount(value)
    return None if amount is None else (amount * 10000).quantize(Decimal("0.01"))


def to_intake(template: Template, row: dict[str, str], agency_code: str, agency_name: str) -> Intake:
    """A checked template row as an intake object (raises IntakeError or msgspec.ValidationError)."""
    legal = template.startswith("legal")
    party: dict[str, Any] = {"name": row["party_name"]}
    if legal:
        individual = row.get("party_category") == CATEGORY_INDIVIDUAL or row.get("code_uscc", "").startswith(
            "92"
        )
        party["kind"] = "individual_business" if individual else "legal_person"
        code = row.get("code_uscc", "").upper()
        if code == NO_USCC:
            party.update(id_type="other", id_number=row.get("code_registration"))
        elif code:
            party.update(id_type="uscc", id_number=code)
        if row.get("legal_rep"):
            party["legal_representative"] = row["legal_rep"]
    else:
        party.update(kind="natural_person", id_type=ID_TYPE_CODES[row["id_type"]], id_number=row["id_number"])
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
class _Parsed:
    line: int
    intake: Intake
    headers: dict[str, str]  # key → the file's own header, for error messages


def parse_rows(
    sheets: list[Sheet], agency_code: str, agency_name: str, today: date, progress: Progress | None = None
) -> tuple[list[_Parsed], list[ImportErrorItem], int]:
    """Valid rows as intakes, errors by row and column (the file's column names), and the row count."""
    errors: list[ImportErrorItem] = []
    parsed: list[_Parsed] = []
    seen: dict[str, int] = {}
    tables: list[tuple[Sheet, Template, list[str | None], dict[str, str]]] = []
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
    total = sum(len(s.rows) - 1 for s, *_ in tables)
    if total > MAX_ROWS:
        raise InvalidInput(
            f"一次最多导入 {MAX_ROWS} 行，本文件 {total} 行", field="file", code="too_many_rows"
        )
    done = 0
    multi = len(tables) > 1
    for sheet, template, keys, names in tables:
        for index, raw in enumerate(sheet.rows[1:], start=2):
            done += 1
            if progress and done % 500 == 0:
                progress(done, total)
            cells = [_cell(v) for v in raw]
            if not any(cells):
                continue
            where = f"{sheet.name}!" if multi else ""
            row: dict[str, str] = {}
            for key, value in zip(keys, cells, strict=False):
                if key and value and key not in row:
                    row[key] = _normalise_date(value) if key in _DATE_KEYS else value
            # The codes the platform reports under the agency: they must be the importing agency's.
            row.setdefault("authority_code", agency_code)
            row.setdefault("source_unit_code", agency_code)
            row.setdefault("authority", agency_name)
            row.setdefault("source_unit", agency_name)
            if template.endswith("license"):
                row.setdefault("status", "1")
                row.setdefault("license_category", "其他")
            problems = [
                (names.get(e.key, e.column), e.message) for e in check_template_row(template, row, today)
            ]
            if row["authority_code"].upper() != agency_code.upper():
                problems.append((names.get("authority_code", "机关代码"), f"与导入机关 {agency_code} 不符"))
            if template.endswith("license") and row.get("status") == "2":
                problems.append(
                    (names.get("status", "当前状态"), "当前状态为 2（无效）的许可请在系统中撤下，不通过导入")
                )
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
            parsed.append(_Parsed(line=index, intake=intake, headers=names))
    if progress:
        progress(total, total)
    return parsed, errors, total


def import_file(
    wf: Workflow,
    principal: Principal,
    agency_code: str,
    data: bytes,
    filename: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, check and store one spreadsheet; valid rows in one transaction, invalid ones reported."""
    principal.require("decision.submit")
    with wf.db.read() as session:
        agency = find_agency(session, principal, agency_code)
        code, name, agency_id = agency.code, agency.name, agency.id
    sheets = read_sheets(data, filename)
    parsed, errors, total = parse_rows(sheets, code, name, wf.today(), progress)
    result = ImportResult(errors=errors, rows=total)
    with wf.db.write() as session:
        # A 文号 already stored under another source_id (sent by the agency's system) is a duplicate too.
        numbers = {p.intake.document_number for p in parsed}
        known: dict[str, str] = {}
        wanted = sorted(numbers)
        for start in range(0, len(wanted), 500):
            for number, source_id in session.execute(
                select(Decision.document_number, Decision.source_id).where(
                    Decision.agency_id == agency_id, Decision.document_number.in_(wanted[start : start + 500])
                )
            ):
                known[number] = source_id
        fresh: list[_Parsed] = []
        for p in parsed:
            other = known.get(p.intake.document_number)
            if other is not None and other != p.intake.source_id:
                result.duplicates += 1
            else:
                fresh.append(p)
        now = wf.clock()
        cal = wf.calendar.get()
        for start in range(0, len(fresh), 1000):
            chunk = fresh[start : start + 1000]
            items = submit_batch(session, principal, [p.intake for p in chunk], cal, now)
            for p, item in zip(chunk, items, strict=True):
                if item.error is not None:
                    err: GongshiError | IntakeError = item.error
                    result.errors.append(ImportErrorItem(row=p.line, column="", message=err.message))
                elif item.submitted is not None and (item.submitted.created or item.submitted.replaced):
                    result.stored += 1
                else:
                    result.duplicates += 1
    result.errors.sort(key=lambda e: e.row)
    return result


def iter_errors_text(result: ImportResult) -> Iterator[str]:
    for e in result.errors:
        yield f"第 {e.row} 行" + (f"「{e.column}」" if e.column else "") + f"：{e.message}"


def run_job(
    wf: Workflow, principal: Principal, job_id: int, agency_code: str, data: bytes, filename: str
) -> None:
    """Run an import for the console's progress page, recording progress on the job row."""
    from gongshi.storage.credit_models import ImportJob

    def update(**values: Any) -> None:
        with wf.db.write() as session:
            job = session.get(ImportJob, job_id)
            assert job is not None
            for k, v in values.items():
                setattr(job, k, v)

    def progress(done: int, total: int) -> None:
        # The rows are checked first; storing is one transaction, shown as its own phase.
        update(state="storing" if done >= total else "running", processed=done, total=total)

    update(state="running")
    try:
        result = import_file(wf, principal, agency_code, data, filename, progress)
    except GongshiError as exc:
        update(state="failed", message=exc.message, finished_at=wf.clock())
    except Exception as exc:  # the page must say it failed rather than spin forever
        update(state="failed", message=f"导入失败：{type(exc).__name__}", finished_at=wf.clock())
        raise
    else:
        update(
            state="done",
            processed=result.rows,
            total=result.rows,
            stored=result.stored,
            duplicates=result.duplicates,
            errors=msgspec.to_builtins(result.errors),
            finished_at=wf.clock(),
        )

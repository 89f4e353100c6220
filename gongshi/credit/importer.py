"""Spreadsheets in the 双公示 templates → intake decisions, for agencies that have no case system.

Columns are matched by header name (brackets, widths, spaces and required marks normalised), so the
template variants of different platforms are accepted; each row is checked with the same rules as
the export, and every valid row becomes an intake through the ordinary intake service, idempotent
on agency + 文号 (the source_id is derived from the 文号). All valid rows are stored in one
transaction after the whole file was read: a file is never half-stored, and invalid rows are
reported by row and column, in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.export import find_agency
from gongshi.credit.rows import ImportErrorItem, ParsedRow, Progress, parse_rows
from gongshi.credit.sheets import read_sheets
from gongshi.domain.intake import IntakeError
from gongshi.errors import GongshiError
from gongshi.publication.intake import submit_batch
from gongshi.storage.models import Decision


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
        fresh: list[ParsedRow] = []
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

"""双公示 export: what is new or changed since the last export, validated, leak-gated, streamed.

A decision is reported once a reviewer approved it (its redacted public text exists); it is
reported again when a correction changes its revision, and with 当前状态 = 2 once it is withdrawn
(撤销, 信用修复 …) or its publication period has ended. Each export records the (decision,
revision, 当前状态) it contained, so the next one knows; a row the platform would reject (or that
the leak gate stops) is left out, listed for the reviewer, and stays unreported.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, Literal

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.credit.candidates import RowContext, candidate_ids, iter_rows
from gongshi.credit.producer import Producers, ProducerStats
from gongshi.credit.templates import TEMPLATES, Template
from gongshi.credit.writers import CsvWriter, JsonWriter, NullWriter, RowError, Writer, XlsxWriter
from gongshi.domain.expiry import agency_rules
from gongshi.errors import InvalidInput, NotFound
from gongshi.storage.credit_models import CreditExport, CreditExportItem
from gongshi.storage.models import Agency, table

Format = Literal["xlsx", "csv", "json"]
FORMATS: tuple[Format, ...] = ("xlsx", "csv", "json")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# From this many candidates on, producer processes build the rows (PostgreSQL only; see producer).
PARALLEL_FROM = 2_000


@dataclass
class ExportResult:
    export_id: int | None
    rows: int
    rejected: int
    errors: list[RowError]
    counts: dict[str, int] = field(default_factory=dict)
    # The producer processes that built the rows (none: this process built them).
    producers: list[ProducerStats] = field(default_factory=list)


def find_agency(session: Session, principal: Principal, code: str) -> Agency:
    """Another agency's code is a 404, like an unknown one: existence does not leak."""
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None or not principal.sees_agency(agency.id):
        raise NotFound(f"没有代码为 {code} 的机关", field="agency", code="agency_not_found")
    return agency


def check_options(template: str | None, fmt: str) -> tuple[Template | None, Format]:
    if template is not None and template not in TEMPLATES:
        raise InvalidInput(f"未知模板 {template}，可选：{', '.join(TEMPLATES)}", field="template")
    if fmt not in FORMATS:
        raise InvalidInput(f"未知格式 {fmt}，可选：xlsx、csv、json", field="format")
    if fmt == "csv" and template is None:
        raise InvalidInput("CSV 文件只能装一个模板，请指定 template", field="template")
    return template, fmt


def _open_writer(
    out: IO[bytes] | None, fmt: Format, templates: tuple[Template, ...], meta: dict[str, Any]
) -> Writer:
    if out is None:
        return NullWriter()
    if fmt == "xlsx":
        return XlsxWriter(out, templates)
    if fmt == "csv":
        return CsvWriter(out, templates[0])
    return JsonWriter(out, templates, meta)


def run_export(
    wf: Workflow,
    principal: Principal,
    agency_code: str,
    *,
    out: IO[bytes] | None,
    template: Template | None = None,
    fmt: Format = "xlsx",
    since: date | None = None,
    dry_run: bool = False,
) -> ExportResult:
    """Write the export to `out` and record it (unless dry_run: then only the checks run)."""
    principal.require("credit.export")
    templates: tuple[Template, ...] = (template,) if template else TEMPLATES
    contained: list[tuple[int, int, int, str]] = []
    errors: list[RowError] = []
    counts: dict[str, int] = dict.fromkeys(templates, 0)
    stats: list[ProducerStats] = []
    with wf.db.read() as session:
        if not wf.db.is_sqlite:
            # One snapshot for the candidates' ids and every batch fetched after (see candidates).
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        agency = find_agency(session, principal, agency_code)
        agency_id = agency.id
        ctx = RowContext(
            agency_code=agency.code,
            agency_name=agency.name,
            rules=agency_rules(wf.settings.expiry_rules, agency.code),
            policy=wf.policy(),
            serious_fine_yuan=wf.settings.serious_fine_yuan,
            today=wf.today(),
            since=since,
            templates=templates,
        )
        meta = {"agency": agency.code, "agency_name": agency.name, "generated_at": wf.clock().isoformat()}
        writer = _open_writer(None if dry_run else out, fmt, templates, {**meta, "since": since})
        ids = candidate_ids(session, agency_id, templates, since)
        with contextlib.ExitStack() as stack:
            count = 0 if wf.db.is_sqlite or len(ids) < PARALLEL_FROM else wf.settings.export_producers
            if count:
                snapshot = session.scalar(text("SELECT pg_export_snapshot()"))
                producers = stack.enter_context(Producers(wf.db.url, str(snapshot), ctx, count))
                rows = producers.rows(ids)
                stats = producers.stats
            else:
                rows = iter_rows(session, ctx, ids)
            for built in rows:
                if built.errors:
                    errors.extend(built.errors)
                    continue
                t = built.template
                writer.row(t, built.cells)
                contained.append((built.decision_id, built.revision, built.status, t))
                counts[t] += 1
        writer.finish(errors)
    rejected = len({e.decision_id for e in errors})
    if dry_run:
        return ExportResult(None, len(contained), rejected, errors, counts, stats)
    export_id = _record(wf, principal, agency_id, template, fmt, since, contained, rejected, counts)
    return ExportResult(export_id, len(contained), rejected, errors, counts, stats)


def _record(
    wf: Workflow,
    principal: Principal,
    agency_id: int,
    template: Template | None,
    fmt: Format,
    since: date | None,
    contained: list[tuple[int, int, int, str]],
    rejected: int,
    counts: dict[str, int],
) -> int:
    now = wf.clock()
    with wf.db.write() as session:
        export = CreditExport(
            agency_id=agency_id,
            template=template or "all",
            format=fmt,
            since=since,
            rows=len(contained),
            rejected=rejected,
            actor=principal.actor,
            created_at=now,
            audit_seq=0,
            audit_head="",
        )
        session.add(export)
        session.flush()
        for start in range(0, len(contained), 5000):
            rows = [
                {"export_id": export.id, "decision_id": d, "revision": rev, "status": st, "template": t}
                for d, rev, st, t in contained[start : start + 5000]
            ]
            session.execute(insert(table(CreditExportItem)), rows)
        audit.record(
            session,
            "credit_export",
            export,
            actor=principal.actor,
            action="export",
            reason="双公示导出",
            data={
                "agency_id": agency_id,
                "template": template or "all",
                "format": fmt,
                "since": since.isoformat() if since else None,
                "rows": len(contained),
                "rejected": rejected,
                "counts": counts,
                "revoked": sum(1 for _, _, st, _ in contained if st == 2),
            },
            at=now,
        )
        return export.id


def filename(agency_code: str, template: Template | None, fmt: Format, today: date) -> str:
    return f"shuanggongshi-{agency_code}-{template or 'all'}-{today:%Y%m%d}.{fmt}"

"""双公示 export: what is new or changed since the last export, validated, leak-gated, streamed.

A decision is reported once a reviewer approved it (its redacted public text exists); it is
reported again when a correction changes its revision, and with 当前状态 = 2 once it is withdrawn
(撤销, 信用修复 …) or its publication period has ended. Each export records the (decision,
revision, 当前状态) it contained, so the next one knows; a row the platform would reject (or that
the leak gate stops) is left out, listed for the reviewer, and stays unreported.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, Literal

import msgspec
from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.core import audit
from gongshi.core.context import Workflow
from gongshi.credit.mapping import Source, canonical_row, template_for
from gongshi.credit.rowgate import leaked_columns
from gongshi.credit.templates import TEMPLATES, TEXT_COLUMNS, Template, header_of, keys
from gongshi.credit.validate import check_row
from gongshi.credit.writers import CsvWriter, JsonWriter, NullWriter, RowError, Writer, XlsxWriter
from gongshi.domain.expiry import agency_rules
from gongshi.domain.intake import Intake
from gongshi.errors import InvalidInput, NotFound
from gongshi.publication.records import expiry_for
from gongshi.redaction import Policy
from gongshi.storage.credit_models import CreditExport, CreditExportItem
from gongshi.storage.models import Agency, Decision, Disclosure, table

Format = Literal["xlsx", "csv", "json"]
FORMATS: tuple[Format, ...] = ("xlsx", "csv", "json")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# A reviewer has approved: the redacted public text exists and the credit platform may have it.
VALID_STATES = ("approved", "published")
INVALID_STATES = ("withdrawn", "expired")
KINDS = {"penalty": ("legal_penalty", "natural_penalty"), "licensing": ("legal_license", "natural_license")}
_decoder = msgspec.json.Decoder(Intake)


@dataclass
class ExportResult:
    export_id: int | None
    rows: int
    rejected: int
    errors: list[RowError]
    counts: dict[str, int] = field(default_factory=dict)


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


def _names(spans: list[dict[str, Any]] | None, intake: Intake) -> set[str]:
    """The names the reviewed redaction masked (as publication's leak gate uses them)."""
    names = set()
    for span in spans or []:
        # What a reviewer masked is blocked in any category, as publication's gate blocks it (issue 11).
        if span["category"] == "name" or span.get("rule") == "reviewer":
            text = getattr(intake, span["field"], None)
            if isinstance(text, str):
                names.add(text[span["start"] : span["end"]])
    return names


def _candidates(
    session: Session, agency_id: int, templates: tuple[Template, ...], since: date | None
) -> Iterator[Any]:
    """Decisions that may belong in this export, with the last (revision, status) reported."""
    kinds = [k for k, ts in KINDS.items() if set(ts) & set(templates)]
    items = table(CreditExportItem)
    last_id = (
        select(items.c.decision_id, func.max(items.c.id).label("item_id"))
        .group_by(items.c.decision_id)
        .subquery()
    )
    last = items.alias("last_item")
    d = table(Decision)
    disc = table(Disclosure)
    query = (
        select(
            d.c.id,
            d.c.revision,
            d.c.kind,
            d.c.state,
            d.c.intake,
            # Only the public text fields and the spans, not the whole stored redaction (full text).
            d.c.redaction[("public", "facts")].as_string().label("facts"),
            d.c.redaction[("public", "legal_basis")].as_string().label("legal_basis"),
            d.c.redaction[("public", "result")].as_string().label("result"),
            d.c.redaction[("public", "title")].as_string().label("title"),
            d.c.redaction["redactions"].label("spans"),
            d.c.expires_on,
            d.c.withdraw_reason,
            d.c.decided_on,
            d.c.updated_at,
            disc.c.withdrawal_explanation,
            last.c.revision.label("last_revision"),
            last.c.status.label("last_status"),
        )
        .select_from(d)
        .outerjoin(last_id, last_id.c.decision_id == d.c.id)
        .outerjoin(last, last.c.id == last_id.c.item_id)
        .outerjoin(disc, disc.c.decision_id == d.c.id)
        .where(
            d.c.agency_id == agency_id,
            d.c.kind.in_(kinds),
            d.c.state.in_(VALID_STATES + INVALID_STATES),
            d.c.redaction.is_not(None),
        )
        .order_by(d.c.decided_on, d.c.id)
    )
    if since is None:
        # Never reported, or reported with another revision or status than it has now.
        query = query.where(
            or_(
                last.c.id.is_(None),
                last.c.revision != d.c.revision,
                and_(last.c.status == 1, d.c.state.in_(INVALID_STATES)),
                and_(last.c.status == 2, d.c.state.in_(VALID_STATES)),
            )
        )
    yield from session.execute(query.execution_options(yield_per=500))


@dataclass(frozen=True)
class _Context:
    """What every row of one export shares."""

    wf: Workflow
    agency_code: str
    agency_name: str
    rules: Any
    policy: Policy
    today: date
    since: date | None
    templates: tuple[Template, ...]


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


def _row(ctx: _Context, r: Any) -> tuple[Template, int, list[str | None], list[RowError]] | None:
    """The template, 当前状态, cells and problems of one candidate (None: not in this export)."""
    status = 1 if r.state in VALID_STATES else 2
    if status == 2 and r.last_status is None:
        return None  # never reported as valid: nothing to revoke upstream
    if ctx.since is not None and r.decided_on < ctx.since and r.updated_at.date() < ctx.since:
        return None
    intake = _decoder.decode(r.intake)
    t = template_for(r.kind, intake.party.kind)
    if t is None or t not in ctx.templates:
        return None
    serious = ctx.wf.settings.serious_fine_yuan
    src = Source(
        decision_id=r.id,
        revision=r.revision,
        kind=r.kind,
        state=r.state,
        intake=intake,
        public={"facts": r.facts, "legal_basis": r.legal_basis, "result": r.result, "title": r.title},
        agency_code=ctx.agency_code,
        agency_name=ctx.agency_name,
        publish_until=r.expires_on or expiry_for(intake, serious, ctx.rules),
        withdraw_reason=r.withdraw_reason,
        withdrawal_explanation=r.withdrawal_explanation,
        reported_revision=r.last_revision,
    )
    row = canonical_row(src, status)
    columns = _keys(t)
    problems = [(e.column, e.message) for e in check_row(t, row, ctx.today)]
    text_keys = [k for k in columns if k in TEXT_COLUMNS and row.get(k)]
    leaked = leaked_columns(intake, ctx.policy, _names(r.spans, intake), row, text_keys)
    problems += [(header_of(t, k), "泄露检查发现受保护的个人信息，未导出（请核对脱敏结果）") for k in leaked]
    errors = [
        RowError(decision_id=r.id, document_number=intake.document_number, template=t, column=c, message=m)
        for c, m in problems
    ]
    # An empty cell is left out of the file (None): fewer cells to write.
    return t, status, [row.get(k) or None for k in columns], errors


@functools.cache
def _keys(template: Template) -> list[str]:
    return keys(template)


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
    with wf.db.read() as session:
        agency = find_agency(session, principal, agency_code)
        agency_id = agency.id
        ctx = _Context(
            wf=wf,
            agency_code=agency.code,
            agency_name=agency.name,
            rules=agency_rules(wf.settings.expiry_rules, agency.code),
            policy=wf.policy(),
            today=wf.today(),
            since=since,
            templates=templates,
        )
        meta = {"agency": agency.code, "agency_name": agency.name, "generated_at": wf.clock().isoformat()}
        writer = _open_writer(None if dry_run else out, fmt, templates, {**meta, "since": since})
        for r in _candidates(session, agency_id, templates, since):
            built = _row(ctx, r)
            if built is None:
                continue
            t, status, cells, problems = built
            if problems:
                errors.extend(problems)
                continue
            writer.row(t, cells)
            contained.append((r.id, r.revision, status, t))
            counts[t] += 1
        writer.finish(errors)
    rejected = len({e.decision_id for e in errors})
    if dry_run:
        return ExportResult(None, len(contained), rejected, errors, counts)
    export_id = _record(wf, principal, agency_id, template, fmt, since, contained, rejected, counts)
    return ExportResult(export_id, len(contained), rejected, errors, counts)


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
        rows = [
            {"export_id": export.id, "decision_id": d, "revision": rev, "status": st, "template": t}
            for d, rev, st, t in contained
        ]
        for start in range(0, len(rows), 5000):
            session.execute(insert(table(CreditExportItem)), rows[start : start + 5000])
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

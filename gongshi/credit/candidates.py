"""The decisions one 双公示 export considers, and the row each becomes: fetched in batches, then built.

Two statements instead of one: a narrow query picks and orders the candidates' ids (sorting ids, not
whole rows: the single query sorted every row's intake and redaction through temporary files), and
each batch of ids is fetched by primary key with the stored redaction as its text, decoded here in one
pass (extracting four fields of PostgreSQL's `json` column parsed the whole text once per field).
Both run in one snapshot (REPEATABLE READ on PostgreSQL, a read transaction on SQLite), so what the
second statement reads is what the first one chose. Building a row (decode, map, validate, leak gate)
needs only a `RowContext`, so a producer process (gongshi.credit.producer) builds rows the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec
from sqlalchemy import Select, and_, cast, func, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.types import Text

from gongshi.credit.mapping import Source, canonical_row, template_for
from gongshi.credit.rowgate import leaked_columns
from gongshi.credit.templates import TEXT_COLUMNS, Template, header_of, keys
from gongshi.credit.validate import check_row
from gongshi.credit.writers import RowError
from gongshi.domain.expiry import ExpiryRules
from gongshi.domain.intake import Intake
from gongshi.publication.records import expiry_for
from gongshi.redaction import Policy
from gongshi.storage.credit_models import CreditExportItem
from gongshi.storage.models import Decision, Disclosure, table

# A reviewer has approved: the redacted public text exists and the credit platform may have it.
VALID_STATES = ("approved", "published")
INVALID_STATES = ("withdrawn", "expired")
KINDS = {"penalty": ("legal_penalty", "natural_penalty"), "licensing": ("legal_license", "natural_license")}
BATCH = 500
LEAK_MESSAGE = "泄露检查发现受保护的个人信息，未导出（请核对脱敏结果）"

_intake = msgspec.json.Decoder(Intake)


class _Public(msgspec.Struct):
    facts: str | None = None
    legal_basis: str | None = None
    result: str | None = None
    title: str | None = None


class _Span(msgspec.Struct):
    field: str
    start: int
    end: int
    category: str
    rule: str | None = None


class _Stored(msgspec.Struct):
    """What a row needs of the stored redaction output (its public text and spans; not the rest)."""

    public: _Public | None = None
    redactions: list[_Span] | None = None


_stored = msgspec.json.Decoder(_Stored)


@dataclass(frozen=True)
class RowContext:
    """What every row of one export shares (picklable: a producer process receives it)."""

    agency_code: str
    agency_name: str
    rules: ExpiryRules | None
    policy: Policy
    serious_fine_yuan: int
    today: date
    since: date | None
    templates: tuple[Template, ...]


class BuiltRow(msgspec.Struct, array_like=True):
    """One candidate's row: its cells when it is exported, else the problems that keep it out."""

    decision_id: int
    revision: int
    template: Template
    status: int
    cells: list[str | None]
    errors: list[RowError]


def candidate_ids(
    session: Session | Connection, agency_id: int, templates: Sequence[Template], since: date | None
) -> list[int]:
    """The ids of the decisions that may belong in this export, in the order of the file."""
    d = table(Decision)
    query = select(d.c.id).where(
        d.c.agency_id == agency_id,
        d.c.kind.in_([k for k, ts in KINDS.items() if set(ts) & set(templates)]),
        d.c.state.in_(VALID_STATES + INVALID_STATES),
        d.c.redaction.is_not(None),
    )
    if since is None:
        # Never reported, or reported with another revision or status than it has now.
        last = _last_items()
        query = query.outerjoin(last, last.c.decision_id == d.c.id).where(
            or_(
                last.c.revision.is_(None),
                last.c.revision != d.c.revision,
                and_(last.c.status == 1, d.c.state.in_(INVALID_STATES)),
                and_(last.c.status == 2, d.c.state.in_(VALID_STATES)),
            )
        )
    return list(session.scalars(query.order_by(d.c.decided_on, d.c.id)))


def _last_items(ids: Iterable[int] | None = None) -> Any:
    """Per decision, the (revision, status) its last export item carried; of `ids` only, if given."""
    items = table(CreditExportItem)
    last_id = select(items.c.decision_id, func.max(items.c.id).label("item_id")).group_by(items.c.decision_id)
    if ids is not None:
        last_id = last_id.where(items.c.decision_id.in_(list(ids)))
    latest = last_id.subquery()
    return (
        select(items.c.decision_id, items.c.revision, items.c.status)
        .join(latest, latest.c.item_id == items.c.id)
        .subquery("last_item")
    )


def _batch_query(ids: list[int]) -> Select[Any]:
    d = table(Decision)
    disc = table(Disclosure)
    last = _last_items(ids)
    return (
        select(
            d.c.id,
            d.c.revision,
            d.c.kind,
            d.c.state,
            d.c.intake,
            cast(d.c.redaction, Text).label("redaction"),
            d.c.expires_on,
            d.c.withdraw_reason,
            d.c.decided_on,
            d.c.updated_at,
            disc.c.withdrawal_explanation,
            last.c.revision.label("last_revision"),
            last.c.status.label("last_status"),
        )
        .select_from(d)
        .outerjoin(last, last.c.decision_id == d.c.id)
        .outerjoin(disc, disc.c.decision_id == d.c.id)
        .where(d.c.id.in_(ids))
    )


def fetch(session: Session | Connection, ids: list[int]) -> list[Any]:
    """The stored rows of `ids`, in the order of `ids`."""
    by_id = {r.id: r for r in session.execute(_batch_query(ids))}
    return [by_id[i] for i in ids if i in by_id]


def batches(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def iter_rows(session: Session | Connection, ctx: RowContext, ids: list[int]) -> Iterator[BuiltRow]:
    """The built rows of `ids`, in order (in this process)."""
    for batch in batches(ids):
        yield from build_batch(ctx, fetch(session, batch))


def build_batch(ctx: RowContext, rows: Iterable[Any]) -> list[BuiltRow]:
    out = []
    for r in rows:
        built = build_row(ctx, r)
        if built is not None:
            out.append(built)
    return out


def _names(spans: list[_Span] | None, intake: Intake) -> set[str]:
    """The names the reviewed redaction masked (as publication's leak gate uses them)."""
    names = set()
    for span in spans or []:
        # What a reviewer masked is blocked in any category, as publication's gate blocks it (issue 11).
        if span.category == "name" or span.rule == "reviewer":
            text = getattr(intake, span.field, None)
            if isinstance(text, str):
                names.add(text[span.start : span.end])
    return names


@functools.cache
def _keys(template: Template) -> list[str]:
    return keys(template)


def build_row(ctx: RowContext, r: Any) -> BuiltRow | None:
    """The row of one fetched candidate (None: not in this export)."""
    status = 1 if r.state in VALID_STATES else 2
    if status == 2 and r.last_status is None:
        return None  # never reported as valid: nothing to revoke upstream
    if ctx.since is not None and r.decided_on < ctx.since and r.updated_at.date() < ctx.since:
        return None
    intake = _intake.decode(r.intake)
    t = template_for(r.kind, intake.party.kind)
    if t is None or t not in ctx.templates:
        return None
    stored = _stored.decode(r.redaction)
    public = stored.public or _Public()
    src = Source(
        decision_id=r.id,
        revision=r.revision,
        kind=r.kind,
        state=r.state,
        intake=intake,
        public={
            "facts": public.facts,
            "legal_basis": public.legal_basis,
            "result": public.result,
            "title": public.title,
        },
        agency_code=ctx.agency_code,
        agency_name=ctx.agency_name,
        publish_until=r.expires_on or expiry_for(intake, ctx.serious_fine_yuan, ctx.rules),
        withdraw_reason=r.withdraw_reason,
        withdrawal_explanation=r.withdrawal_explanation,
        reported_revision=r.last_revision,
    )
    row = canonical_row(src, status)
    columns = _keys(t)
    problems = [(e.column, e.message) for e in check_row(t, row, ctx.today)]
    text_keys = [k for k in columns if k in TEXT_COLUMNS and row.get(k)]
    leaked = leaked_columns(intake, ctx.policy, _names(stored.redactions, intake), row, text_keys)
    problems += [(header_of(t, k), LEAK_MESSAGE) for k in leaked]
    errors = [
        RowError(decision_id=r.id, document_number=intake.document_number, template=t, column=c, message=m)
        for c, m in problems
    ]
    # An empty cell is left out of the file (None): fewer cells to write.
    cells = [] if errors else [row.get(k) or None for k in columns]
    return BuiltRow(r.id, r.revision, t, status, cells, errors)

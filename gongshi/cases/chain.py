"""The case record's proof of integrity (记录办法 Art 6 "防删改", Art 19).

Every row a case gains (the case itself, each entry, attachment and decision link) is announced by
an event in the case's audit chain (`gongshi.core.audit`, subject "case") that carries the
SHA-256 of the row; attachment events also carry the file's SHA-256. `verify` re-reads the rows and
files and reports the first entry whose record no longer matches: an edit, a deletion or an
insertion made behind the application's back, in the database or on disk.
"""

from __future__ import annotations

import hashlib
from collections import namedtuple
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec
from sqlalchemy import JSON, LargeBinary, String, Text, cast, select, type_coerce
from sqlalchemy.orm import Session

from gongshi.cases import compliance
from gongshi.cases.store import AttachmentStore
from gongshi.core import audit
from gongshi.storage.case_models import Case, CaseAttachment, CaseDecision, CaseEntry
from gongshi.storage.models import AuditEvent, UtcDateTime

# Audit actions that bring a row into the record, and the table each one points at.
ROW_EVENTS = {
    "case.opened": "case",
    "entry.recorded": "entry",
    "attachment.stored": "attachment",
    "decision.linked": "decision_link",
}


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    kind: str  # chain_broken | altered | deleted | inserted | file_missing | file_altered
    message: str
    entry_id: int | None = None
    attachment_id: int | None = None
    event_seq: int | None = None


class Verification(msgspec.Struct, frozen=True, kw_only=True):
    case_id: int
    intact: bool
    first_bad_entry: int | None
    problems: list[Problem]
    events: int
    entries: int
    attachments: int
    files_checked: int | None  # None: files were not re-hashed (?files=false)


def _utc(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _digest(fields: dict[str, Any]) -> str:
    return hashlib.sha256(msgspec.json.encode(fields, order="sorted")).hexdigest()


def case_digest(case: Any) -> str:
    return _digest(
        {
            "id": case.id,
            "agency_id": case.agency_id,
            "case_number": case.case_number,
            "kind": case.kind,
            "party": case.party,
            "opened_on": case.opened_on.isoformat(),
            "source_type": case.source_type,
            "source_detail": case.source_detail,
            "created_at": _utc(case.created_at),
            "created_by": case.created_by,
        }
    )


def entry_digest(entry: Any) -> str:
    return _digest(
        {
            "id": entry.id,
            "case_id": entry.case_id,
            "stage": entry.stage,
            "type": entry.type,
            "occurred_at": _utc(entry.occurred_at),
            "corrects_id": entry.corrects_id,
            "source_ref": entry.source_ref,
            "recorded_at": _utc(entry.recorded_at),
            "recorded_by": entry.recorded_by,
            # The stored canonical JSON, byte for byte.
            "body": msgspec.Raw(entry.body),
        }
    )


def attachment_digest(att: Any) -> str:
    return _digest(
        {
            "id": att.id,
            "case_id": att.case_id,
            "entry_id": att.entry_id,
            "sha256": att.sha256,
            "size": att.size,
            "media_type": att.media_type,
            "filename": att.filename,
            "captured_at": _utc(att.captured_at),
            "stored_at": _utc(att.stored_at),
            "late_reason": att.late_reason,
            "returned_at": _utc(att.returned_at),
            "recorded_by": att.recorded_by,
        }
    )


def link_digest(link: Any) -> str:
    return _digest(
        {
            "id": link.id,
            "case_id": link.case_id,
            "decision_id": link.decision_id,
            "document_number": link.document_number,
            "linked_at": _utc(link.linked_at),
            "linked_by": link.linked_by,
        }
    )


_DIGESTS: dict[str, Callable[[Any], str]] = {
    "case": case_digest,
    "entry": entry_digest,
    "attachment": attachment_digest,
    "decision_link": link_digest,
}
_ID_KEY = {"case": "case_id", "entry": "entry_id", "attachment": "attachment_id", "decision_link": "link_id"}
_LABEL = {"case": "案件", "entry": "记录", "attachment": "附件", "decision_link": "决定关联"}


# Verifying reads every row of a case; SQLAlchemy's per-value result processing (SQLite datetime
# strings through a regex, JSON through the stdlib) was most of the time for 10,000 entries. These
# reads take datetimes and JSON raw and convert them with C-speed parsers instead.


def _raw_columns(table: Any) -> list[Any]:
    cols = []
    for col in table.c:
        if isinstance(col.type, UtcDateTime):
            cols.append(type_coerce(col, String).label(col.name))
        elif isinstance(col.type, JSON):
            cols.append(cast(col, Text).label(col.name))
        else:
            cols.append(col)
    return cols


def _plain_rows(session: Session, table: Any, *where: Any, order_by: Any = None) -> list[Any]:
    """Rows as named tuples with aware UTC datetimes and decoded JSON, as the ORM would give them."""
    query = select(*_raw_columns(table)).where(*where)
    if order_by is not None:
        query = query.order_by(order_by)
    result = session.execute(query)
    names = list(result.keys())
    row_type = namedtuple("Row", names)  # type: ignore[misc]
    converters = [_converter(table.c[name].type) for name in names]
    return [
        row_type(*[conv(v) if conv else v for conv, v in zip(converters, raw, strict=True)]) for raw in result
    ]


def _converter(type_: Any) -> Callable[[Any], Any] | None:
    if isinstance(type_, UtcDateTime):
        return _aware_utc
    if isinstance(type_, JSON):
        return _json
    if isinstance(type_, LargeBinary):
        return bytes
    return None


def _aware_utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite keeps naive UTC text
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    aware: datetime = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return aware


def _json(value: Any) -> Any:
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


def _rows(session: Session, case_id: int) -> dict[str, dict[int, Any]]:
    """Every row of the case, by kind and id."""

    def by_id(rows: Iterable[Any]) -> dict[int, Any]:
        return {r.id: r for r in rows}

    return {
        "entry": by_id(_plain_rows(session, CaseEntry.__table__, CaseEntry.case_id == case_id)),
        "attachment": by_id(
            _plain_rows(session, CaseAttachment.__table__, CaseAttachment.case_id == case_id)
        ),
        "decision_link": by_id(_plain_rows(session, CaseDecision.__table__, CaseDecision.case_id == case_id)),
    }


def _events(session: Session, case_id: int) -> list[Any]:
    return _plain_rows(
        session,
        AuditEvent.__table__,
        AuditEvent.subject_type == "case",
        AuditEvent.subject_id == case_id,
        order_by=AuditEvent.seq,
    )


def verify(session: Session, case: Case, store: AttachmentStore | None) -> Verification:
    """Check the case's chain, every row it announces, and (with a store) every file's bytes."""
    events = _events(session, case.id)
    rows = _rows(session, case.id)
    rows["case"] = {case.id: case}
    problems = _chain_problems(events, case)
    # Chain order of each entry, so "first bad entry" means first in the record, not lowest id.
    entry_order: dict[int, int] = {}
    announced = _check_announced(events, rows, problems, entry_order)
    problems += _unannounced(rows, announced)
    problems += _date_problems(rows, case)
    files_checked: int | None = None
    if store is not None:
        files_checked, file_problems = _file_problems(store, rows)
        problems += file_problems
    return Verification(
        case_id=case.id,
        intact=not problems,
        first_bad_entry=_first_entry(problems, entry_order, events),
        problems=problems,
        events=len(events),
        entries=len(rows["entry"]),
        attachments=len(rows["attachment"]),
        files_checked=files_checked,
    )


def _chain_problems(events: list[Any], case: Case) -> list[Problem]:
    problems: list[Problem] = []
    check = audit.verify(events, case)  # plain rows carry the same fields as AuditEvent
    if not check.intact:
        problems.append(
            Problem(
                kind="chain_broken",
                message=f"审计链在第 {check.first_bad_seq} 个事件处断开（事件被修改、删除或插入）",
                event_seq=check.first_bad_seq,
            )
        )
    return problems


def _check_announced(
    events: list[Any], rows: dict[str, dict[int, Any]], problems: list[Problem], entry_order: dict[int, int]
) -> dict[str, set[int]]:
    """Each row an event announces must exist with the digest it was announced with; returns the ids."""
    announced: dict[str, set[int]] = {kind: set() for kind in _DIGESTS}
    for ev in events:
        kind = ROW_EVENTS.get(ev.action)
        if kind is None:
            continue
        data = ev.data or {}
        row_id = data.get(_ID_KEY[kind])
        if not isinstance(row_id, int):
            continue
        announced[kind].add(row_id)
        entry_id = data.get("entry_id") if kind in ("entry", "attachment") else None
        if kind == "entry":
            entry_order.setdefault(row_id, ev.seq)
        row = rows[kind].get(row_id)
        where = {"entry_id": entry_id, "event_seq": ev.seq}
        if kind == "attachment":
            where["attachment_id"] = row_id
        if row is None:
            problems.append(Problem(kind="deleted", message=f"{_LABEL[kind]} {row_id} 已被删除", **where))
        elif _DIGESTS[kind](row) != data.get("digest"):
            problems.append(Problem(kind="altered", message=f"{_LABEL[kind]} {row_id} 已被修改", **where))
    return announced


def _unannounced(rows: dict[str, dict[int, Any]], announced: dict[str, set[int]]) -> list[Problem]:
    """Rows no event announces: written past the system."""
    problems: list[Problem] = []
    for kind in ("entry", "attachment", "decision_link"):
        for row_id in sorted(set(rows[kind]) - announced[kind]):
            row = rows[kind][row_id]
            entry_id = row_id if kind == "entry" else getattr(row, "entry_id", None)
            problems.append(
                Problem(
                    kind="inserted",
                    message=f"{_LABEL[kind]} {row_id} 不在审计链中（绕过系统写入）",
                    entry_id=entry_id,
                    attachment_id=row_id if kind == "attachment" else None,
                )
            )
    return problems


def _date_problems(rows: dict[str, dict[int, Any]], case: Case) -> list[Problem]:
    # The conclusion and archive dates drive the 30-day check; they must follow from the entries.
    concluded = archived = None
    for entry_id in sorted(rows["entry"]):
        e = rows["entry"][entry_id]
        concluded, archived = compliance.advance_dates(
            concluded, archived, e.type, e.corrects_id, e.occurred_at
        )
    if (concluded, archived) != (case.concluded_on, case.archived_on):
        return [
            Problem(
                kind="altered",
                message=f"案件的结案、归档日期（{case.concluded_on}、{case.archived_on}）与记录不符"
                f"（{concluded}、{archived}）",
            )
        ]
    return []


def _file_problems(store: AttachmentStore, rows: dict[str, dict[int, Any]]) -> tuple[int, list[Problem]]:
    """Each stored file rehashed once: the number of files checked, and the missing or altered ones."""
    problems: list[Problem] = []
    files_checked = 0
    seen: dict[str, str | None] = {}
    for att in rows["attachment"].values():
        if att.sha256 not in seen:
            seen[att.sha256] = _rehash(store, att.sha256)
            files_checked += 1
        actual = seen[att.sha256]
        if actual is None:
            problems.append(
                Problem(
                    kind="file_missing",
                    message=f"附件 {att.id} 的文件已不在存储中",
                    entry_id=att.entry_id,
                    attachment_id=att.id,
                )
            )
        elif actual != att.sha256:
            problems.append(
                Problem(
                    kind="file_altered",
                    message=f"附件 {att.id} 的文件内容与登记的 SHA-256 不符",
                    entry_id=att.entry_id,
                    attachment_id=att.id,
                )
            )
    return files_checked, problems


def _rehash(store: AttachmentStore, sha256: str) -> str | None:
    try:
        return store.rehash(sha256)
    except ValueError:  # the row's sha256 column itself is not a digest any more
        return None


def _first_entry(problems: list[Problem], order: dict[int, int], events: list[Any]) -> int | None:
    """The earliest entry (in record order) that a problem touches; a broken chain counts from its seq."""
    candidates: list[tuple[int, int]] = []
    for p in problems:
        if p.entry_id is not None:
            candidates.append((order.get(p.entry_id, p.event_seq or 1 << 60), p.entry_id))
        elif p.kind == "chain_broken" and p.event_seq is not None:
            # The first entry announced at or after the break.
            for seq, entry_id in sorted((s, e) for e, s in order.items()):
                if seq >= p.event_seq:
                    candidates.append((seq, entry_id))
                    break
    return min(candidates)[1] if candidates else None

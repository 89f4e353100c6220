"""Releasing a case record outside the agency (记录办法 Art 20): only with a head's approval, audited,
and with third parties' identifiers masked.

For the party access-request flow (issue 5, `gongshi/parties/`):

- `find_cases(session, agency_code, document_number)` → ids of the agency's cases that produced the
  decision with that document number;
- `released_case_view(session, case_id, for_party=True, actor=..., reason=...)` → the record as
  the party may read it (call it after the head approved the request).

Masking covers identifiers (resident ID and other ID numbers, phones, bank accounts, e-mail,
plates, property certificates) found by `gongshi.redaction` in every text of the record, and the
`id_number` / `phone` fields of people named in entries. The party's own identifiers stay when the
view is for the party; organisations' credit codes and officers' certificate numbers (public under
公示办法 Art 9) always stay. Names are not masked: a party is entitled to know who took part in
their own case. The files themselves are listed, not altered.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Literal

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.cases import compliance
from gongshi.cases.views import RELEASE_ACTION
from gongshi.core import audit
from gongshi.errors import NotFound, Unprocessable
from gongshi.redaction.identifiers import digits_of, find_identifiers
from gongshi.storage.case_models import Case, CaseAttachment, CaseDecision, CaseEntry
from gongshi.storage.models import Agency

MASK = "××"
RecipientKind = Literal["party", "outside_body"]
# Keys of structured person data inside entries that always hold identifiers.
_IDENTIFIER_KEYS = frozenset({"id_number", "phone"})
# Keys whose values are the system's own (times, tags, references, officers' public certificate
# numbers under 公示办法 Art 9): never masked, and a date must not pass for a number.
_VERBATIM_KEYS = frozenset(
    {"occurred_at", "stage", "type", "corrects", "source_ref", "ends_on", "certificate_number"}
)


class ReleaseIn(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    recipient_kind: RecipientKind
    recipient: str = msgspec.field(default="")
    purpose: str = msgspec.field(default="")


def find_cases(session: Session, agency_code: str, document_number: str) -> list[int]:
    """Ids of `agency_code`'s cases linked to the decision numbered `document_number`."""
    return list(
        session.scalars(
            select(CaseDecision.case_id)
            .join(Case, Case.id == CaseDecision.case_id)
            .join(Agency, Agency.id == Case.agency_id)
            .where(Agency.code == agency_code, CaseDecision.document_number == document_number)
            .order_by(CaseDecision.case_id)
        )
    )


def approve_release(
    session: Session, principal: Principal, case: Case, release: ReleaseIn, now: datetime
) -> dict[str, Any]:
    """A head releases the record (the caller holds the case row); returns the released view."""
    principal.require("case.release")
    if not release.recipient.strip() or not release.purpose.strip():
        raise Unprocessable("须写明提供对象 (recipient) 和用途 (purpose)", field="recipient")
    event = audit.record(
        session,
        "case",
        case,
        actor=principal.actor,
        action=RELEASE_ACTION,
        reason=release.purpose,
        data={"recipient_kind": release.recipient_kind, "recipient": release.recipient},
        at=now,
    )
    view = released_case_view(session, case.id, for_party=release.recipient_kind == "party")
    view["release"] = {
        "seq": event.seq,
        "approved_by": principal.actor,
        "at": now.isoformat(),
        "recipient_kind": release.recipient_kind,
        "recipient": release.recipient,
        "purpose": release.purpose,
    }
    return view


def released_case_view(
    session: Session, case_id: int, *, for_party: bool, actor: str | None = None, reason: str = ""
) -> dict[str, Any]:
    """The case record as released: party's own data kept only when `for_party`, others' masked.

    With `actor`, the reading is recorded in the case's audit chain (action "release.viewed"); the
    session must then be a write session.
    """
    query = select(Case).where(Case.id == case_id)
    case = session.scalar(query.with_for_update() if actor else query)
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在", code="not_found")
    party = dict(case.party)
    keep = _party_identifiers(party) if for_party else set()
    if not for_party:
        party = _masked_party(party)
    entries = session.scalars(select(CaseEntry).where(CaseEntry.case_id == case.id).order_by(CaseEntry.id))
    attachments = _attachments_by_entry(session, case.id)
    agency = session.get(Agency, case.agency_id)
    assert agency is not None
    if actor:
        audit.record(
            session,
            "case",
            case,
            actor=actor,
            action="release.viewed",
            reason=reason,
            data={"for_party": for_party},
        )
    return {
        "case_id": case.id,
        "agency": {"code": agency.code, "name": agency.name},
        "case_number": case.case_number,
        "kind": case.kind,
        "opened_on": case.opened_on.isoformat(),
        "party": party,
        "for_party": for_party,
        "entries": [
            {
                "id": e.id,
                "stage": e.stage,
                "type": e.type,
                "type_label": compliance.LABELS.get(e.type, e.type),
                "occurred_at": e.occurred_at.isoformat(),
                "corrects": e.corrects_id,
                "record": _mask(msgspec.json.decode(e.body), keep),
                "attachments": attachments.get(e.id, []),
            }
            for e in entries
        ],
    }


def _attachments_by_entry(session: Session, case_id: int) -> dict[int, list[dict[str, Any]]]:
    """The case's attachments as released (no file name: it may name a person), by entry id."""
    attachments: dict[int, list[dict[str, Any]]] = {}
    for att in session.scalars(select(CaseAttachment).where(CaseAttachment.case_id == case_id)):
        attachments.setdefault(att.entry_id, []).append(
            {
                "id": att.id,
                "sha256": att.sha256,
                "media_type": att.media_type,
                "size": att.size,
                "captured_at": att.captured_at.isoformat(),
            }
        )
    return attachments


def _party_identifiers(party: dict[str, Any]) -> set[str]:
    return {digits_of(v) for k in _IDENTIFIER_KEYS if isinstance(v := party.get(k), str) and digits_of(v)}


def _masked_party(party: dict[str, Any]) -> dict[str, Any]:
    """The party as an outside body sees it: an organisation's registration facts, nobody's contacts."""
    out = dict(party)
    if out.get("phone"):
        out["phone"] = MASK
    if out.get("kind") == "natural_person":
        for key in ("id_number", "address", "birth_date"):
            if out.get(key):
                out[key] = MASK
    return out


def _mask(value: Any, keep: Collection[str], key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, keep, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, keep, key) for v in value]
    if isinstance(value, str):
        if key in _IDENTIFIER_KEYS:
            return value if value and digits_of(value) in keep else MASK
        if key in _VERBATIM_KEYS:
            return value
        return mask_identifiers(value, keep)
    return value


def mask_identifiers(text: str, keep: Collection[str] = ()) -> str:
    """`text` with every personal identifier replaced by ××, except those in `keep` (digits only)."""
    found = find_identifiers(text)
    if not found:
        return text
    parts: list[str] = []
    last = 0
    for f in found:
        if f.keep or digits_of(text[f.start : f.end]) in keep:
            continue
        parts.append(text[last : f.start])
        parts.append(MASK)
        last = f.end
    parts.append(text[last:])
    return "".join(parts)

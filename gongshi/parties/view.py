"""What a granted party reads: their own data in clear, third parties' identifiers still masked."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from msgspec import Struct

from gongshi.domain.intake import Intake
from gongshi.redaction import Policy, as_builtins, redact
from gongshi.redaction.engine import TEXT_FIELDS

_DROP = str.maketrans("", "", " \u3000-‐‑–—()（）:：")


class PartyDetails(Struct, frozen=True, kw_only=True):
    kind: str
    name: str
    id_type: str | None = None
    id_number: str | None = None
    legal_representative: str | None = None
    address: str | None = None
    phone: str | None = None


class PartyDecisionView(Struct, frozen=True, kw_only=True):
    """The decision as its own party may read it."""

    agency: str
    kind: str
    document_number: str
    title: str
    decided_on: date
    party: PartyDetails
    facts: str
    legal_basis: str
    result: str
    full_text: str | None
    penalty_categories: list[str]
    fine_yuan: Decimal | None
    # How many third-party items stay masked in the text.
    masked_items: int


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DROP).upper()


def _own_strings(intake: Intake) -> tuple[set[str], str]:
    p = intake.party
    own = {p.name, p.id_number, p.phone, p.address, p.legal_representative}
    if p.birth_date:
        own.add(p.birth_date.isoformat())
    return {_norm(s) for s in own if s}, _norm(p.address or "")


def _is_own(piece: str, own: set[str], address: str) -> bool:
    n = _norm(piece)
    if not n:
        return False
    if n in own:
        return True
    # An address span may carry its label (住所：…) or be part of the party's own address.
    return bool(address) and len(n) >= 4 and (n in address or address in n)


def party_view(intake: Intake, redaction: dict[str, Any] | None, policy: Policy) -> PartyDecisionView:
    """Re-apply the decision's redactions except those that only hide the party's own data."""
    if redaction is None or "redactions" not in redaction:
        redaction = as_builtins(redact(intake, policy))
    own, address = _own_strings(intake)
    spans_by_field: dict[str, list[dict[str, Any]]] = {}
    for span in redaction["redactions"]:
        spans_by_field.setdefault(span["field"], []).append(span)
    texts: dict[str, str] = {}
    masked = 0
    for field in TEXT_FIELDS:
        text = getattr(intake, field) or ""
        pieces: list[str] = []
        pos = 0
        for span in sorted(spans_by_field.get(field, []), key=lambda s: s["start"]):
            start, end = span["start"], span["end"]
            if start < pos:
                continue
            original = text[start:end]
            pieces.append(text[pos:start])
            if _is_own(original, own, address):
                pieces.append(original)
            else:
                pieces.append(span["replacement"])
                masked += 1
            pos = end
        pieces.append(text[pos:])
        texts[field] = "".join(pieces)
    p = intake.party
    penalty = intake.penalty
    return PartyDecisionView(
        agency=intake.agency.name,
        kind=intake.kind,
        document_number=intake.document_number,
        title=texts["title"] or intake.title,
        decided_on=intake.decided_on,
        party=PartyDetails(
            kind=p.kind,
            name=p.name,
            id_type=p.id_type,
            id_number=p.id_number,
            legal_representative=p.legal_representative,
            address=p.address,
            phone=p.phone,
        ),
        facts=texts["facts"],
        legal_basis=texts["legal_basis"],
        result=texts["result"],
        full_text=texts["full_text"] or None,
        penalty_categories=list(penalty.categories) if penalty else [],
        fine_yuan=penalty.fine_yuan if penalty else None,
        masked_items=masked,
    )

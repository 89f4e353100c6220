"""The one canonical mapping from a stored decision to a 双公示 row (all four templates).

Identity columns come from the stored intake (the credit platform needs the party's identifiers);
text columns come from the reviewed, redacted public record, and the leak gate checks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gongshi.credit.templates import (
    CATEGORY_INDIVIDUAL,
    CATEGORY_LEGAL,
    CATEGORY_NATURAL,
    ID_TYPES,
    LICENSE_CATEGORIES,
    LONG_TERM,
    NO_USCC,
    PENALTY_CATEGORIES,
    Template,
)
from gongshi.domain.intake import Intake

# Why a record is no longer valid on the credit platform (当前状态 = 2), for 备注.
WITHDRAW_LABELS = {
    "revoked": "被依法撤销",
    "confirmed_illegal": "被确认违法",
    "redo_ordered": "被责令重新作出",
    "error": "信息有误",
    "credit_repair": "信用修复",
    "other": "其他",
}

_FACTS_LEAD = re.compile(r"^(经查明?|现查明|经调查|经查实|查明)[，,:：]?")


@dataclass(frozen=True)
class Source:
    """What the mapping reads of one decision."""

    decision_id: int
    revision: int
    kind: str
    state: str
    intake: Intake
    public: dict[str, Any]
    agency_code: str
    agency_name: str
    publish_until: date | None
    withdraw_reason: str | None = None
    withdrawal_explanation: str | None = None
    reported_revision: int | None = None  # the revision the last export carried, if any


def template_for(kind: str, party_kind: str) -> Template | None:
    natural = party_kind == "natural_person"
    if kind == "penalty":
        return "natural_penalty" if natural else "legal_penalty"
    if kind == "licensing":
        return "natural_license" if natural else "legal_license"
    return None


def fmt_date(d: date | None) -> str:
    return f"{d.year:04d}/{d.month:02d}/{d.day:02d}" if d else ""


def yuan_to_wan(amount: Decimal | str | float | None) -> str:
    """元 → 万元 with at most 6 decimals, no trailing zeros (5000 → 0.5)."""
    if amount is None:
        return ""
    wan = (Decimal(str(amount)) / Decimal(10000)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    text = format(wan.normalize(), "f")
    return text


def party_category(party_kind: str) -> str:
    if party_kind == "natural_person":
        return CATEGORY_NATURAL
    if party_kind == "individual_business":
        return CATEGORY_INDIVIDUAL
    return CATEGORY_LEGAL


def violation_type(intake: Intake, public: dict[str, Any]) -> str:
    """The agency's 违法行为类型, or the first sentence of the public facts when it sent none."""
    if intake.penalty and intake.penalty.violation_type:
        return intake.penalty.violation_type.strip()
    facts = _FACTS_LEAD.sub("", (public.get("facts") or "").strip())
    first = re.split(r"[。；;\n]", facts, maxsplit=1)[0].strip()
    return first[:200]


def _remark(src: Source, status: int) -> str:
    if status == 2:
        if src.state == "expired":
            reason = f"公示期满（{fmt_date(src.publish_until)}）" if src.publish_until else "公示期满"
        else:
            reason = WITHDRAW_LABELS.get(src.withdraw_reason or "other", "其他")
            if src.withdrawal_explanation:
                reason += f"：{src.withdrawal_explanation.strip()}"
        return f"当前状态：2（无效）；原因：{reason}"
    if src.reported_revision is not None and src.reported_revision != src.revision:
        return f"信息更正（第 {src.revision} 版）"
    return ""


def canonical_row(src: Source, status: int) -> dict[str, str]:
    """Every column of every template for this decision, as strings."""
    intake, public = src.intake, src.public
    party = intake.party
    row: dict[str, str] = {
        "party_name": party.name,
        "party_category": party_category(party.kind),
        "document_number": intake.document_number,
        "decided_on": fmt_date(intake.decided_on),
        "facts": public.get("facts") or "",
        "legal_basis": public.get("legal_basis") or "",
        "result": public.get("result") or "",
        "authority": src.agency_name,
        "authority_code": src.agency_code,
        "source_unit": src.agency_name,
        "source_unit_code": src.agency_code,
        "status": str(status),
        "remark": _remark(src, status),
    }
    if party.kind == "natural_person":
        row["id_type"] = ID_TYPES.get(party.id_type or "", "") if party.id_number else ""
        row["id_number"] = party.id_number or ""
    else:
        if party.id_type == "uscc" and party.id_number:
            row["code_uscc"] = party.id_number.strip().upper()
        elif party.kind == "individual_business" and party.id_number:
            row["code_uscc"] = NO_USCC
            row["code_registration"] = party.id_number.strip()
        row["legal_rep"] = party.legal_representative or ""
    if src.kind == "penalty":
        penalty = intake.penalty
        categories = list(penalty.categories) if penalty else []
        row["violation_type"] = violation_type(intake, public)
        row["penalty_category"] = ";".join(PENALTY_CATEGORIES[c] for c in categories)
        row["fine_wan"] = yuan_to_wan(penalty.fine_yuan) if penalty else ""
        row["confiscated_wan"] = yuan_to_wan(penalty.confiscated_yuan) if penalty else ""
        lic = intake.license
        if lic and {"suspend_license", "revoke_license"} & set(categories):
            row["license_affected"] = f"{lic.name} {lic.number or ''}".strip()
        suspended_until = lic.valid_until if lic and "suspend_license" in categories else None
        row["penalty_valid_until"] = fmt_date(suspended_until) or LONG_TERM
        row["publish_until"] = fmt_date(src.publish_until) or LONG_TERM
    else:
        lic = intake.license
        row["license_document_title"] = public.get("title") or intake.title
        row["license_category"] = LICENSE_CATEGORIES[(lic.category if lic else None) or "other"]
        row["license_name"] = lic.name if lic else ""
        row["license_number"] = (lic.number or "") if lic else ""
        row["valid_from"] = fmt_date((lic.valid_from if lic else None) or intake.decided_on)
        row["valid_until"] = fmt_date(lic.valid_until if lic else None) or LONG_TERM
    return row

"""Strict interim policy: publish only fields that carry no personal data.

Used until the full redaction engine lands. It never publishes free text and never a natural
person: facts, results, the full text and any natural person's details are left out entirely.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongshi.domain.intake import Intake
from gongshi.domain.public import PublicAgency, PublicDecision, PublicLicense, PublicParty, PublicPenalty
from gongshi.redaction.types import LeakHit, Policy, Reason, RedactionResult

VERSION = "interim-1"

_KIND_TITLES = {
    "licensing": "行政许可决定",
    "penalty": "行政处罚决定",
    "coercion": "行政强制决定",
    "inspection": "行政检查结果",
    "expropriation": "行政征收征用决定",
    "confirmation": "行政确认决定",
    "other": "行政执法决定",
}


def redact(intake: Intake, policy: Policy | None = None) -> RedactionResult:
    policy = policy or Policy()
    reasons = [
        Reason(code=code, detail=detail)
        for code, flagged, detail in (
            ("state_secret", intake.sensitivity.state_secret, "机关标注涉及国家秘密"),
            ("trade_secret", intake.sensitivity.trade_secret, "机关标注涉及商业秘密"),
            ("privacy_harm", intake.sensitivity.privacy_harm, "机关标注公开会损害第三人合法权益"),
            ("public_security", intake.sensitivity.public_security, "机关标注公开可能危及公共安全"),
        )
        if flagged
    ]
    if any(p.role == "minor" for p in intake.persons) and not policy.minor_override:
        reasons.append(Reason(code="minor", detail="涉及未成年人"))
    is_org = intake.party.kind in ("legal_person", "other_org")
    party = PublicParty(
        kind=intake.party.kind,
        name=intake.party.name if is_org else "（自然人，暂不公开）",
        id_type="uscc" if is_org and intake.party.id_type == "uscc" else None,
        id_number=intake.party.id_number if is_org and intake.party.id_type == "uscc" else None,
    )
    penalty = (
        PublicPenalty(
            categories=list(intake.penalty.categories),
            fine_yuan=intake.penalty.fine_yuan,
            confiscated_yuan=intake.penalty.confiscated_yuan,
        )
        if intake.penalty
        else None
    )
    license_ = (
        PublicLicense(
            name=intake.license.name,
            number=intake.license.number,
            valid_from=intake.license.valid_from,
            valid_until=intake.license.valid_until,
        )
        if intake.license
        else None
    )
    public = PublicDecision(
        agency=PublicAgency(code=intake.agency.code, name=intake.agency.name),
        kind=intake.kind,
        document_number=intake.document_number,
        title=f"{intake.agency.name}{_KIND_TITLES[intake.kind]}",
        decided_on=intake.decided_on,
        party=party,
        legal_basis=intake.legal_basis,
        penalty=penalty,
        license=license_,
    )
    return RedactionResult(
        status="withheld" if reasons else "publishable",
        reasons=reasons,
        public=public,
        redactions=[],
        doubts=[],
    )


_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


class LeakGate:
    """Re-scans outgoing bytes for protected strings from the intake and obvious identifiers."""

    def __init__(self, protected: Iterable[str] = ()) -> None:
        self._protected = sorted({p for p in protected if p and len(p) >= 2}, key=len, reverse=True)

    @classmethod
    def for_intake(cls, intake: Intake) -> LeakGate:
        strings: list[str] = [p.name for p in intake.persons]
        if intake.party.id_type != "uscc" and intake.party.id_number:
            strings.append(intake.party.id_number)
        if intake.party.kind in ("natural_person", "individual_business"):
            strings += [intake.party.address or "", intake.party.phone or ""]
        strings += [p.id_number or "" for p in intake.persons]
        return cls(strings)

    def scan(self, data: bytes | str) -> list[LeakHit]:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        hits = [
            LeakHit(category="protected", rule="intake_string", start=i, end=i + len(p), excerpt=p[:1] + "…")
            for p in self._protected
            if (i := text.find(p)) >= 0
        ]
        for category, rx in (("resident_id", _RESIDENT_ID), ("phone", _MOBILE)):
            hits += [
                LeakHit(category=category, rule=rx.pattern[:20], start=m.start(), end=m.end(), excerpt="…")
                for m in rx.finditer(text)
            ]
        return hits

"""Shared steps on one decision: load it in scope, redact it, gate it, build its disclosure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from gongshi.auth.principal import Principal
from gongshi.domain.expiry import ExpiryConfig, ExpiryRules, agency_rules, publication_end
from gongshi.domain.intake import Intake
from gongshi.redaction import REDACTION_VERSION, LeakGate, Policy, as_builtins, redact
from gongshi.storage.models import Agency, Decision, Disclosure
from gongshi.storage.scoped import load_scoped

_intake_decoder = msgspec.json.Decoder(Intake)


def stored_intake(decision: Decision) -> Intake:
    return _intake_decoder.decode(decision.intake)


def load(session: Session, principal: Principal, decision_id: int, *, for_update: bool = False) -> Decision:
    """The decision if this principal may see it; 404 otherwise, so existence does not leak."""
    return load_scoped(
        session,
        Decision,
        decision_id,
        sees=lambda d: principal.sees_agency(d.agency_id),
        missing=f"决定 {decision_id} 不存在",
        for_update=for_update,
    )


def apply_redaction(decision: Decision, intake: Intake, policy: Policy) -> str:
    """Run redaction for the current revision and store its output; returns the status."""
    result = redact(intake, policy)
    decision.redaction = as_builtins(result)
    decision.redaction_version = REDACTION_VERSION
    return result.status


def public_bytes(decision: Decision) -> bytes:
    """The exact JSON the read model will hold for this decision (whose agency block publication
    then takes from the directory: `disclosure_fields`)."""
    assert decision.redaction is not None
    return msgspec.json.encode(decision.redaction["public"])


def masked_names(decision: Decision, intake: Intake) -> set[str]:
    """The names the stored redaction masked, read back from its spans over the original text."""
    assert decision.redaction is not None
    names = set()
    for span in decision.redaction["redactions"]:
        if span["category"] == "name":
            text = getattr(intake, span["field"], None)
            if isinstance(text, str):
                names.add(text[span["start"] : span["end"]])
    return names


def leak_hits(decision: Decision, intake: Intake, policy: Policy) -> list[dict[str, Any]]:
    """What the leak gate finds in the exact bytes about to be published.

    Identifiers and the intake's protected strings are detected afresh. The names to look for are
    the ones the reviewed redaction masked (its spans): exactly what `LeakGate.for_intake` would find
    by segmenting the text again, without paying for segmentation in the publishing worker.
    """
    gate = LeakGate.for_intake(intake, policy, names=masked_names(decision, intake))
    return [msgspec.to_builtins(h) for h in gate.scan(public_bytes(decision))]


def disclosure_fields(
    decision: Decision,
    agency: Agency,
    intake: Intake,
    *,
    serious_fine_yuan: int,
    expiry_rules: ExpiryConfig | None = None,
) -> dict[str, Any]:
    """Read-model columns for the decision's current public record.

    The agency is published as the directory registers it, not as the intake named it: an agency
    system could otherwise publish under another agency's name. The name is the one in force when
    the decision is published (or corrected); a later rename does not rewrite published records.
    """
    assert decision.redaction is not None
    record: dict[str, Any] = {
        **decision.redaction["public"],
        "agency": {"code": agency.code, "name": agency.name},
    }
    return {
        "agency_code": agency.code,
        "agency_name": agency.name,
        "region": agency.region,
        "kind": decision.kind,
        "document_number": record["document_number"],
        "title": record["title"],
        "decided_on": decision.decided_on,
        "expires_on": expiry_for(intake, serious_fine_yuan, agency_rules(expiry_rules, agency.code)),
        "revision": decision.revision,
        "record": record,
    }


def expiry_for(intake: Intake, serious_fine_yuan: int, rules: ExpiryRules | None = None) -> date | None:
    return publication_end(intake, serious_fine_yuan=serious_fine_yuan, rules=rules)


def agency_code(session: Session, decision: Decision) -> str | None:
    return session.scalar(select(Agency.code).where(Agency.id == decision.agency_id))


def set_disclosure(session: Session, disclosure: Disclosure, fields: dict[str, Any], now: datetime) -> None:
    for name, value in fields.items():
        setattr(disclosure, name, value)
    disclosure.updated_at = now

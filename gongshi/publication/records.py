"""Shared steps on one decision: load it in scope, redact it, gate it, build its disclosure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from gongshi.auth.principal import Principal
from gongshi.domain.expiry import ExpiryConfig, ExpiryRules, agency_rules, publication_end
from gongshi.domain.intake import Intake
from gongshi.publication import agency_terms
from gongshi.redaction import REDACTION_VERSION, LeakGate, Policy, RedactionResult, as_builtins, redact
from gongshi.redaction import edits as review_edits
from gongshi.redaction.engine import published_strings
from gongshi.redaction.entities import texts_of
from gongshi.redaction.protected import protected_strings
from gongshi.redaction.types import Doubt, Span
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
    """Run redaction for the current revision, re-apply the reviewer's edits, store; returns the status.

    Edits whose text a correction changed are asked again (`edits.rebase`); on the same text
    (new rules, a release) every edit applies as before.
    """
    result = redact(intake, policy)
    texts = texts_of(intake)
    edits = review_edits.rebase(review_edits.load(decision.redaction_edits), texts)
    decision.redaction_edits = review_edits.dump(edits) if edits else None
    stored = as_builtins(result)
    stored["engine"] = {"redactions": stored["redactions"], "doubts": stored["doubts"]}
    session = object_session(decision)
    terms = agency_terms.accepted(session, decision.agency_id) if session is not None else None
    stored["agency_terms"] = msgspec.to_builtins(terms) if terms and (terms.always or terms.never) else None
    decision.redaction = _reviewed(stored, result, texts, edits)
    decision.redaction_version = REDACTION_VERSION
    return result.status


def reapply_edits(decision: Decision, intake: Intake) -> None:
    """Replay the stored edits over the stored engine output (no engine run): after an edit or undo."""
    assert decision.redaction is not None
    stored = dict(decision.redaction)
    base = stored.get("engine") or {"redactions": stored["redactions"], "doubts": stored["doubts"]}
    stored["engine"] = base
    result = msgspec.convert(
        {**stored, "redactions": base["redactions"], "doubts": base["doubts"]}, RedactionResult
    )
    decision.redaction = _reviewed(
        stored, result, texts_of(intake), review_edits.load(decision.redaction_edits)
    )


def _reviewed(
    stored: dict[str, Any], result: RedactionResult, texts: dict[str, str], edits: list[review_edits.Edit]
) -> dict[str, Any]:
    raw_terms = stored.get("agency_terms")
    terms = msgspec.convert(raw_terms, review_edits.AgencyTerms) if raw_terms else None
    out = review_edits.replay(texts, result.redactions, result.doubts, edits, terms)
    public = msgspec.structs.replace(
        result.public,
        **{f: out.texts[f] for f in texts if f != "full_text" or result.public.full_text is not None},
    )
    return {
        **stored,
        "public": msgspec.to_builtins(public),
        "redactions": msgspec.to_builtins(out.spans),
        "doubts": msgspec.to_builtins(out.doubts),
        "entities": msgspec.to_builtins(out.entities),
        "reviewer": {"masked": out.masked, "published": out.published},
    }


def ensure_reviewable(decision: Decision, intake: Intake) -> None:
    """A record redacted before entities and doubt ids existed gets them (replaying its edits, if any)."""
    red = decision.redaction
    if red is None:
        return
    if "entities" not in red or any(not q.get("id") for q in red.get("doubts", [])):
        reapply_edits(decision, intake)


def open_doubts(decision: Decision) -> list[dict[str, Any]]:
    return [q for q in (decision.redaction or {}).get("doubts", []) if q.get("status", "open") == "open"]


def spans_of(decision: Decision) -> list[Span]:
    return msgspec.convert((decision.redaction or {}).get("redactions", []), list[Span])


def doubts_of(decision: Decision) -> list[Doubt]:
    return msgspec.convert((decision.redaction or {}).get("doubts", []), list[Doubt])


def public_bytes(decision: Decision) -> bytes:
    """The exact JSON the read model will hold for this decision (whose agency block publication
    then takes from the directory: `disclosure_fields`)."""
    assert decision.redaction is not None
    return msgspec.json.encode(decision.redaction["public"])


def masked_names(decision: Decision, intake: Intake) -> set[str]:
    """The names the stored redaction masked, read back from its spans over the original text."""
    assert decision.redaction is not None
    names = set((decision.redaction.get("reviewer") or {}).get("masked", []))
    for span in decision.redaction["redactions"]:
        # Whatever a reviewer masked is blocked like a name, in any category (issue 11).
        if span["category"] == "name" or span.get("rule") == "reviewer":
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
    reviewer = (decision.redaction or {}).get("reviewer") or {}
    gate = LeakGate(
        protected_strings(intake, policy),
        names=masked_names(decision, intake),
        # An occurrence the reviewer unticked is published on purpose (with its two neighbours each side).
        published=[*published_strings(intake, policy), *reviewer.get("published", [])],
    )
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

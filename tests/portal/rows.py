"""Read-model rows inserted directly, for tests about rendering rather than the workflow."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.search.indexer import engine_for, reindex
from gongshi.storage.models import Agency, Decision, Disclosure

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "agency": {"code": "11340100MB0000000X", "name": "合肥市市场监督管理局"},
        "kind": "penalty",
        "document_number": "合市监罚〔2026〕1号",
        "title": "合肥某某食品有限公司行政处罚决定书",
        "decided_on": "2026-11-20",
        "party": {
            "kind": "legal_person",
            "name": "合肥某某食品有限公司",
            "id_type": "uscc",
            "id_number": "91340100MA2N0000XF",
            "legal_representative": "李某某",
            "address": None,
        },
        "facts": "当事人经营超过保质期的食品。",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
        "result": "警告，并处罚款5000元。",
        "penalty": {"categories": ["warning", "fine"], "fine_yuan": "5000.00", "confiscated_yuan": None},
        "license": None,
        "full_text": None,
    }
    base.update(overrides)
    return base


def insert(wf: Workflow, public_id: str, *, status: str = "published", **overrides: Any) -> str:
    """One disclosure (with its agency and decision rows); keyword arguments override the record."""
    rec = record(**{k: v for k, v in overrides.items() if k in record()})
    columns = {k: v for k, v in overrides.items() if k not in rec}
    agency_code = rec["agency"]["code"]
    with wf.db.write() as s:
        agency = s.scalar(select(Agency).where(Agency.code == agency_code))
        if agency is None:
            agency = Agency(
                code=agency_code,
                name=rec["agency"]["name"],
                region=agency_code[2:8],
                profile={},
                created_at=NOW,
            )
            s.add(agency)
            s.flush()
        decided = date.fromisoformat(rec["decided_on"])
        decision = Decision(
            agency_id=agency.id,
            source_id=public_id,
            kind=rec["kind"],
            document_number=rec["document_number"],
            title=rec["title"],
            decided_on=decided,
            state=status,
            revision=columns.get("revision", 1),
            intake=b"{}",
            content_hash="0" * 64,
            publish_by=decided,
            publish_by_provisional=False,
            public_id=public_id,
            created_at=NOW,
            updated_at=NOW,
        )
        s.add(decision)
        s.flush()
        s.add(
            Disclosure(
                public_id=public_id,
                decision_id=decision.id,
                status=status,
                agency_code=agency_code,
                agency_name=rec["agency"]["name"],
                region=agency.region,
                kind=rec["kind"],
                document_number=rec["document_number"],
                title=rec["title"],
                decided_on=decided,
                published_at=columns.get("published_at", NOW),
                corrected_at=columns.get("corrected_at"),
                expires_on=columns.get("expires_on", date(2027, 11, 20)),
                revision=columns.get("revision", 1),
                record=rec,
                withdrawn_at=columns.get("withdrawn_at"),
                withdrawal_reason=columns.get("withdrawal_reason"),
                withdrawal_explanation=columns.get("withdrawal_explanation"),
                superseded_by=columns.get("superseded_by"),
                updated_at=columns.get("updated_at", NOW),
            )
        )
    return public_id


def index(wf: Workflow) -> int:
    """Rebuild the search index from the read model (what `gongshi reindex` does)."""
    engine = engine_for(wf.settings, writer=True)
    try:
        return reindex(wf, engine)
    finally:
        engine.close()

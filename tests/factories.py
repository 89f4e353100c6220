"""Small explicit factories for tests."""

from __future__ import annotations

import copy
from typing import Any

from gongshi.auth.credentials import create_token
from gongshi.core.context import Workflow
from gongshi.storage.models import Agency

AGENCY_A = {"code": "11340100MB0000000X", "name": "合肥市市场监督管理局"}
AGENCY_B = {"code": "11340200MB1111111Y", "name": "芜湖市市场监督管理局"}

BASE: dict[str, Any] = {
    "source_id": "HF-SJ-2026-000123",
    "agency": AGENCY_A,
    "kind": "penalty",
    "document_number": "合市监罚〔2026〕123号",
    "title": "合肥某某食品有限公司行政处罚决定书",
    "decided_on": "2026-11-20",
    "party": {
        "kind": "legal_person",
        "name": "合肥某某食品有限公司",
        "id_type": "uscc",
        "id_number": "91340100MA2N0000XF",
        "legal_representative": "李某某",
    },
    "facts": "当事人经营超过保质期的食品。",
    "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
    "result": "警告，并处罚款5000元。",
    "penalty": {"categories": ["warning", "fine"], "fine_yuan": "5000.00"},
}


def intake(**overrides: Any) -> dict[str, Any]:
    """A valid intake object; keyword arguments replace top-level fields."""
    body = copy.deepcopy(BASE)
    body.update(overrides)
    return body


def token(wf: Workflow, role: str, agency: dict[str, str] | None = AGENCY_A) -> dict[str, str]:
    """Authorization headers for a new token of `role` in `agency` (None: admin, all agencies)."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    with wf.db.write() as session:
        row = None
        if agency is not None:
            row = session.scalar(select(Agency).where(Agency.code == agency["code"]))
            if row is None:
                row = Agency(
                    code=agency["code"],
                    name=agency["name"],
                    region=agency["code"][2:8],
                    profile={},
                    created_at=datetime.now(UTC),
                )
                session.add(row)
                session.flush()
        value = create_token(session, role=role, agency=row)
    return {"Authorization": f"Bearer {value}"}


def approve(client: Any, wf: Workflow, decision_id: int, agency: dict[str, str] | None = AGENCY_A) -> Any:
    """Approve as reviewers do: when the agency's rule asks for a second review, a second reviewer
    (another token) approves too. Returns the last response."""
    resp = client.post(
        f"/api/v1/decisions/{decision_id}/approve", json={}, headers=token(wf, "reviewer", agency)
    )
    if resp.status_code == 200 and resp.json()["state"] == "second_review":
        resp = client.post(
            f"/api/v1/decisions/{decision_id}/approve", json={}, headers=token(wf, "reviewer", agency)
        )
    return resp

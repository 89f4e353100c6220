"""The audit chain detects edits, deletions and truncation made directly in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from gongshi.core.context import Workflow
from gongshi.storage.models import AuditEvent, Decision
from gongshi.worker import run_once
from tests.factories import intake, token


def _decision_with_history(client: Any, wf: Workflow) -> tuple[int, dict[str, str]]:
    rev = token(wf, "reviewer")
    decision_id: int = client.post("/api/v1/decisions", json=intake(), headers=token(wf, "submitter")).json()[
        "id"
    ]
    run_once(wf)
    client.post(f"/api/v1/decisions/{decision_id}/approve", json={"note": "同意"}, headers=rev)
    run_once(wf)
    return decision_id, rev


def test_intact_chain(client: Any, wf: Workflow) -> None:
    decision_id, rev = _decision_with_history(client, wf)
    trail = client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()
    assert trail["intact"] is True
    assert [e["seq"] for e in trail["events"]] == [1, 2, 3, 4]
    assert all(e["actor"] for e in trail["events"])


def test_edited_event_is_detected(client: Any, wf: Workflow) -> None:
    decision_id, rev = _decision_with_history(client, wf)
    with wf.db.write() as s:
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.subject_id == decision_id, AuditEvent.seq == 3)
            .values(reason="无意见")
        )
    trail = client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()
    assert (trail["intact"], trail["first_bad_seq"]) == (False, 3)


def test_deleted_event_is_detected(client: Any, wf: Workflow) -> None:
    decision_id, rev = _decision_with_history(client, wf)
    with wf.db.write() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.subject_id == decision_id, AuditEvent.seq == 2))
    trail = client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()
    assert (trail["intact"], trail["first_bad_seq"]) == (False, 2)


def test_truncated_chain_is_detected(client: Any, wf: Workflow) -> None:
    decision_id, rev = _decision_with_history(client, wf)
    with wf.db.write() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.subject_id == decision_id, AuditEvent.seq == 4))
    trail = client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()
    assert trail["intact"] is False
    # Even rewriting the head to match is caught: the head's hash no longer matches the last event.
    with wf.db.write() as s:
        s.execute(update(Decision).where(Decision.id == decision_id).values(audit_seq=3))
    assert client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()["intact"] is False

"""Agency term lists: edits propose, a head accepts, redaction applies them to the agency's decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.publication import records
from gongshi.storage.models import AuditEvent, Decision
from tests.factories import AGENCY_A, AGENCY_B, token
from tests.internal_api.test_redaction_edits import _edit, _entity, _in_review

TERMS = f"/api/v1/agencies/{AGENCY_A['code']}/terms"


def test_edits_propose_a_head_accepts_redaction_applies(client: Any, wf: Workflow) -> None:
    rev, head = token(wf, "reviewer"), token(wf, "head")
    first = _in_review(client, wf)
    _edit(client, first, rev, action="mask", text="小明", category="name")
    village = _entity(client.get(f"/api/v1/decisions/{first}", headers=rev).json(), "王庄")
    _edit(client, first, rev, action="unmask", entity_id=village["id"], reason="村名")
    items = client.get(TERMS, headers=rev).json()["items"]
    assert {(t["term"], t["kind"], t["status"]) for t in items} == {
        ("小明", "always", "proposed"),
        ("王庄", "never", "proposed"),
    }
    assert all(t["source_decision_id"] == first for t in items)
    # Proposals change nothing yet: a second decision is redacted as the engine alone would.
    second = _in_review(client, wf, source_id="HF-SJ-2026-000124")
    record = client.get(f"/api/v1/decisions/{second}", headers=rev).json()
    assert "小明" in record["public"]["facts"] and "王庄" not in record["public"]["facts"]
    refused = client.post(f"{TERMS}/{items[0]['id']}/decision", json={"accept": True}, headers=rev)
    assert refused.status_code == 403
    for t in items:
        done = client.post(f"{TERMS}/{t['id']}/decision", json={"accept": True, "note": "同意"}, headers=head)
        assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert (
        client.post(f"{TERMS}/{items[0]['id']}/decision", json={"accept": True}, headers=head).status_code
        == 409
    )
    third = _in_review(client, wf, source_id="HF-SJ-2026-000125")
    record = client.get(f"/api/v1/decisions/{third}", headers=rev).json()
    assert "小明" not in record["public"]["facts"] and "前往王庄调查" in record["public"]["facts"]
    assert _entity(record, "小明")["source"] == "agency_list"
    with wf.db.read() as s:
        d = s.get(Decision, third)
        assert d is not None and d.redaction is not None
        tampered = {**d.redaction, "public": {**d.redaction["public"], "result": "小　明"}}
        d.redaction = tampered
        assert [h["rule"] for h in records.leak_hits(d, records.stored_intake(d), wf.policy())] == ["name"]


def test_terms_by_hand_and_their_audit(client: Any, wf: Workflow) -> None:
    head = token(wf, "head")
    made = client.post(TERMS, json={"term": "欧阳执法", "kind": "always", "category": "name"}, headers=head)
    assert made.status_code == 201 and made.json()["status"] == "proposed"
    bad = client.post(TERMS, json={"term": "欧阳", "kind": "always", "category": "x"}, headers=head)
    assert bad.status_code == 400
    assert client.post(TERMS, json={"term": "王", "kind": "never"}, headers=head).status_code == 400
    rejected = client.post(f"{TERMS}/{made.json()['id']}/decision", json={"accept": False}, headers=head)
    assert rejected.json()["status"] == "rejected"
    kept = client.post(TERMS, json={"term": "王庄", "kind": "never"}, headers=head).json()
    client.post(f"{TERMS}/{kept['id']}/decision", json={"accept": True}, headers=head)
    removal = f"{TERMS}/{kept['id']}/removal"
    assert client.post(removal, json={"reason": "改动"}, headers=token(wf, "reviewer")).status_code == 403
    assert client.post(removal, json={}, headers=head).status_code in (400, 422)
    removed = client.post(removal, json={"reason": "不再需要"}, headers=head)
    assert removed.status_code == 200 and removed.json()["status"] == "removed"
    assert removed.json()["status_label"] == "已移除"
    assert client.post(removal, json={"reason": "不再需要"}, headers=head).status_code == 409
    other = token(wf, "head", AGENCY_B)
    assert client.post(removal, json={"reason": "越权"}, headers=other).status_code == 404
    assert client.get(TERMS, headers=token(wf, "submitter")).status_code == 200
    with wf.db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.subject_type == "agency")).all()
    assert [(e.action, e.data["term"], e.actor.startswith("token:")) for e in events] == [
        ("term_proposed", "欧阳执法", True),
        ("term_rejected", "欧阳执法", True),
        ("term_proposed", "王庄", True),
        ("term_accepted", "王庄", True),
        ("term_removed", "王庄", True),
    ]

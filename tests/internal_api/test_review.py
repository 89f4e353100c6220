"""Reviewer actions through the API, and what the worker then does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.storage.models import Decision, Disclosure, OutboxEvent
from gongshi.worker import run_once
from tests.conftest import Clock
from tests.factories import intake, token


def _in_review(client: Any, wf: Workflow, **overrides: Any) -> int:
    decision_id: int = client.post(
        "/api/v1/decisions", json=intake(**overrides), headers=token(wf, "submitter")
    ).json()["id"]
    run_once(wf)
    return decision_id


def test_lifecycle_publish_then_withdraw(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["state"] == "in_review"
    assert record["public"]["party"]["id_number"] == "91340100MA2N0000XF"
    # Nothing is published before approval, however often the worker runs.
    run_once(wf)
    with wf.db.read() as s:
        assert s.scalars(select(Disclosure)).all() == []
    assert (
        client.post(f"/api/v1/decisions/{decision_id}/approve", json={"note": "同意"}, headers=rev).json()[
            "state"
        ]
        == "approved"
    )
    assert run_once(wf)["published"] == 1
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["state"] == "published"
    assert record["public_url"].endswith(f"/disclosures/{record['public_id']}")
    assert record["expires_on"] == "2027-11-20"  # an ordinary fine: one year
    with wf.db.read() as s:
        disclosure = s.scalar(select(Disclosure))
        assert disclosure is not None and disclosure.status == "published"
        assert disclosure.record == record["public"]
    resp = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        headers=rev,
        json={
            "reason": "revoked",
            "ruling_received_on": "2026-11-24",
            "explanation": "原处罚决定已被行政复议机关撤销。",
        },
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["state"] == "withdrawn"
    # A penalty: 3 days from the ruling (行政处罚法 Art 48).
    assert resp.json()["withdraw_by"] == "2026-11-27"
    with wf.db.read() as s:
        disclosure = s.scalar(select(Disclosure))
        assert disclosure is not None and disclosure.status == "withdrawn"
        assert disclosure.withdrawal_explanation == "原处罚决定已被行政复议机关撤销。"
        topics = [e.topic for e in s.scalars(select(OutboxEvent).order_by(OutboxEvent.id))]
    assert topics == ["search.upsert", "search.delete"]
    trail = client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()
    assert trail["intact"] is True
    assert [e["action"] for e in trail["events"]] == ["receive", "redacted", "approve", "publish", "withdraw"]


def test_withdraw_needs_ruling_date_and_explanation(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev)
    run_once(wf)
    no_date = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        headers=rev,
        json={"reason": "revoked", "explanation": "已撤销。。"},
    )
    assert no_date.status_code == 422
    assert no_date.json()["error"]["field"] == "ruling_received_on"
    no_reason = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw", headers=rev, json={"reason": "revoked"}
    )
    assert no_reason.status_code == 400
    assert no_reason.json()["error"]["field"] == "explanation"
    early_repair = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        headers=rev,
        json={"reason": "credit_repair", "explanation": "当事人申请信用修复"},
    )
    assert early_repair.status_code == 422
    assert early_repair.json()["error"]["code"] == "too_early"


def test_not_before_holds_publication(client: Any, wf: Workflow, clock: Clock) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    resp = client.post(
        f"/api/v1/decisions/{decision_id}/approve", json={"not_before": "2026-11-27"}, headers=rev
    )
    assert resp.status_code == 200
    assert run_once(wf)["published"] == 0
    clock.set("2026-11-26T23:59:00+08:00")
    assert run_once(wf)["published"] == 0
    clock.set("2026-11-27T00:00:01+08:00")
    assert run_once(wf)["published"] == 1
    bad = client.post(
        f"/api/v1/decisions/{decision_id}/approve", json={"not_before": "tomorrow"}, headers=rev
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["field"] == "not_before"


def test_actions_in_the_wrong_state_are_409(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=token(wf, "submitter")).json()["id"]
    resp = client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev)
    assert resp.status_code == 409
    assert resp.json()["error"]["code"] == "invalid_state"
    resp = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        headers=rev,
        json={"reason": "error", "explanation": "信息有误需撤下"},
    )
    assert resp.status_code == 409


def test_withhold_and_send_back(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    first = _in_review(client, wf)
    resp = client.post(
        f"/api/v1/decisions/{first}/withhold",
        headers=rev,
        json={"reason": "trade_secret", "note": "涉及配方"},
    )
    assert resp.json()["state"] == "withheld"
    assert resp.json()["withheld_reason"] == "trade_secret"
    assert (
        client.post(f"/api/v1/decisions/{first}/withhold", headers=rev, json={"reason": "minor"}).status_code
        == 400
    )
    second = _in_review(client, wf, source_id="second")
    resp = client.post(f"/api/v1/decisions/{second}/send-back", headers=rev, json={"note": "文号有误"})
    assert resp.json()["state"] == "returned"
    # The agency resubmits corrected content; it goes through redaction and review again.
    client.post(
        "/api/v1/decisions",
        json=intake(source_id="second", document_number="合市监罚〔2026〕124号"),
        headers=token(wf, "submitter"),
    )
    run_once(wf)
    assert client.get(f"/api/v1/decisions/{second}", headers=rev).json()["state"] == "in_review"


def test_sensitivity_flag_withholds_automatically_and_only_a_head_releases(client: Any, wf: Workflow) -> None:
    decision_id = _in_review(client, wf, sensitivity={"state_secret": True})
    rev, head = token(wf, "reviewer"), token(wf, "head")
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["state"] == "withheld"
    assert record["withheld_reason"] == "state_secret"
    assert client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev).status_code == 409
    assert (
        client.post(f"/api/v1/decisions/{decision_id}/release", json={"note": "x"}, headers=rev).status_code
        == 403
    )
    # Still a state secret: releasing cannot make it publishable.
    resp = client.post(f"/api/v1/decisions/{decision_id}/release", json={"note": "复核"}, headers=head)
    assert resp.status_code == 422
    assert client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()["state"] == "withheld"


def test_correction_makes_a_new_revision(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf)
    client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev)
    run_once(wf)
    corrected = intake(legal_basis="《中华人民共和国食品安全法》第一百二十四条第一款")
    resp = client.post(
        f"/api/v1/decisions/{decision_id}/corrections",
        headers=rev,
        json={"intake": corrected, "note": "依据条款更正"},
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["revision"] == 2
    with wf.db.read() as s:
        disclosure = s.scalar(select(Disclosure))
        assert disclosure is not None
        assert disclosure.corrected_at is not None
        assert disclosure.record["legal_basis"].endswith("第一款")
    same = client.post(
        f"/api/v1/decisions/{decision_id}/corrections",
        headers=rev,
        json={"intake": corrected, "note": "重复"},
    )
    assert same.status_code == 422


def test_leak_gate_blocks_a_tampered_public_record(client: Any, wf: Workflow) -> None:
    rev = token(wf, "reviewer")
    decision_id = _in_review(client, wf, persons=[{"name": "张建国", "role": "witness"}])
    client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev)
    with wf.db.write() as s:
        d = s.get(Decision, decision_id)
        assert d is not None and d.redaction is not None
        red = dict(d.redaction)
        red["public"] = {**red["public"], "legal_basis": "证人张建国，身份证号340104199001011234"}
        d.redaction = red
    assert run_once(wf)["published"] == 0
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=rev).json()
    assert record["state"] == "in_review"
    assert record["leak_hits"]
    assert record["audit"][-1]["action"] == "leak_blocked"
    with wf.db.read() as s:
        assert s.scalars(select(Disclosure)).all() == []

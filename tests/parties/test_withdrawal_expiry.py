"""Withdrawal after a ruling (tracked, alerted when overdue) and expiry (per-agency rules, credit repair)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.deadlines.alerts import raise_deadline_alerts
from gongshi.domain.expiry import read_expiry_config
from gongshi.settings import Settings
from gongshi.storage.models import Decision, Disclosure, Notification, OutboxEvent
from gongshi.worker import run_once
from tests.conftest import Clock
from tests.factories import AGENCY_A, intake, token
from tests.parties.helpers import publish


def test_ruling_starts_the_clock_and_overdue_withdrawals_are_alerted(
    client: Any, wf: Workflow, clock: Clock
) -> None:
    decision_id, public_id = publish(client, wf)
    rev, sub = token(wf, "reviewer"), token(wf, "submitter")
    bad = client.post(
        f"/api/v1/decisions/{decision_id}/ruling",
        json={"reason": "error", "ruling_received_on": "2026-11-25"},
        headers=sub,
    )
    assert bad.status_code == 400
    future = client.post(
        f"/api/v1/decisions/{decision_id}/ruling",
        json={"reason": "revoked", "ruling_received_on": "2026-11-30"},
        headers=sub,
    )
    assert future.status_code == 422
    ruling = client.post(
        f"/api/v1/decisions/{decision_id}/ruling",
        json={"reason": "revoked", "ruling_received_on": "2026-11-25", "note": "复议决定书已送达"},
        headers=sub,
    )
    assert ruling.status_code == 200, ruling.text
    # A penalty: 3 calendar days (行政处罚法 Art 48), stricter than 3 working days.
    assert ruling.json()["withdraw_by"] == "2026-11-28"
    clock.set("2026-11-27T09:00:00+08:00")
    board = client.get("/api/v1/deadlines", headers=rev).json()
    [entry] = board["agencies"]
    [item] = entry["parties"]
    assert item["kind"] == "withdrawal" and item["bucket"] == "due_soon" and item["due_on"] == "2026-11-28"
    assert item["url"] == f"/console/decisions/{decision_id}"
    clock.set("2026-11-30T09:00:00+08:00")
    board = client.get("/api/v1/deadlines", headers=rev).json()
    assert board["agencies"][0]["parties"][0]["bucket"] == "overdue"
    assert raise_deadline_alerts(wf) == 1
    with wf.db.read() as s:
        alert = s.scalar(select(Notification).where(Notification.dedupe_key.like("deadline:%")))
    assert alert is not None and "[逾期] 撤下 合市监罚〔2026〕123号" in alert.body
    # Withdrawing uses the recorded ruling date; the late withdrawal is on the record.
    done = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        json={"reason": "revoked", "explanation": "原处罚决定已被复议机关撤销。"},
        headers=rev,
    )
    assert done.status_code == 200, done.text
    assert done.json()["withdraw_by"] == "2026-11-28"
    trail = client.get(f"/api/v1/decisions/{decision_id}/audit", headers=rev).json()
    assert trail["events"][-1]["data"]["late"] is True and trail["events"][-2]["action"] == "ruling_received"
    assert client.get("/api/v1/deadlines", headers=rev).json()["agencies"] == []
    with wf.db.read() as s:
        d = s.get(Disclosure, public_id)
        assert d is not None and d.status == "withdrawn" and d.withdrawal_reason == "revoked"
        assert d.withdrawal_explanation == "原处罚决定已被复议机关撤销。" and d.withdrawn_at is not None
        # Out of search, feeds and exports at once.
        topics = [
            e.topic
            for e in s.scalars(
                select(OutboxEvent).where(OutboxEvent.key == public_id).order_by(OutboxEvent.id)
            )
        ]
    assert topics[-1] == "search.delete"


def test_withdrawal_links_to_the_re_made_decision(client: Any, wf: Workflow) -> None:
    old_id, old_public = publish(client, wf)
    new_id, new_public = publish(
        client, wf, source_id="HF-SJ-2026-000124", document_number="合市监罚〔2026〕124号"
    )
    resp = client.post(
        f"/api/v1/decisions/{old_id}/withdraw",
        json={
            "reason": "redo_ordered",
            "ruling_received_on": "2026-11-25",
            "explanation": "责令重新作出，已重新作出决定。",
            "superseded_by": new_id,
        },
        headers=token(wf, "reviewer"),
    )
    assert resp.status_code == 200, resp.text
    with wf.db.read() as s:
        d = s.get(Disclosure, old_public)
    assert d is not None and d.superseded_by == new_public


def test_credit_repair_only_after_the_minimum_period(client: Any, wf: Workflow, clock: Clock) -> None:
    decision_id, _ = publish(client, wf, decided_on="2026-11-20")
    rev = token(wf, "reviewer")
    early = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        json={"reason": "credit_repair", "explanation": "当事人申请信用修复。"},
        headers=rev,
    )
    assert early.status_code == 422 and early.json()["error"]["code"] == "too_early"
    assert "2027-11-20" in early.json()["error"]["message"]  # an ordinary fine: one year
    clock.set("2027-11-22T10:00:00+08:00")
    ok = client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        json={"reason": "credit_repair", "explanation": "当事人已履行并申请信用修复。"},
        headers=rev,
    )
    assert ok.status_code == 200, ok.text


def _with_rules(settings: Settings, tmp_path: Path, rules: dict[str, Any]) -> Settings:
    path = tmp_path / "expiry.json"
    path.write_text(json.dumps(rules))
    return msgspec.structs.replace(settings, expiry_rules=read_expiry_config(str(path)))


def test_per_agency_expiry_rules_apply_at_publication(
    client: Any, wf: Workflow, settings: Settings, tmp_path: Path, clock: Clock
) -> None:
    wf.settings = _with_rules(
        settings,
        tmp_path,
        {"default": {"ordinary_months": 6}, "agencies": {AGENCY_A["code"]: {"by_category": {"fine": 24}}}},
    )
    decision_id, public_id = publish(client, wf, decided_on="2026-11-20")
    other_id, _ = publish(
        client,
        wf,
        source_id="WH-1",
        agency={"code": "11340200MB1111111Y", "name": "芜湖市市场监督管理局"},
        document_number="芜市监罚〔2026〕1号",
        decided_on="2026-11-20",
    )
    with wf.db.read() as s:
        mine, other = s.get(Decision, decision_id), s.get(Decision, other_id)
        assert mine is not None and other is not None
        assert mine.expires_on is not None and mine.expires_on.isoformat() == "2028-11-20"
        assert other.expires_on is not None and other.expires_on.isoformat() == "2027-05-20"
    # The credit-repair minimum follows the same agency rules (here the national 12 months).
    # The worker unpublishes at the end date: the last day is 2028-11-20, gone the day after.
    clock.set("2028-11-20T23:00:00+08:00")
    run_once(wf)
    with wf.db.read() as s:
        assert s.get(Disclosure, public_id).status == "published"  # type: ignore[union-attr]
    clock.set("2028-11-21T00:30:00+08:00")
    assert run_once(wf)["expired"] == 1
    with wf.db.read() as s:
        assert s.get(Disclosure, public_id).status == "expired"  # type: ignore[union-attr]
        topics = [e.topic for e in s.scalars(select(OutboxEvent).where(OutboxEvent.key == public_id))]
    assert "search.delete" in topics


def test_invalid_rules_file_is_an_error_at_start_up(tmp_path: Path) -> None:
    import pytest

    from gongshi.settings import load_settings

    path = tmp_path / "expiry.json"
    path.write_text(json.dumps({"agencies": {"X": {"serious_month": 60}}}))
    with pytest.raises(msgspec.ValidationError):
        load_settings({"GONGSHI_DATA_DIR": str(tmp_path), "GONGSHI_EXPIRY_RULES_FILE": str(path)})


def test_licence_without_end_stays(client: Any, wf: Workflow) -> None:
    decision_id, _ = publish(
        client,
        wf,
        kind="licensing",
        penalty=None,
        title="食品经营许可决定书",
        license={"name": "食品经营许可证", "number": "JY13401000000001"},
    )
    with wf.db.read() as s:
        assert s.get(Decision, decision_id).expires_on is None  # type: ignore[union-attr]
    _ = intake  # factories imported for symmetry with the other tests

"""The Art 9 20-working-day rule on the deadline board and in alerts; the Art 17 annual report."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.deadlines.alerts import raise_deadline_alerts
from gongshi.storage.models import Agency, Notification
from gongshi.worker import run_once
from tests.agencies.helpers import CODE, agency_body, officer
from tests.conftest import Clock
from tests.factories import AGENCY_B, intake, token

FULL = {
    "enforcement_posts": 40,
    "officers_on_duty": 35,
    "auxiliary_staff": 12,
    "reconsideration_received": 6,
    "reconsideration_upheld": 4,
    "reconsideration_overturned": 1,
    "reconsideration_other": 0,
    "reconsideration_pending": 1,
    "litigation_received": 3,
    "litigation_won": 2,
    "litigation_lost": 0,
    "litigation_other": 0,
    "litigation_pending": 1,
    "complaints_received": 120,
    "complaints_handled": 118,
    "criminal_transfers": 2,
    "criminal_cases_opened": 1,
    "other_notes": "无",
}


def _info(board: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return next((a["agency_info"] for a in board["agencies"] if a["agency"] == code), [])


def test_announced_change_is_due_in_20_working_days_until_resolved(
    client: Any, wf: Workflow, clock: Clock
) -> None:
    headers = token(wf, "reviewer")
    client.put(f"/api/v1/agencies/{CODE}", json=agency_body(), headers=headers)
    # A new rule in force on Thursday 2026-10-08, just after the National Day holiday: Saturday
    # 10 October is a make-up working day (调休), so day 20 is 4 November, one day earlier than a
    # Monday–Friday count would give.
    made = client.post(
        f"/api/v1/agencies/{CODE}/changes",
        json={"subject": "bases", "description": "新版裁量基准施行", "changed_on": "2026-10-08"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    change = made.json()
    assert change["due_on"] == "2026-11-04" and change["resolved_at"] is None
    board = client.get("/api/v1/deadlines", headers=headers).json()
    items = _info(board, CODE)
    assert [(i["kind"], i["bucket"], i["due_on"]) for i in items] == [("change", "overdue", "2026-11-04")]
    assert (
        client.get(f"/api/v1/agencies/{CODE}", headers=headers).json()["open_changes"][0]["id"]
        == change["id"]
    )

    # Another agency's token sees nothing of it.
    other = client.get("/api/v1/deadlines", headers=token(wf, "reviewer", AGENCY_B)).json()
    assert _info(other, CODE) == []

    body = agency_body(resolves=[change["id"]])
    body["bases"].append({"title": "新版裁量基准", "level": "discretion"})
    saved = client.put(f"/api/v1/agencies/{CODE}", json=body, headers=headers).json()
    assert saved["resolved"] == [change["id"]]
    assert _info(client.get("/api/v1/deadlines", headers=headers).json(), CODE) == []
    again = client.put(f"/api/v1/agencies/{CODE}", json=body, headers=headers)
    assert again.status_code == 422 and again.json()["error"]["field"] == "resolves"
    # A change entered earlier can be closed by a save that changes nothing; the audit trail shows it.
    other = client.post(
        f"/api/v1/agencies/{CODE}/changes",
        json={"subject": "profile", "description": "办公时间调整", "changed_on": "2026-11-20"},
        headers=headers,
    ).json()
    body["resolves"] = [other["id"]]
    closed = client.put(f"/api/v1/agencies/{CODE}", json=body, headers=headers).json()
    assert closed == {"changed": False, "change": None, "resolved": [other["id"]]}
    trail = client.get(f"/api/v1/agencies/{CODE}/audit", headers=headers).json()
    assert trail["intact"] and trail["events"][-1]["action"] == "changes_resolved"
    history = client.get(f"/api/v1/agencies/{CODE}", headers=headers).json()["recent_changes"]
    resolved = next(c for c in history if c["id"] == change["id"])
    assert resolved["late"] is True


def test_expired_certificate_still_listed_active_becomes_due(client: Any, wf: Workflow, clock: Clock) -> None:
    headers = token(wf, "reviewer")
    officers = [officer(valid_until="2026-11-20"), officer(name="王芳", certificate_number="34010020002")]
    client.put(f"/api/v1/agencies/{CODE}/officers", json={"officers": officers}, headers=headers)
    # Expired on the 20th; day 0 is the 21st (Saturday), so day 20 is 2026-12-18.
    items = _info(client.get("/api/v1/deadlines", headers=headers).json(), CODE)
    assert items == []  # not due soon yet: the board looks two working days ahead
    clock.set("2026-12-17T10:00:00+08:00")
    items = _info(client.get("/api/v1/deadlines", headers=headers).json(), CODE)
    assert [(i["kind"], i["bucket"], i["due_on"]) for i in items] == [
        ("certificate", "due_soon", "2026-12-18")
    ]
    assert "皖A34010020001" in items[0]["title"]
    clock.set("2026-12-21T10:00:00+08:00")
    assert raise_deadline_alerts(wf) == 1
    with wf.db.read() as s:
        note = s.scalars(select(Notification)).one()
    assert "执法证已于 2026-11-20 到期" in note.body and "[逾期]" in note.body
    # Marking the officer as no longer on duty settles it.
    officers[0]["status"] = "retired"
    client.put(f"/api/v1/agencies/{CODE}/officers", json={"officers": officers}, headers=headers)
    assert _info(client.get("/api/v1/deadlines", headers=headers).json(), CODE) == []


def test_annual_report_reminder_deadline_and_publication(client: Any, wf: Workflow, clock: Clock) -> None:
    head = token(wf, "head")
    reviewer = token(wf, "reviewer")
    submitted = client.post(
        "/api/v1/decisions", json=intake(decided_on="2026-11-20"), headers=token(wf, "submitter")
    )
    assert submitted.status_code == 201
    run_once(wf)
    client.post(f"/api/v1/decisions/{submitted.json()['id']}/approve", json={}, headers=reviewer)
    run_once(wf)
    # In 2026 no report for 2026 can be published yet.
    early = client.put(
        f"/api/v1/agencies/{CODE}/reports/2026", json={"figures": {"officers_on_duty": 3}}, headers=head
    )
    assert early.status_code == 200
    refused = client.post(f"/api/v1/agencies/{CODE}/reports/2026/publish", headers=head)
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "year"

    # 1 January: no reminder yet. 2 January: a reminder, due 31 January.
    clock.set("2027-01-01T10:00:00+08:00")
    assert _info(client.get("/api/v1/deadlines", headers=head).json(), CODE) == []
    clock.set("2027-01-04T10:00:00+08:00")
    items = _info(client.get("/api/v1/deadlines", headers=head).json(), CODE)
    assert [(i["kind"], i["bucket"], i["due_on"]) for i in items] == [
        ("annual_report", "due_soon", "2027-01-31")
    ]
    assert raise_deadline_alerts(wf) == 1
    clock.set("2027-02-01T10:00:00+08:00")
    assert _info(client.get("/api/v1/deadlines", headers=head).json(), CODE)[0]["bucket"] == "overdue"

    # Reviewers may not enter or publish figures; an agency's head may.
    assert (
        client.put(
            f"/api/v1/agencies/{CODE}/reports/2026", json={"figures": FULL}, headers=reviewer
        ).status_code
        == 403
    )
    partial = dict(FULL)
    del partial["litigation_lost"]
    client.put(f"/api/v1/agencies/{CODE}/reports/2026", json={"figures": partial}, headers=head)
    incomplete = client.post(f"/api/v1/agencies/{CODE}/reports/2026/publish", headers=head)
    assert incomplete.status_code == 422
    assert incomplete.json()["error"]["field"] == "figures.litigation_lost"
    assert "败诉" in incomplete.json()["error"]["message"]
    bad = client.put(
        f"/api/v1/agencies/{CODE}/reports/2026", json={"figures": {"complaints_received": -1}}, headers=head
    )
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "figures.complaints_received"

    client.put(f"/api/v1/agencies/{CODE}/reports/2026", json={"figures": FULL}, headers=head)
    published = client.post(f"/api/v1/agencies/{CODE}/reports/2026/publish", headers=head)
    assert published.status_code == 200, published.text
    report = published.json()
    assert report["state"] == "published" and report["revision"] == 1 and report["derived_frozen"] is True
    assert report["derived"]["decisions_by_kind"] == {"penalty": 1}
    assert report["derived"]["disclosed_by_kind"] == {"penalty": 1}
    assert report["derived"]["decisions_by_state"] == {"published": 1}
    assert report["figures"]["complaints_received"] == 120
    assert _info(client.get("/api/v1/deadlines", headers=head).json(), CODE) == []
    unchanged = client.post(f"/api/v1/agencies/{CODE}/reports/2026/publish", headers=head)
    assert unchanged.status_code == 409

    # A later withdrawal does not change the published snapshot until it is republished.
    decision_id = submitted.json()["id"]
    client.post(
        f"/api/v1/decisions/{decision_id}/withdraw",
        json={"reason": "revoked", "ruling_received_on": "2027-02-01", "explanation": "原决定已被撤销。"},
        headers=reviewer,
    )
    frozen = client.get(f"/api/v1/agencies/{CODE}/reports/2026", headers=head).json()
    assert frozen["derived"]["decisions_by_state"] == {"published": 1}
    again = client.post(f"/api/v1/agencies/{CODE}/reports/2026/publish", headers=head).json()
    assert again["revision"] == 2
    assert again["derived"]["decisions_by_state"] == {"withdrawn": 1}
    trail = [e for e in client.get(f"/api/v1/decisions/{decision_id}/audit", headers=head).json()["events"]]
    assert trail  # the decision's own chain is untouched by the report


def test_report_only_for_agencies_that_existed_that_year(client: Any, wf: Workflow, clock: Clock) -> None:
    token(wf, "head")
    clock.set("2027-01-10T10:00:00+08:00")
    with wf.db.write() as s:
        agency = s.scalar(select(Agency).where(Agency.code == CODE))
        assert agency is not None
        # Registered in gongshi only in 2027: nothing is asked for 2026.
        from datetime import UTC, datetime

        agency.created_at = datetime(2027, 1, 5, tzinfo=UTC)
    assert _info(client.get("/api/v1/deadlines", headers=token(wf, "admin", None)).json(), CODE) == []

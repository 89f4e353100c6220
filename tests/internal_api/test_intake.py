"""Intake through the HTTP API: idempotency, replacement, refusal after publication, named errors."""

from __future__ import annotations

from typing import Any

from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.factories import AGENCY_B, intake, token


def test_submit_creates_then_is_idempotent(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    first = client.post("/api/v1/decisions", json=intake(), headers=h)
    assert first.status_code == 201
    body = first.json()
    assert body["state"] == "received"
    # 2026-11-20 (Fri) + 7 working days → Tue 2026-12-01.
    assert body["publish_by"] == "2026-12-01"
    assert body["publish_by_provisional"] is False
    again = client.post("/api/v1/decisions", json=intake(), headers=h)
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert again.json()["created"] is False


def test_changed_draft_is_replaced_and_audited(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=h).json()["id"]
    run_once(wf)
    replaced = client.post("/api/v1/decisions", json=intake(title="更正后的标题"), headers=h)
    assert replaced.status_code == 200
    assert replaced.json()["replaced"] is True
    record = client.get(f"/api/v1/decisions/{decision_id}", headers=h).json()
    assert record["state"] == "received"
    assert record["revision"] == 2
    assert [e["action"] for e in record["audit"]] == ["receive", "redacted", "replace"]


def test_published_decision_refuses_new_content_with_pointer_to_corrections(
    client: Any, wf: Workflow
) -> None:
    sub, rev = token(wf, "submitter"), token(wf, "reviewer")
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=sub).json()["id"]
    run_once(wf)
    assert client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=rev).status_code == 200
    run_once(wf)
    resp = client.post("/api/v1/decisions", json=intake(result="改了"), headers=sub)
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["code"] == "already_published"
    assert err["corrections_url"] == f"/api/v1/decisions/{decision_id}/corrections"
    # Identical content is still a harmless 200.
    assert client.post("/api/v1/decisions", json=intake(), headers=sub).status_code == 200


def test_error_shape_is_pinned(client: Any, wf: Workflow) -> None:
    resp = client.post("/api/v1/decisions", json=intake(kind="fine"), headers=token(wf, "submitter"))
    assert resp.status_code == 400
    assert set(resp.json()) == {"error"}
    assert set(resp.json()["error"]) == {"code", "message", "field"}
    assert resp.json()["error"]["field"] == "kind"


def test_errors_name_the_field(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    cases: list[tuple[Any, int, str | None]] = [
        (intake(typo_field=1), 400, "typo_field"),
        (intake(party={"kind": "legal_person"}), 400, "party.name"),
        (intake(decided_on="2026-13-01"), 400, "decided_on"),
        (intake(penalty={"categories": ["fine"], "fine_yuan": "abc"}), 400, "penalty.fine_yuan"),
        (intake(served_on="2026-11-01"), 422, "served_on"),
        (intake(penalty={"categories": ["fine"], "fine_yuan": "-5"}), 422, "penalty.fine_yuan"),
        (intake(agency=AGENCY_B), 422, "agency.code"),
    ]
    for body, status, field in cases:
        resp = client.post("/api/v1/decisions", json=body, headers=h)
        assert resp.status_code == status, (body, resp.text)
        assert resp.json()["error"]["field"] == field, resp.text
    bad_json = client.post(
        "/api/v1/decisions", content=b"{not json", headers={**h, "Content-Type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["error"]["code"] == "invalid_json"


def test_batch_stores_valid_items_and_reports_each_error(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    items = [intake(source_id=f"S-{i}") for i in range(5)]
    items[2] = intake(source_id="S-2", kind="nope")
    items.append(intake(source_id="S-0"))  # duplicate inside the batch
    resp = client.post("/api/v1/decisions:batch", json={"items": items}, headers=h)
    assert resp.status_code == 200
    body = resp.json()
    assert (body["received"], body["stored"], body["errors"]) == (6, 4, 2)
    assert body["items"][2]["error"]["field"] == "kind"
    assert body["items"][5]["error"]["code"] == "duplicate_in_batch"
    assert all("id" in body["items"][i] for i in (0, 1, 3, 4))
    listed = client.get("/api/v1/decisions", headers=h).json()["items"]
    assert sorted(d["source_id"] for d in listed) == ["S-0", "S-1", "S-3", "S-4"]
    # A plain JSON array is accepted too, and re-sending is idempotent.
    again = client.post("/api/v1/decisions:batch", json=items[:2], headers=h).json()
    assert [i["created"] for i in again["items"]] == [False, False]


def test_batch_limits(client: Any, wf: Workflow) -> None:
    h = token(wf, "submitter")
    too_many = client.post(
        "/api/v1/decisions:batch", json=[intake(source_id=str(i)) for i in range(1001)], headers=h
    )
    assert too_many.status_code == 413
    assert too_many.json()["error"]["code"] == "batch_too_large"
    assert client.get("/api/v1/decisions", headers=h).json()["items"] == []


def test_body_over_limit_is_413_in_the_error_shape(client: Any, wf: Workflow, settings: Any) -> None:
    h = token(wf, "submitter")
    huge = b'{"items": ["' + b"x" * (settings.max_body_bytes + 10) + b'"]}'
    json_type = {**h, "Content-Type": "application/json"}
    resp = client.post("/api/v1/decisions:batch", content=huge, headers=json_type)
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "too_large"

"""Tokens, roles and agency scoping: another agency's records do not even exist for you."""

from __future__ import annotations

from typing import Any

from gongshi.core.context import Workflow
from tests.factories import AGENCY_B, intake, token


def test_missing_and_bad_tokens_are_401(client: Any) -> None:
    assert client.get("/api/v1/decisions").status_code == 401
    resp = client.get("/api/v1/decisions", headers={"Authorization": "Bearer gs_nope"})
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "invalid_token"


def test_other_agency_sees_404_not_403(client: Any, wf: Workflow) -> None:
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=token(wf, "submitter")).json()["id"]
    other = token(wf, "reviewer", AGENCY_B)
    for method, path in [
        ("get", f"/api/v1/decisions/{decision_id}"),
        ("get", f"/api/v1/decisions/{decision_id}/audit"),
        ("post", f"/api/v1/decisions/{decision_id}/approve"),
    ]:
        resp = client.request(method.upper(), path, headers=other, json={} if method == "post" else None)
        assert resp.status_code == 404, path
    assert client.get("/api/v1/decisions", headers=other).json()["items"] == []
    assert client.get(f"/api/v1/decisions/{decision_id + 999}", headers=other).status_code == 404


def test_roles(client: Any, wf: Workflow) -> None:
    sub = token(wf, "submitter")
    decision_id = client.post("/api/v1/decisions", json=intake(), headers=sub).json()["id"]
    resp = client.post(f"/api/v1/decisions/{decision_id}/approve", json={}, headers=sub)
    assert resp.status_code == 403
    reviewer = token(wf, "reviewer")
    assert client.post("/api/v1/decisions", json=intake(source_id="x"), headers=reviewer).status_code == 403
    admin = token(wf, "admin", None)
    assert client.get(f"/api/v1/decisions/{decision_id}", headers=admin).status_code == 200
    # An admin may submit for any agency; the agency is created from the intake.
    assert client.post("/api/v1/decisions", json=intake(agency=AGENCY_B), headers=admin).status_code == 201


def test_tokens_are_stored_hashed(wf: Workflow) -> None:
    from sqlalchemy import select

    from gongshi.storage.models import ApiToken

    header = token(wf, "submitter")["Authorization"].removeprefix("Bearer ")
    with wf.db.read() as s:
        stored = list(s.scalars(select(ApiToken.token_hash)))
    assert header not in stored
    assert all(len(h) == 64 for h in stored)

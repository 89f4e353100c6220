"""The review queue: filters, previous/next, bulk approval after a confirmation page."""

from __future__ import annotations

import re
from typing import Any

from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.factories import intake, token
from tests.internal_api.test_console import _login
from tests.redaction.test_entities_edits import FACTS


def _submit(client: Any, wf: Workflow, source_id: str, **overrides: Any) -> int:
    body = intake(source_id=source_id, **overrides)
    decision_id: int = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter")).json()[
        "id"
    ]
    return decision_id


def test_filters_neighbours_and_bulk_approval(client: Any, wf: Workflow) -> None:
    plain = [_submit(client, wf, f"Q-{i}", document_number=f"合市监罚〔2026〕{700 + i}号") for i in range(2)]
    doubtful = _submit(client, wf, "Q-doubt", facts=FACTS, document_number="合市监罚〔2026〕799号")
    run_once(wf)
    csrf = _login(client, wf)
    with_doubts = client.get("/console?doubts=yes").text
    assert "合市监罚〔2026〕799号" in with_doubts and "合市监罚〔2026〕700号" not in with_doubts
    without = client.get("/console?doubts=no").text
    assert "合市监罚〔2026〕700号" in without and "合市监罚〔2026〕799号" not in without
    assert "合市监罚〔2026〕700号" not in client.get("/console?agency=11340200MB1111111Y").text
    page = client.get(f"/console/decisions/{plain[1]}").text
    assert f'href="/console/decisions/{plain[0]}" rel="prev"' in page
    assert f'href="/console/decisions/{doubtful}" rel="next"' in page
    confirm = client.get("/console/bulk-approve").text
    listed = {int(i) for i in re.findall(r'name="id-(\d+)"', confirm)}
    assert listed == set(plain)
    form = {f"id-{i}": str(i) for i in [*plain, doubtful]}
    done = client.post("/console/bulk-approve", data={**form, "_csrf_token": csrf}, follow_redirects=True)
    assert "已批量批准 2 条，1 条未批准" in done.text
    rev = token(wf, "reviewer")
    states = {
        i: client.get(f"/api/v1/decisions/{i}", headers=rev).json()["state"] for i in [*plain, doubtful]
    }
    assert states == {plain[0]: "approved", plain[1]: "approved", doubtful: "in_review"}

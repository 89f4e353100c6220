"""Decisions taken to approval or publication through the API, for the credit tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from gongshi.core.context import Workflow
from gongshi.worker import run_once
from tests.factories import approve, intake, token


def approved(client: Any, wf: Workflow, *, publish: bool = True, **overrides: Any) -> int:
    """A decision of AGENCY, redacted and approved (and published unless publish=False)."""
    body = intake(**{"agency": AGENCY, "party": COMPANY, **overrides})
    resp = client.post("/api/v1/decisions", json=body, headers=token(wf, "submitter", AGENCY))
    assert resp.status_code in (200, 201), resp.text
    decision_id: int = resp.json()["id"]
    run_once(wf)
    resp = approve(client, wf, decision_id, AGENCY)
    assert resp.status_code == 200, resp.text
    if publish:
        run_once(wf)
    return decision_id


def sheets(content: bytes) -> dict[str, list[list[Any]]]:
    """Each sheet's rows, padded to the header's width (empty cells are left out of the file)."""
    wb = load_workbook(io.BytesIO(content), read_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        width = len(rows[0]) if rows else 0
        out[ws.title] = [r + [None] * (width - len(r)) for r in rows]
    return out


NATURAL = {
    "kind": "natural_person",
    "name": "张建国",
    "id_type": "resident_id",
    "id_number": "340104198001011234",
    "address": "合肥市蜀山区长江西路100号",
}

# Valid unified social credit codes (GB 32100 check characters), unlike the generic factories' ones.
AGENCY = {"code": "11340100003000001B", "name": "合肥市市场监督管理局"}
OTHER_AGENCY = {"code": "11340200003000002K", "name": "芜湖市市场监督管理局"}
COMPANY = {
    "kind": "legal_person",
    "name": "合肥某某食品有限公司",
    "id_type": "uscc",
    "id_number": "91340100MA2N0000XF",
    "legal_representative": "李明华",
}


def head(wf: Workflow) -> dict[str, str]:
    return token(wf, "head", AGENCY)

"""Small explicit factories for case tests."""

from __future__ import annotations

import copy
from typing import Any

from tests.factories import AGENCY_A

CASE: dict[str, Any] = {
    "agency": AGENCY_A,
    "case_number": "合市监立〔2026〕88号",
    "kind": "penalty",
    "party": {
        "kind": "natural_person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": "34010119800101001X",
        "phone": "13905510000",
    },
    "opened_on": "2026-11-02",
    "source": {"type": "complaint", "detail": "12315 平台投诉"},
}

# One entry per stage, as an agency system would send them.
ENTRIES: dict[str, dict[str, Any]] = {
    "source": {"stage": "initiation", "type": "source", "channel": "complaint", "text": "接投诉立案。"},
    "rights_notified": {
        "stage": "investigation",
        "type": "rights_notified",
        "text": "送达行政处罚告知书，告知陈述、申辩、听证权利。",
        "rights": ["statement", "defence", "hearing"],
        "party_statement": "当事人放弃陈述申辩。",
    },
    "head_approval": {"stage": "decision", "type": "head_approval", "text": "负责人批准。", "approved": True},
    "service": {"stage": "service", "type": "service", "text": "直接送达处罚决定书。", "method": "direct"},
    "closure": {"stage": "service", "type": "closure", "text": "罚款已缴清，结案。"},
    "archive": {"stage": "archive", "type": "archive", "text": "立卷归档。", "file_number": "2026-088"},
}


def case(**overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(CASE)
    body.update(overrides)
    return body


def entry(
    kind: str = "source", occurred_at: str = "2026-11-02T09:00:00+08:00", **overrides: Any
) -> dict[str, Any]:
    body = {"occurred_at": occurred_at, **copy.deepcopy(ENTRIES[kind])}
    body.update(overrides)
    return body


def open_case(client: Any, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    r = client.post("/api/v1/cases", json=case(**overrides), headers=headers)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def add_entry(
    client: Any, headers: dict[str, str], case_id: int, kind: str = "source", **overrides: Any
) -> dict[str, Any]:
    r = client.post(f"/api/v1/cases/{case_id}/entries", json=entry(kind, **overrides), headers=headers)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def upload(
    client: Any,
    headers: dict[str, str],
    case_id: int,
    entry_id: int,
    content: bytes = b"\x00\x00\x00\x18ftypmp42video-bytes",
    *,
    media_type: str = "video/mp4",
    captured_at: str = "2026-11-02T09:05:00+08:00",
    **fields: str,
) -> Any:
    return client.post(
        f"/api/v1/cases/{case_id}/entries/{entry_id}/attachments",
        files={"file": ("inspection.mp4", content, media_type)},
        data={"captured_at": captured_at, **fields},
        headers=headers,
    )

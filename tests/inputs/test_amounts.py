"""Amounts are finite, not negative and at most a trillion yuan; otherwise a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from gongshi.core.context import Workflow
from tests.factories import intake, token
from tests.inputs.shapes import encode

JSON = {"Content-Type": "application/json"}
FIELDS = ["fine_yuan", "confiscated_yuan"]
# Raw JSON, so that numbers beyond a double (1e309) reach the decoder as sent.
ABSURD = [
    b"1e309",
    b"1e13",
    b'"1000000000000.01"',
    b'"NaN"',
    b'"sNaN"',
    b'"Infinity"',
    b'"-Infinity"',
    b'"-1"',
]


def _body(field: str, raw: bytes, source_id: str = "AMOUNT") -> bytes:
    penalty = {"categories": ["warning", "fine"], "fine_yuan": "5000.00", field: "__AMOUNT__"}
    return encode(intake(source_id=source_id, penalty=penalty)).replace(b'"__AMOUNT__"', raw)


@pytest.mark.parametrize("field", FIELDS)
def test_absurd_amounts_are_422_naming_the_field(client: Any, wf: Workflow, field: str) -> None:
    h = {**token(wf, "submitter"), **JSON}
    for raw in ABSURD:
        resp = client.post("/api/v1/decisions", content=_body(field, raw), headers=h)
        assert resp.status_code == 422, (raw, resp.text)
        assert resp.json()["error"]["field"] == f"penalty.{field}", (raw, resp.text)
    assert client.get("/api/v1/decisions", headers=h).json()["items"] == []


def test_a_trillion_yuan_is_the_largest_amount(client: Any, wf: Workflow) -> None:
    h = {**token(wf, "submitter"), **JSON}
    resp = client.post("/api/v1/decisions", content=_body("fine_yuan", b'"1000000000000"'), headers=h)
    assert resp.status_code == 201, resp.text


def test_an_absurd_amount_in_a_batch_is_that_item_s_error(client: Any, wf: Workflow) -> None:
    h = {**token(wf, "submitter"), **JSON}
    batch = b"[" + _body("fine_yuan", b"1e309", "BAD") + b"," + encode(intake(source_id="OK")) + b"]"
    body = client.post("/api/v1/decisions:batch", content=batch, headers=h).json()
    assert (body["stored"], body["errors"]) == (1, 1)
    assert body["items"][0]["error"]["field"] == "penalty.fine_yuan"

"""The OpenAPI documents tell the truth about the error shape and the request bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.testing import TestClient

from gongshi.core.context import Workflow
from gongshi.internal_api.openapi import OPS
from gongshi.openapi import ApiDocument, Op
from gongshi.settings import Settings

BODY_METHODS = ("post", "put")


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in ("get", "head", "post", "put", "delete")
    ]


@pytest.fixture
def internal_doc(client: Any) -> dict[str, Any]:
    response = client.get("/api/docs/openapi.json")
    assert response.status_code == 200
    doc: dict[str, Any] = response.json()
    return doc


@pytest.fixture
def portal_doc(settings: Settings, wf: Workflow) -> dict[str, Any]:
    from gongshi.portal import create_app

    with TestClient(create_app(settings, wf)) as c:
        doc: dict[str, Any] = c.get("/api/docs/openapi.json").json()
    return doc


def test_no_operation_documents_litestars_error_shape(internal_doc: Any, portal_doc: Any) -> None:
    for doc in (internal_doc, portal_doc):
        assert '"status_code"' not in json.dumps(doc)
        error = doc["components"]["schemas"]["Error"]
        assert error["required"] == ["error"]
        for path, method, op in _operations(doc):
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_every_json_write_of_the_internal_api_documents_its_body(internal_doc: Any) -> None:
    writes = [(p, m, op) for p, m, op in _operations(internal_doc) if m in BODY_METHODS]
    without = [(m, p) for p, m, op in writes if "requestBody" not in op and not p.endswith("/publish")]
    assert not without
    approve = internal_doc["paths"]["/api/v1/decisions/{decision_id}/approve"]["post"]
    schema = approve["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ApproveBody"}
    assert "not_before" in internal_doc["components"]["schemas"]["ApproveBody"]["properties"]
    assert {"401", "403", "404", "409", "413", "415"} <= set(approve["responses"])
    assert internal_doc["security"] == [{"bearer": []}]


def test_integer_parameters_are_bounded_to_64_bits(internal_doc: Any) -> None:
    read = internal_doc["paths"]["/api/v1/decisions/{decision_id}"]["get"]
    (param,) = read["parameters"]
    assert param["schema"]["maximum"] == 2**63 - 1


def test_a_handler_reading_a_body_must_be_in_the_table(app: Any) -> None:
    incomplete = {key: op for key, op in OPS.items() if key != ("POST", "/api/v1/decisions")}
    with pytest.raises(ValueError, match="POST /api/v1/decisions reads a body"):
        ApiDocument(ops=incomplete).build(app)
    assert ApiDocument(ops={**incomplete, ("POST", "/api/v1/decisions"): Op(body=dict)}).build(app)


def test_the_portal_open_data_page_lists_the_documented_bodies(settings: Settings, wf: Workflow) -> None:
    from gongshi.portal import create_app

    with TestClient(create_app(settings, wf)) as c:
        page = c.get("/api")
    assert page.status_code == 200
    assert "/api/public/v1/requests/access" in page.text
